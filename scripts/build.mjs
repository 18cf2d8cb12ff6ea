// Bundles each entry point with @vercel/ncc, unminified, into dist/ (committed; CI checks it is fresh).
//   src/action/index.ts      → dist/index.js        (runs.main)
//   src/action/post-entry.ts → dist/post/index.js   (runs.post)
//   src/cli/index.ts         → dist/cli/index.js    (the `lambda-coldstart` command)
// Each folder gets a licenses.txt with the licence text of every package its bundle contains (scripts/licenses.mjs).
//
//   node scripts/build.mjs [--out DIR] [--stats DIR]
// --out    where to write (default dist/; the e2e tests build the current src/ into a temporary folder)
// --stats  also write, per bundle, the list of bundled files (<name>.modules.json) for the licence test
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { bundledFiles, collectPackages, renderLicenses } from './licenses.mjs';

const ROOT = resolve(import.meta.dirname, '..');

/** [name, entry, output folder relative to --out]. */
const ENTRIES = [
  ['index', 'src/action/index.ts', '.'],
  ['post', 'src/action/post-entry.ts', 'post'],
  ['cli', 'src/cli/index.ts', 'cli'],
];

const { values } = parseArgs({ options: { out: { type: 'string' }, stats: { type: 'string' } } });
const out = resolve(ROOT, values.out ?? 'dist');
const statsDir = values.stats === undefined ? undefined : resolve(ROOT, values.stats);
const ncc = createRequire(import.meta.url).resolve('@vercel/ncc/dist/ncc/cli.js');

rmSync(out, { recursive: true, force: true });
if (statsDir !== undefined) mkdirSync(statsDir, { recursive: true });
/** One entry: ncc into a temporary folder, refuse extra chunks, copy to `out`, write its licences (and module list). */
async function bundle(name, entry, folder) {
  if (!existsSync(join(ROOT, entry))) throw new Error(`missing entry ${entry}`);
  const tmp = mkdtempSync(join(tmpdir(), 'ncc-'));
  const dest = join(out, folder);
  try {
    const statsFile = join(tmp, 'stats.json');
    // --transpile-only: `npm run typecheck` checks the types; src/tsconfig.json gives ts-loader ESM output.
    const args = ['build', entry, '-o', join(tmp, 'out'), '--target', 'es2022', '--stats-out', statsFile, '--transpile-only', '--quiet'];
    await promisify(execFile)(process.execPath, [ncc, ...args], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });

    const chunks = readdirSync(join(tmp, 'out')).filter((f) => f.endsWith('.js') && f !== 'index.js');
    if (chunks.length > 0) throw new Error(`${entry}: unexpected chunks ${chunks.join(', ')} (a dynamic import that bundles apart)`);
    const files = bundledFiles(JSON.parse(readFileSync(statsFile, 'utf8')));
    cpSync(join(tmp, 'out'), dest, { recursive: true });
    writeFileSync(join(dest, 'licenses.txt'), renderLicenses(collectPackages(files, ROOT)));
    if (statsDir !== undefined) {
      const list = files.map((f) => relative(ROOT, f)).sort();
      writeFileSync(join(statsDir, `${name}.modules.json`), `${JSON.stringify(list, null, 1)}\n`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  if (name === 'cli') {
    const file = join(dest, 'index.js');
    const code = readFileSync(file, 'utf8');
    if (!code.startsWith('#!')) writeFileSync(file, `#!/usr/bin/env node\n${code}`);
    chmodSync(file, 0o755);
  }
}

// The three builds run side by side (each ncc is mostly one core).
await Promise.all(ENTRIES.map(([name, entry, folder]) => bundle(name, entry, folder)));
console.log(`built ${relative(ROOT, out) || '.'}: index.js, post/index.js, cli/index.js (each with licenses.txt)`);
