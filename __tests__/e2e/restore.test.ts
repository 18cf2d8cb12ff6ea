/**
 * Issue 11, recovery end to end (bundled CLI and action against the emulator): the CLI killed with SIGKILL, then
 * `restore` or a new run, each returning the true original; an undo that fails makes the CLI exit 1 with the original
 * memory and the exact restore command; interrupts during a long invoke restore within seconds; a second interrupt
 * does not abandon the undo, a third does after saying what is left changed; the action's `mode: restore`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator, FunctionSpec } from '../../emulator/types.js';
import { AWS_TEST_ENV, bundlePath, createJob, runMain, runPost, startStep, type RunnerJob } from '../../scripts/local-runner.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github-server.js';
import { SECRET, printedCommands, runCli, runPrinted, startSmallEmulator, type CliResult, waitFor } from './harness.js';
import { decodeMarker } from '../../src/lambda/undo/record.js';

const victim: FunctionSpec = {
  name: 'victim',
  runtime: 'nodejs20.x',
  memory: 256,
  environment: { API_KEY: SECRET },
  timeoutSec: 3,
  synthetic: { initMs: { mean: 120, sd: 5 }, durationMs: { mean: 2, sd: 0.2 } },
};
const ORIGINAL = { MemorySize: 256, vars: { API_KEY: SECRET } };

let emu: Emulator | undefined;
let gh: FakeGitHub | undefined;
afterEach(async () => {
  await emu?.close();
  await gh?.close();
  emu = undefined;
  gh = undefined;
});

const fn = (e: Emulator) => e.state().functions['victim']!;
function expectOriginal(e: Emulator): void {
  expect(fn(e).MemorySize).toBe(ORIGINAL.MemorySize);
  expect(fn(e).Environment?.Variables).toEqual(ORIGINAL.vars);
}
const successfulUpdates = (e: Emulator): number =>
  e.state().calls.filter((c) => c.operation === 'UpdateFunctionConfiguration' && c.status < 300 && !c.foreign).length;
const invokeInFlight = (e: Emulator): boolean =>
  e.state().environments.some((env) => env.functionName === 'victim' && (env.status === 'busy' || env.status === 'initializing'));

/** The bundled CLI as a child the test can signal. */
function startCli(
  args: string[],
  cwd: string,
  e: Emulator,
): { child: ChildProcess; done: Promise<CliResult & { signal: string | null }>; stderr: () => string } {
  const child = spawn(process.execPath, [bundlePath('dist/cli/index.js'), ...args], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', HOME: cwd, ...AWS_TEST_ENV, AWS_ENDPOINT_URL: e.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult & { signal: string | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done, stderr: () => stderr };
}

const MEASURE = ['measure', '--functions', 'victim', '--memory', '1024,2048', '--repetitions', '30', '--report-source', 'tail'];

/** The record on the victim, if it carries one. */
const recordOf = (e: Emulator) => {
  const d = decodeMarker(fn(e).Environment?.Variables['COLDSTART_NONCE'] ?? '');
  return 'record' in d ? d.record : undefined;
};

/** The CLI killed with SIGKILL after it changed the function a few times; its pid. */
async function killMidRun(e: Emulator, cwd: string): Promise<number> {
  const { child, done } = startCli(MEASURE, cwd, e);
  await waitFor('the run changed the function a few times', () => successfulUpdates(e) >= 3);
  child.kill('SIGKILL');
  const r = await done;
  expect(r.signal).toBe('SIGKILL');
  await waitFor('the last update finished', () => fn(e).LastUpdateStatus === 'Successful');
  // Left changed, and the function carries the run's record with the true original and the process that wrote it.
  expect(recordOf(e)).toMatchObject({ restoreMemory: 256, runId: expect.stringMatching(/^cli:/), process: { pid: child.pid } });
  return child.pid!;
}

/** The bundled action's main step killed with SIGKILL after it changed the function a few times (no post step ran). */
async function killActionMidRun(e: Emulator, env: Record<string, string> = {}): Promise<RunnerJob> {
  const inputs = { functions: 'victim', memory: '1024,2048', repetitions: '30', 'artifact-name': '', comment: 'false' };
  const j = createJob({ inputs, env: { AWS_ENDPOINT_URL: e.url, ...env } });
  const { child, done } = startStep(j);
  await waitFor('the run changed the function', () => successfulUpdates(e) >= 3);
  child.kill('SIGKILL');
  await done;
  await waitFor('the last update finished', () => fn(e).LastUpdateStatus === 'Successful');
  return j;
}

describe('the CLI killed with SIGKILL mid-run', () => {
  it('`restore` at once puts back the true original (its process has ended), says which check decided, and is idempotent', async () => {
    emu = await startSmallEmulator([victim], { seed: 21 });
    const cwd = mkdtempSync(join(tmpdir(), 'lcs-kill-'));
    const pid = await killMidRun(emu, cwd);

    const r = await runCli(['restore', '--functions', 'victim'], { cwd, env: { AWS_ENDPOINT_URL: emu.url } });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stdout).toMatch(
      new RegExp(
        `^victim: restored from the undo record of run cli:[^ ]+ \\(its process ${pid} on this machine has ended\\): memory 256 MB, COLDSTART_NONCE removed$`,
        'm',
      ),
    );
    expectOriginal(emu);

    const again = await runCli(['restore', '--functions', 'victim'], { cwd, env: { AWS_ENDPOINT_URL: emu.url } });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('victim: carries no undo record (COLDSTART_NONCE); nothing to restore\n');
    expectOriginal(emu);
    expect(r.stdout + r.stderr + again.stdout + again.stderr).not.toContain(SECRET);
  });

  it('a new run on the same machine right after: the function is restored first (no 6-minute wait), then measured', async () => {
    emu = await startSmallEmulator([victim], { seed: 22 });
    const cwd = mkdtempSync(join(tmpdir(), 'lcs-kill-'));
    const pid = await killMidRun(emu, cwd);

    const next = await runCli(['measure', '--functions', 'victim', '--repetitions', '2', '--report-source', 'tail', '--out', 'next'], {
      cwd,
      env: { AWS_ENDPOINT_URL: emu.url },
    });
    expect(next.stderr).toMatch(
      new RegExp(
        `notice: victim: carries the undo record of run cli:[^ ]+, which ended without undoing its change \\(its process ${pid} on this machine has ended\\); restoring it first \\(memory 256 MB\\), then measuring`,
      ),
    );
    expect(next.code).toBe(0);
    // It measured at the true original (256 MB, not the dead run's size) and ended there.
    const results = JSON.parse(readFileSync(join(cwd, 'next', 'results.json'), 'utf8')) as { samples: { memory: number; kind: string }[] };
    expect(results.samples.filter((x) => x.kind === 'cold').map((x) => x.memory)).toEqual([256, 256]);
    expectOriginal(emu);
  });
});

