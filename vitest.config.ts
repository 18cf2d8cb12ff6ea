import { defineConfig } from 'vitest/config';
import { nodeVersionLine, SDK_NODE_WARNING_SWITCH } from './src/core/node-version.js';
import { LongestFirst } from './__tests__/sequencer.js';

/**
 * Three projects (README "Developing"):
 * - unit:        everything that imports src/ in-process (the in-process emulator suites too); no bundle needed.
 * - unit-timing: in-process suites whose assertions need a burst's invokes to overlap in time, which CPU contention can
 *                break; they run after the others, one file at a time.
 * - e2e:         the bundles run as the runner and a user run them (scripts/local-runner.ts). Its globalSetup bundles the
 *                current src/ while the unit tests run (each e2e file waits for it), unless LAMBDA_COLDSTART_DIST names
 *                bundles to test (CI: the committed dist/).
 * Files start longest first across projects (sequencer.ts). The suites wait on emulated latencies far more than they
 * compute, so more workers than cores pay off.
 */
const E2E = ['__tests__/e2e/**/*.test.ts', '__tests__/build/**/*.test.ts'];
const TIMING = ['__tests__/burst/burst.e2e.test.ts', '__tests__/lambda/pairs.e2e.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    sequence: { sequencer: LongestFirst },
    // On a Node older than we support (tests still run there) the AWS SDK would warn in every worker that makes a client.
    env: nodeVersionLine(process.versions.node) === undefined ? {} : { [SDK_NODE_WARNING_SWITCH]: 'true' },
    maxWorkers: 6,
    projects: [
      { extends: true, test: { name: 'unit', include: ['__tests__/**/*.test.ts'], exclude: [...E2E, ...TIMING] } },
      {
        extends: true,
        test: { name: 'e2e', include: E2E, globalSetup: ['__tests__/e2e/global-setup.ts'], setupFiles: ['__tests__/e2e/bundle-ready.ts'] },
      },
      {
        extends: true,
        test: { name: 'unit-timing', include: TIMING, maxWorkers: 1, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
