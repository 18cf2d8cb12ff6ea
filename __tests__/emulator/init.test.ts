import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand, waitUntilFunctionUpdatedV2, type LambdaClient } from '@aws-sdk/client-lambda';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLE_FUNCTIONS, startEmulator, type Emulator, type EmulatorConfig, type FunctionSpec } from '../../emulator/index.js';
import { clients } from './helpers.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const decode = (b64: string | undefined): string => Buffer.from(b64 ?? '', 'base64').toString('utf8');
const SYN = { initMs: { mean: 120, sd: 10 }, durationMs: { mean: 3, sd: 0.5 } } as const;

async function start(functions: FunctionSpec[], extra: Partial<EmulatorConfig> = {}): Promise<{ emu: Emulator; lambda: LambdaClient }> {
  emu = await startEmulator({
    seed: 7,
    latency: { updateMs: 20, invokeOverheadMs: 1, ingestionMs: 0, queryMs: 0, initTimeoutMs: 200 },
    functions,
    ...extra,
  });
  return { emu, lambda: clients(emu).lambda };
}

/** Every message of the function's log group, oldest first. */
async function logMessages(e: Emulator, group: string): Promise<string[]> {
  const out = await clients(e).logs.send(new FilterLogEventsCommand({ logGroupName: group }));
  return (out.events ?? []).map((ev) => ev.message ?? '');
}

const REPORT =
  /^REPORT RequestId: (\S+)\tDuration: ([\d.]+) ms\tBilled Duration: (\d+) ms\tMemory Size: \d+ MB\tMax Memory Used: \d+ MB\t(.*)$/;

