/**
 * The e2e project's globalSetup: bundle the CURRENT src/ (scripts/build.mjs) and point scripts/local-runner.ts at it
 * (LAMBDA_COLDSTART_DIST), with the bundled-module lists for the licence test (LAMBDA_COLDSTART_MODULES). Test workers
 * start after this and inherit the environment.
 *
 * A build is kept under node_modules/.cache/, named by a hash of everything that goes into it (src/, the build scripts,
 * the tsconfig files, the lock file): the next run on the same sources (another Node, a re-run) reuses it, and any
 * change to src/ builds afresh. When LAMBDA_COLDSTART_DIST is already set (CI, against the committed dist/), it builds nothing.
 *
 * A build is not waited for here: it runs while the other projects' tests do (LAMBDA_COLDSTART_BUILDING names it), and
 * each e2e test file waits for it in its setup (bundle-ready.ts), which also reports a failed build.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(import.meta.dirname, '../..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'lambda-coldstart-e2e');
const INPUTS = ['src', 'scripts/build.mjs', 'scripts/licenses.mjs', 'tsconfig.json', 'package-lock.json'];
const KEEP = 3;

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((f) => filesUnder(join(path, f)));
}

/** A hash of the build's inputs: their paths and contents. */
function sourceKey(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((p) => filesUnder(join(ROOT, p)))) {
    hash.update(`${relative(ROOT, file)}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** Where a build of `target` that failed leaves its error (bundle-ready.ts reports it). */
export const failedMarker = (target: string): string => `${target}.failed`;

/**
 * Builds into a temporary folder beside the cache entry, then renames it into place (a concurrent run may win). A
 * failure is written beside the target, for the e2e files waiting on it.
 */
async function build(target: string): Promise<void> {
  mkdirSync(CACHE, { recursive: true });
  rmSync(failedMarker(target), { force: true });
  const tmp = mkdtempSync(join(CACHE, 'tmp-'));
  const started = Date.now();
  try {
    await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'scripts/build.mjs'), '--out', join(tmp, 'dist'), '--stats', join(tmp, 'modules')],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
    );
    writeFileSync(join(tmp, 'complete'), '');
    if (!existsSync(target)) renameSync(tmp, target);
    console.log(`e2e: bundled src/ into ${relative(ROOT, target)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (e) {
    const { stderr } = e as { stderr?: unknown };
    writeFileSync(failedMarker(target), `${e instanceof Error ? e.message : String(e)}\n${typeof stderr === 'string' ? stderr : ''}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Keeps the newest KEEP builds. */
function prune(): void {
  const entries = readdirSync(CACHE)
    .filter((e) => !e.startsWith('tmp-') && !e.endsWith('.failed'))
    .map((e) => ({ path: join(CACHE, e), mtime: statSync(join(CACHE, e)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const e of entries.slice(KEEP)) rmSync(e.path, { recursive: true, force: true });
}

export default function setup(): () => Promise<void> {
  if (process.env['LAMBDA_COLDSTART_DIST'] !== undefined) return async () => {};
  const target = join(CACHE, sourceKey());
  let building: Promise<void> | undefined;
  if (existsSync(join(target, 'complete'))) {
    console.log(`e2e: src/ unchanged since ${relative(ROOT, target)} was built; using it`);
    utimesSync(target, new Date(), new Date());
    prune();
  } else {
    process.env['LAMBDA_COLDSTART_BUILDING'] = target;
    building = build(target).then(() => {
      if (existsSync(target)) utimesSync(target, new Date(), new Date());
      prune();
    });
  }
  process.env['LAMBDA_COLDSTART_DIST'] = join(target, 'dist');
  process.env['LAMBDA_COLDSTART_MODULES'] = join(target, 'modules');
  return async () => {
    await building;
    delete process.env['LAMBDA_COLDSTART_BUILDING'];
    delete process.env['LAMBDA_COLDSTART_DIST'];
    delete process.env['LAMBDA_COLDSTART_MODULES'];
  };
}
