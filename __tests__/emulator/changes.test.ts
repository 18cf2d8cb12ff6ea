import {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { SYN, clients } from './helpers.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const ORIGINAL = { KEEP: 'yes', COLDSTART_NONCE: 'run-1' };

async function start(): Promise<{ emu: Emulator; lambda: LambdaClient }> {
  emu = await startEmulator({
    seed: 9,
    latency: { updateMs: 20, invokeOverheadMs: 20, ingestionMs: 0, queryMs: 0 },
    functions: [
      { name: 'fn', runtime: 'nodejs22.x', memory: 2048, environment: ORIGINAL, synthetic: SYN },
      { name: 'bare', runtime: 'python3.12', synthetic: SYN },
    ],
  });
  return { emu, lambda: clients(emu).lambda };
}

const wait = (lambda: LambdaClient, name: string): Promise<unknown> =>
  waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 20, minDelay: 0.02, maxDelay: 0.05 }, { FunctionName: name });

describe('emulator: the Environment shape follows Lambda', () => {
  it('no variables → no Environment; {Variables: {}} removes them (no Environment); {} without Variables keeps them', async () => {
    const { emu, lambda } = await start();
    const bare = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'bare' }));
    expect(bare).not.toHaveProperty('Environment');
    expect((await lambda.send(new GetFunctionCommand({ FunctionName: 'bare' }))).Configuration).not.toHaveProperty('Environment');

    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'bare', Environment: { Variables: { A: '1' } } }));
    await wait(lambda, 'bare');
    const cleared = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'bare', Environment: { Variables: {} } }));
    expect(cleared).not.toHaveProperty('Environment');
    await wait(lambda, 'bare');
    expect(await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'bare' }))).not.toHaveProperty('Environment');
    expect(emu.state().functions.bare).not.toHaveProperty('Environment');
    await lambda.send(new InvokeCommand({ FunctionName: 'bare' }));
    expect(emu.state().invocations[0]?.environment).toBeNull();

    const before = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn' }));
    const kept = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn', Environment: {} }));
    expect(kept.Environment).toEqual({ Variables: ORIGINAL });
    expect(kept.RevisionId).not.toBe(before.RevisionId); // still an update of its own
  });
});

describe('emulator: changes by another actor', () => {
  it('replaces the variables wholesale and sets memory while the next invoke is in flight', async () => {
    const { emu, lambda } = await start();
    const before = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn' }));
    const change = emu.control.outsideChangeDuringNextInvoke('fn', { environment: { A: '1' }, memory: 256 });
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'fn' }));
    const { requestId, configuration } = await change;
    expect(requestId).toBe(r.$metadata.requestId);
    expect(configuration).toMatchObject({ Environment: { Variables: { A: '1' } }, MemorySize: 256, LastUpdateStatus: 'InProgress' });
    // the invoke ran the configuration it started with (the run's variables, its memory)
    const inv = emu.state().invocations[0];
    expect(inv).toMatchObject({ requestId, environment: ORIGINAL, memorySizeMb: 2048, revisionId: before.RevisionId });
    // by the time the response arrived, the other actor's update had been made
    const now = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn' }));
    expect(now.Environment?.Variables).toEqual({ A: '1' });
    expect(now.MemorySize).toBe(256);
    expect(now.RevisionId).not.toBe(before.RevisionId);
    const calls = emu.state().calls;
    const foreign = calls.findIndex((c) => c.foreign && c.operation === 'UpdateFunctionConfiguration');
    const invoke = calls.findIndex((c) => c.operation === 'Invoke');
    expect(foreign).toBeGreaterThanOrEqual(0);
    expect(foreign).toBeLessThan(invoke); // recorded before the invoke's response was sent
    expect(calls[foreign]?.time).toBeGreaterThanOrEqual(calls[invoke]?.time ?? Infinity);
    // it was the next invoke only
    await wait(lambda, 'fn');
    await lambda.send(new InvokeCommand({ FunctionName: 'fn' }));
    expect(emu.state().calls.filter((c) => c.foreign)).toHaveLength(1);
  });

  it('waits out an update in progress before making its change, and holds the response until then', async () => {
    const { emu, lambda } = await start();
    emu.control.setLatency({ updateMs: 300 });
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn', Timeout: 10 }));
    const change = emu.control.outsideChangeDuringNextInvoke('fn', { environment: { A: '1' } });
    await expect(emu.control.outsideChangeDuringNextInvoke('fn', { memory: 512 })).rejects.toThrow(/already armed/);
    await lambda.send(new InvokeCommand({ FunctionName: 'fn' }));
    const { configuration } = await change;
    expect(configuration).toMatchObject({ Environment: { Variables: { A: '1' } }, Timeout: 10, MemorySize: 2048 });
    const updates = emu.state().calls.filter((c) => c.operation === 'UpdateFunctionConfiguration');
    // like any client, the other actor met the update in progress (409), waited, and then made its change
    expect(updates.map((c) => [c.foreign === true, c.status])).toEqual([
      [false, 200],
      [true, 409],
      [true, 200],
    ]);
  });

  it('a deploy that stays InProgress for a given time (preflight meets a deploy in progress)', async () => {
    const { emu, lambda } = await start();
    const t0 = performance.now();
    const started = emu.control.outsideChange('fn', { environment: { STAGE: 'prod' }, inProgressMs: 300 });
    expect(started).toMatchObject({ LastUpdateStatus: 'InProgress', LastUpdateStatusReason: 'The function is being created.' });
    expect((await lambda.send(new GetFunctionCommand({ FunctionName: 'fn' }))).Configuration?.LastUpdateStatus).toBe('InProgress');
    await wait(lambda, 'fn');
    // latency.updateMs is 20 ms: the deploy's own 300 ms held it (a lower bound, so no flakiness)
    expect(performance.now() - t0).toBeGreaterThanOrEqual(250);
    expect((await lambda.send(new GetFunctionCommand({ FunctionName: 'fn' }))).Configuration).toMatchObject({
      LastUpdateStatus: 'Successful',
      Environment: { Variables: { STAGE: 'prod' } },
    });
  });
});