describe('emulator: failed inits (suppressed init)', () => {
  it('an init timeout: INIT_REPORT Phase: init, init re-runs inside the invoke, REPORT without Init Duration', async () => {
    const { emu, lambda } = await start([{ name: 'slow', runtime: 'python3.12', initFailure: { init: 'timeout' }, synthetic: SYN }]);
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'slow', LogType: 'Tail' }));
    expect(r.FunctionError).toBeUndefined();
    const inv = emu.state().invocations[0];
    expect(inv).toMatchObject({ status: 'success', cold: false, newEnvironment: true, suppressedInit: true, initMs: null });
    expect(inv?.initReports).toEqual([
      { phase: 'init', status: 'timeout', durationMs: 200, message: 'INIT_REPORT Init Duration: 200.00 ms\tPhase: init\tStatus: timeout' },
    ]);
    // the re-run init is part of the invoke's Duration and billed with it
    expect(inv?.rerunInitMs).toBeGreaterThan(50);
    expect(inv?.durationMs).toBeGreaterThan(inv?.rerunInitMs ?? Infinity);
    expect(inv?.billedMs).toBe(Math.ceil(inv?.durationMs ?? NaN));
    const tail = decode(r.LogResult).split('\n').slice(0, -1);
    expect(tail[0]).toBe('INIT_REPORT Init Duration: 200.00 ms\tPhase: init\tStatus: timeout');
    expect(tail[1]).toBe(`START RequestId: ${inv?.requestId} Version: $LATEST`);
    const m = REPORT.exec(tail.at(-1) ?? '');
    expect(m?.[4]).toBe(''); // nothing after Max Memory Used: no Init Duration, no Status
    expect(Number(m?.[2])).toBe(inv?.durationMs);

    // the environment lives on: the next invoke is warm and carries no INIT_REPORT
    await lambda.send(new InvokeCommand({ FunctionName: 'slow' }));
    const warm = emu.state().invocations[1];
    expect(warm).toMatchObject({ cold: false, newEnvironment: false, suppressedInit: false, initReports: [], rerunInitMs: null });
    const stream = await logMessages(emu, '/aws/lambda/slow');
    expect(stream.filter((l) => l.startsWith('INIT_START'))).toHaveLength(1);
    expect(stream.filter((l) => l.startsWith('INIT_REPORT'))).toHaveLength(1);
  });

  it('an init slower than the init limit times out by itself; a fast one is an ordinary cold start', async () => {
    const { emu, lambda } = await start([
      { name: 'heavy', runtime: 'nodejs22.x', synthetic: { initMs: { mean: 400, sd: 1 }, durationMs: { mean: 2, sd: 0.1 } } },
      { name: 'light', runtime: 'nodejs22.x', synthetic: { initMs: { mean: 50, sd: 1 }, durationMs: { mean: 2, sd: 0.1 } } },
    ]);
    await lambda.send(new InvokeCommand({ FunctionName: 'heavy' }));
    await lambda.send(new InvokeCommand({ FunctionName: 'light' }));
    const [heavy, light] = emu.state().invocations;
    expect(heavy).toMatchObject({ cold: false, suppressedInit: true, initMs: null });
    expect(heavy?.initReports.map((x) => [x.phase, x.status, x.durationMs])).toEqual([['init', 'timeout', 200]]);
    expect(heavy?.rerunInitMs).toBeGreaterThan(390);
    expect(light).toMatchObject({ cold: true, suppressedInit: false, initReports: [], rerunInitMs: null });
  });

  it('a crash in init and again in its re-run: two INIT_REPORTs, a function error, and the environment is gone', async () => {
    const { emu, lambda } = await start([{ name: 'crash', runtime: 'provided.al2023', synthetic: SYN }]);
    emu.control.failNextInit('crash', { init: 'error', rerun: 'error' });
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'crash', LogType: 'Tail' }));
    const inv = emu.state().invocations[0];
    expect(r.FunctionError).toBe('Unhandled');
    expect(JSON.parse(Buffer.from(r.Payload ?? []).toString())).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${inv?.requestId} Error: Runtime exited with error: exit status 1`,
    });
    expect(inv).toMatchObject({ status: 'error', errorType: 'Runtime.ExitError', cold: false, suppressedInit: true });
    const tail = decode(r.LogResult).split('\n').slice(0, -1);
    expect(tail.slice(0, 2).map((l) => l.replace(/[\d.]+ ms/, 'N ms'))).toEqual([
      'INIT_REPORT Init Duration: N ms\tPhase: init\tStatus: error\tError Type: Runtime.ExitError',
      'INIT_REPORT Init Duration: N ms\tPhase: invoke\tStatus: error\tError Type: Runtime.ExitError',
    ]);
    expect(tail.slice(2, 6)).toEqual([
      `START RequestId: ${inv?.requestId} Version: $LATEST`,
      `RequestId: ${inv?.requestId} Error: Runtime exited with error: exit status 1`,
      'Runtime.ExitError',
      `END RequestId: ${inv?.requestId}`,
    ]);
    expect(tail[6]).toMatch(/\tStatus: error\tError Type: Runtime\.ExitError\t$/);
    expect(tail[6]).not.toContain('Init Duration');
    expect(inv?.durationMs).toBeGreaterThan(inv?.rerunInitMs ?? Infinity);
    // the failure was for the next environment only: a new one starts and cold-starts normally
    await lambda.send(new InvokeCommand({ FunctionName: 'crash' }));
    const next = emu.state().invocations[1];
    expect(next).toMatchObject({ cold: true, newEnvironment: true, suppressedInit: false, status: 'success' });
    expect(next?.environmentId).not.toBe(inv?.environmentId);
  });

  it('a re-run that outlasts the function timeout: Phase: invoke Status: timeout, the invoke times out', async () => {
    const { emu, lambda } = await start([{ name: 'stuck', runtime: 'python3.12', timeoutSec: 2, synthetic: SYN }]);
    emu.control.failNextInit('stuck', { init: 'timeout', rerun: 'timeout' });
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'stuck' }));
    const inv = emu.state().invocations[0];
    expect(JSON.parse(Buffer.from(r.Payload ?? []).toString())).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${inv?.requestId} Error: Task timed out after 2.00 seconds`,
    });
    expect(inv?.initReports.map((x) => [x.phase, x.status, x.durationMs])).toEqual([
      ['init', 'timeout', 200],
      ['invoke', 'timeout', 2000],
    ]);
    expect(inv).toMatchObject({ status: 'timeout', errorType: 'Sandbox.Timedout', rerunInitMs: 2000 });
    expect(inv?.reportMessage).toMatch(/\tStatus: timeout\tError Type: Sandbox\.Timedout\t$/);
  });

  it('JSON log format: platform.initReport records with phase, status, metrics.durationMs and errorType', async () => {
    const { emu, lambda } = await start([{ name: 'j', runtime: 'nodejs22.x', logFormat: 'JSON', synthetic: SYN }]);
    emu.control.failNextInit('j', { init: 'error', rerun: 'error', errorType: 'Runtime.UserCodeSyntaxError' });
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'j', LogType: 'Tail' }));
    const records = decode(r.LogResult)
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; record: Record<string, unknown> });
    expect(records.map((x) => x.type)).toEqual(['platform.initReport', 'platform.initReport', 'platform.start', 'platform.report']);
    const inv = emu.state().invocations[0];
    expect(records[0]?.record).toEqual({
      initializationType: 'on-demand',
      phase: 'init',
      status: 'error',
      metrics: { durationMs: inv?.initReports[0]?.durationMs },
      errorType: 'Runtime.UserCodeSyntaxError',
    });
    expect(records[1]?.record).toMatchObject({ phase: 'invoke', status: 'error', errorType: 'Runtime.UserCodeSyntaxError' });
    expect(records[3]?.record).toMatchObject({ status: 'error', errorType: 'Runtime.UserCodeSyntaxError' });
    expect(records[3]?.record.metrics).not.toHaveProperty('initDurationMs');
    const stream = await logMessages(emu, '/aws/lambda/j');
    expect(stream.filter((l) => l.includes('"type":"platform.initStart"'))).toHaveLength(1);
    expect(inv?.initReports.map((x) => x.message)).toEqual(stream.filter((l) => l.includes('"type":"platform.initReport"')));
  });

  it('initFailure with a rate fails a seeded share of new environments, the same for the same seed', async () => {
    const pattern = async (): Promise<boolean[]> => {
      const names = Array.from({ length: 12 }, (_, i) => `f${i}`);
      const { emu, lambda } = await start(
        names.map((name) => ({ name, runtime: 'python3.12', initFailure: { init: 'timeout', rate: 0.5 }, synthetic: SYN })),
      );
      for (const name of names) await lambda.send(new InvokeCommand({ FunctionName: name }));
      const out = emu.state().invocations.map((i) => i.suppressedInit);
      await emu.close();
      return out;
    };
    const a = await pattern();
    const b = await pattern();
    expect(a.filter(Boolean).length).toBeGreaterThan(0);
    expect(a.filter((x) => !x).length).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });
});

