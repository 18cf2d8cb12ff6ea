/**
 * Looking at a record's writer (run/writer-check.ts, run/process-identity.ts, github/run-status.ts) and Lambda's clock
 * from the Date header (lambda/server-time.ts): this machine's processes, GitHub's answer for a workflow run (the fake
 * GitHub), and an emulator whose clock is 10 minutes behind the host's.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/index.js';
import type { Emulator } from '../../emulator/types.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github-server.js';
import { engineDepsFor } from '../helpers/engine-deps.js';
import { RunStatusError, workflowRunStatus } from '../../src/github/run-status.js';
import { lambdaNow, offsetFrom, serverTime } from '../../src/lambda/server-time.js';
import type { UndoRecord } from '../../src/lambda/undo/record.js';
import { machineKey, parseProcStat, processRunning, thisProcess, type ProcFs } from '../../src/run/process-identity.js';
import { githubAccess, writerCheck } from '../../src/run/writer-check.js';
import { runWriter } from '../../src/run/run-id.js';

const RUN = 'https://github.com/octo-org/hello-lambdas/actions/runs/5001/attempts/1#a1b2c3';
const record = (over: Partial<UndoRecord> = {}): UndoRecord => ({
  nonce: 'n1',
  restoreMemory: 256,
  setMemory: 1024,
  updatedAt: 1_764_480_000_000,
  runId: RUN,
  ...over,
});

let emu: Emulator | undefined;
let gh: FakeGitHub | undefined;
afterEach(async () => {
  await emu?.close();
  await gh?.close();
  emu = undefined;
  gh = undefined;
});

describe('this machine and its processes', () => {
  const STAT = '4242 (node (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 1 0 0 20 0 11 0 987654 1000000 5000';
  const proc = (files: Record<string, string>): ProcFs => ({
    read: (p) => {
      if (files[p] === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return files[p];
    },
    link: () => 'pid:[4026531836]',
  });
  const linux = proc({ '/proc/sys/kernel/random/boot_id': 'b0-07\n', '/proc/self/stat': STAT, '/proc/4242/stat': STAT });

  it('a /proc stat line: its state and start time, with a command name holding spaces and parentheses', () => {
    expect(parseProcStat(STAT)).toEqual({ state: 'S', start: '987654' });
    expect(parseProcStat('garbage')).toBeUndefined();
  });

  it('on Linux: boot id + pid namespace + host name; the process by pid and start time (a reused pid is another process)', () => {
    const me = thisProcess({ os: 'linux', proc: linux, pid: 4242 });
    expect(me).toEqual({ host: expect.stringMatching(/^[0-9a-f]{16}$/), pid: 4242, start: '987654' });
    expect(machineKey({ os: 'linux', proc: linux, host: 'a' })).not.toBe(machineKey({ os: 'linux', proc: linux, host: 'b' }));
    expect(processRunning(me, { os: 'linux', proc: linux })).toBe(true);
    expect(processRunning({ ...me, start: '11' }, { os: 'linux', proc: linux })).toBe(false); // pid reused
    expect(processRunning({ ...me, pid: 9999 }, { os: 'linux', proc: linux })).toBe(false); // gone
    const zombie = proc({ '/proc/4242/stat': STAT.replace(') S ', ') Z ') });
    expect(processRunning(me, { os: 'linux', proc: zombie })).toBe(false);
  });

  it('elsewhere: host name and boot minute; the pid by signal 0 (EPERM: it exists)', () => {
    const boot = Date.UTC(2026, 0, 1, 8, 0, 10);
    expect(machineKey({ os: 'darwin', host: 'mac', bootMs: boot })).toBe(machineKey({ os: 'darwin', host: 'mac', bootMs: boot + 5_000 }));
    const p = { host: 'x', pid: 7 };
    const raise = (code: string) => () => {
      throw Object.assign(new Error(code), { code });
    };
    expect(processRunning(p, { os: 'darwin', kill: () => undefined })).toBe(true);
    expect(processRunning(p, { os: 'darwin', kill: raise('ESRCH') })).toBe(false);
    expect(processRunning(p, { os: 'darwin', kill: raise('EPERM') })).toBe(true);
  });

  it('for real: this process runs; a child killed with SIGKILL has ended', async () => {
    const me = thisProcess();
    expect(processRunning(me)).toBe(true);
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    await new Promise((r) => child.once('spawn', r));
    const start = me.start === undefined ? undefined : parseProcStat(readFileSync(`/proc/${child.pid}/stat`, 'utf8'))!.start;
    const other = { ...me, pid: child.pid!, ...(start === undefined ? {} : { start }) };
    expect(processRunning(other)).toBe(true);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    expect(processRunning(other)).toBe(false);
  });

  it('a run off a runner names this process; on a runner, its workflow run', () => {
    expect(runWriter(undefined)).toEqual({
      runId: expect.stringMatching(/^cli:[A-Za-z0-9][A-Za-z0-9._-]*:[0-9a-f]{6}$/),
      process: thisProcess(),
    });
    const url = 'https://github.com/octo-org/hello-lambdas/actions/runs/77';
    expect(runWriter(url, { GITHUB_RUN_ATTEMPT: '2' })).toEqual({
      runId: expect.stringMatching(/^https:\/\/github\.com\/.*\/runs\/77\/attempts\/2#[0-9a-f]{6}$/),
    });
  });
});

describe('the writer check', () => {
  const here = 'aaaaaaaaaaaaaaaa';
  const token = { serverUrl: 'https://github.com', apiUrl: 'http://127.0.0.1:9', token: 't' };

  it('a process on this machine: by its pid; on another machine: no check, said so', async () => {
    const check = writerCheck({ machine: here, running: (p) => p.pid === 1 });
    const cli = { runId: 'cli:box:abcdef' };
    expect(await check(record({ ...cli, process: { host: here, pid: 1 } }))).toEqual({ by: 'process', pid: 1, running: true });
    expect(await check(record({ ...cli, process: { host: here, pid: 2 } }))).toEqual({ by: 'process', pid: 2, running: false });
    expect(await check(record({ ...cli, process: { host: 'bbbbbbbbbbbbbbbb', pid: 1 } }))).toEqual({
      by: 'none',
      why: 'it ran on another machine',
    });
    expect(await check(record(cli))).toEqual({ by: 'none', why: 'its record names no process (written by version 1.0.0)' });
  });

  it('a workflow run: asked of the fake GitHub with this run’s token; completed, or a later attempt, is over', async () => {
    gh = await startFakeGitHub({ owner: 'octo-org', repo: 'hello-lambdas' });
    const run = gh.addRun({ id: 5001, status: 'in_progress', conclusion: null });
    const fresh = () => writerCheck({ machine: here, github: { serverUrl: 'https://github.com', apiUrl: gh!.url, token: 'ghs_x' } });
    const name = 'workflow run 5001 (attempt 1)';
    const check = fresh();
    expect(await check(record())).toEqual({ by: 'github', run: name, completed: false });
    expect(await check(record({ nonce: 'other-function' }))).toEqual({ by: 'github', run: name, completed: false }); // asked once
    run.status = 'completed';
    expect(await fresh()(record())).toEqual({ by: 'github', run: name, completed: true });
    Object.assign(run, { status: 'in_progress', runAttempt: 2 });
    expect(await fresh()(record())).toEqual({ by: 'github', run: name, completed: true });
    const asked = gh.state.requests.filter((r) => r.path === '/repos/octo-org/hello-lambdas/actions/runs/5001');
    expect(asked).toHaveLength(3);
    expect(asked[0]!.authorization).toBe('Bearer ghs_x');

    gh.setMode({ actionsRead: 'forbidden' });
    expect(await fresh()(record())).toEqual({
      by: 'none',
      why: `the status of ${name} could not be read (GitHub answered 403 (the token may lack actions: read))`,
    });
    expect(await fresh()(record({ runId: RUN.replace('5001', '5999') }))).toMatchObject({ by: 'none' });
  });

  it('no token, another GitHub server, GitHub unreachable: no check, said so; the token never goes elsewhere', async () => {
    const asked: string[] = [];
    const status = async (r: { apiUrl: string }) => {
      asked.push(r.apiUrl);
      throw new RunStatusError('GitHub: could not connect');
    };
    expect(await writerCheck({ github: { ...token, token: '' }, status })(record())).toEqual({
      by: 'none',
      why: 'no GitHub token to ask for the status of workflow run 5001 (attempt 1)',
    });
    const ghe = record({ runId: 'https://ghe.example.com/o/r/actions/runs/1/attempts/1#abcdef' });
    expect(await writerCheck({ github: token, status })(ghe)).toEqual({
      by: 'none',
      why: 'workflow run 1 (attempt 1) is on another GitHub server',
    });
    expect(asked).toEqual([]);
    expect(await writerCheck({ github: token, status })(record())).toMatchObject({ why: expect.stringMatching(/could not connect/) });
    expect(githubAccess('t', {})).toEqual({ serverUrl: 'https://github.com', apiUrl: 'https://api.github.com', token: 't' });
  });

  it('the status read: the documented endpoint and headers; a body without a status is refused', async () => {
    const calls: { url: string; headers: Record<string, string> }[] = [];
    const fetchStub = (async (url: string, init: { headers: Record<string, string> }) => {
      calls.push({ url, headers: init.headers });
      return new Response(JSON.stringify({ status: 'queued', run_attempt: 1 }), { status: 200 });
    }) as unknown as typeof fetch;
    const r = { apiUrl: 'https://api.github.com/', token: 'tok', owner: 'o', repo: 'r.x', runId: '12', fetch: fetchStub };
    expect(await workflowRunStatus(r)).toEqual({ status: 'queued', attempt: 1 });
    expect(calls[0]).toEqual({
      url: 'https://api.github.com/repos/o/r.x/actions/runs/12',
      headers: expect.objectContaining({ authorization: 'Bearer tok', 'x-github-api-version': '2022-11-28' }),
    });
    const odd = (async () => new Response('{"status":"\\n::error::x"}', { status: 200 })) as unknown as typeof fetch;
    await expect(workflowRunStatus({ ...r, fetch: odd })).rejects.toThrow('GitHub answered without a run status');
  });
});

describe("Lambda's clock from the Date header", () => {
  it('an emulator 10 minutes behind the host: the client knows Lambda’s time after one response', async () => {
    expect(offsetFrom('Wed, 01 May 2024 12:00:00 GMT', Date.UTC(2024, 4, 1, 12, 10))).toBe(-600_000);
    expect(offsetFrom(undefined, 1)).toBeUndefined();
    expect(offsetFrom('soon', 1)).toBeUndefined();

    emu = await startEmulator({
      seed: 1,
      clock: { offsetMs: -600_000 },
      functions: [{ name: 'f', runtime: 'nodejs20.x', synthetic: { initMs: { mean: 50, sd: 1 }, durationMs: { mean: 1, sd: 0.1 } } }],
    });
    const { deps } = engineDepsFor(emu);
    expect(serverTime(deps.lambda).now()).toBeUndefined();
    expect(lambdaNow(deps.lambda, () => 42)).toBe(42);
    await deps.lambda.send(new GetFunctionCommand({ FunctionName: 'f' }));
    const lambda = serverTime(deps.lambda).now()!;
    const truth = emu.state().clock.now;
    expect(Math.abs(lambda - truth)).toBeLessThan(2_000); // the header has whole seconds
    expect(Date.now() - lambda).toBeGreaterThan(590_000);
  });
});
