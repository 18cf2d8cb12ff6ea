/**
 * Issue 13, end to end: the bundled action keeps history.json and the dashboard in a branch of the (fake) repository.
 * The first default-branch run creates the branch, later runs append, the limit trims, two jobs finishing together
 * both land, a PR run reads (its report shows the Trend) without writing, a drifting scheduled run opens ONE issue and
 * a recovered one closes it, and a protected branch or a read-only token costs only a warning.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator, FunctionSpec } from '../../emulator/types.js';
import type { History } from '../../src/history/model.js';
import { toHistoryJson } from '../../src/history/json.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github-server.js';
import { annotations, runMain, type StepResult } from '../../scripts/local-runner.js';
import { entry, row } from '../helpers/history-fixtures.js';
import { expectValidHistory } from '../helpers/validate-history.js';
import { OWNER, REPO, SECRET, prEvent, pushEvent, startSmallEmulator, workflowJob, type WorkflowEvent } from './harness.js';

const BRANCH = 'lambda-coldstart-history';
const spec = (initMean: number): FunctionSpec[] => [
  {
    name: 'api-node',
    runtime: 'nodejs20.x',
    memory: 128,
    environment: { API_KEY: SECRET },
    synthetic: { initMs: { mean: initMean, sd: 3 }, durationMs: { mean: 2, sd: 0.2 }, maxMemoryMb: 40 },
  },
];
/** Small runs: one function, one memory size, two cold starts. */
const INPUTS = {
  functions: 'api-node',
  memory: '128',
  repetitions: '2',
  'report-source': 'tail',
  'artifact-name': '',
  comment: 'false',
  history: BRANCH,
};

let gh: FakeGitHub;
let emu: Emulator;
let nextRun = 13_000;
let nextSha = 1;

const sha = () => `${(nextSha++).toString(16).padStart(4, '0')}`.padEnd(40, 'c');

function scheduleEvent(): WorkflowEvent {
  return { name: 'schedule', payload: { schedule: '17 3 * * *' }, ref: 'refs/heads/main', sha: sha() };
}
function dispatchEvent(): WorkflowEvent {
  return {
    name: 'workflow_dispatch',
    payload: { ref: 'refs/heads/main', inputs: {}, repository: { name: REPO, owner: { login: OWNER }, default_branch: 'main' } },
    ref: 'refs/heads/main',
    sha: sha(),
  };
}

async function step(event: WorkflowEvent, inputs: Record<string, string> = {}, on: Emulator = emu): Promise<StepResult> {
  const run = gh.addRun({ id: nextRun++, headSha: event.sha, event: event.name, branch: 'main', status: 'in_progress', conclusion: null });
  const j = workflowJob({ gh, run, job: 'coldstart', event, emu: on, inputs: { ...INPUTS, ...inputs } });
  return runMain(j);
}

const history = (branch = BRANCH): History => JSON.parse(gh.git.fileOf(branch, 'history.json') ?? 'null') as History;
const writes = () =>
  gh.state.requests.filter(
    (r) => (r.method === 'PUT' && r.path.includes('/contents/')) || (r.method === 'POST' && r.path.includes('/git/')),
  ).length;

function expectClean(s: StepResult): void {
  expect(annotations(s.stdout, 'error')).toEqual([]);
  expect(annotations(s.stdout, 'warning')).toEqual([]);
  expect(s.code).toBe(0);
}

beforeAll(async () => {
  gh = await startFakeGitHub({ owner: OWNER, repo: REPO, modes: { token: 'installation' } });
  emu = await startSmallEmulator(spec(100), { seed: 5 });
});
afterAll(async () => {
  await emu?.close();
  await gh?.close();
});

