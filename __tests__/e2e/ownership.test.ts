/**
 * Issue 11, end to end through the bundled action and CLI against the emulator: two runs on one function (one measures,
 * the other refuses it, the function ends exactly as it was); what cannot be measured is refused in preflight with one
 * reason each and nothing changed; a baseline or output path outside the workspace leaks nothing.
 */
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator, FunctionSpec } from '../../emulator/types.js';
import { annotations, createJob, runMain } from '../../scripts/local-runner.js';
import { SECRET, printedCommands, runCli, runPrinted, startSmallEmulator } from './harness.js';
import { decodeMarker } from '../../src/lambda/undo/record.js';

const synthetic = { initMs: { mean: 120, sd: 5 }, durationMs: { mean: 2, sd: 0.2 } };
const shared: FunctionSpec = {
  name: 'shared-fn',
  runtime: 'nodejs20.x',
  memory: 256,
  environment: { MODE: 'prod', API_KEY: SECRET },
  synthetic,
};

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const updates = (e: Emulator): number => e.state().calls.filter((c) => c.operation === 'UpdateFunctionConfiguration').length;

describe('two runs on one function at once', () => {
  it('one measures, the other refuses it naming that run and the fix; the function ends exactly as it was', async () => {
    emu = await startSmallEmulator([shared], { seed: 11 });
    emu.control.setLatency({ updateMs: 150 }); // each run takes a few seconds: they overlap even on a loaded machine
    const inputs = { functions: 'shared-fn', memory: '512,1024', repetitions: '3', 'artifact-name': '', comment: 'false' };
    const jobA = createJob({ inputs, env: { AWS_ENDPOINT_URL: emu.url, GITHUB_RUN_ID: '5001' } });
    const jobB = createJob({ inputs, env: { AWS_ENDPOINT_URL: emu.url, GITHUB_RUN_ID: '5002' } });
    const [a, b] = await Promise.all([runMain(jobA), runMain(jobB)]);

    const codes = [a.code, b.code].sort();
    expect(codes).toEqual([0, 1]);
    const [winner, loser] = a.code === 0 ? [a, b] : [b, a];
    const winnerRun = a.code === 0 ? '5001' : '5002';
    // The loser names the run that is changing the function, and the fix.
    expect(loser.stdout).toMatch(
      new RegExp(
        `shared-fn: run https://github\\.com/octo-org/hello-lambdas/actions/runs/${winnerRun}/attempts/1#[0-9a-f]{6} is changing this function`,
      ),
    );
    expect(loser.stdout).toMatch(/concurrency group \(`concurrency:` in the workflow\), or wait until that run has finished/);
    expect(winner.outputs['results']).toMatch(/"memory":1024,"strategy":"sequential","n":3/);

    // Exactly the original: memory and variables (no leftover COLDSTART_NONCE), whoever finished first.
    const fn = emu.state().functions['shared-fn']!;
    expect(fn.MemorySize).toBe(256);
    expect(fn.Environment?.Variables).toEqual({ MODE: 'prod', API_KEY: SECRET });
    // The loser never changed it: every update came from one run (its sets and its undo).
    expect([winner.stdout, loser.stdout, winner.summary, loser.summary].join('\n')).not.toContain(SECRET);
  });
});

describe('preflight refuses what cannot be measured, one reason each, nothing changed', () => {
  const specs: FunctionSpec[] = [
    { name: 'zero-fn', runtime: 'nodejs20.x', memory: 128, reservedConcurrency: 0, synthetic },
    {
      name: 'managed-fn',
      runtime: 'nodejs20.x',
      memory: 2048,
      capacityProviderArn: 'arn:aws:lambda:us-east-1:123456789012:capacity-provider:fleet',
      synthetic,
    },
    { name: 'asleep-fn', runtime: 'python3.12', memory: 128, state: 'Inactive', synthetic },
    { name: 'fine-fn', runtime: 'nodejs20.x', memory: 128, synthetic },
  ];
  const reasons = [
    /^- zero-fn: its reserved concurrency is 0, so it cannot be invoked at all/m,
    /^- managed-fn: runs on Lambda Managed Instances \(capacity provider\), which reports no per-invocation cold start/m,
    /^- asleep-fn: state is Inactive .*, not Active/m,
  ];

  it('sequential, through the action', async () => {
    emu = await startSmallEmulator(specs, { seed: 3 });
    const j = createJob({
      inputs: { functions: 'zero-fn,managed-fn,asleep-fn,fine-fn', repetitions: '2', 'artifact-name': '', comment: 'false' },
      env: { AWS_ENDPOINT_URL: emu.url },
    });
    const run = await runMain(j);
    expect(run.code).toBe(1);
    const errors = annotations(run.stdout, 'error');
    expect(errors).toHaveLength(1);
    const message = decodeURIComponent(errors[0]!.replace(/%0A/g, '\n'));
    expect(message).toMatch(/^Preflight found 3 problems; nothing was changed:/);
    for (const r of reasons) expect(message).toMatch(r);
    expect(message).not.toMatch(/fine-fn/);
    expect(updates(emu)).toBe(0);
    expect(emu.state().calls.filter((c) => c.operation === 'Invoke')).toEqual([]);
  });

  it('burst, through the CLI', async () => {
    emu = await startSmallEmulator(specs, { seed: 3 });
    const cwd = mkdtempSync(join(tmpdir(), 'lcs-refuse-'));
    const r = await runCli(
      ['measure', '--functions', 'zero-fn,managed-fn,asleep-fn,fine-fn', '--strategy', 'burst', '--repetitions', '4'],
      {
        cwd,
        env: { AWS_ENDPOINT_URL: emu.url },
      },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: Preflight found 3 problems; nothing was changed:/m);
    for (const reason of reasons) expect(r.stderr).toMatch(reason);
    expect(updates(emu)).toBe(0);
  });
});

