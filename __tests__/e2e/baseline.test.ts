/**
 * Issue 7, baseline comparison and the regression gate, end to end: the bundled action (dist/) in two workflow runs
 * — a push to main (the base), then pull requests with `baseline: auto` — against the emulator and the fake GitHub.
 * The base run's artifact lands in the fake GitHub under run BASE (a successful push run of the same workflow on
 * main); the PR runs find it through the Actions REST API + @actions/artifact `findBy`, exactly as on GitHub.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator, FunctionSpec } from '../../emulator/types.js';
import { startFakeGitHub, type FakeGitHub, type FakeRun } from '../fakes/github-server.js';
import { annotations, runMain, type StepResult } from '../../scripts/local-runner.js';
import { OWNER, REPO, SECRET, artifactOf, jobTexts, prEvent, pushEvent, startSmallEmulator, workflowJob } from './harness.js';
import { expectValidResults } from '../helpers/validate-results.js';

const WORKFLOW = 77;
const NODE_INIT = { mean: 100, sd: 4 };

function functions(nodeInitMean = NODE_INIT.mean): FunctionSpec[] {
  return [
    {
      name: 'api-node',
      runtime: 'nodejs20.x',
      memory: 256,
      environment: { TABLE: 'orders', API_KEY: SECRET },
      synthetic: { initMs: { mean: nodeInitMean, sd: NODE_INIT.sd }, durationMs: { mean: 3, sd: 0.5 }, maxMemoryMb: 64 },
    },
    {
      name: 'api-go',
      runtime: 'provided.al2023',
      memory: 128,
      synthetic: { initMs: { mean: 40, sd: 2 }, durationMs: { mean: 1.5, sd: 0.2 }, maxMemoryMb: 20 },
    },
  ];
}

/** The same inputs in every run of the workflow (what a workflow file pins). */
const INPUTS = { functions: 'api-node\napi-go', memory: '256', repetitions: '8', 'report-source': 'tail' };

/**
 * stderr without Node's DEP0005 warning: @actions/artifact unzips downloads with unzip-stream, which still calls
 * `new Buffer()` — a dependency's warning (actions/download-artifact prints it too), not ours.
 */
