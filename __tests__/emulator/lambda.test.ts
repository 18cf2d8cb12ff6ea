import {
  DeleteFunctionConcurrencyCommand,
  ListFunctionsCommand,
  PutFunctionConcurrencyCommand,
  GetAccountSettingsCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  InvalidParameterValueException,
  InvokeCommand,
  PreconditionFailedException,
  ResourceConflictException,
  ResourceNotFoundException,
  ServiceException,
  TooManyRequestsException,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EmulatorConfig } from '../../emulator/index.js';
import { SYN, clients, until } from './helpers.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(extra: Partial<EmulatorConfig> = {}): Promise<{ emu: Emulator; lambda: LambdaClient }> {
  emu = await startEmulator({
    seed: 42,
    latency: { updateMs: 40, invokeOverheadMs: 2, ingestionMs: 20, queryMs: 20 },
    functions: [
      { name: 'alpha', runtime: 'nodejs20.x', memory: 256, environment: { KEEP: 'yes', SECRET_TOKEN: 'hunter2' }, synthetic: SYN },
      { name: 'bare', runtime: 'python3.11', synthetic: SYN },
      { name: 'jsonfn', runtime: 'provided.al2023', logFormat: 'JSON', logGroup: '/custom/json', synthetic: SYN },
    ],
    ...extra,
  });
  return { emu, lambda: clients(emu).lambda };
}

const decode = (b64: string | undefined): string => Buffer.from(b64 ?? '', 'base64').toString('utf8');

