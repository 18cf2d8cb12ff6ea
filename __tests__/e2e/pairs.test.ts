/**
 * A/B in one job, end to end: the bundled action with `baseline-functions` — both functions of the pair measured,
 * reported side by side and restored; a pair that regressed fails the step (and `measure` exits 3); a main step killed
 * mid-run leaves both functions changed, and the post step puts both back.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator, FunctionSpec } from '../../emulator/types.js';
import { annotations, createJob, runMain, runPost, startStep } from '../../scripts/local-runner.js';
import type { RunResults } from '../../src/results/model.js';
import { expectValidResults } from '../helpers/validate-results.js';
import { SECRET, jobTexts, runCli, startSmallEmulator, waitFor } from './harness.js';

const synthetic = (mean: number) => ({ initMs: { mean, sd: 4 }, durationMs: { mean: 2, sd: 0.2 }, maxMemoryMb: 40 });
/** The PR's preview stack is 30 % slower to cold-start than main's. */
const SPECS: FunctionSpec[] = [
  { name: 'pr-12-api', runtime: 'nodejs20.x', memory: 256, environment: { API_KEY: SECRET }, synthetic: synthetic(195) },
  { name: 'main-api', runtime: 'nodejs20.x', memory: 256, environment: { API_KEY: SECRET }, synthetic: synthetic(150) },
];
const PAIR = { functions: 'pr-12-api', 'baseline-functions': 'main-api', 'report-source': 'tail', 'artifact-name': '', comment: 'false' };

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

function expectBothOriginal(e: Emulator): void {
  for (const spec of SPECS) {
    const now = e.state().functions[spec.name]!;
    expect([spec.name, now.MemorySize, now.Environment?.Variables]).toEqual([spec.name, 256, spec.environment]);
  }
}

const successfulUpdates = (e: Emulator, fn: string): number =>
  e.state().calls.filter((c) => c.operation === 'UpdateFunctionConfiguration' && c.functionName === fn && c.status < 300).length;

describe('baseline-functions with the bundled action', () => {
  it('measures the pair side by side, reports it, fails on its regression, and restores both functions', async () => {
    emu = await startSmallEmulator(SPECS, { seed: 5 });
    const j = createJob({
      inputs: { ...PAIR, memory: '512', repetitions: '6', 'fail-on-regression': '15%' },
      env: { AWS_ENDPOINT_URL: emu.url },
    });
    const run = await runMain(j);
    expect(run.code).toBe(1);
    expect(annotations(run.stdout, 'error')).toEqual([
      expect.stringMatching(
        /^cold starts regressed significantly beyond fail-on-regression: pr-12-api @ 512 MB: 1\.\d\d× main-api \(side by side, 6 pairs\)$/,
      ),
    ]);
    expect(JSON.parse(run.outputs['regressions']!)).toEqual([
      expect.objectContaining({
        function: 'pr-12-api',
        base: 'main-api',
        memory: 512,
        kind: 'within-job',
        method: 'paired',
        pairs: 6,
        verdict: 'slower',
      }),
    ]);
    expect(run.outputs['fastest']).toBe('main-api');
    expect(run.summary).toMatch(
      /### A\/B: pr-12-api against main-api\n\nSide by side in this job \(6 pairs\)\. \*\*pr-12-api\*\* is slower than main-api at 512 MB/,
    );
    const results = JSON.parse(readFileSync(run.outputs['json']!, 'utf8')) as RunResults;
    expectValidResults(results);
    expect(results.run.inputs.pairs).toEqual([{ head: 'pr-12-api', base: 'main-api' }]);
    expect(results.samples.filter((s) => s.kind === 'cold').map((s) => s.function)).toEqual([
      ...Array(6).fill('pr-12-api'),
      ...Array(6).fill('main-api'),
    ]);
    expectBothOriginal(emu);
    expect(jobTexts(j, run.stdout, run.stderr)).not.toContain(SECRET);
    const post = await runPost(j);
    expect(post.stdout).toMatch(/nothing to undo \(the main step restored every function it changed/);
  });

  it('a main step killed mid-run: the post step restores the head AND the base', async () => {
    emu = await startSmallEmulator(SPECS, { seed: 6 });
    const e = emu;
    const j = createJob({ inputs: { ...PAIR, memory: '1024,2048', repetitions: '30' }, env: { AWS_ENDPOINT_URL: e.url } });
    const { child, done } = startStep(j);
    await waitFor('both functions were changed', () => successfulUpdates(e, 'pr-12-api') >= 2 && successfulUpdates(e, 'main-api') >= 2);
    child.kill('SIGKILL');
    await done;
    await waitFor('the last updates finished', () => SPECS.every((s) => e.state().functions[s.name]!.LastUpdateStatus === 'Successful'));
    for (const s of SPECS) expect(e.state().functions[s.name]!.Environment!.Variables).toHaveProperty('COLDSTART_NONCE');
    const post = await runPost(j);
    expect(post.code).toBe(0);
    expect(post.stdout).toMatch(/the main step did not finish its undo; restoring (pr-12-api, main-api|main-api, pr-12-api)/);
    expectBothOriginal(e);
  });

  it('`measure --baseline-functions … --fail-on-regression 15%` exits 3 and prints the pair', async () => {
    emu = await startSmallEmulator(SPECS, { seed: 7 });
    const cwd = mkdtempSync(join(tmpdir(), 'lcs-ab-'));
    const r = await runCli(
      [
        'measure',
        '--functions',
        'pr-12-api',
        '--baseline-functions',
        'main-api',
        '--memory',
        '512',
        '--repetitions',
        '6',
        '--report-source',
        'tail',
        '--fail-on-regression',
        '15%',
      ],
      { cwd, env: { AWS_ENDPOINT_URL: emu.url } },
    );
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^Side by side in this job \(6 pairs\)\. pr-12-api is slower than main-api at 512 MB/m);
    expect(r.stderr).toMatch(
      /^error: cold starts regressed significantly beyond --fail-on-regression: pr-12-api @ 512 MB: 1\.\d\d× main-api \(side by side, 6 pairs\)$/m,
    );
    expectBothOriginal(emu);
  });
});
