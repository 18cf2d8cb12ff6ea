#!/usr/bin/env bash
# Installs the browser the dashboard test drives (Debian's chromium, through playwright-core's executablePath).
# Idempotent: does nothing when /usr/bin/chromium exists. Installs with apt-get as root (or passwordless sudo).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "install-browser: chromium present at /usr/bin/chromium"
  exit 0
fi
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    echo "install-browser: /usr/bin/chromium is missing and this is not root; run it as root: sudo $0" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium
test -x /usr/bin/chromium
echo "install-browser: installed /usr/bin/chromium"