describe('paths outside the workspace, and files that are no results file', () => {
  const fine: FunctionSpec = { name: 'fine-fn', runtime: 'nodejs20.x', memory: 128, synthetic };
  const TOKEN = 'ghs_FAKE0123456789leakcheck';

  async function step(inputs: Record<string, string>, prepare: (workspace: string) => void = () => undefined) {
    const j = createJob({
      inputs: { functions: 'fine-fn', repetitions: '1', 'artifact-name': '', comment: 'false', ...inputs },
      env: { AWS_ENDPOINT_URL: emu!.url, LEAKY_TOKEN: TOKEN },
    });
    prepare(j.workspace);
    const run = await runMain(j);
    return { run, everything: [run.stdout, run.stderr, run.summary].join('\n') };
  }

  it('baseline: /proc/self/environ is refused without reading it; nothing is changed, nothing leaks', async () => {
    emu = await startSmallEmulator([fine], { seed: 3 });
    const { run, everything } = await step({ baseline: '/proc/self/environ' });
    expect(run.code).toBe(1);
    expect(annotations(run.stdout, 'error')).toEqual([
      expect.stringMatching(/^baseline: "\/proc\/self\/environ" is outside the workspace/),
    ]);
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain('LEAKY_TOKEN');
    expect(updates(emu)).toBe(0);
  });

  it('a link in the workspace to it, and a file in the workspace whose first line is a secret: named, never shown', async () => {
    emu = await startSmallEmulator([fine], { seed: 3 });
    const viaLink = await step({ baseline: 'base-results.json' }, (ws) => symlinkSync('/proc/self/environ', join(ws, 'base-results.json')));
    expect(viaLink.run.code).toBe(1);
    expect(annotations(viaLink.run.stdout, 'error')).toEqual([
      expect.stringMatching(/^baseline: "base-results\.json" leads outside the workspace/),
    ]);
    expect(viaLink.everything).not.toContain(TOKEN);

    const secretFirst = await step({ baseline: 'base.csv' }, (ws) =>
      writeFileSync(join(ws, 'base.csv'), `LEAKY_TOKEN=${TOKEN};x\nMODE=prod\n`),
    );
    expect(secretFirst.run.code).toBe(1);
    expect(annotations(secretFirst.run.stdout, 'error')).toEqual([
      expect.stringMatching(/^baseline: base\.csv: not a results file: its first line is no speed\.csv header/),
    ]);
    expect(secretFirst.everything).not.toContain(TOKEN);
    expect(secretFirst.everything).not.toContain('LEAKY_TOKEN');
    expect(updates(emu)).toBe(0);
  });

  it('output-dir outside the workspace is refused before anything is changed', async () => {
    emu = await startSmallEmulator([fine], { seed: 3 });
    const { run } = await step({ 'output-dir': '../../elsewhere' });
    expect(run.code).toBe(1);
    expect(annotations(run.stdout, 'error')).toEqual([
      expect.stringMatching(/^output-dir: "\.\.\/\.\.\/elsewhere" is outside the workspace/),
    ]);
    expect(updates(emu)).toBe(0);
  });
});

