/** Rare error paths that the emulator does not produce (aws-sdk-client-mock). */
import { GetFunctionCommand, InvokeCommand, LambdaClient, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AccessError, PreflightError } from '../../src/core/errors.js';
import { measureTargets } from '../../src/lambda/engine.js';
import { preflight } from '../../src/lambda/preflight.js';
import { encodeMarker } from '../../src/lambda/undo/record.js';
import type { MeasurePlan, Target } from '../../src/lambda/types.js';
import type { UndoState } from '../../src/lambda/undo/state.js';
import { mockedDeps } from '../helpers/mocked-deps.js';
import { CONTROL_RATE } from '../../src/config/limits.js';

const lambdaMock = mockClient(LambdaClient);
beforeEach(() => lambdaMock.reset());

const deps = (): ReturnType<typeof mockedDeps> => mockedDeps();

const plan: MeasurePlan = {
  memory: [256],
  repetitions: 1,
  payload: '{}',
  reportSource: 'tail',
  strategy: 'sequential',
  burstSize: null,
  apiRate: CONTROL_RATE,
  concurrency: 1,
  updateTimeoutSec: 60,
  queryTimeoutSec: 10,
  restore: true,
};

const cfg = (over: Record<string, unknown> = {}) => ({
  FunctionName: 'f',
  FunctionArn: 'arn:aws:lambda:us-east-1:1:function:f',
  MemorySize: 128,
  RevisionId: 'r0',
  State: 'Active',
  LastUpdateStatus: 'Successful',
  Environment: { Variables: { SECRET: 'hunter2-value' } },
  ...over,
});
const target: Target = {
  input: 'f',
  revisionId: 'r0',
  hadEnvironment: true,
  envBytes: 19,
  info: {
    name: 'f',
    arn: 'a',
    runtime: 'nodejs20.x',
    architecture: 'x86_64',
    packageType: 'Zip',
    logFormat: 'Text',
    logGroup: '/aws/lambda/f',
    snapStart: false,
    originalMemory: 128,
  },
};

