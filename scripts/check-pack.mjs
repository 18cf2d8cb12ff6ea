// CI: what `npm publish` would ship must be the CLI and nothing else.
//   npm pack --dry-run --json > pack.json && node scripts/check-pack.mjs pack.json
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** The CLI bundle (dist/cli/) and the files npm always includes, plus the changelog. */
const ALLOWED = [/^dist\/cli\/(index\.js|licenses\.txt|package\.json)$/, /^(package\.json|README\.md|LICENSE|CHANGELOG\.md)$/];
const REQUIRED = ['dist/cli/index.js', 'dist/cli/licenses.txt', 'package.json', 'README.md', 'LICENSE'];

/** The files of one `npm pack --json` entry that are not allowed, and the required ones it lacks. */
export function checkPack(pack) {
  const files = pack.files.map((f) => f.path).sort();
  return {
    extra: files.filter((f) => !ALLOWED.some((re) => re.test(f))),
    missing: REQUIRED.filter((f) => !files.includes(f)),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [pack] = JSON.parse(readFileSync(process.argv[2] ?? 0, 'utf8'));
  const { extra, missing } = checkPack(pack);
  for (const f of pack.files) console.log(`${String(f.size).padStart(10)}  ${f.path}`);
  console.log(`${pack.name}@${pack.version}: ${pack.files.length} files, ${pack.size} bytes packed, ${pack.unpackedSize} unpacked`);
  if (extra.length > 0) console.error(`the package would ship files that are not the CLI: ${extra.join(', ')}`);
  if (missing.length > 0) console.error(`the package would miss: ${missing.join(', ')}`);
  if (extra.length > 0 || missing.length > 0) process.exitCode = 1;
}