describe('an undo that fails', () => {
  it('the CLI exits 1, printing the original memory and the exact restore command, which then works', async () => {
    emu = await startSmallEmulator([victim], { seed: 23 });
    const cwd = mkdtempSync(join(tmpdir(), 'lcs-undo-fail-'));
    emu.control.setFaults({
      failUpdatesRemoving: {
        victim: { count: 1000, status: 400, type: 'InvalidParameterValueException', message: 'injected', variable: 'COLDSTART_NONCE' },
      },
    });
    const r = await runCli(['measure', '--functions', 'victim', '--memory', '1024', '--repetitions', '1', '--report-source', 'tail'], {
      cwd,
      env: { AWS_ENDPOINT_URL: emu.url },
    });
    expect(r.code).toBe(1);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
    expect(errors).toEqual([
      'error: could not be restored: victim (original memory 256 MB); it keeps its undo record: put it back with: lambda-coldstart restore --functions victim --region us-east-1 --force',
    ]);
    expect(r.stdout + r.stderr).not.toMatch(/post step/);
    expect(fn(emu).MemorySize).toBe(1024);

    emu.control.setFaults({ failUpdatesRemoving: { victim: { count: 0, status: 400, variable: 'COLDSTART_NONCE' } } });
    const [command] = printedCommands(errors[0]!);
    const restored = await runPrinted(command!, { cwd, env: { AWS_ENDPOINT_URL: emu.url } });
    expect(restored.code).toBe(0);
    expectOriginal(emu);
  });
});

