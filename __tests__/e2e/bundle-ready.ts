/**
 * The e2e project's setup file: before a test file runs, the bundles it tests must exist. The globalSetup builds the
 * current src/ while other projects' tests run (LAMBDA_COLDSTART_BUILDING); this waits for that build to finish, and
 * fails the file with the build's error when it failed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { failedMarker } from './global-setup.js';

/** Longer than a cold ncc build on a busy 2-core machine (about a minute). */
const WAIT_MS = 240_000;
const POLL_MS = 100;

const target = process.env['LAMBDA_COLDSTART_BUILDING'];
if (target !== undefined) {
  const deadline = Date.now() + WAIT_MS;
  while (!existsSync(join(target, 'complete'))) {
    if (existsSync(failedMarker(target))) throw new Error(`e2e: bundling src/ failed:\n${readFileSync(failedMarker(target), 'utf8')}`);
    if (Date.now() > deadline) throw new Error(`e2e: the bundle of src/ was not ready after ${WAIT_MS / 1000} s (${target})`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