describe('history in a branch', () => {
  it('the first push to the default branch creates the branch (no parent) with history.json and index.html', async () => {
    const s = await step(pushEvent('main', sha()));
    expectClean(s);
    expect(s.stdout).toContain(`History: created branch ${BRANCH} with history.json (1 run(s)) and rewrote index.html`);
    const commits = gh.git.commitsOf(BRANCH);
    expect(commits.map((c) => c.parents)).toEqual([[]]);
    const h = history();
    expectValidHistory(h);
    expect(h.name).toBe('Cold starts');
    expect(h.repository).toBe(`https://github.com/${OWNER}/${REPO}`);
    expect(h.entries).toHaveLength(1);
    expect(h.entries[0]).toMatchObject({
      branch: 'main',
      event: 'push',
      region: 'us-east-1',
      runUrl: expect.stringMatching(/\/actions\/runs\/13000$/),
    });
    expect(h.entries[0]!.rows.map((r) => [r.function, r.memory, r.n])).toEqual([['api-node', 128, 2]]);
    expect(gh.git.fileOf(BRANCH, 'index.html')).toContain('<script type="application/json" id="history-data">');
    expect(gh.git.fileOf(BRANCH, 'history.json')).not.toContain(SECRET);
    expect(s.summary).toContain('### Trend\n\n_No earlier run on the default branch in the history yet');
    expect(s.outputs['drift']).toBe('[]');
  });

  it('later default-branch runs append, and their report shows the trend against the earlier ones', async () => {
    const s = await step(dispatchEvent());
    expectClean(s);
    expect(history().entries.map((e) => e.event)).toEqual(['push', 'workflow_dispatch']);
    expect(s.summary).toMatch(/\| api-node \| 128 MB \| +1 \| +\d+\.\d \| +\d+\.\d \| +[+−]\d+\.\d% \|/);
    expect(s.summary).toContain('xychart-beta');
  });

  it('history-limit trims: the oldest runs are dropped', async () => {
    const s = await step(pushEvent('main', sha()), { 'history-limit': '2' });
    expectClean(s);
    expect(history().entries.map((e) => e.event)).toEqual(['workflow_dispatch', 'push']);
  });

  it('two jobs finishing together both land (the loser re-reads and re-appends)', async () => {
    const other = await startSmallEmulator(spec(100), { seed: 6 });
    try {
      gh.git.holdWrites('history.json', 2);
      const [a, b] = await Promise.all([step(pushEvent('main', sha())), step(dispatchEvent(), {}, other)]);
      expectClean(a);
      expectClean(b);
      expect([a.stdout, b.stdout].filter((o) => o.includes('lost a race with another job'))).toHaveLength(1);
      expect(history().entries).toHaveLength(4);
      expect(gh.state.requests.filter((r) => r.path.endsWith('/contents/history.json') && r.status === 409)).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it('a pull request run reads the history for its Trend (summary and comment) but writes nothing', async () => {
    const before = { writes: writes(), commits: gh.git.commitsOf(BRANCH).length };
    const head = sha();
    gh.addPull({ number: 77, headSha: head });
    const s = await step(prEvent(77, head), { comment: 'true' });
    expectClean(s);
    expect(s.stdout).toContain('History: read only (pull_request runs only read the history');
    expect({ writes: writes(), commits: gh.git.commitsOf(BRANCH).length }).toEqual(before);
    expect(s.summary).toMatch(/### Trend\n\nMedian init of this run against the median of the last 10 default-branch runs/);
    expect(s.summary).toMatch(/\| api-node \| 128 MB \| +4 \|/);
    expect(gh.commentsOf(77)[0]!.body).toContain('### Trend');
  });

  it('a push to another branch does not write either', async () => {
    const before = writes();
    const s = await step(pushEvent('feature', sha()));
    expectClean(s);
    expect(s.stdout).toContain('History: read only (branch feature is not the default branch main)');
    expect(writes()).toBe(before);
  });
});

describe('drift on schedule', () => {
  const DRIFT = 'drift-history';
  const DRIFT_INPUTS = { history: DRIFT, repetitions: '6', alert: 'issue', 'fail-on-regression': '15%' };
  const ours = () => gh.git.issues.filter((i) => i.title === 'Cold-start drift: Cold starts');

  beforeAll(() => {
    // Ten nightly runs at ~100 ms with ±5 % intervals.
    const seeded: History = {
      schemaVersion: 1,
      name: 'Cold starts',
      entries: [99, 101, 100, 102, 98, 100, 101, 99, 100, 102].map((p, i) => entry(i, [row('api-node', 128, p)])),
    };
    gh.git.putFile(DRIFT, 'history.json', toHistoryJson(seeded));
  });

  it('a run 50 % slower: the `drift` output names it, a warning says so, and ONE issue is opened', async () => {
    const slow = await startSmallEmulator(spec(150), { seed: 7 });
    try {
      const s = await step(scheduleEvent(), DRIFT_INPUTS, slow);
      expect(annotations(s.stdout, 'error')).toEqual([]);
      expect(s.code).toBe(0);
      const drift = JSON.parse(s.outputs['drift']!) as { function: string; memory: number; change: number; typical: number[] }[];
      expect(drift.map((d) => [d.function, d.memory])).toEqual([['api-node', 128]]);
      expect(drift[0]!.typical).toEqual([95, 105]); // medians of the stored lower and upper bounds
      expect(drift[0]!.change).toBeGreaterThan(0.25);
      expect(annotations(s.stdout, 'warning')).toEqual([
        expect.stringMatching(
          /^drift: api-node @ 128 MB: median init 1\d\d\.\d ms; the median init lies \+\d+\.\d%25 above the recent runs' centre \(limit \+\d+\.\d%25\), over the last 10 runs$/,
        ),
      ]);
      expect(ours()).toHaveLength(1);
      expect(ours()[0]!.state).toBe('open');
      expect(ours()[0]!.body).toMatch(/\| api-node +\| 128 MB +\|/);
      // the schedule also appended its run
      expect(history(DRIFT).entries).toHaveLength(11);
      // a second drifting night updates the same issue
      const again = await step(scheduleEvent(), DRIFT_INPUTS, slow);
      expect(JSON.parse(again.outputs['drift']!)).toHaveLength(1);
      expect(ours()).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });

  it('a recovered run: no drift, and the issue is closed with a comment', async () => {
    const s = await step(scheduleEvent(), DRIFT_INPUTS);
    expectClean(s);
    expect(s.outputs['drift']).toBe('[]');
    expect(ours()).toHaveLength(1);
    expect(ours()[0]!.state).toBe('closed');
    expect(gh.commentsOf(ours()[0]!.number).map((c) => c.body)).toEqual([
      expect.stringMatching(/^Cold starts are back within the drift limits of the recent runs/),
    ]);
  });
});

describe('degrading, never failing', () => {
  it('a protected history branch: a warning naming the rule and `contents: write`, the benchmark passes', async () => {
    gh.git.modes.contentsWrites = 'protected';
    try {
      const before = history().entries.length;
      const s = await step(pushEvent('main', sha()), { repetitions: '1' });
      expect(s.code).toBe(0);
      expect(annotations(s.stdout, 'warning')).toEqual([
        expect.stringMatching(
          /^history: GitHub refused the write to branch lambda-coldstart-history \(409: Repository rule violations found\): a branch protection rule .*`permissions: contents: write`/,
        ),
      ]);
      expect(history().entries).toHaveLength(before);
    } finally {
      gh.git.modes.contentsWrites = 'ok';
    }
  });

  it('a token without contents: write (403): a warning naming the permission', async () => {
    gh.git.modes.contentsWrites = 'forbidden';
    try {
      const s = await step(pushEvent('main', sha()), { repetitions: '1', history: 'never-created' });
      expect(s.code).toBe(0);
      expect(annotations(s.stdout, 'warning')).toEqual([
        expect.stringMatching(/^history: not appended: GitHub answered 403 .*`permissions: contents: write`$/),
      ]);
      expect(gh.git.branchExists('never-created')).toBe(false);
    } finally {
      gh.git.modes.contentsWrites = 'ok';
    }
  });
});
