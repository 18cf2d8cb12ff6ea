/**
 * Text from outside stays data, and files are read bounded — end to end, with the bundled action and CLI:
 * - a function whose error type carries workflow commands (`::error::`, `::add-mask::`, `::stop-commands::`, the legacy
 *   `##[`) and terminal escapes: the action's and the CLI's output hold no command of theirs, parsed as the runner does;
 * - a history.json with `javascript:` links and a mermaid directive as a name: the dashboard links http(s) only;
 * - a shard artifact and a results.json file with a `%%{init…}%%` function name and a `javascript:` run URL: no chart
 *   is re-themed, no such link is written;
 * - a FIFO, a device, an oversized file and a symlinked output-dir: refused at once, one line naming the input and limit.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator, FunctionSpec } from '../../emulator/types.js';
import { RESULTS_FILE_MAX_BYTES } from '../../src/config/limits.js';
import { toHistoryJson } from '../../src/history/json.js';
import { toResultsJson } from '../../src/results/json.js';
import type { RunResults } from '../../src/results/model.js';
import { createJob, runMain, type StepResult } from '../../scripts/local-runner.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github-server.js';
import { entry, row } from '../helpers/history-fixtures.js';
import { coldSamples, fnInfo, makeResults } from '../helpers/results-fixtures.js';
import { runnerCommands } from '../helpers/workflow-commands.js';
import { OWNER, REPO, prEvent, pushEvent, runCli, startSmallEmulator, workflowJob } from './harness.js';

/** What a function's code controls: its error type (the `errorType` of its error payload). */
const INJECTED =
  'Boom\n::error title=CI::injected-annotation\r::add-mask::ghp_injected\n::stop-commands::tok3n\n x ##[set-output name=fastest;]evil \u001b[31mred';
const DIRECTIVE = '%%{init: {"theme":"forest"}}%%';
const EVIL_URL = 'javascript:alert(document.cookie)';

const FUNCTIONS: FunctionSpec[] = [
  {
    name: 'api-node',
    runtime: 'nodejs20.x',
    memory: 128,
    synthetic: { initMs: { mean: 100, sd: 3 }, durationMs: { mean: 2, sd: 0.2 }, maxMemoryMb: 40 },
  },
  {
    name: 'crashy',
    runtime: 'nodejs20.x',
    memory: 128,
    initFailure: { init: 'error', rerun: 'error', errorType: INJECTED },
    synthetic: { initMs: { mean: 80, sd: 3 }, durationMs: { mean: 2, sd: 0.2 }, maxMemoryMb: 40 },
  },
];
const MEASURE = {
  functions: 'api-node\ncrashy',
  memory: '128',
  repetitions: '2',
  'report-source': 'tail',
  'artifact-name': '',
  comment: 'false',
};

/**
 * The commands the toolkit writes for us: annotations and groups through @actions/core (data escaped), and the masks
 * @actions/artifact sets on the signatures of its signed URLs.
 */
const OURS = new Set(['group', 'endgroup', 'warning', 'notice', 'debug', 'error', 'add-mask']);
/** What the hostile data says, to tell its commands from ours. */
const FROM_DATA = /injected|from-a-|tok3n|evil/;

/** No command from the data: none but the toolkit's, no mask or error of theirs, no error at all unless expected. */
function expectNoInjectedCommand(output: string, opts: { errors?: number } = {}): void {
  const cmds = runnerCommands(output);
  expect(cmds.filter((c) => !OURS.has(c.command))).toEqual([]);
  expect(cmds.filter((c) => (c.command === 'add-mask' || c.command === 'error') && FROM_DATA.test(c.data))).toEqual([]);
  expect(cmds.filter((c) => c.command === 'error')).toHaveLength(opts.errors ?? 0);
  expect(output).not.toContain('\u001b');
}

/** A results.json whose names and run URL came from someone else (a baseline file, a shard artifact). */
function hostileResults(): RunResults {
  const names = [DIRECTIVE, `x\n::error::from-a-name ${DIRECTIVE}`];
  const r = makeResults(
    names.map((n) => fnInfo(n)),
    names.flatMap((n, i) => coldSamples(n, 128, [10 + i, 11 + i, 12 + i])),
    ['note\n::add-mask::from-a-note'],
  );
  return { ...r, run: { ...r.run, url: EVIL_URL } };
}

