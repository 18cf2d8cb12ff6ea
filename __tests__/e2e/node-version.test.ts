/**
 * Node 24 is the runtime (action.yml runs.using: node24; package.json engines >= 22). On a supported Node neither the
 * action nor the CLI prints the AWS SDK's "NodeVersionSupportWarning" (the SDK emits it below Node 22): nothing here
 * silences it (local-runner sets AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED only on an unsupported Node).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/types.js';
import { AWS_TEST_ENV, OLDEST_SUPPORTED_NODE, SUPPORTED_NODE, createJob, runMain } from '../../scripts/local-runner.js';
import { runCli, startSmallEmulator } from './harness.js';

it('package.json engines supports no Node below 22, where the AWS SDK warns (its 2027 releases need 22)', () => {
  expect(OLDEST_SUPPORTED_NODE).toBeGreaterThanOrEqual(22);
});

describe.skipIf(!SUPPORTED_NODE)(`on Node ${process.versions.node}`, () => {
  let emu: Emulator;
  beforeAll(async () => {
    const synthetic = { initMs: { mean: 50, sd: 1 }, durationMs: { mean: 2, sd: 0.5 }, maxMemoryMb: 30 };
    // One function each: the action and the CLI run at the same time and each changes its function's memory.
    emu = await startSmallEmulator(
      [
        { name: 'warn-action', runtime: 'nodejs22.x', memory: 128, synthetic },
        { name: 'warn-cli', runtime: 'nodejs22.x', memory: 128, synthetic },
      ],
      { seed: 24 },
    );
  });
  afterAll(() => emu?.close());

  it('the test environment does not silence the warning', () => {
    expect(AWS_TEST_ENV).not.toHaveProperty('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED');
  });

  it('the action (main step) and the CLI print no AWS SDK Node-version warning', async () => {
    const job = createJob({
      inputs: { functions: 'warn-action', memory: '128', repetitions: '1', 'artifact-name': '', comment: 'false' },
      env: { AWS_ENDPOINT_URL: emu.url },
    });
    const [action, cli] = await Promise.all([
      runMain(job),
      runCli(['measure', '--functions', 'warn-cli', '--memory', '256', '--repetitions', '1', '--out', 'out'], {
        cwd: mkdtempSync(join(tmpdir(), 'lcs-node-')),
        env: { AWS_ENDPOINT_URL: emu.url },
      }),
    ]);
    expect(action.code).toBe(0);
    expect(cli.code).toBe(0);
    for (const text of [action.stdout, action.stderr, cli.stdout, cli.stderr])
      expect(text).not.toMatch(/NodeVersionSupportWarning|upgrade to node/);
  });
});
