/**
 * Every cold start explained, end to end: the bundled action on two scheduled runs against the emulator and the fake
 * GitHub. The first run's costs are recomputed here from the emulator's REPORT lines and the bundled price table (the
 * `cost` output, results.json, the log); its timed-out inits are reported apart, never retried, never in the init
 * statistics. Between the runs Lambda patches the runtime (a new runtime version) and cold starts get slower: the
 * dashboard marks the change and the drift issue names it.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/index.js';
import type { Emulator, FunctionSpec, InvocationRecord } from '../../emulator/types.js';
import { toHistoryJson } from '../../src/history/json.js';
import type { History } from '../../src/history/model.js';
import { parseReportLine } from '../../src/logs/report-parser.js';
import type { RunResults } from '../../src/results/model.js';
import { PRICES } from '../../src/results/prices.js';
import { annotations, runMain, type StepResult } from '../../scripts/local-runner.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github-server.js';
import { entry, row } from '../helpers/history-fixtures.js';
import { expectValidHistory } from '../helpers/validate-history.js';
import { expectValidResults } from '../helpers/validate-results.js';
import { OWNER, REPO, SECRET, workflowJob, type WorkflowEvent } from './harness.js';

const BRANCH = 'explained-history';
const INIT_TIMEOUT_MS = 150;
const api = (initMean: number, runtimeVersion: number): FunctionSpec => ({
  name: 'api-node',
  runtime: 'nodejs20.x',
  memory: 128,
  codeSize: 3_250_000,
  runtimeVersion,
  environment: { API_KEY: SECRET },
  synthetic: { initMs: { mean: initMean, sd: 3 }, durationMs: { mean: 2, sd: 0.2 }, maxMemoryMb: 40 },
});
const slowInit: FunctionSpec = {
  name: 'slow-init',
  runtime: 'python3.12',
  memory: 128,
  logFormat: 'JSON',
  synthetic: { initMs: { mean: 60, sd: 3 }, durationMs: { mean: 1.5, sd: 0.2 }, maxMemoryMb: 30 },
};
const INPUTS = {
  functions: 'api-node\nslow-init',
  memory: '128',
  repetitions: '6',
  'artifact-name': '',
  comment: 'false',
  history: BRANCH,
  alert: 'issue',
  'fail-on-regression': '15%',
};

let gh: FakeGitHub;
let nextRun = 20_000;

function emulator(fns: FunctionSpec[], seed: number, timeouts = 0): Promise<Emulator> {
  return startEmulator({
    seed,
    latency: { updateMs: 40, invokeOverheadMs: 2, ingestionMs: 100, queryMs: 30, initTimeoutMs: INIT_TIMEOUT_MS },
    functions: structuredClone(fns),
    ...(timeouts > 0 ? { faults: { failNextInit: { 'slow-init': { init: 'timeout', count: timeouts } } } } : {}),
  });
}

async function scheduled(emu: Emulator): Promise<StepResult> {
  const sha = String(nextRun).padEnd(40, 'e');
  const event: WorkflowEvent = { name: 'schedule', payload: { schedule: '17 3 * * *' }, ref: 'refs/heads/main', sha };
  const run = gh.addRun({ id: nextRun++, headSha: sha, event: 'schedule', branch: 'main', status: 'in_progress', conclusion: null });
  return runMain(workflowJob({ gh, run, job: 'coldstart', event, emu, inputs: INPUTS }));
}

const history = (): History => JSON.parse(gh.git.fileOf(BRANCH, 'history.json') ?? 'null') as History;
const today = (): string => new Date().toISOString().slice(5, 10);

/** What an invoke cost, recomputed from its REPORT line and the bundled table (us-east-1, x86_64, first tier). */
function billedUsd(inv: InvocationRecord): number {
  const r = parseReportLine(inv.reportMessage)!;
  const p = PRICES.regions['us-east-1']!.x86_64!;
  return (r.billedDurationMs / 1000) * (r.memorySizeMb / 1024) * p.usdPerGbSecond + p.usdPerMillionRequests / 1e6;
}
const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