const mermaidBlocks = (md: string): string[] => [...md.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);

function expectInertMarkdown(md: string): void {
  expect(mermaidBlocks(md).length).toBeGreaterThan(0);
  for (const b of mermaidBlocks(md)) expect(b).not.toContain('%%');
  expect(md).not.toMatch(/\]\(\s*javascript:/i);
  expect(md).not.toContain('\n::');
}

let gh: FakeGitHub;
let emu: Emulator;
let work: string;
let nextRun = 19_000;

beforeAll(async () => {
  gh = await startFakeGitHub({ owner: OWNER, repo: REPO, modes: { token: 'installation' } });
  emu = await startSmallEmulator(FUNCTIONS, { seed: 19 });
  work = mkdtempSync(join(tmpdir(), 'lcs-outside-'));
});
afterAll(async () => {
  await emu?.close();
  await gh?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the action', () => {
  it('a function error carrying commands, and a history.json with javascript: links: no command, no such link', async () => {
    const BRANCH = 'coldstart-history';
    gh.git.putFile(
      BRANCH,
      'history.json',
      toHistoryJson({
        schemaVersion: 1,
        name: 'n',
        repository: EVIL_URL,
        entries: [0, 1].map((i) => entry(i, [row('api-node', 128, 100), row(DIRECTIVE, 128, 50)], { runUrl: EVIL_URL })),
      }),
    );
    const event = pushEvent('main', 'c0de'.padEnd(40, '0'));
    const run = gh.addRun({ id: nextRun++, headSha: event.sha, event: 'push', branch: 'main', status: 'in_progress', conclusion: null });
    const s = await runMain(workflowJob({ gh, run, job: 'coldstart', event, emu, inputs: { ...MEASURE, history: BRANCH } }));
    expect(s.code).toBe(0);
    expectNoInjectedCommand(s.stdout);
    expectNoInjectedCommand(s.stderr);
    // shown as data: the error is in the log, readable
    expect(s.stdout.replace(/\u200b/g, '')).toContain('::error title=CI::injected-annotation');
    // the dashboard was rewritten from the hostile history: http(s) links only, the directive only as text
    const page = gh.git.fileOf(BRANCH, 'index.html') ?? '';
    expect(page).toContain('id="history-data"');
    expect(page).not.toContain('javascript:');
    expect(page).toContain('%%{init'); // the hostile entries are there, as data
    expect(s.summary).toContain('### Trend');
    expect(s.summary).not.toContain('javascript:');
  });

  it('mode: merge with a shard whose names are mermaid directives and whose run URL is javascript:', async () => {
    const run = gh.addRun({ id: nextRun++, branch: 'feature', headSha: 'feed'.padEnd(40, '1'), event: 'pull_request', conclusion: null });
    gh.addArtifact(run.id, 'coldstart-a', { 'results.json': toResultsJson(hostileResults()) });
    gh.addArtifact(run.id, 'coldstart-b', {
      'results.json': toResultsJson(makeResults([fnInfo('b')], coldSamples('b', 128, [5, 6, 7]))),
    });
    const j = workflowJob({
      gh,
      run,
      job: 'merge',
      event: prEvent(31, run.headSha),
      inputs: { mode: 'merge', 'merge-pattern': 'coldstart-*', 'artifact-name': 'coldstart-merged', comment: 'false', functions: '' },
    });
    const s = await runMain(j);
    expect(s.code).toBe(0);
    expectNoInjectedCommand(s.stdout);
    expectInertMarkdown(s.summary);
    expect(s.summary).toContain('[workflow run](https://github.com/');
  });

  describe('file inputs are refused before anything runs, in one line naming the input', () => {
    const failing = async (inputs: Record<string, string>, prepare: (workspace: string) => void): Promise<StepResult> => {
      const j = createJob({ inputs: { functions: 'api-node', ...inputs } });
      prepare(j.workspace);
      const s = await runMain(j);
      expect(s.code).toBe(1);
      expectNoInjectedCommand(s.stdout, { errors: 1 });
      return s;
    };
    const error = (s: StepResult) => runnerCommands(s.stdout).find((c) => c.command === 'error')!.data;

    it('a FIFO as baseline fails at once (it hung the step until the job timeout)', { timeout: 20_000 }, async () => {
      const s = await failing({ baseline: 'base.json' }, (ws) => execFileSync('mkfifo', [join(ws, 'base.json')]));
      expect(error(s)).toMatch(/^baseline: cannot read \/.*\/base\.json: a named pipe \(FIFO\), not a regular file$/);
    });

    it('an oversized baseline, by its size, never read', async () => {
      const s = await failing({ baseline: 'big.json' }, (ws) => {
        writeFileSync(join(ws, 'big.json'), '');
        truncateSync(join(ws, 'big.json'), RESULTS_FILE_MAX_BYTES + 5);
      });
      expect(error(s)).toMatch(/^baseline: cannot read \/.*\/big\.json: 128000005 bytes, over the 128 MB limit of a results file/);
    });

    it('an output-dir that is a symbolic link inside the workspace leading outside it', async () => {
      const outside = mkdtempSync(join(work, 'outside-'));
      const s = await failing({ 'output-dir': 'results' }, (ws) => symlinkSync(outside, join(ws, 'results')));
      expect(error(s)).toBe('output-dir: "results" leads outside the workspace (a symbolic link); give a path inside it');
      expect(s.summary).toContain('**The run failed:** output-dir');
    });
  });
});