describe("someone else's memory change during a CLI run", () => {
  it('to one of the run’s own sizes: kept at the end, and the progress line and the report say so', async () => {
    emu = await startSmallEmulator([victim], { seed: 27 });
    emu.control.setLatency({ updateMs: 150 });
    const cwd = mkdtempSync(join(tmpdir(), 'lcs-person-'));
    const measure = ['measure', '--functions', 'victim', '--memory', '512,1024', '--repetitions', '4', '--report-source', 'tail'];
    const { done } = startCli(measure, cwd, emu);
    const at1024 = () => emu!.state().invocations.some((i) => !i.foreign && i.memorySizeMb === 1024);
    await waitFor('the run measures at 1024 MB', at1024);
    // A person sets 512 MB — a size the run itself used — as soon as no update is in progress.
    await waitFor('the person’s update went through', () => {
      try {
        emu!.control.outsideChange('victim', { memory: 512 });
        return true;
      } catch {
        return false;
      }
    });
    const r = await done;
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('victim · memory set to 512 MB by someone else: theirs is kept at the end; measuring at ours again');
    const report = readFileSync(join(cwd, 'coldstart', 'report.md'), 'utf8');
    expect(report).toContain('set it back to their 512 MB at the end');
    expect(fn(emu).MemorySize).toBe(512);
    expect(fn(emu).Environment?.Variables).toEqual(ORIGINAL.vars);
    // every counted cold start ran at the size it is reported under
    const results = JSON.parse(readFileSync(join(cwd, 'coldstart', 'results.json'), 'utf8')) as {
      samples: { kind: string; memory: number; requestId: string }[];
    };
    const ran = new Map(emu.state().invocations.map((i) => [i.requestId, i.memorySizeMb]));
    const cold = results.samples.filter((x) => x.kind === 'cold');
    expect(cold.map((x) => x.memory)).toEqual([512, 512, 512, 512, 1024, 1024, 1024, 1024]);
    for (const x of cold) expect(ran.get(x.requestId)).toBe(x.memory);
  });
});

describe('interrupts during a long-running invoke', () => {
  const long = ['measure', '--functions', 'victim', '--memory', '1024', '--repetitions', '3', '--report-source', 'tail'];

  it('SIGTERM: the invoke in flight is aborted and the function restored within seconds', async () => {
    emu = await startSmallEmulator([victim], { seed: 24 });
    emu.control.setLatency({ invokeOverheadMs: 120_000 }); // a handler that runs for two minutes
    const cwd = mkdtempSync(join(tmpdir(), 'lcs-term-'));
    const { child, done } = startCli(long, cwd, emu);
    await waitFor('an invoke is in flight', () => invokeInFlight(emu!));
    const t0 = Date.now();
    child.kill('SIGTERM');
    const r = await done;
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/interrupted: no new samples; restoring the functions/);
    // What it put back, on its own line after the interrupt.
    expect(r.stderr).toMatch(/^victim: configuration restored \(memory back to 256 MB, COLDSTART_NONCE removed\)$/m);
    expectOriginal(emu);
  });

  it('a second Ctrl-C does not abandon the undo', async () => {
    emu = await startSmallEmulator([victim], { seed: 25 });
    emu.control.setLatency({ invokeOverheadMs: 120_000 });
    const cwd = mkdtempSync(join(tmpdir(), 'lcs-int2-'));
    const { child, done } = startCli(long, cwd, emu);
    await waitFor('an invoke is in flight', () => invokeInFlight(emu!));
    emu.control.setLatency({ updateMs: 500 }); // the undo takes a while
    child.kill('SIGINT');
    await waitFor('the undo started', () => fn(emu!).LastUpdateStatus === 'InProgress', 5000);
    child.kill('SIGINT');
    const r = await done;
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/SIGINT again: still restoring victim; the undo goes on/);
    expectOriginal(emu);
  });

  it('a third Ctrl-C abandons it, saying what is left changed and the restore command', async () => {
    emu = await startSmallEmulator([victim], { seed: 26 });
    emu.control.setLatency({ invokeOverheadMs: 120_000 });
    const cwd = mkdtempSync(join(tmpdir(), 'lcs-int3-'));
    const { child, done, stderr } = startCli(long, cwd, emu);
    await waitFor('an invoke is in flight', () => invokeInFlight(emu!));
    emu.control.setLatency({ updateMs: 2000 });
    child.kill('SIGINT');
    await waitFor('the undo started', () => fn(emu!).LastUpdateStatus === 'InProgress', 5000);
    child.kill('SIGINT');
    await waitFor('the second interrupt was heard', () => stderr().includes('SIGINT again'), 5000);
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(
      /SIGINT a third time: the undo is abandoned\. Left changed: victim \(original memory 256 MB\)\. .*put them back with: lambda-coldstart restore --functions victim/,
    );
    emu.control.setLatency({ updateMs: 40 });
    await waitFor('the last update finished', () => fn(emu!).LastUpdateStatus === 'Successful', 5000);
    const [command] = printedCommands(r.stderr);
    expect(command).toBe('lambda-coldstart restore --functions victim --region us-east-1 --force');
    const restored = await runPrinted(command!, { cwd, env: { AWS_ENDPOINT_URL: emu.url } });
    expect(restored.code).toBe(0);
    expectOriginal(emu);
  });
});