describe('emulator: Lambda control plane', () => {
  it('GetFunction resolves names, partial ARNs and full ARNs; unknown names are ResourceNotFoundException', async () => {
    const { lambda } = await start();
    const byName = await lambda.send(new GetFunctionCommand({ FunctionName: 'alpha' }));
    expect(byName.Configuration).toMatchObject({
      FunctionName: 'alpha',
      FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:alpha',
      Runtime: 'nodejs20.x',
      MemorySize: 256,
      State: 'Active',
      LastUpdateStatus: 'Successful',
      PackageType: 'Zip',
      Architectures: ['x86_64'],
      Version: '$LATEST',
      LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/alpha' },
      Environment: { Variables: { KEEP: 'yes', SECRET_TOKEN: 'hunter2' } },
    });
    expect(byName.Code?.RepositoryType).toBe('S3');
    const partial = await lambda.send(new GetFunctionCommand({ FunctionName: '123456789012:function:alpha' }));
    const full = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:alpha' }),
    );
    expect(partial.Configuration?.RevisionId).toBe(byName.Configuration?.RevisionId);
    expect(full.RevisionId).toBe(byName.Configuration?.RevisionId);

    const bare = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'bare' }));
    expect(bare.Environment).toBeUndefined();
    expect(bare.MemorySize).toBe(128);
    const json = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'jsonfn' }));
    expect(json.LoggingConfig).toMatchObject({ LogFormat: 'JSON', LogGroup: '/custom/json' });

    await expect(lambda.send(new GetFunctionCommand({ FunctionName: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      lambda.send(new GetFunctionCommand({ FunctionName: 'arn:aws:lambda:eu-west-1:123456789012:function:alpha' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(lambda.send(new GetFunctionCommand({ FunctionName: 'alpha', Qualifier: '7' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('UpdateFunctionConfiguration: InProgress → Successful (waiter), env replaced wholesale, 409 while in progress', async () => {
    const { emu, lambda } = await start();
    emu.control.setLatency({ updateMs: 300 }); // long enough to see InProgress on a busy machine
    const before = await lambda.send(new GetFunctionCommand({ FunctionName: 'alpha' }));
    const upd = await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'alpha',
        MemorySize: 512,
        Environment: { Variables: { ONLY: '1' } },
        RevisionId: before.Configuration?.RevisionId,
      }),
    );
    expect(upd.LastUpdateStatus).toBe('InProgress');
    expect(upd.MemorySize).toBe(512);
    expect(upd.RevisionId).not.toBe(before.Configuration?.RevisionId);
    await expect(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'alpha', MemorySize: 1024 }))).rejects.toBeInstanceOf(
      ResourceConflictException,
    );
    const w = await waitUntilFunctionUpdatedV2(
      { client: lambda, maxWaitTime: 10, minDelay: 0.02, maxDelay: 0.05 },
      { FunctionName: 'alpha' },
    );
    expect(w.state).toBe('SUCCESS');
    const after = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'alpha' }));
    expect(after.LastUpdateStatus).toBe('Successful');
    expect(after.MemorySize).toBe(512);
    expect(after.Environment?.Variables).toEqual({ ONLY: '1' });
    expect(emu.state().functions.alpha?.Environment?.Variables).toEqual({ ONLY: '1' });
    const ops = emu
      .state()
      .calls.filter((c) => c.operation === 'UpdateFunctionConfiguration')
      .map((c) => c.status);
    expect(ops).toEqual([200, 409]);
  });

  it('rejects a stale RevisionId (412), bad memory and a too-large environment (400) without echoing values', async () => {
    const { lambda } = await start();
    await expect(
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'alpha', MemorySize: 512, RevisionId: 'stale' })),
    ).rejects.toBeInstanceOf(PreconditionFailedException);
    await expect(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'alpha', MemorySize: 64 }))).rejects.toBeInstanceOf(
      InvalidParameterValueException,
    );
    await expect(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'alpha', MemorySize: 10241 }))).rejects.toBeInstanceOf(
      InvalidParameterValueException,
    );
    const big = 'v'.repeat(4090);
    const err = await lambda
      .send(new UpdateFunctionConfigurationCommand({ FunctionName: 'alpha', Environment: { Variables: { BIGVAR: big } } }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidParameterValueException);
    expect((err as Error).message).toContain('4KB');
    expect((err as Error).message).not.toContain(big.slice(0, 20));
    // Measured as the JSON string: {"A":"x…"} of exactly 4096 bytes is allowed, one more is not.
    await expect(
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'alpha', Environment: { Variables: { A: 'x'.repeat(4089) } } })),
    ).rejects.toBeInstanceOf(InvalidParameterValueException);
    const ok = await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'alpha', Environment: { Variables: { A: 'x'.repeat(4088) } } }),
    );
    expect(ok.LastUpdateStatus).toBe('InProgress');
  });

  it('outside change: new RevisionId, goes through InProgress, the client then gets 412 on its old RevisionId', async () => {
    const { emu, lambda } = await start();
    const rev = (await lambda.send(new GetFunctionCommand({ FunctionName: 'alpha' }))).Configuration?.RevisionId;
    emu.control.outsideChange('alpha', { memory: 1024, inProgressMs: 300 });
    const mid = await lambda.send(new GetFunctionCommand({ FunctionName: 'alpha' }));
    expect(mid.Configuration?.LastUpdateStatus).toBe('InProgress');
    expect(mid.Configuration?.MemorySize).toBe(1024);
    expect(() => emu.control.outsideChange('alpha', { memory: 2048 })).toThrow(/in progress/);
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 10, minDelay: 0.02, maxDelay: 0.05 }, { FunctionName: 'alpha' });
    await expect(
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'alpha', MemorySize: 256, RevisionId: rev })),
    ).rejects.toBeInstanceOf(PreconditionFailedException);
    const foreignCalls = emu.state().calls.filter((c) => c.foreign);
    expect(foreignCalls.map((c) => [c.operation, c.status])).toEqual([
      ['UpdateFunctionConfiguration', 200],
      ['UpdateFunctionConfiguration', 409],
    ]);
  });

  it('a Pending function refuses invokes and updates with ResourceConflictException', async () => {
    const { lambda } = await start({ functions: [{ name: 'pend', runtime: 'nodejs20.x', state: 'Pending', synthetic: SYN }] });
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'pend' }))).rejects.toBeInstanceOf(ResourceConflictException);
    await expect(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'pend', MemorySize: 256 }))).rejects.toBeInstanceOf(
      ResourceConflictException,
    );
  });

  it('an Inactive function: the first invoke fails with ResourceConflictException and wakes it up (Pending → Active)', async () => {
    const { emu, lambda } = await start({ functions: [{ name: 'sleepy', runtime: 'nodejs20.x', state: 'Inactive', synthetic: SYN }] });
    emu.control.setLatency({ updateMs: 300 }); // long enough to see Pending on a busy machine
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'sleepy' }))).rejects.toBeInstanceOf(ResourceConflictException);
    expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'sleepy' }))).State).toBe('Pending');
    await until(async () =>
      (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'sleepy' }))).State === 'Active' ? true : undefined,
    );
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'sleepy' }))).resolves.toMatchObject({ StatusCode: 200 });
    expect(emu.state().invocations).toHaveLength(1);
  });

  it('ListFunctions, PutFunctionConcurrency and DeleteFunctionConcurrency', async () => {
    const { lambda } = await start();
    const list = await lambda.send(new ListFunctionsCommand({}));
    expect(list.Functions?.map((f) => f.FunctionName)).toEqual(['alpha', 'bare', 'jsonfn']);
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'alpha', ReservedConcurrentExecutions: 7 }));
    expect((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'alpha' }))).ReservedConcurrentExecutions).toBe(7);
    expect((await lambda.send(new GetAccountSettingsCommand({}))).AccountLimit?.UnreservedConcurrentExecutions).toBe(993);
    await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'alpha' }));
    expect((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'alpha' }))).ReservedConcurrentExecutions).toBeUndefined();
  });
});

