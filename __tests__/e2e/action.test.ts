/**
 * The proof: the bundled action (dist/index.js, then dist/post/index.js) run exactly as the runner runs it,
 * against the Lambda + CloudWatch Logs emulator and a fake GitHub, over real HTTP.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/index.js';
import type { Emulator, FunctionSpec } from '../../emulator/types.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github-server.js';
import { expectValidResults } from '../helpers/validate-results.js';
import { expectCsvIsGroundTruth, jobTexts } from './harness.js';
import { annotations, createJob, runMain, runPost, startStep, type RunnerJob } from '../../scripts/local-runner.js';

const SECRET = 'sup3r-s3cret-value-do-not-print';
const PR = 12;

const FUNCTIONS: FunctionSpec[] = [
  {
    name: 'hello-node',
    runtime: 'nodejs20.x',
    memory: 256,
    environment: { TABLE: 'orders', API_KEY: SECRET },
    synthetic: { initMs: { mean: 170, sd: 8 }, durationMs: { mean: 3, sd: 0.5 }, maxMemoryMb: 64 },
  },
  {
    name: 'hello-go',
    runtime: 'provided.al2023',
    memory: 128,
    logFormat: 'JSON',
    logGroup: '/custom/hello-go',
    synthetic: { initMs: { mean: 50, sd: 3 }, durationMs: { mean: 1.5, sd: 0.2 }, maxMemoryMb: 20 },
  },
];

function prEvent(): { name: string; payload: unknown } {
  return {
    name: 'pull_request',
    payload: {
      action: 'synchronize',
      number: PR,
      pull_request: { number: PR, head: { sha: 'c0ffee0000000000000000000000000000000000', ref: 'feature' }, base: { ref: 'main' } },
      repository: { name: 'hello-lambdas', owner: { login: 'octo-org' } },
    },
  };
}

let emu: Emulator;
let gh: FakeGitHub;

async function freshEmulator(latency: { updateMs?: number } = {}): Promise<Emulator> {
  return startEmulator({
    seed: 7,
    latency: { updateMs: 40, invokeOverheadMs: 2, ingestionMs: 0, queryMs: 30, ...latency },
    functions: structuredClone(FUNCTIONS),
  });
}

function job(inputs: Record<string, string>, env: Record<string, string> = {}): RunnerJob {
  return createJob({
    inputs: { functions: 'hello-node\nhello-go', memory: '128,512', repetitions: '3', ...inputs },
    event: prEvent(),
    env: {
      AWS_ENDPOINT_URL: emu.url,
      GITHUB_API_URL: gh.url,
      ACTIONS_RESULTS_URL: `${gh.url}/`,
      ACTIONS_RUNTIME_TOKEN: gh.runtimeToken('run-backend-1'),
      GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
      ...env,
    },
  });
}

/** Every function has its original memory and environment again (no COLDSTART_NONCE). */
function expectRestored(e: Emulator): void {
  const fns = e.state().functions;
  for (const spec of FUNCTIONS) {
    const now = fns[spec.name]!;
    expect(now.MemorySize, spec.name).toBe(spec.memory);
    expect(now.LastUpdateStatus).toBe('Successful');
    if (spec.environment === undefined) expect(now.Environment?.Variables ?? {}).toEqual({});
    else expect(now.Environment?.Variables).toEqual(spec.environment);
  }
}

/** Every text the run produced, and what it sent to GitHub, for the "no environment value anywhere" check. */
function everything(j: RunnerJob, stdout: string, stderr: string): string {
  return [
    jobTexts(j, stdout, stderr),
    ...gh.state.comments.map((c) => c.body),
    ...Object.values(gh.state.artifacts).flatMap((a) => Object.values(a.files)),
  ].join('\n');
}

beforeAll(async () => {
  gh = await startFakeGitHub({ owner: 'octo-org', repo: 'hello-lambdas', modes: { token: 'installation' } });
  gh.addPull({ number: PR, headSha: 'c0ffee0000000000000000000000000000000000' });
});
afterAll(async () => {
  await gh.close();
});
afterEach(async () => {
  await emu?.close();
  expect(emu.state().liveProcesses).toBe(0);
});

