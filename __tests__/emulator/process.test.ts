import { InvokeCommand, UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEMO_CONFIG_FILE,
  EXAMPLE_FUNCTIONS,
  detectRuntimes,
  loadConfigFile,
  startEmulator,
  type Emulator,
  type FunctionSpec,
} from '../../emulator/index.js';
import { clients } from './helpers.js';

const rt = detectRuntimes();
let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const decode = (b64: string | undefined): string => Buffer.from(b64 ?? '', 'base64').toString('utf8');

async function coldWarm(spec: FunctionSpec, expectMessage: string): Promise<void> {
  emu = await startEmulator({ seed: 3, latency: { updateMs: 20, ingestionMs: 0, queryMs: 0 }, functions: [spec] });
  const { lambda } = clients(emu);
  const r1 = await lambda.send(new InvokeCommand({ FunctionName: spec.name, LogType: 'Tail', Payload: Buffer.from('{"x":1}') }));
  const r2 = await lambda.send(new InvokeCommand({ FunctionName: spec.name, LogType: 'Tail' }));
  expect(r1.FunctionError).toBeUndefined();
  expect(Buffer.from(r1.Payload ?? []).toString()).toContain(expectMessage);
  const st = emu.state();
  const [a, b] = st.invocations;
  expect(a?.cold).toBe(true);
  // Real process start: tens to hundreds of milliseconds (allow a slow CI machine).
  expect(a?.initMs).toBeGreaterThan(1);
  expect(a?.initMs).toBeLessThan(3000);
  expect(b?.cold).toBe(false);
  expect(b?.environmentId).toBe(a?.environmentId);
  expect(a?.maxMemoryUsedMb).toBeGreaterThan(0);
  const tail = decode(r1.LogResult);
  expect(tail).toContain(`Init Duration: ${a?.initMs?.toFixed(2)} ms\t`);
  expect(tail).toContain(`invoked (${a?.requestId})`); // the handler's own log line
  expect(decode(r2.LogResult)).not.toContain('Init Duration');
  expect(st.liveProcesses).toBe(1);
  const pid = st.environments[0]?.pid;
  expect(pid).toBeTypeOf('number');
  expect(alive(pid ?? -1)).toBe(true);
  await emu.close();
  expect(emu.state().liveProcesses).toBe(0);
  expect(alive(pid ?? -1)).toBe(false);
}