describe('emulator: Invoke', () => {
  it('cold then warm; tail log holds the REPORT; ground truth equals the printed numbers', async () => {
    const { emu, lambda } = await start();
    const r1 = await lambda.send(new InvokeCommand({ FunctionName: 'alpha', LogType: 'Tail', Payload: Buffer.from('{"a":1}') }));
    expect(r1.StatusCode).toBe(200);
    expect(r1.ExecutedVersion).toBe('$LATEST');
    expect(r1.$metadata.requestId).toBe(emu.state().invocations[0]?.requestId);
    expect(r1.FunctionError).toBeUndefined();
    expect(JSON.parse(Buffer.from(r1.Payload ?? []).toString())).toMatchObject({ statusCode: 200 });
    const tail1 = decode(r1.LogResult);
    const [inv1, inv2] = await (async () => {
      await lambda.send(new InvokeCommand({ FunctionName: 'alpha', LogType: 'Tail' }));
      return emu.state().invocations;
    })();
    expect(inv1?.cold).toBe(true);
    expect(inv1?.newEnvironment).toBe(true);
    expect(inv2?.cold).toBe(false);
    expect(inv2?.initMs).toBeNull();
    expect(inv2?.environmentId).toBe(inv1?.environmentId);
    expect(inv1?.environment).toEqual({ KEEP: 'yes', SECRET_TOKEN: 'hunter2' });
    expect(inv1?.memorySizeMb).toBe(256);

    const m =
      /REPORT RequestId: (\S+)\tDuration: ([\d.]+) ms\tBilled Duration: (\d+) ms\tMemory Size: (\d+) MB\tMax Memory Used: (\d+) MB\tInit Duration: ([\d.]+) ms\t\n$/.exec(
        tail1,
      );
    expect(m).not.toBeNull();
    expect(tail1).toMatch(/^START RequestId: \S+ Version: \$LATEST\n/);
    expect(tail1).toContain(`END RequestId: ${inv1?.requestId}\n`);
    expect({
      requestId: m?.[1],
      durationMs: Number(m?.[2]),
      billedMs: Number(m?.[3]),
      memorySizeMb: Number(m?.[4]),
      maxMemoryUsedMb: Number(m?.[5]),
      initMs: Number(m?.[6]),
    }).toEqual({
      requestId: inv1?.requestId,
      durationMs: inv1?.durationMs,
      billedMs: inv1?.billedMs,
      memorySizeMb: inv1?.memorySizeMb,
      maxMemoryUsedMb: inv1?.maxMemoryUsedMb,
      initMs: inv1?.initMs,
    });
    // since 1 Aug 2025 Lambda bills the init phase of every on-demand runtime (nodejs20.x here)
    expect(inv1?.billedMs).toBe(Math.ceil((inv1?.durationMs ?? NaN) + (inv1?.initMs ?? NaN)));
    expect(inv2?.billedMs).toBe(Math.max(1, Math.ceil(inv2?.durationMs ?? NaN)));
    expect(inv1?.initMs).toBeGreaterThan(50);
    expect(inv1?.reportMessage).toBe(tail1.trimEnd().split('\n').at(-1) + '\t');
    expect(inv1?.logStream).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
  });

  it('is deterministic for a seed: synthetic values of a function depend only on its own invocations', async () => {
    const a = await start();
    await a.lambda.send(new InvokeCommand({ FunctionName: 'alpha' }));
    await a.lambda.send(new InvokeCommand({ FunctionName: 'alpha' }));
    const first = a.emu.state().invocations;
    await a.emu.close();
    const b = await start();
    for (let i = 0; i < 3; i++) await b.lambda.send(new GetFunctionCommand({ FunctionName: 'alpha' }));
    await b.lambda.send(new InvokeCommand({ FunctionName: 'bare' }));
    await b.lambda.send(new InvokeCommand({ FunctionName: 'alpha' }));
    await b.lambda.send(new InvokeCommand({ FunctionName: 'alpha' }));
    const second = b.emu.state().invocations.filter((i) => i.functionName === 'alpha');
    expect(second.map((i) => [i.initMs, i.durationMs, i.maxMemoryUsedMb])).toEqual(
      first.map((i) => [i.initMs, i.durationMs, i.maxMemoryUsedMb]),
    );
    const c = await start({ seed: 43 });
    await c.lambda.send(new InvokeCommand({ FunctionName: 'alpha' }));
    expect(c.emu.state().invocations[0]?.initMs).not.toBe(first[0]?.initMs);
  });

  it('JSON log format: platform.start / platform.report in the tail; function errors set X-Amz-Function-Error', async () => {
    const { emu, lambda } = await start({
      functions: [
        { name: 'jsonfn', runtime: 'provided.al2023', logFormat: 'JSON', synthetic: SYN },
        { name: 'broken', runtime: 'nodejs20.x', synthetic: { ...SYN, error: true } },
      ],
    });
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'jsonfn', LogType: 'Tail' }));
    const lines = decode(r.LogResult)
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; record: Record<string, unknown> });
    expect(lines[0]?.type).toBe('platform.start');
    const report = lines.at(-1);
    expect(report?.type).toBe('platform.report');
    const inv = emu.state().invocations[0];
    expect(report?.record).toEqual({
      requestId: inv?.requestId,
      status: 'success',
      metrics: {
        durationMs: inv?.durationMs,
        billedDurationMs: inv?.billedMs,
        memorySizeMB: 128,
        maxMemoryUsedMB: inv?.maxMemoryUsedMb,
        initDurationMs: inv?.initMs,
      },
    });
    // the init phase is billed (provided.* as every runtime)
    expect(inv?.billedMs).toBe(Math.ceil((inv?.durationMs ?? 0) + (inv?.initMs ?? 0)));

    const e = await lambda.send(new InvokeCommand({ FunctionName: 'broken', LogType: 'Tail' }));
    expect(e.StatusCode).toBe(200);
    expect(e.FunctionError).toBe('Unhandled');
    expect(JSON.parse(Buffer.from(e.Payload ?? []).toString())).toMatchObject({ errorType: 'Error' });
    expect(decode(e.LogResult)).toMatch(/Init Duration: [\d.]+ ms\tStatus: error\tError Type: Error\t\n$/);
    expect(emu.state().invocations[1]?.status).toBe('error');
  });

  it('Event invocations return 202 and still run; tail is capped at 4 KB', async () => {
    const { emu, lambda } = await start();
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'alpha', InvocationType: 'Event' }));
    expect(r.StatusCode).toBe(202);
    const inv = await until(() => emu.state().invocations[0]);
    expect(inv.invocationType).toBe('Event');
    expect(r.$metadata.requestId).toBe(inv.requestId);
    const dry = await lambda.send(new InvokeCommand({ FunctionName: 'alpha', InvocationType: 'DryRun' }));
    expect(dry.StatusCode).toBe(204);
    expect(emu.state().invocations).toHaveLength(1);
  });

  it('during InProgress invokes run the old configuration warm; after Successful the next is cold with the new one', async () => {
    const { emu, lambda } = await start({ latency: { updateMs: 300, invokeOverheadMs: 1, ingestionMs: 10, queryMs: 10 } });
    await lambda.send(new InvokeCommand({ FunctionName: 'alpha' }));
    await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'alpha', MemorySize: 1024, Environment: { Variables: { NEW: '1' } } }),
    );
    await lambda.send(new InvokeCommand({ FunctionName: 'alpha' }));
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 10, minDelay: 0.02, maxDelay: 0.05 }, { FunctionName: 'alpha' });
    await lambda.send(new InvokeCommand({ FunctionName: 'alpha' }));
    await lambda.send(new InvokeCommand({ FunctionName: 'alpha' }));
    const [a, b, c, d] = emu.state().invocations;
    expect([a?.cold, b?.cold, c?.cold, d?.cold]).toEqual([true, false, true, false]);
    expect(b?.memorySizeMb).toBe(256);
    expect(b?.environment).toEqual({ KEEP: 'yes', SECRET_TOKEN: 'hunter2' });
    expect(b?.environmentId).toBe(a?.environmentId);
    expect(c?.memorySizeMb).toBe(1024);
    expect(c?.environment).toEqual({ NEW: '1' });
    expect(c?.environmentId).not.toBe(a?.environmentId);
    expect(c?.revisionId).toBe(emu.state().functions.alpha?.RevisionId);
    const envs = emu.state().environments;
    expect(envs.find((e) => e.id === a?.environmentId)?.status).toBe('reaped');
    expect(envs.find((e) => e.id === c?.environmentId)?.status).toBe('idle');
  });

  it('concurrent invokes each get their own (cold) environment', async () => {
    const { emu, lambda } = await start({ latency: { updateMs: 10, invokeOverheadMs: 60, ingestionMs: 10, queryMs: 10 } });
    await Promise.all([1, 2, 3].map(() => lambda.send(new InvokeCommand({ FunctionName: 'alpha' }))));
    const inv = emu.state().invocations;
    expect(inv.map((i) => i.cold)).toEqual([true, true, true]);
    expect(new Set(inv.map((i) => i.environmentId)).size).toBe(3);
    expect(new Set(inv.map((i) => i.logStream)).size).toBe(3);
  });

  it('reserved concurrency: 429 TooManyRequestsException beyond it; concurrency and account settings report it', async () => {
    const { emu, lambda } = await start({
      accountConcurrency: 50,
      latency: { updateMs: 10, invokeOverheadMs: 80, ingestionMs: 10, queryMs: 10 },
      functions: [
        { name: 'one', runtime: 'nodejs20.x', reservedConcurrency: 1, synthetic: SYN },
        { name: 'free', runtime: 'nodejs20.x', synthetic: SYN },
      ],
    });
    expect((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'one' }))).ReservedConcurrentExecutions).toBe(1);
    expect((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'free' }))).ReservedConcurrentExecutions).toBeUndefined();
    const acct = await lambda.send(new GetAccountSettingsCommand({}));
    expect(acct.AccountLimit).toMatchObject({ ConcurrentExecutions: 50, UnreservedConcurrentExecutions: 49 });
    expect((await lambda.send(new GetFunctionCommand({ FunctionName: 'one' }))).Concurrency?.ReservedConcurrentExecutions).toBe(1);

    const results = await Promise.allSettled([
      lambda.send(new InvokeCommand({ FunctionName: 'one' })),
      lambda.send(new InvokeCommand({ FunctionName: 'one' })),
    ]);
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    const err = (rejected[0] as PromiseRejectedResult).reason as TooManyRequestsException;
    expect(err).toBeInstanceOf(TooManyRequestsException);
    expect(err.Reason).toBe('ReservedFunctionConcurrentInvocationLimitExceeded');

    emu.control.setReservedConcurrency('free', 0);
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'free' }))).rejects.toBeInstanceOf(TooManyRequestsException);
    emu.control.setReservedConcurrency('free', undefined);
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'free' }))).resolves.toMatchObject({ StatusCode: 200 });
  });
});