beforeAll(async () => {
  gh = await startFakeGitHub({ owner: OWNER, repo: REPO, modes: { token: 'installation' } });
  // Ten nightly runs of api-node at ~100 ms, written before runtime versions were recorded.
  const day = 86_400_000;
  const seeded: History = {
    schemaVersion: 1,
    name: 'Cold starts',
    entries: [99, 101, 100, 102, 98, 100, 101, 99, 100, 102].map((p, i) =>
      entry(i, [row('api-node', 128, p)], { time: new Date(Date.now() - (12 - i) * day).toISOString() }),
    ),
  };
  gh.git.putFile(BRANCH, 'history.json', toHistoryJson(seeded));
});
afterAll(async () => {
  await gh?.close();
});

describe('a scheduled run: costs, failed inits and runtime versions', () => {
  let emu: Emulator;
  let s: StepResult;
  let results: RunResults;
  let ours: InvocationRecord[];

  beforeAll(async () => {
    emu = await emulator([api(100, 41), slowInit], 21, 2);
    s = await scheduled(emu);
    results = JSON.parse(readFileSync(s.outputs['json']!, 'utf8')) as RunResults;
    ours = emu.state().invocations.filter((i) => !i.foreign);
  });
  afterAll(async () => {
    await emu?.close();
  });

  it('passes cleanly, with a valid results.json and a history entry that names the runtime version', () => {
    expect(annotations(s.stdout, 'error')).toEqual([]);
    expect(annotations(s.stdout, 'warning')).toEqual([]);
    expect(s.code).toBe(0);
    expectValidResults(results);
    const h = history();
    expectValidHistory(h);
    expect(h.entries.at(-1)!.functions['api-node']).toEqual({
      runtime: 'nodejs20.x',
      architecture: 'x86_64',
      runtimeVersion: 'nodejs:20.v41',
      runtimeVersionArn: expect.stringMatching(/^arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}$/),
      codeSize: 3_250_000,
      layersSize: 0,
    });
  });

  it('the `cost` output and results.json: each cold start priced from its REPORT line and the table; the run’s cost from every invoke', () => {
    const cold = (fn: string) => ours.filter((i) => i.functionName === fn && i.cold);
    expect(cold('api-node')).toHaveLength(6);
    expect(cold('slow-init')).toHaveLength(4);
    const expected = ['api-node', 'slow-init'].map((fn) => ({
      function: fn,
      memory: 128,
      architecture: 'x86_64',
      region: 'us-east-1',
      usdPerColdStart: Number(median(cold(fn).map(billedUsd)).toPrecision(4)),
    }));
    const output = JSON.parse(s.outputs['cost']!) as { function: string }[];
    expect(output.sort((a, b) => a.function.localeCompare(b.function))).toEqual(expected);
    for (const fn of ['api-node', 'slow-init']) {
      const st = results.statistics.find((x) => x.function === fn)!;
      expect(st.cost!.medianUsd).toBeCloseTo(median(cold(fn).map(billedUsd)), 15);
      expect(st.cost!.usdPerMillion).toBeCloseTo(
        (cold(fn)
          .map(billedUsd)
          .reduce((a, b) => a + b, 0) /
          cold(fn).length) *
          1e6,
        8,
      );
    }
    // every invoke billed, the suppressed inits (their Duration holds the re-run init) included
    expect(results.cost!.run.invokes).toBe(ours.length);
    expect(results.cost!.run.usd).toBeCloseTo(
      ours.map(billedUsd).reduce((a, b) => a + b, 0),
      15,
    );
    expect(results.cost!.prices).toEqual({ tier: 'first', currency: 'USD', asOf: PRICES.publicationDate ?? PRICES.retrievedOn });
    expect(s.stdout).toMatch(
      /Estimated cost: about \$0\.\d+ for 12 invokes \(each billed as a 1000 ms cold start at first-tier prices; warm retries not counted\)/,
    );
    expect(s.stdout).toMatch(
      /This run cost \$0\.\d+ for 12 billed invokes, warm retries and failures included \(estimated before it started: about \$0\.\d+\)\. First-tier prices of/,
    );
    expect(s.summary).toContain('### Cost');
    expect(s.summary).toContain('| Per 1M cold starts |');
  });

  it('timed-out inits: reported apart ("2 of 6 inits timed out"), not retried, not in the init statistics or speed.csv', () => {
    const truth = ours.filter((i) => i.functionName === 'slow-init' && i.suppressedInit).map((i) => i.requestId);
    expect(truth).toHaveLength(2);
    const samples = results.samples.filter((x) => x.function === 'slow-init');
    const failed = samples.filter((x) => x.kind === 'init-failed');
    expect(failed.map((x) => x.requestId).sort()).toEqual([...truth].sort());
    for (const f of failed) {
      expect(f).toMatchObject({ initStatus: 'timeout', attempt: 1 });
      expect(f.init).toBeGreaterThanOrEqual(INIT_TIMEOUT_MS);
    }
    // six slots, six invokes: nothing was retried as warm
    expect(samples.map((x) => [x.sequence, x.attempt, x.kind === 'init-failed' ? 'failed' : x.kind])).toEqual([
      [1, 1, 'failed'],
      [2, 1, 'failed'],
      [3, 1, 'cold'],
      [4, 1, 'cold'],
      [5, 1, 'cold'],
      [6, 1, 'cold'],
    ]);
    expect(results.statistics.find((x) => x.function === 'slow-init')!.init.n).toBe(4);
    expect(results.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^slow-init at 128 MB: 2 of 6 inits timed out \(after 15\d ms\); Lambda re-ran those inits inside the invoke/,
        ),
      ]),
    );
    expect(s.summary).toMatch(
      /### Failed inits\n\n\| Function +\| Memory \|[^\n]*\n[^\n]*\n\| slow-init \| +128 MB \| 2 of 6 inits timed out \(after 15\d ms\)/,
    );
    const csv = readFileSync(s.outputs['csv']!, 'utf8').trim().split('\n');
    expect(csv.filter((l) => l.startsWith('slow-init;'))).toHaveLength(4);
  });

  it('each sample names its runtime version (INIT_START, via Logs Insights) and the report shows what ran', () => {
    for (const x of results.samples) {
      const t = ours.find((i) => i.requestId === x.requestId)!;
      expect([x.requestId, x.runtimeVersion, x.runtimeVersionArn]).toEqual([t.requestId, t.runtimeVersion, t.runtimeVersionArn]);
    }
    expect(s.summary).toMatch(
      /### What ran\n\n[^\n]*\n[^\n]*\n\| api-node +\| nodejs20\.x +\| nodejs:20\.v41 +\| x86\\_64 \| +3\.1 MB \| none +\|/,
    );
  });
});