describe('preflight (mocked)', () => {
  it('lists every problem, one line each, naming the function', async () => {
    lambdaMock.on(GetFunctionCommand, { FunctionName: 'managed' }).resolves({
      Configuration: cfg({
        FunctionName: 'managed',
        CapacityProviderConfig: { LambdaManagedInstancesCapacityProviderConfig: { CapacityProviderArn: 'x' } },
      }) as never,
    });
    lambdaMock
      .on(GetFunctionCommand, { FunctionName: 'busy' })
      .resolves({ Configuration: cfg({ FunctionName: 'busy', LastUpdateStatus: 'InProgress' }) as never });
    lambdaMock
      .on(GetFunctionCommand, { FunctionName: 'pending' })
      .resolves({ Configuration: cfg({ FunctionName: 'pending', State: 'Pending' }) as never });
    lambdaMock
      .on(GetFunctionCommand, { FunctionName: 'big' })
      .resolves({ Configuration: cfg({ FunctionName: 'big', Environment: { Variables: { BIG: 'x'.repeat(4060) } } }) as never });
    lambdaMock
      .on(GetFunctionCommand, { FunctionName: 'denied' })
      .rejects(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }));
    lambdaMock.on(GetFunctionCommand, { FunctionName: 'ok' }).resolves({ Configuration: cfg({ FunctionName: 'ok' }) as never });
    // A fake clock: the deploys in progress (busy, pending) are waited for until the update timeout, then refused.
    let t = 0;
    const said: string[] = [];
    const clock = { now: () => t, sleep: async (ms: number) => void (t += ms), log: { info: (m: string) => said.push(m) } };
    const inputs = ['managed', 'busy', 'pending', 'big', 'denied', 'ok', 'ok:prod'];
    const err = await preflight(new LambdaClient({ region: 'us-east-1' }), inputs, { updateTimeoutSec: 20, ...clock }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PreflightError);
    const problems = (err as PreflightError).problems;
    expect(problems).toHaveLength(6);
    expect(problems[0]).toMatch(/^managed: .*Managed Instances/);
    expect(problems[1]).toBe(
      'busy: a deploy was still in progress (LastUpdateStatus InProgress) after waiting 20 s (update-timeout); run again when it has finished, or raise update-timeout',
    );
    expect(problems[2]).toMatch(/^pending: a deploy was still in progress \(State Pending\) after waiting 20 s/);
    expect(said).toEqual([
      'busy: a deploy is in progress (LastUpdateStatus InProgress); waiting for it to finish (up to 20 s, update-timeout), then measuring',
      'pending: a deploy is in progress (State Pending); waiting for it to finish (up to 20 s, update-timeout), then measuring',
    ]);
    expect(t).toBeGreaterThanOrEqual(20_000);
    expect(problems[3]).toMatch(/^big: .*no room to add COLDSTART_NONCE/);
    expect(problems[4]).toMatch(/^denied: .*AccessDeniedException/);
    expect(problems[5]).toMatch(/^ok:prod: qualified/);
    expect((err as Error).message).not.toContain('xxxx');
    expect(lambdaMock.commandCalls(UpdateFunctionConfigurationCommand)).toHaveLength(0);
  });

  it("an update in progress on a function carrying another run's live record is that run's: refused at once, not waited for", async () => {
    const other = encodeMarker({
      nonce: 'n1',
      restoreMemory: 128,
      setMemory: 512,
      updatedAt: 1_000_000_000_000,
      runId: 'https://github.com/o/r/actions/runs/7/attempts/1#abcdef',
    });
    lambdaMock.on(GetFunctionCommand, { FunctionName: 'shared' }).resolves({
      Configuration: cfg({
        FunctionName: 'shared',
        MemorySize: 512,
        LastUpdateStatus: 'InProgress',
        LastModified: '2001-09-09T01:46:40.000+0000',
        Environment: { Variables: { COLDSTART_NONCE: other } },
      }) as never,
    });
    let t = 1_000_000_000_000;
    const said: string[] = [];
    const clock = { now: () => t, sleep: async (ms: number) => void (t += ms), log: { info: (m: string) => said.push(m) } };
    const err = await preflight(new LambdaClient({ region: 'us-east-1' }), ['shared'], { updateTimeoutSec: 300, ...clock }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PreflightError);
    const problems = (err as PreflightError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^shared: run https:\/\/github\.com\/o\/r\/actions\/runs\/7\/attempts\/1#abcdef is changing this function/);
    expect(said).toEqual([]); // no "waiting for the deploy": waiting could outlast that whole run
    expect(t).toBe(1_000_000_000_000);
    expect(lambdaMock.commandCalls(GetFunctionCommand)).toHaveLength(1);
  });

  it('counts the environment as Lambda does (its JSON), and refuses variables it cannot read', async () => {
    // 10 variables: keys + values = 4024 bytes (room left for the nonce by that measure), their JSON = 4085 bytes (none left).
    const many = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`VAR_${i}`, 'v'.repeat(i === 0 ? 3578 : 44)]));
    lambdaMock
      .on(GetFunctionCommand, { FunctionName: 'many' })
      .resolves({ Configuration: cfg({ FunctionName: 'many', Environment: { Variables: many } }) as never });
    lambdaMock.on(GetFunctionCommand, { FunctionName: 'kms' }).resolves({
      Configuration: cfg({
        FunctionName: 'kms',
        Environment: { Error: { ErrorCode: 'AccessDeniedException', Message: 'Lambda was unable to decrypt the environment variables' } },
      }) as never,
    });
    const err = await preflight(new LambdaClient({ region: 'us-east-1' }), ['many', 'kms']).catch((e: unknown) => e);
    const problems = (err as PreflightError).problems;
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^many: its environment variables use 40\d\d of 4096 bytes; no room/);
    expect(problems[1]).toMatch(/^kms: its environment variables cannot be read \(AccessDeniedException: .*would replace them/);
    expect(lambdaMock.commandCalls(UpdateFunctionConfigurationCommand)).toHaveLength(0);
  });
});