describe('emulator: failed inits of real processes', () => {
  it('an init that outlasts the limit is killed, re-run inside the invoke, and the environment then serves warm', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'emu-slow-'));
    writeFileSync(
      path.join(dir, 'index.mjs'),
      `console.log('init start');\nawait new Promise((r) => setTimeout(r, Number(process.env.INIT_SLEEP_MS)));\nexport const handler = async () => 'ok';\n`,
    );
    // A limit a busy machine's Node.js start-up stays well inside: the first attempt must get to print before it is killed.
    const { emu, lambda } = await start(
      [{ name: 'slowp', runtime: 'nodejs20.x', environment: { INIT_SLEEP_MS: '1000' }, process: { dir } }],
      {
        latency: { updateMs: 20, invokeOverheadMs: 1, ingestionMs: 0, queryMs: 0, initTimeoutMs: 800 },
      },
    );
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'slowp', LogType: 'Tail' }));
    expect(r.FunctionError).toBeUndefined();
    const inv = emu.state().invocations[0];
    expect(inv).toMatchObject({ status: 'success', cold: false, suppressedInit: true, initMs: null });
    expect(inv?.initReports).toHaveLength(1);
    expect(inv?.initReports[0]).toMatchObject({ phase: 'init', status: 'timeout' });
    expect(inv?.initReports[0]?.durationMs).toBeGreaterThanOrEqual(200);
    expect(inv?.rerunInitMs).toBeGreaterThanOrEqual(1000);
    expect(inv?.durationMs).toBeGreaterThan(inv?.rerunInitMs ?? Infinity);
    expect(decode(r.LogResult)).toMatch(
      /^INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: timeout\ninit start\nSTART RequestId: /,
    );
    const stream = await logMessages(emu, '/aws/lambda/slowp');
    // both attempts ran the module's top level; the INIT_REPORT sits between them
    expect(stream.filter((l) => l === 'init start')).toHaveLength(2);
    expect(stream.findIndex((l) => l.startsWith('INIT_REPORT'))).toBeGreaterThan(stream.indexOf('init start'));
    await lambda.send(new InvokeCommand({ FunctionName: 'slowp' }));
    expect(emu.state().invocations[1]).toMatchObject({ cold: false, newEnvironment: false, environmentId: inv?.environmentId });
    expect(emu.state().liveProcesses).toBe(1);
  });

  it('a forced crash kills the runtime during init; a forced re-run timeout then a crash fails the invoke', async () => {
    const { emu, lambda } = await start([{ name: 'p', runtime: 'nodejs20.x', process: { dir: EXAMPLE_FUNCTIONS.node } }]);
    emu.control.failNextInit('p', { init: 'error' });
    const ok = await lambda.send(new InvokeCommand({ FunctionName: 'p' }));
    expect(ok.FunctionError).toBeUndefined();
    const first = emu.state().invocations[0];
    expect(first?.initReports.map((x) => [x.phase, x.status, x.errorType])).toEqual([['init', 'error', 'Runtime.ExitError']]);
    expect(first).toMatchObject({ status: 'success', suppressedInit: true, cold: false });

    // a configuration change retires that environment, so the next invoke needs a new one
    emu.control.outsideChange('p', { memory: 256 });
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 10, minDelay: 0.02, maxDelay: 0.05 }, { FunctionName: 'p' });
    emu.control.failNextInit('p', { init: 'timeout', rerun: 'error' });
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'p' }));
    expect(r.FunctionError).toBe('Unhandled');
    const failed = emu.state().invocations[1];
    expect(failed?.initReports.map((x) => [x.phase, x.status, x.errorType])).toEqual([
      ['init', 'timeout', undefined],
      ['invoke', 'error', 'Runtime.ExitError'],
    ]);
    expect(failed).toMatchObject({ status: 'error', errorType: 'Runtime.ExitError', newEnvironment: true });
    // neither the retired environment nor the failed one left a process behind
    expect(emu.state().liveProcesses).toBe(0);
  });
});