describe('emulator: process runtimes', () => {
  it('Node.js: real cold start, then warm reuse; no process left after close', async () => {
    await coldWarm({ name: 'hello-node', runtime: 'nodejs20.x', process: { dir: EXAMPLE_FUNCTIONS.node } }, 'hello from Node.js');
  });

  it.skipIf(!rt.python)('Python: real cold start, then warm reuse; no process left after close', async () => {
    await coldWarm({ name: 'hello-py', runtime: 'python3.11', process: { dir: EXAMPLE_FUNCTIONS.python } }, 'hello from Python');
  });

  it.skipIf(!rt.cc)('provided (C bootstrap compiled on first use): real cold start, then warm reuse', async () => {
    await coldWarm({ name: 'hello-provided', runtime: 'provided.al2023', process: { dir: EXAMPLE_FUNCTIONS.provided } }, 'custom runtime');
  });

  it('handler errors, crashes and init errors are reported like Lambda', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'emu-fn-'));
    writeFileSync(
      path.join(dir, 'index.mjs'),
      `export const handler = async (e) => { if (e.crash) process.exit(3); if (e.fail) { const err = new TypeError('bad input'); throw err; } return 'ok'; };\n`,
    );
    writeFileSync(path.join(dir, 'broken.mjs'), `throw new Error('boom at import');\n`);
    emu = await startEmulator({
      seed: 5,
      latency: { updateMs: 10, ingestionMs: 0, queryMs: 0 },
      functions: [
        { name: 'f', runtime: 'nodejs20.x', process: { dir } },
        { name: 'g', runtime: 'nodejs20.x', process: { dir, handler: 'broken.handler' } },
      ],
    });
    const { lambda } = clients(emu);
    const fail = await lambda.send(new InvokeCommand({ FunctionName: 'f', LogType: 'Tail', Payload: Buffer.from('{"fail":true}') }));
    expect(fail.FunctionError).toBe('Unhandled');
    expect(JSON.parse(Buffer.from(fail.Payload ?? []).toString())).toMatchObject({ errorType: 'TypeError', errorMessage: 'bad input' });
    expect(decode(fail.LogResult)).toMatch(/Status: error\tError Type: TypeError\t\n$/);
    const crash = await lambda.send(new InvokeCommand({ FunctionName: 'f', LogType: 'Tail', Payload: Buffer.from('{"crash":true}') }));
    expect(crash.FunctionError).toBe('Unhandled');
    expect(JSON.parse(Buffer.from(crash.Payload ?? []).toString())).toMatchObject({ errorType: 'Runtime.ExitError' });
    // after a crash the environment is gone: the next invoke is cold again
    await lambda.send(new InvokeCommand({ FunctionName: 'f' }));
    expect(emu.state().invocations.map((i) => [i.cold, i.status])).toEqual([
      [true, 'error'],
      [false, 'error'],
      [true, 'success'],
    ]);
    // An init error: Lambda re-runs init inside the invoke (suppressed init), which fails again.
    const init = await lambda.send(new InvokeCommand({ FunctionName: 'g', LogType: 'Tail' }));
    expect(init.FunctionError).toBe('Unhandled');
    const failed = emu.state().invocations.at(-1);
    expect(failed).toMatchObject({ status: 'error', errorType: 'Error', cold: false, newEnvironment: true, suppressedInit: true });
    expect(failed?.initReports.map((r) => [r.phase, r.status, r.errorType])).toEqual([
      ['init', 'error', 'Error'],
      ['invoke', 'error', 'Error'],
    ]);
    const initTail = decode(init.LogResult);
    expect(initTail).toMatch(/^INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error\tError Type: Error\n/);
    expect(initTail).toMatch(/\nINIT_REPORT Init Duration: [\d.]+ ms\tPhase: invoke\tStatus: error\tError Type: Error\nSTART RequestId: /);
    expect(failed?.reportMessage).not.toContain('Init Duration');
    await emu.close();
    expect(emu.state().liveProcesses).toBe(0);
  });

  it.skipIf(!rt.python)('Python: import errors fail init, handler exceptions are function errors', async () => {
    const bad = mkdtempSync(path.join(os.tmpdir(), 'emu-py-'));
    writeFileSync(path.join(bad, 'lambda_function.py'), 'import module_that_does_not_exist\n');
    const ok = mkdtempSync(path.join(os.tmpdir(), 'emu-py-'));
    writeFileSync(path.join(ok, 'app.py'), 'def main(event, context):\n    raise KeyError("missing")\n');
    emu = await startEmulator({
      seed: 2,
      functions: [
        { name: 'bad', runtime: 'python3.11', process: { dir: bad } },
        { name: 'raises', runtime: 'python3.12', process: { dir: ok, handler: 'app.main' } },
      ],
    });
    const { lambda } = clients(emu);
    const r1 = await lambda.send(new InvokeCommand({ FunctionName: 'bad' }));
    expect(r1.FunctionError).toBe('Unhandled');
    expect(JSON.parse(Buffer.from(r1.Payload ?? []).toString())).toMatchObject({ errorType: 'ModuleNotFoundError' });
    const r2 = await lambda.send(new InvokeCommand({ FunctionName: 'raises', LogType: 'Tail' }));
    expect(JSON.parse(Buffer.from(r2.Payload ?? []).toString())).toMatchObject({ errorType: 'KeyError' });
    expect(decode(r2.LogResult)).toMatch(/Init Duration: [\d.]+ ms\tStatus: error\tError Type: KeyError\t\n$/);
    expect(emu.state().invocations.map((i) => [i.functionName, i.status, i.cold, i.initReports.length])).toEqual([
      ['bad', 'error', false, 2], // init failed, and its re-run inside the invoke too
      ['raises', 'error', true, 0],
    ]);
    expect(emu.state().liveProcesses).toBe(1); // the failed init left nothing behind
  });

  it('a configuration change reaps the old environment (its process exits) and passes the new variables', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'emu-fn-'));
    writeFileSync(
      path.join(dir, 'index.mjs'),
      `export const handler = async () => ({ v: process.env.COLOR ?? null, mem: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE });\n`,
    );
    emu = await startEmulator({
      seed: 9,
      latency: { updateMs: 30, ingestionMs: 0, queryMs: 0 },
      functions: [{ name: 'f', runtime: 'nodejs20.x', environment: { COLOR: 'red' }, process: { dir } }],
    });
    const { lambda } = clients(emu);
    const r1 = await lambda.send(new InvokeCommand({ FunctionName: 'f' }));
    expect(JSON.parse(Buffer.from(r1.Payload ?? []).toString())).toEqual({ v: 'red', mem: '128' });
    const oldPid = emu.state().environments[0]?.pid ?? -1;
    await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'f', MemorySize: 256, Environment: { Variables: { COLOR: 'blue' } } }),
    );
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 10, minDelay: 0.02, maxDelay: 0.05 }, { FunctionName: 'f' });
    const r2 = await lambda.send(new InvokeCommand({ FunctionName: 'f' }));
    expect(JSON.parse(Buffer.from(r2.Payload ?? []).toString())).toEqual({ v: 'blue', mem: '256' });
    expect(emu.state().invocations.map((i) => i.cold)).toEqual([true, true]);
    const deadline = Date.now() + 3000;
    while (alive(oldPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(alive(oldPid)).toBe(false);
    expect(emu.state().liveProcesses).toBe(1);
  });

  it('concurrent cold starts spawn one process each', async () => {
    emu = await startEmulator({ seed: 1, functions: [{ name: 'n', runtime: 'nodejs20.x', process: { dir: EXAMPLE_FUNCTIONS.node } }] });
    const { lambda } = clients(emu);
    await Promise.all([1, 2, 3].map(() => lambda.send(new InvokeCommand({ FunctionName: 'n' }))));
    const st = emu.state();
    expect(st.invocations.every((i) => i.cold)).toBe(true);
    expect(st.liveProcesses).toBe(3);
    const pids = st.environments.map((e) => e.pid ?? -1);
    await emu.close();
    expect(pids.filter(alive)).toEqual([]);
  });

  it('the shipped demo config loads (dirs relative to the file) and every function cold-starts', async () => {
    const cfg = loadConfigFile(DEMO_CONFIG_FILE);
    expect(cfg.functions.find((f) => f.name === 'hello-node')?.process?.dir).toBe(EXAMPLE_FUNCTIONS.node);
    const usable = cfg.functions.filter((f) =>
      f.runtime.startsWith('python') && f.process ? rt.python : f.process && f.runtime.startsWith('provided') ? rt.cc : true,
    );
    emu = await startEmulator({ ...cfg, functions: usable, latency: { updateMs: 10, invokeOverheadMs: 1, ingestionMs: 0, queryMs: 0 } });
    const { lambda } = clients(emu);
    for (const f of usable) await lambda.send(new InvokeCommand({ FunctionName: f.name }));
    const inv = emu.state().invocations;
    expect(inv.map((i) => [i.functionName, i.cold])).toEqual(usable.map((f) => [f.name, true]));
    const go = inv.find((i) => i.functionName === 'study-go-al2');
    expect(go?.initMs).toBeGreaterThan(20);
    expect(go?.initMs).toBeLessThan(80);
  });
});