describe('measure (mocked)', () => {
  it("an update that Failed fails the sample with Lambda's reason, and the function is still restored", async () => {
    let current = cfg();
    lambdaMock.on(GetFunctionCommand).callsFake(() => ({ Configuration: current }));
    let updates = 0;
    lambdaMock
      .on(UpdateFunctionConfigurationCommand)
      .callsFake((input: { MemorySize?: number; Environment?: { Variables?: Record<string, string> } }) => {
        updates++;
        if (updates <= 3) {
          current = cfg({ RevisionId: `r${updates}`, LastUpdateStatus: 'Failed', LastUpdateStatusReason: 'EC2 ENI limit reached' });
        } else {
          current = cfg({ RevisionId: `r${updates}`, MemorySize: input.MemorySize ?? current.MemorySize, Environment: input.Environment });
        }
        return current;
      });
    const d = deps();
    const states: UndoState[] = [];
    const r = await measureTargets(
      d,
      [target],
      { ...plan, repetitions: 3, strategy: 'sequential' },
      { onUndoState: (s) => states.push(s) },
    );
    expect(r.samples.map((s) => [s.kind, s.error])).toEqual([
      ['error', 'f: the configuration update failed: EC2 ENI limit reached'],
      ['error', 'f: the configuration update failed: EC2 ENI limit reached'],
      ['error', 'f: the configuration update failed: EC2 ENI limit reached'],
    ]);
    expect(r.functions[0]?.failure).toMatch(/3 failures in a row/);
    expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(0);
    // restored: the undo removed the nonce (memory was never ours at 256 since the updates failed: current 128 = original)
    expect(current.Environment).toEqual({ Variables: { SECRET: 'hunter2-value' } });
    expect(current.MemorySize).toBe(128);
    expect(states[0]).toEqual({
      version: 1,
      region: '',
      variable: 'COLDSTART_NONCE',
      entries: [{ functionName: 'f', originalMemory: 128, hadEnvironment: true }],
      done: [],
    });
    expect(states.at(-1)?.done).toEqual(['f']);
    expect(d.lines.join('\n')).not.toContain('hunter2');
  });

  it('AccessDenied on Invoke aborts the run with a clear error after undoing', async () => {
    let current = cfg();
    lambdaMock.on(GetFunctionCommand).callsFake(() => ({ Configuration: current }));
    lambdaMock
      .on(UpdateFunctionConfigurationCommand)
      .callsFake((input: { MemorySize?: number; Environment?: { Variables?: Record<string, string> } }) => {
        current = cfg({
          RevisionId: `r${Math.random()}`,
          MemorySize: input.MemorySize ?? current.MemorySize,
          Environment: input.Environment,
        });
        return current;
      });
    lambdaMock.on(InvokeCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: lambda:InvokeFunction'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const d = deps();
    const err = await measureTargets(d, [target], { ...plan, strategy: 'sequential' }, { onUndoState: () => undefined }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AccessError);
    expect((err as Error).message).toMatch(/^f: lambda:InvokeFunction was denied/);
    expect(current.MemorySize).toBe(128);
    expect(current.Environment).toEqual({ Variables: { SECRET: 'hunter2-value' } });
  });

  it('AccessDenied while waiting for an update stops the SDK waiter at once (it would retry it until the timeout)', async () => {
    let current = cfg();
    let polls = 0;
    lambdaMock.on(GetFunctionCommand).callsFake(() => {
      polls++;
      if (polls === 1) return { Configuration: current }; // the read before the update
      if (polls === 2) return { Configuration: { ...current, LastUpdateStatus: 'InProgress' } };
      throw Object.assign(new Error('User is not authorized to perform: lambda:GetFunction'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 403 },
      });
    });
    lambdaMock
      .on(UpdateFunctionConfigurationCommand)
      .callsFake((input: { MemorySize?: number; Environment?: { Variables?: Record<string, string> } }) => {
        current = cfg({ RevisionId: `r${polls}`, MemorySize: input.MemorySize ?? current.MemorySize, Environment: input.Environment });
        return current;
      });
    const started = Date.now();
    const err = await measureTargets(
      deps(),
      [target],
      { ...plan, restore: false, updateTimeoutSec: 300, strategy: 'sequential' },
      { onUndoState: () => undefined },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AccessError);
    expect((err as Error).message).toMatch(/^f: lambda:GetFunction was denied/);
    expect(Date.now() - started).toBeLessThan(5_000); // not the 300 s update timeout
    expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(0);
  });
});
