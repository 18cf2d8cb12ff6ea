// Bundles each entry point with @vercel/ncc into dist/ (committed; CI checks it is fresh).
//   src/index.ts → dist/index.js        (runs.main)
//   src/post-index.ts → dist/post/index.js (runs.post)
//   src/cli.ts   → dist/cli/index.js    (the `lambda-coldstart` command)
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const entries = [
  ['src/index.ts', 'dist'],
  ['src/post-index.ts', 'dist/post'],
  ['src/cli.ts', 'dist/cli'],
];

rmSync('dist', { recursive: true, force: true });
for (const [entry, out] of entries) {
  if (!existsSync(entry)) throw new Error(`missing entry ${entry}`);
  const tmp = mkdtempSync(join(tmpdir(), 'ncc-'));
  execFileSync('npx', ['ncc', 'build', entry, '-o', tmp, '--target', 'es2022', '--minify', '--license', 'licenses.txt', '--quiet'], {
    stdio: 'inherit',
  });
  cpSync(tmp, out, { recursive: true });
  rmSync(tmp, { recursive: true, force: true });
  if (entry === 'src/cli.ts') {
    const file = join(out, 'index.js');
    const code = readFileSync(file, 'utf8');
    if (!code.startsWith('#!')) writeFileSync(file, `#!/usr/bin/env node\n${code}`);
  }
}
console.log('built dist/index.js, dist/post/index.js, dist/cli/index.js');