describe('the CLI', () => {
  it('measure: a function error carrying commands and escapes reaches neither stdout nor stderr as such', async () => {
    const r = await runCli(
      ['measure', '--functions', 'api-node,crashy', '--memory', '128', '--repetitions', '2', '--report-source', 'tail'],
      {
        cwd: work,
        env: { AWS_ENDPOINT_URL: emu.url },
      },
    );
    expect(r.code).toBe(0);
    expectNoInjectedCommand(r.stdout);
    expectNoInjectedCommand(r.stderr);
    expect(r.stderr.replace(/\u200b/g, '')).toContain('::add-mask::ghp_injected');
  });

  it('report of a hostile results.json: inert markdown, a clean terminal', async () => {
    const file = join(work, 'hostile.json');
    writeFileSync(file, toResultsJson(hostileResults()));
    const md = await runCli(['report', file, '--markdown'], { cwd: work });
    expect(md.code).toBe(0);
    expectInertMarkdown(md.stdout);
    expectNoInjectedCommand(md.stdout);
    const text = await runCli(['report', file], { cwd: work });
    expect(text.code).toBe(0);
    expectNoInjectedCommand(text.stdout);
  });

  it('dashboard of a hostile history.json: no javascript: link in the page', async () => {
    const dir = join(work, 'dash');
    mkdirSync(dir);
    const h = {
      schemaVersion: 1 as const,
      name: 'n',
      repository: EVIL_URL,
      entries: [entry(0, [row(DIRECTIVE, 128, 9)], { runUrl: EVIL_URL })],
    };
    writeFileSync(join(dir, 'history.json'), toHistoryJson(h));
    const r = await runCli(['dashboard', join(dir, 'history.json')], { cwd: work });
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).not.toContain('javascript:');
  });

  it('a device, a FIFO and an oversized file are refused at once, exit 2, one line', { timeout: 20_000 }, async () => {
    const fifo = join(work, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    const huge = join(work, 'huge.csv');
    writeFileSync(huge, '');
    truncateSync(huge, RESULTS_FILE_MAX_BYTES + 1);
    const results = await Promise.all([
      runCli(['report', '/dev/zero'], { cwd: work }),
      runCli(['report', fifo], { cwd: work }),
      runCli(['compare', huge, huge], { cwd: work }),
    ]);
    expect(results.map((r) => [r.code, r.stdout, r.stderr])).toEqual([
      [2, '', 'error: cannot read /dev/zero: a character device, not a regular file\n'],
      [2, '', `error: cannot read ${fifo}: a named pipe (FIFO), not a regular file\n`],
      [2, '', `error: cannot read ${huge}: 128000001 bytes, over the 128 MB limit of a results file (results.json or speed.csv)\n`],
    ]);
  });
});