describe("the action's mode: restore, asking GitHub whether the record's workflow run is over", () => {
  it('in progress: left alone, said once; completed: restored at once, saying so', async () => {
    emu = await startSmallEmulator([victim], { seed: 27 });
    gh = await startFakeGitHub({ owner: 'octo-org', repo: 'hello-lambdas' });
    const writer = gh.addRun({ id: 4242, status: 'in_progress', conclusion: null });
    await killActionMidRun(emu);
    const left = structuredClone(fn(emu));
    expect(recordOf(emu)?.runId).toMatch(/^https:\/\/github\.com\/octo-org\/hello-lambdas\/actions\/runs\/4242\/attempts\/1#/);

    // Another workflow run restores: GitHub says 4242 is in progress, and its last update was seconds ago.
    const restore = createJob({
      inputs: { functions: 'victim', mode: 'restore' },
      env: { AWS_ENDPOINT_URL: emu.url, GITHUB_RUN_ID: '4243', GITHUB_API_URL: gh.url },
    });
    const refused = await runMain(restore);
    expect(refused.code).toBe(1);
    const said = refused.stdout.split('\n').filter((l) => l.includes('victim'));
    expect(said).toHaveLength(1); // one message, not an info line and an error
    expect(said[0]).toMatch(
      /^::error::victim: run https:\/\/github\.com\/.* may still be changing it \(GitHub says workflow run 4242 \(attempt 1\) is still in progress, and its last update was \d+ s ago by Lambda's clock \(a run may go 363 s between updates\)\); left alone: wait for that run to finish \(it restores the function itself\), or force the restore with `lambda-coldstart restore --functions victim --region us-east-1 --force`$/,
    );
    expect(fn(emu).RevisionId).toBe(left.RevisionId);

    writer.status = 'completed';
    writer.conclusion = 'cancelled';
    const r = await runMain(restore);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^victim: restored from the undo record of run https:\/\/github\.com\/octo-org\/hello-lambdas\/actions\/runs\/4242\/attempts\/1#[0-9a-f]{6} \(GitHub says workflow run 4242 \(attempt 1\) has completed\): memory 256 MB, COLDSTART_NONCE removed$/m,
    );
    expectOriginal(emu);
    expect(r.stdout + r.stderr + refused.stdout).not.toContain(SECRET);
    expect(gh.state.requests.filter((q) => q.path === '/repos/octo-org/hello-lambdas/actions/runs/4242')).toHaveLength(2);
  });
});

describe('the post step without saved state', () => {
  it("restores from the records of this run attempt's own runs, and leaves another run's record alone", async () => {
    emu = await startSmallEmulator([victim, { ...victim, name: 'bystander' }], { seed: 28 });
    const j = await killActionMidRun(emu);
    writeFileSync(j.files.state, ''); // the saved state is lost

    // Another workflow run's live record on a function this job also lists: not this run's, left alone.
    const other = `n=x;m=256;s=512;t=${Math.floor(Date.now() / 1000)};r=https://github.com/octo-org/hello-lambdas/actions/runs/9999/attempts/1#ffffff`;
    emu.control.outsideChange('bystander', { memory: 512, environment: { API_KEY: SECRET, COLDSTART_NONCE: other } });
    const post = await runPost({ ...j, env: { ...j.env, INPUT_FUNCTIONS: 'victim,bystander' } });
    expect(post.code).toBe(0);
    const attempt = 'https://github.com/octo-org/hello-lambdas/actions/runs/4242/attempts/1';
    expect(post.stdout).toContain(
      `lambda-coldstart: no saved state from the main step; looking for the undo records of this run attempt (${attempt}) on victim, bystander\n`,
    );
    expect(post.stdout).toMatch(
      new RegExp(`^victim: restored from the undo record of run ${attempt.replace(/[./]/g, '\\$&')}#[0-9a-f]{6}: memory 256 MB`, 'm'),
    );
    expect(post.stdout).toMatch(
      /^bystander: carries the undo record of run .*runs\/9999\/attempts\/1#ffffff, not this run's; left alone$/m,
    );
    expect(post.stdout).toContain(`lambda-coldstart: restored 1 of 2 function(s) from the undo records of this run attempt (${attempt})`);
    expectOriginal(emu);
    await waitFor('the outside change finished', () => emu!.state().functions['bystander']!.LastUpdateStatus === 'Successful');
    expect(emu.state().functions['bystander']!.Environment?.Variables['COLDSTART_NONCE']).toBe(other);
    expect(emu.state().functions['bystander']!.MemorySize).toBe(512);
  });
});

describe('the post step without saved state, off a runner (@github/local-action: no state, no GITHUB_RUN_ID)', () => {
  it("finds the records whose process on this machine has ended (the killed main step's) and says what it did", async () => {
    emu = await startSmallEmulator([victim], { seed: 30 });
    const j = await killActionMidRun(emu, { GITHUB_RUN_ID: '' });
    expect(recordOf(emu)).toMatchObject({ runId: expect.stringMatching(/^cli:/), process: { pid: expect.any(Number) } });
    writeFileSync(j.files.state, '');
    const post = await runPost(j);
    expect(post.code).toBe(0);
    expect(post.stdout).toContain(
      'lambda-coldstart: no saved state from the main step; looking for undo records whose process on this machine has ended (no GITHUB_RUN_ID: not on a runner) on victim',
    );
    expect(post.stdout).toMatch(/^victim: restored from the undo record of run cli:[^ ]+: memory 256 MB, COLDSTART_NONCE removed$/m);
    expect(post.stdout).toMatch(/restored 1 of 1 function\(s\)/);
    expectOriginal(emu);
  });
});

describe('the post step without saved state, when the restore fails', () => {
  it('fails the step, naming the function and the restore command (not only a warning)', async () => {
    emu = await startSmallEmulator([victim], { seed: 29 });
    const j = await killActionMidRun(emu);
    writeFileSync(j.files.state, ''); // the saved state is lost
    emu.control.setFaults({
      failUpdatesRemoving: {
        victim: { count: 1000, status: 400, type: 'InvalidParameterValueException', message: 'injected', variable: 'COLDSTART_NONCE' },
      },
    });
    const post = await runPost({ ...j, env: { ...j.env, INPUT_FUNCTIONS: 'victim' } });
    expect(post.code).toBe(1);
    expect(post.stdout).toMatch(
      /^::error::victim: could not restore: .*; its original memory is 256 MB; it keeps its undo record: run `lambda-coldstart restore --functions victim --region us-east-1 --force` with valid credentials, or the action with mode: restore$/m,
    );
    expect(post.stdout.match(/victim: could not restore/g)).toHaveLength(1);
    expect(post.stdout + post.stderr).not.toContain(SECRET);
  });
});

describe('restore usage', () => {
  it('--help explains it; no --functions is bad usage (exit 2)', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'lcs-usage-'));
    const [help, none, main] = await Promise.all([
      runCli(['restore', '--help'], { cwd }),
      runCli(['restore'], { cwd }),
      runCli(['--help'], { cwd }),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: lambda-coldstart restore --functions NAMES/);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('error: restore needs --functions: the function names or ARNs to put back\n');
    expect(main.stdout).toMatch(/lambda-coldstart restore --functions a,b +put back functions a run left changed/);
  });

  it('a malformed region is bad usage (exit 2), said once, before any AWS call', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'lcs-usage-'));
    const r = await runCli(['restore', '--functions', 'a,b', '--region', 'eu-west'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: --region: "eu-west" is not an AWS region; use a name such as eu-west-1\n');
  });
});
