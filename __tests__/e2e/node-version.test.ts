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
import { MIN_NODE_MAJOR, nodeVersionLine, SDK_NODE_WARNING_SWITCH } from '../../src/core/node-version.js';
import { runCli, startSmallEmulator } from './harness.js';

it('package.json engines supports no Node below 22, where the AWS SDK warns (its 2027 releases need 22)', () => {
  expect(OLDEST_SUPPORTED_NODE).toBeGreaterThanOrEqual(22);
  expect(MIN_NODE_MAJOR).toBe(OLDEST_SUPPORTED_NODE);
});

it('an older Node gets one line naming the versions; a supported one gets none', () => {
  expect(nodeVersionLine('20.20.2')).toBe('lambda-coldstart needs Node.js 22 or later (24 recommended); you are running 20.20.2');
  expect([nodeVersionLine('22.0.0'), nodeVersionLine('24.11.1')]).toEqual([undefined, undefined]);
});

// On this machine's older Node: the CLI says it in one line, and the SDK's nine lines are gone (its own switch).
describe.skipIf(SUPPORTED_NODE)(`on Node ${process.versions.node} (unsupported)`, () => {
  it('the CLI prints one line instead of the AWS SDK’s warning', async () => {
    const emu = await startSmallEmulator([], { seed: 20 });
    try {
      const cli = await runCli(['restore', '--functions', 'not-there', '--region', 'us-east-1'], {
        cwd: mkdtempSync(join(tmpdir(), 'lcs-node-')),
        env: { AWS_ENDPOINT_URL: emu.url, [SDK_NODE_WARNING_SWITCH]: '' },
      });
      const lines = cli.stderr.split('\n').filter((l) => /Node\.js|node >=|NodeVersionSupportWarning/.test(l));
      expect(lines).toEqual([`warning: ${nodeVersionLine(process.versions.node)!}`]);
    } finally {
      await emu.close();
    }
  });
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