describe('restore: false (`--no-restore`)', () => {
  it('says what it left and the command that puts it back; a next run refuses the function (it would lose the original); the printed command restores it', async () => {
    emu = await startSmallEmulator([shared], { seed: 12 });
    const cwd = mkdtempSync(join(tmpdir(), 'lcs-keep-'));
    const first = await runCli(
      ['measure', '--functions', 'shared-fn', '--memory', '512', '--repetitions', '2', '--report-source', 'tail', '--no-restore'],
      {
        cwd,
        env: { AWS_ENDPOINT_URL: emu.url },
      },
    );
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(
      /^notice: Left changed on purpose \(restore: false\): shared-fn at 512 MB \(was 256 MB\), each with its undo record in COLDSTART_NONCE\. Put them back with: lambda-coldstart restore --functions shared-fn --region us-east-1$/m,
    );
    const left = emu.state().functions['shared-fn']!;
    expect(left.MemorySize).toBe(512);
    const kept = left.Environment!.Variables['COLDSTART_NONCE']!;
    expect(decodeMarker(kept)).toMatchObject({ record: { restoreMemory: 256, kept: true } });

    const before = updates(emu);
    const next = await runMain(
      createJob({
        inputs: { functions: 'shared-fn', memory: '1024', repetitions: '2', 'artifact-name': '', comment: 'false' },
        env: { AWS_ENDPOINT_URL: emu.url, GITHUB_RUN_ID: '5003' },
      }),
    );
    expect(next.code).toBe(1);
    const refusal = annotations(next.stdout, 'error').join('\n');
    expect(refusal).toMatch(
      /shared-fn: carries the undo record run cli:[^ ]+ left on purpose \(restore: false\), which holds its original memory \(256 MB\): run `lambda-coldstart restore --functions shared-fn --region us-east-1`/,
    );
    expect(updates(emu)).toBe(before); // nothing touched: the record still holds the true original
    expect(emu.state().functions['shared-fn']!.Environment!.Variables['COLDSTART_NONCE']).toBe(kept);

    // Both hints are the same command, and it runs as printed.
    const commands = [...printedCommands(first.stderr), ...printedCommands(decodeURIComponent(refusal))];
    expect(new Set(commands)).toEqual(new Set(['lambda-coldstart restore --functions shared-fn --region us-east-1']));
    const r = await runPrinted(commands[0]!, { cwd, env: { AWS_ENDPOINT_URL: emu.url } });
    expect(r.code).toBe(0);
    expect(emu.state().functions['shared-fn']!.MemorySize).toBe(256);
    expect(emu.state().functions['shared-fn']!.Environment?.Variables).toEqual({ MODE: 'prod', API_KEY: SECRET });
  });
});

describe('expired credentials', () => {
  const two: FunctionSpec[] = [shared, { ...shared, name: 'other-fn' }];
  const expired = { status: 403, type: 'ExpiredTokenException', message: 'The security token included in the request is expired' };

  it('in preflight: one ::error:: saying credentials (not permissions, not per function), nothing changed', async () => {
    emu = await startSmallEmulator(two, { seed: 13 });
    emu.control.setFaults({ failNext: { GetFunction: { count: 2, ...expired } } });
    const run = await runMain(
      createJob({ inputs: { functions: 'shared-fn,other-fn', 'artifact-name': '', comment: 'false' }, env: { AWS_ENDPOINT_URL: emu.url } }),
    );
    expect(run.code).toBe(1);
    const errors = annotations(run.stdout, 'error');
    expect(errors).toEqual([
      expect.stringMatching(/^AWS rejected the credentials \(ExpiredTokenException: .*\): they are expired or invalid/),
    ]);
    expect(errors[0]).toMatch(/role-duration-seconds/);
    expect(run.stdout).not.toMatch(/permission|IAM policy/i);
    expect(updates(emu)).toBe(0);
  });

  it('mid-run: the run stops with the credentials error and every function is restored', async () => {
    emu = await startSmallEmulator(two, { seed: 13 });
    emu.control.setFaults({ failNext: { Invoke: { count: 1, ...expired } } });
    const run = await runMain(
      createJob({
        inputs: { functions: 'shared-fn,other-fn', memory: '512', repetitions: '2', 'artifact-name': '', comment: 'false' },
        env: { AWS_ENDPOINT_URL: emu.url },
      }),
    );
    expect(run.code).toBe(1);
    expect(annotations(run.stdout, 'error')).toEqual([expect.stringMatching(/^AWS rejected the credentials \(ExpiredTokenException/)]);
    expect(run.stdout.match(/rejected the credentials/g)).toHaveLength(1); // once, not per function
    for (const name of ['shared-fn', 'other-fn']) {
      expect(emu.state().functions[name]!.MemorySize).toBe(256);
      expect(emu.state().functions[name]!.Environment?.Variables).toEqual({ MODE: 'prod', API_KEY: SECRET });
    }
  });
});
