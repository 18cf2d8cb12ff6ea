/**
 * Shared pieces of the issue-7 end-to-end tests (baseline, merge, CLI): workflow events, a small-latency emulator,
 * and a runner job wired to the fake GitHub as one job of one workflow run.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../../emulator/index.js';
import type { Emulator, FunctionSpec } from '../../emulator/types.js';
import type { FakeGitHub, FakeRun } from '../fakes/github-server.js';
import { expect } from 'vitest';
import { AWS_TEST_ENV, bundlePath, createJob, type RunnerJob } from '../../scripts/local-runner.js';

export const OWNER = 'octo-org';
export const REPO = 'hello-lambdas';
/** Environment values of the emulated functions: must never appear in any output. */
export const SECRET = 'sup3r-s3cret-value-do-not-print';

export interface WorkflowEvent {
  name: string;
  payload: unknown;
  /** GITHUB_REF and GITHUB_SHA of the run. */
  ref: string;
  sha: string;
}

export function pushEvent(branch = 'main', sha = 'ba5e000000000000000000000000000000000000'): WorkflowEvent {
  return {
    name: 'push',
    payload: { ref: `refs/heads/${branch}`, after: sha, repository: { name: REPO, owner: { login: OWNER } } },
    ref: `refs/heads/${branch}`,
    sha,
  };
}

export function prEvent(pr: number, headSha: string, base = 'main'): WorkflowEvent {
  return {
    name: 'pull_request',
    payload: {
      action: 'synchronize',
      number: pr,
      pull_request: { number: pr, head: { sha: headSha, ref: `feature-${pr}` }, base: { ref: base } },
      repository: { name: REPO, owner: { login: OWNER } },
    },
    ref: `refs/pull/${pr}/merge`,
    sha: headSha,
  };
}

/** Small latencies keep a run at about a second (as in action.test.ts); logs at once: a query that misses a line is re-run a second later. */
export function startSmallEmulator(functions: FunctionSpec[], opts: { seed: number; region?: string }): Promise<Emulator> {
  return startEmulator({
    seed: opts.seed,
    ...(opts.region === undefined ? {} : { region: opts.region }),
    latency: { updateMs: 40, invokeOverheadMs: 2, ingestionMs: 0, queryMs: 30 },
    functions: structuredClone(functions),
  });
}

/**
 * One job of workflow run `run` (its own results-service job id), as the runner starts it: the fake GitHub's
 * Actions environment for that run, the event, and AWS pointed at `emu` (omitted: a job that needs no AWS).
 */
export function workflowJob(opts: {
  gh: FakeGitHub;
  run: FakeRun;
  job: string;
  event: WorkflowEvent;
  inputs: Record<string, string>;
  emu?: Emulator;
  env?: Record<string, string>;
}): RunnerJob {
  return createJob({
    inputs: opts.inputs,
    event: { name: opts.event.name, payload: opts.event.payload },
    env: {
      ...opts.gh.actionsEnv(opts.run, opts.job),
      GITHUB_JOB: opts.job,
      GITHUB_REF: opts.event.ref,
      GITHUB_SHA: opts.event.sha,
      ...(opts.emu === undefined ? {} : { AWS_ENDPOINT_URL: opts.emu.url }),
      ...opts.env,
    },
  });
}

/** Every text a job produced (stdout, stderr, runner files, output folder), for the "no secret anywhere" check. */
export function jobTexts(j: RunnerJob, stdout: string, stderr: string, outputDir = 'coldstart'): string {
  const dir = join(j.workspace, outputDir);
  const files = existsSync(dir) ? readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')) : [];
  return [
    stdout,
    stderr,
    readFileSync(j.files.summary, 'utf8'),
    readFileSync(j.files.state, 'utf8'),
    readFileSync(j.files.output, 'utf8'),
    ...files,
  ].join('\n');
}

/** The files of the finalized artifact `name` of `run` (not `state.artifacts`, which is global across runs). */
export function artifactOf(gh: FakeGitHub, run: FakeRun, name: string): Record<string, string> | undefined {
  return gh.state.artifactList.find((a) => a.finalized && a.runBackendId === run.backendId && a.name === name)?.files;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node dist/cli/index.js ...args` as a user runs it (no TTY: plain progress lines); dist/ as in local-runner's DIST. */
export function runCli(args: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  const child = spawn(process.execPath, [bundlePath('dist/cli/index.js'), ...args], {
    cwd: opts.cwd,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: opts.cwd,
      ...AWS_TEST_ENV,
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * A command a message printed (`lambda-coldstart restore …`), run exactly as printed with the bundled CLI: the hint
 * must be complete (names, region, flags) to work.
 */
export function runPrinted(command: string, opts: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  const [bin, ...args] = command.split(' ');
  expect(bin).toBe('lambda-coldstart');
  return runCli(args, { ...opts, env: { AWS_REGION: '', ...opts.env } }); // no region from the environment: the hint names it
}

/** Every `lambda-coldstart …` command a text suggests (in backquotes, or after "with:"). */
export function printedCommands(text: string): string[] {
  return [...text.matchAll(/`(lambda-coldstart [^`]+)`|with: (lambda-coldstart [^\n`]*?)\.?$/gm)].map((m) => (m[1] ?? m[2])!);
}

/** speed.csv rows (header first) are exactly the emulator's cold, non-foreign invocations, numbers as Lambda printed them. */
export function expectCsvIsGroundTruth(emu: Pick<Emulator, 'state'>, lines: string[]): void {
  const truth = emu.state().invocations.filter((i) => i.cold && !i.foreign);
  const rows = lines.slice(1).map((l) => l.split(';'));
  expect(rows).toHaveLength(truth.length);
  for (const row of rows) {
    const t = truth.find((i) => i.requestId === row[9]);
    expect(t, `request ${row[9]}`).toBeDefined();
    expect(row.slice(0, 5)).toEqual([
      t!.functionName,
      String(t!.memorySizeMb),
      String(t!.initMs),
      String(t!.durationMs),
      String(t!.billedMs),
    ]);
  }
}

/** Until `ok()` holds (polling the emulator's state or a process's output); `what` names it when it never does. */
export async function waitFor(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
