// The release notes of one version: the body of its `## [x.y.z]` section in CHANGELOG.md (release workflow).
//   node scripts/changelog-notes.mjs 1.0.0 > notes.md
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The section's text without its heading; throws when the version has no section or an empty one. */
export function releaseNotes(changelog, version) {
  const lines = changelog.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`## [${version}]`));
  if (start < 0) throw new Error(`CHANGELOG.md has no "## [${version}]" section`);
  let end = lines.findIndex((l, i) => i > start && (l.startsWith('## ') || /^\[[^\]]+\]: /.test(l)));
  if (end < 0) end = lines.length;
  const body = lines
    .slice(start + 1, end)
    .join('\n')
    .trim();
  if (body === '') throw new Error(`CHANGELOG.md's "## [${version}]" section is empty`);
  return `${body}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const version = process.argv[2];
  if (version === undefined) {
    console.error('usage: node scripts/changelog-notes.mjs <version>');
    process.exit(2);
  }
  try {
    process.stdout.write(releaseNotes(readFileSync(resolve(import.meta.dirname, '..', 'CHANGELOG.md'), 'utf8'), version));
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