describe('the bundled action on a pull_request', () => {
  it('measures, reports, comments once, uploads, restores — and a second run updates the same comment', async () => {
    emu = await freshEmulator();
    const first = job({});
    const run1 = await runMain(first);
    expect(run1.stderr).toBe('');
    expect(annotations(run1.stdout, 'error')).toEqual([]);
    expect(run1.code).toBe(0);

    // speed.csv holds exactly the genuine cold starts, with the numbers Lambda printed (the emulator's ground truth).
    const csv = readFileSync(run1.outputs['csv']!, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('Name;Memory;Init;Cold;Billed;MaxMemory;Restore;Runtime;Architecture;RequestId;Timestamp');
    const rows = csv.slice(1).map((l) => l.split(';'));
    expect(rows).toHaveLength(2 * 2 * 3);
    expectCsvIsGroundTruth(emu, csv);
    // No warm invocation was reported as cold.
    const reported = new Set(rows.map((r) => r[9]));
    for (const warm of emu.state().invocations.filter((i) => !i.cold)) expect(reported.has(warm.requestId)).toBe(false);

    expectRestored(emu);
    expect(emu.state().logDeletions).toEqual([]);

    // Outputs point to real files; results.json is valid.
    for (const key of ['csv', 'json', 'report']) expect(existsSync(run1.outputs[key]!), key).toBe(true);
    expectValidResults(JSON.parse(readFileSync(run1.outputs['json']!, 'utf8')));
    // 3 cold starts each: too few for any test to call one function fastest, so the output is empty (the headline says why)
    expect(run1.outputs['fastest']).toBe('');
    const compact = JSON.parse(run1.outputs['results']!) as { function: string; memory: number; n: number }[];
    expect(compact.map((r) => [r.function, r.memory, r.n]).sort()).toEqual([
      ['hello-go', 128, 3],
      ['hello-go', 512, 3],
      ['hello-node', 128, 3],
      ['hello-node', 512, 3],
    ]);

    // The job summary and exactly one comment.
    expect(run1.summary).toMatch(/hello-go/);
    expect(run1.summary.length).toBeGreaterThan(200);
    const comments1 = gh.commentsOf(PR);
    expect(comments1).toHaveLength(1);
    const firstBody = comments1[0]!.body;
    const firstId = comments1[0]!.id;
    expect(run1.outputs['comment-url']).toMatch(
      new RegExp(`/pull/${PR}#issuecomment-${comments1[0]!.id}$|issuecomment-${comments1[0]!.id}`),
    );
    expect(comments1[0]!.body).toContain('actions/runs/4242');
    expect(comments1[0]!.body).toMatch(
      /\[results \(speed\.csv, results\.json, boxplot\.svg\)\]\(https:\/\/github\.com\/.*\/artifacts\/\d+\)/,
    );

    // The artifact holds the same speed.csv; the output links it.
    const artifact = gh.state.artifacts['lambda-coldstart'];
    expect(artifact?.files['speed.csv']).toBe(readFileSync(run1.outputs['csv']!, 'utf8'));
    expect(Object.keys(artifact!.files).sort()).toEqual(['boxplot.svg', 'report.md', 'results.json', 'speed.csv']);
    expect(run1.outputs['artifact-url']).toBe(`https://github.com/${gh.owner}/${gh.repo}/actions/runs/4242/artifacts/${artifact!.id}`);

    expect(everything(first, run1.stdout, run1.stderr)).not.toContain(SECRET);

    // The post step has nothing to do: main restored everything.
    const post1 = await runPost(first);
    expect(post1.code).toBe(0);
    expect(post1.stdout).toMatch(/nothing to undo/);

    // A re-run attempt: the same comment is updated in place, the taken artifact name does not fail the step.
    const second = job({}, { GITHUB_RUN_ATTEMPT: '2' });
    const run2 = await runMain(second);
    expect(run2.code).toBe(0);
    const comments2 = gh.commentsOf(PR);
    expect(comments2).toHaveLength(1);
    expect(comments2[0]!.id).toBe(firstId);
    expect(comments2[0]!.body).not.toBe(firstBody);
    expect(comments2[0]!.body).toContain('lambda-coldstart:comment');
    expect(run2.outputs['artifact-url']).toMatch(/\/artifacts\/\d+$/);
    expectRestored(emu);
    expect(everything(second, run2.stdout, run2.stderr)).not.toContain(SECRET);
  });

  it('a fork PR (read-only token): warning with the fix, no failure; the summary is still written', async () => {
    emu = await freshEmulator();
    gh.setMode({ commentWrites: 'forbidden' });
    try {
      const j = job({ repetitions: '1', memory: '', 'artifact-name': '', 'comment-tag': 'fork' });
      const before = gh.commentsOf(PR).length;
      const run = await runMain(j);
      expect(run.code).toBe(0);
      expect(annotations(run.stdout, 'warning').join('\n')).toMatch(/pull-requests: write/);
      expect(gh.commentsOf(PR)).toHaveLength(before);
      expect(run.summary).toMatch(/hello-node/);
      expectRestored(emu);
    } finally {
      gh.setMode({ commentWrites: 'ok' });
    }
  });
});

describe('cancellation and a killed runner', () => {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGKILL'] as const) {
    it(`${signal} in the middle of a run, then the post step: every function restored`, async () => {
      emu = await freshEmulator({ updateMs: 150 });
      const j = job({ repetitions: '30', 'artifact-name': '', comment: 'false' });
      const { child, done } = startStep(j);
      // Wait until the run has changed both functions a few times.
      const deadline = Date.now() + 20_000;
      while (emu.state().calls.filter((c) => c.operation === 'UpdateFunctionConfiguration' && c.status < 300).length < 4) {
        if (Date.now() > deadline) throw new Error('the run did not start');
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill(signal);
      const main = await done;
      expect(main.code === 0).toBe(false);
      if (signal !== 'SIGKILL') {
        // Cancelled (the runner sends SIGINT, then SIGTERM), not killed: main restores every function itself, before
        // the post step, and keeps what it measured.
        expect(main.stdout).toMatch(new RegExp(`${signal} received`));
        expectRestored(emu);
        expect(annotations(main.stdout, 'error')[0]).toMatch(/^the run was cancelled; what was measured is in /);
        expect(readFileSync(join(j.workspace, 'coldstart', 'speed.csv'), 'utf8')).toMatch(/^Name;Memory;Init;Cold;Billed/);
        expect(main.summary).toMatch(/## Lambda cold starts/);
      }

      // Let any update still in flight settle, then run the post step as the runner does.
      const post = await runPost(j);
      expect(post.code).toBe(0);
      expectRestored(emu);
      expect(everything(j, main.stdout + post.stdout, main.stderr + post.stderr)).not.toContain(SECRET);

      // The post step is idempotent.
      const again = await runPost(j);
      expect(again.code).toBe(0);
      expectRestored(emu);
    });
  }
});