const ownStderr = (stderr: string) =>
  stderr.replace(/^\(node:\d+\) \[DEP0005\] DeprecationWarning: Buffer\(\) is deprecated.*\n(\(Use `node --trace-deprecation.*\n)?/gm, '');

interface Row {
  function: string;
  memory: number;
  ratio: number;
  verdict: string;
  pValue: number;
}

let gh: FakeGitHub;
let baseRun: FakeRun;
let base: StepResult;
let nextRunId = 9100;
let nextPr = 40;

/** A pull_request run of the workflow: registered in the fake GitHub (getWorkflowRun gives its workflow id). */
function prRun(workflowId = WORKFLOW): { run: FakeRun; pr: number; sha: string } {
  const pr = nextPr++;
  const sha = `feed${String(pr).padStart(36, '0')}`;
  gh.addPull({ number: pr, headSha: sha });
  const run = gh.addRun({
    id: nextRunId++,
    workflowId,
    branch: `feature-${pr}`,
    headSha: sha,
    event: 'pull_request',
    status: 'in_progress',
    conclusion: null,
  });
  return { run, pr, sha };
}

async function prStep(
  emu: Emulator,
  inputs: Record<string, string>,
  workflowId = WORKFLOW,
): Promise<{ step: StepResult; pr: number; texts: string }> {
  const { run, pr, sha } = prRun(workflowId);
  const j = workflowJob({ gh, run, job: 'coldstart', event: prEvent(pr, sha), emu, inputs: { ...INPUTS, ...inputs } });
  const step = await runMain(j);
  return { step, pr, texts: jobTexts(j, step.stdout, step.stderr) };
}

const rowsOf = (step: StepResult): Row[] => JSON.parse(step.outputs['regressions'] ?? 'null') as Row[];

/** The cells of the comparison table's row of one function (trimmed; the table pads them). */
function comparison(markdown: string, fn: string): Record<string, string> {
  const at = markdown.indexOf('### Compared with the baseline');
  if (at < 0) throw new Error(`no comparison table in:\n${markdown.slice(0, 1500)}`);
  const lines = markdown.slice(at).split('\n');
  const cells = (l: string) =>
    l
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
  const header = cells(lines.find((l) => l.startsWith('| Function')) ?? '');
  const row = lines.find((l) => cells(l)[0] === fn);
  if (row === undefined) throw new Error(`no comparison row for ${fn} in:\n${lines.slice(0, 12).join('\n')}`);
  return Object.fromEntries(header.map((h, i) => [h, cells(row)[i] ?? '']));
}

beforeAll(async () => {
  gh = await startFakeGitHub({ owner: OWNER, repo: REPO, modes: { token: 'installation' } });
  // Run BASE: the workflow on a push to main, successful — the run `baseline: auto` must find.
  const event = pushEvent('main');
  baseRun = gh.addRun({ id: 9001, workflowId: WORKFLOW, branch: 'main', headSha: event.sha, event: 'push' });
  const emu = await startSmallEmulator(functions(), { seed: 7 });
  try {
    const j = workflowJob({ gh, run: baseRun, job: 'coldstart', event, emu, inputs: { ...INPUTS, comment: 'false' } });
    base = await runMain(j);
    expect(jobTexts(j, base.stdout, base.stderr)).not.toContain(SECRET);
  } finally {
    await emu.close();
  }
});
afterAll(async () => {
  await gh?.close();
});

describe('the base run on main', () => {
  it('measured both functions and uploaded its artifact in run BASE', () => {
    expect(base.stderr).toBe('');
    expect(annotations(base.stdout, 'error')).toEqual([]);
    expect(base.code).toBe(0);
    const files = artifactOf(gh, baseRun, 'lambda-coldstart');
    expect(files && Object.keys(files).sort()).toEqual(['boxplot.svg', 'report.md', 'results.json', 'speed.csv']);
    expect(files!['results.json']).toBe(readFileSync(base.outputs['json']!, 'utf8'));
    expectValidResults(JSON.parse(files!['results.json']!));
    // No baseline asked: no comparison, no regressions.
    expect(base.summary).not.toContain('Compared with the baseline');
    expect(base.outputs['regressions']).toBe('[]');
  });
});

describe('a pull request with baseline: auto', () => {
  it('a deliberately slower function (+40 % init) fails the 15 % gate, naming it; the report, summary and comment show the table', async () => {
    const emu = await startSmallEmulator(functions(NODE_INIT.mean * 1.4), { seed: 11 });
    try {
      const { step, pr, texts } = await prStep(emu, { baseline: 'auto', 'fail-on-regression': '15%' });
      expect(ownStderr(step.stderr)).toBe('');
      expect(step.code).toBe(1);
      const errors = annotations(step.stdout, 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(
        /regressed significantly beyond fail-on-regression: api-node @ 256 MB: 1\.[34]\d× \(p (< 0\.001|= 0\.\d{3})\)/,
      );
      expect(errors[0]).not.toMatch(/api-go/);
      expect(step.stdout).toContain(`Baseline: artifact lambda-coldstart of run ${baseRun.id} (main, ba5e000)`);

      // The regressions output: exactly the regressed function, significant, about +40 %.
      const regressed = rowsOf(step);
      expect(regressed.map((r) => [r.function, r.memory, r.verdict])).toEqual([['api-node', 256, 'slower']]);
      expect(regressed[0]!.ratio).toBeGreaterThan(1.3);
      expect(regressed[0]!.ratio).toBeLessThan(1.5);
      expect(regressed[0]!.pValue).toBeLessThan(0.01);

      // The comparison table, with arrows and verdicts, in report.md, the job summary and the PR comment.
      const report = readFileSync(step.outputs['report']!, 'utf8');
      const comments = gh.commentsOf(pr);
      expect(comments).toHaveLength(1);
      for (const [where, md] of [
        ['report.md', report],
        ['summary', step.summary],
        ['comment', comments[0]!.body],
      ] as const) {
        // which run it compares with: the base branch, its commit and a link to the run whose artifact was used
        expect(md, where).toContain(
          `Compared with main at ba5e000: the results artifact of [run ${baseRun.id}](https://github.com/${OWNER}/${REPO}/actions/runs/${baseRun.id}).`,
        );
        const node = comparison(md, 'api-node');
        expect(Object.keys(node), where).toEqual([
          'Function',
          'Memory (MB)',
          'Base init p50 (ms)',
          'Head init p50 (ms)',
          'Change',
          '95% CI',
          'p',
          'Verdict',
        ]);
        expect(node['Memory (MB)'], where).toBe('256');
        expect(Number(node['Base init p50 (ms)'])).toBeCloseTo(NODE_INIT.mean, -1);
        expect(Number(node['Head init p50 (ms)'])).toBeCloseTo(NODE_INIT.mean * 1.4, -1);
        expect(node['Change'], where).toMatch(/^▲ \+(3[5-9]|4[0-5])\.\d%$/);
        expect(node['p'], where).toBe('< 0.001');
        expect(node['Verdict'], where).toBe('**slower**');
        const go = comparison(md, 'api-go');
        expect(go['Change'], where).toMatch(/^= [+−]\d\.\d%$/);
        expect(go['Verdict'], where).toBe('no significant change');
      }
      // The step still published everything before failing.
      expect(artifactOf(gh, gh.state.runs.at(-1)!, 'lambda-coldstart')).toBeDefined();
      expect(texts).not.toContain(SECRET);
    } finally {
      await emu.close();
    }
  });

  it('the same slowdown under a 50 % gate: verdict slower, but the step passes and lists no regression', async () => {
    const emu = await startSmallEmulator(functions(NODE_INIT.mean * 1.4), { seed: 11 });
    try {
      const { step } = await prStep(emu, { baseline: 'auto', 'fail-on-regression': '50%', comment: 'false' });
      expect(annotations(step.stdout, 'error')).toEqual([]);
      expect(step.code).toBe(0);
      expect(rowsOf(step)).toEqual([]);
      expect(comparison(step.summary, 'api-node')['Verdict']).toBe('**slower**');
    } finally {
      await emu.close();
    }
  });

  it('pure noise (the same distributions, other draws, 8 samples a side): the 15 % gate passes, nothing listed', async () => {
    const emu = await startSmallEmulator(functions(), { seed: 12345 });
    try {
      const { step, pr } = await prStep(emu, { baseline: 'auto', 'fail-on-regression': '15%' });
      expect(annotations(step.stdout, 'error')).toEqual([]);
      expect(step.code).toBe(0);
      expect(rowsOf(step)).toEqual([]);
      // The draws differ from the base run's (this is not a comparison of identical numbers) …
      const headCsv = readFileSync(step.outputs['csv']!, 'utf8');
      expect(headCsv).not.toBe(readFileSync(base.outputs['csv']!, 'utf8'));
      // … and the table shows small changes. (A verdict may still read "slower" by chance — Mann–Whitney at p < 0.05
      // is wrong one time in twenty on pure noise; with this seed api-node comes out +3 %, p ≈ 0.03. That is exactly
      // why the gate also needs the threshold: such a change never trips it.)
      const body = gh.commentsOf(pr)[0]!.body;
      for (const fn of ['api-node', 'api-go']) {
        const change = comparison(body, fn)['Change'] ?? '';
        expect(change).toMatch(/^[=▲▼] [+−]\d\.\d%$/);
        expect(Math.abs(Number(change.slice(2, -1).replace('−', '-')))).toBeLessThan(10);
      }
    } finally {
      await emu.close();
    }
  });

  it('no earlier run of this workflow on main: a notice, no failure, no comparison', async () => {
    const emu = await startSmallEmulator(functions(), { seed: 21 });
    try {
      // Another workflow (id 78) that has never run on main.
      const { step } = await prStep(emu, { baseline: 'auto', 'fail-on-regression': '15%', repetitions: '1', comment: 'false' }, 78);
      expect(annotations(step.stdout, 'error')).toEqual([]);
      expect(step.code).toBe(0);
      expect(annotations(step.stdout, 'notice')).toEqual(['No baseline: this workflow has no successful run on main yet']);
      expect(step.summary).not.toContain('Compared with the baseline');
      expect(step.outputs['regressions']).toBe('[]');
    } finally {
      await emu.close();
    }
  });

  it('a token without actions: read (403): a notice naming `actions: read`, no failure', async () => {
    const emu = await startSmallEmulator(functions(), { seed: 22 });
    gh.setMode({ actionsRead: 'forbidden' });
    try {
      const { step } = await prStep(emu, { baseline: 'auto', repetitions: '1', comment: 'false' });
      expect(annotations(step.stdout, 'error')).toEqual([]);
      expect(step.code).toBe(0);
      const notices = annotations(step.stdout, 'notice');
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(/^No baseline: .*`permissions: actions: read`.*403/);
      expect(step.summary).toMatch(/api-node/);
      expect(step.summary).not.toContain('Compared with the baseline');
    } finally {
      gh.setMode({ actionsRead: 'ok' });
      await emu.close();
    }
  });
});

