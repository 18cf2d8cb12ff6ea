#!/usr/bin/env bash
# Installs the browser the dashboard test drives (Debian's chromium, via playwright-core's executablePath).
# Idempotent: does nothing when /usr/bin/chromium exists. Needs root (apt-get); CI calls it before the tests.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "chromium present: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-browser: /usr/bin/chromium is missing and this is not root; run: sudo $0" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium
/usr/bin/chromium --version