describe('emulator: faults and foreign traffic', () => {
  it('failNext injects the named errors the given number of times (with Retry-After)', async () => {
    const { emu, lambda } = await start({
      faults: {
        failNext: {
          Invoke: { count: 1, status: 429, retryAfterSec: 2 },
          GetFunction: { count: 1, status: 503 },
          UpdateFunctionConfiguration: { count: 1, status: 409 },
        },
      },
    });
    const inv = await lambda.send(new InvokeCommand({ FunctionName: 'alpha' })).catch((e: unknown) => e);
    expect(inv).toBeInstanceOf(TooManyRequestsException);
    expect((inv as TooManyRequestsException).retryAfterSeconds).toBe('2');
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'alpha' }))).resolves.toMatchObject({ StatusCode: 200 });
    await expect(lambda.send(new GetFunctionCommand({ FunctionName: 'alpha' }))).rejects.toBeInstanceOf(ServiceException);
    await expect(lambda.send(new GetFunctionCommand({ FunctionName: 'alpha' }))).resolves.toBeDefined();
    await expect(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'alpha', MemorySize: 300 }))).rejects.toBeInstanceOf(
      ResourceConflictException,
    );
    emu.control.setFaults({ failNext: { GetFunctionConfiguration: { count: 2, status: 500 } } });
    await expect(lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'alpha' }))).rejects.toBeInstanceOf(ServiceException);
    const calls = emu.state().calls.map((c) => `${c.operation}:${c.status}`);
    expect(calls).toEqual([
      'Invoke:429',
      'Invoke:200',
      'GetFunction:503',
      'GetFunction:200',
      'UpdateFunctionConfiguration:409',
      'GetFunctionConfiguration:500',
    ]);
    expect(emu.state().invocations).toHaveLength(1);
    // The SDK retries throttles by itself when allowed to
    const retrying = clients(emu, 3).lambda;
    emu.control.setFaults({ failNext: { Invoke: { count: 1, status: 429, retryAfterSec: 0 } } });
    await expect(retrying.send(new InvokeCommand({ FunctionName: 'alpha' }))).resolves.toMatchObject({ StatusCode: 200 });
  });

  it('failRate injects seeded random failures, identical for the same seed', async () => {
    const run = async (): Promise<number[]> => {
      const { emu, lambda } = await start({ faults: { failRate: { Invoke: { rate: 0.5, status: 429, retryAfterSec: 1 } } } });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const ok = await lambda.send(new InvokeCommand({ FunctionName: 'alpha' })).then(
          () => 200,
          (e: unknown) => (e instanceof TooManyRequestsException ? 429 : 0),
        );
        statuses.push(ok);
      }
      expect(emu.state().invocations).toHaveLength(statuses.filter((x) => x === 200).length);
      await emu.close();
      return statuses;
    };
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    expect(a.filter((x) => x === 429).length).toBeGreaterThan(0);
    expect(a.filter((x) => x === 200).length).toBeGreaterThan(0);
  });

  it('foreign traffic after an update takes the cold start, so the client invoke is warm', async () => {
    const { emu, lambda } = await start({ faults: { foreignTrafficAfterUpdate: { alpha: 1 } } });
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'alpha', MemorySize: 512 }));
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 10, minDelay: 0.02, maxDelay: 0.05 }, { FunctionName: 'alpha' });
    await lambda.send(new InvokeCommand({ FunctionName: 'alpha' }));
    const [foreign, mine] = emu.state().invocations;
    expect(foreign).toMatchObject({ foreign: true, cold: true, memorySizeMb: 512 });
    expect(mine).toMatchObject({ foreign: false, cold: false, memorySizeMb: 512, environmentId: foreign?.environmentId });
    // only the next 1 update had foreign traffic
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'alpha', MemorySize: 1024 }));
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 10, minDelay: 0.02, maxDelay: 0.05 }, { FunctionName: 'alpha' });
    await lambda.send(new InvokeCommand({ FunctionName: 'alpha' }));
    expect(emu.state().invocations.at(-1)).toMatchObject({ foreign: false, cold: true, memorySizeMb: 1024 });
  });

  it('control.foreignInvoke runs now and is marked foreign', async () => {
    const { emu, lambda } = await start();
    const rec = await emu.control.foreignInvoke('alpha');
    expect(rec).toMatchObject({ foreign: true, cold: true, functionName: 'alpha' });
    await lambda.send(new InvokeCommand({ FunctionName: 'alpha' }));
    expect(emu.state().invocations[1]).toMatchObject({ foreign: false, cold: false });
  });

  it('proactive initialisation: a new environment whose first invoke has no Init Duration', async () => {
    const { emu, lambda } = await start({ faults: { proactiveInitRate: 1 } });
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'alpha', LogType: 'Tail' }));
    const inv = emu.state().invocations[0];
    expect(inv).toMatchObject({ cold: false, newEnvironment: true, proactiveInit: true, initMs: null });
    expect(decode(r.LogResult)).not.toContain('Init Duration');
    expect(decode(r.LogResult)).toMatch(/Max Memory Used: \d+ MB\t\n$/);
  });
});