describe('baseline as a path in the workspace', () => {
  for (const file of ['results.json', 'speed.csv'] as const) {
    it(`a ${file} of the base run: the comparison table, no GitHub lookup`, async () => {
      const emu = await startSmallEmulator(functions(NODE_INIT.mean * 1.4), { seed: 11 });
      try {
        const { run, pr, sha } = prRun();
        const j = workflowJob({
          gh,
          run,
          job: 'coldstart',
          event: prEvent(pr, sha),
          emu,
          inputs: { ...INPUTS, baseline: `base/${file}`, 'fail-on-regression': '15%', comment: 'false' },
        });
        mkdirSync(join(j.workspace, 'base'));
        copyFileSync(file === 'speed.csv' ? base.outputs['csv']! : base.outputs['json']!, join(j.workspace, 'base', file));
        const before = gh.state.requests.length;
        const step = await runMain(j);
        expect(step.code).toBe(1);
        expect(annotations(step.stdout, 'error')).toEqual([
          expect.stringMatching(/regressed significantly beyond fail-on-regression: api-node @ 256 MB/),
        ]);
        expect(rowsOf(step).map((r) => r.function)).toEqual(['api-node']);
        expect(comparison(step.summary, 'api-node')['Change']).toMatch(/^▲ \+(3[5-9]|4[0-5])\.\d%$/);
        expect(comparison(step.summary, 'api-node')['Verdict']).toBe('**slower**');
        expect(comparison(step.summary, 'api-go')['Verdict']).toBe('no significant change');
        expect(step.summary).toContain(`Compared with the file \`base/${file}\`.`);
        // A path baseline never asks GitHub for runs.
        expect(gh.state.requests.slice(before).filter((r) => r.path.includes('/actions/runs'))).toEqual([]);
      } finally {
        await emu.close();
      }
    });
  }

  it('a missing or unreadable baseline file fails at once, naming the input and the path, before any function is changed', async () => {
    const emu = await startSmallEmulator(functions(), { seed: 23 });
    try {
      const missing = await prStep(emu, { baseline: 'nope/results.json', comment: 'false' });
      expect(missing.step.code).toBe(1);
      expect(annotations(missing.step.stdout, 'error')).toEqual([
        expect.stringMatching(/^baseline: no such file: \/.*\/workspace\/nope\/results\.json$/),
      ]);

      const { run, pr, sha } = prRun();
      const j = workflowJob({ gh, run, job: 'coldstart', event: prEvent(pr, sha), emu, inputs: { ...INPUTS, baseline: 'base.json' } });
      writeFileSync(join(j.workspace, 'base.json'), '{"schemaVersion": 2}');
      const invalid = await runMain(j);
      expect(invalid.code).toBe(1);
      expect(annotations(invalid.stdout, 'error')).toEqual([
        expect.stringMatching(/^baseline: base\.json: not a valid results\.json: schemaVersion/),
      ]);

      expect(emu.state().calls.filter((c) => c.service === 'lambda')).toEqual([]);
    } finally {
      await emu.close();
    }
  });
});