describe('the next night: Lambda patched the runtime and cold starts drift', () => {
  it('the dashboard marks the runtime version change and the drift issue names it', async () => {
    const emu = await emulator([api(150, 42), slowInit], 22);
    try {
      const s = await scheduled(emu);
      expect(annotations(s.stdout, 'error')).toEqual([]);
      expect(s.code).toBe(0);
      expect(JSON.parse(s.outputs['drift']!).map((d: { function: string }) => d.function)).toEqual(['api-node']);
      const change = `the runtime version changed on ${today()} (nodejs:20.v41 → nodejs:20.v42)`;
      expect(s.stdout).toContain(`Changed besides the code for api-node: ${change}`);
      const issues = gh.git.issues.filter((i) => i.title === 'Cold-start drift: Cold starts');
      expect(issues).toHaveLength(1);
      expect(issues[0]!.body).toContain(`Changed besides the code in the runs compared:\n- api-node: ${change}`);

      const h = history();
      expectValidHistory(h);
      expect(h.entries).toHaveLength(12);
      const html = gh.git.fileOf(BRANCH, 'index.html')!;
      const markers = JSON.parse(/<script type="application\/json" id="history-markers">(.*?)<\/script>/.exec(html)![1]!) as unknown[];
      expect(markers).toEqual([{ function: 'api-node', index: 11, text: 'runtime version nodejs:20.v41 → nodejs:20.v42' }]);
    } finally {
      await emu.close();
    }
  });
});
