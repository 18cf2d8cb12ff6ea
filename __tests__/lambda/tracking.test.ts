/**
 * Whose change is it, at the edges the emulator does not reach (aws-sdk-client-mock): a wait that fails after our update
 * was accepted, a person's change that keeps our marker, a function changed while it waited in the pool, a 412 that
 * shows a person's new memory. The fake Lambda gives a new RevisionId when an update completes, as Lambda does.
 */
import {
  GetAccountSettingsCommand,
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
  type FunctionConfiguration,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { measureTargets } from '../../src/lambda/engine.js';
import { CredentialsError } from '../../src/core/errors.js';
import { readMarker, recordOf } from '../../src/lambda/undo/record.js';
import type { MeasurePlan, Target } from '../../src/lambda/types.js';
import type { UndoState } from '../../src/lambda/undo/state.js';
import { mockedDeps } from '../helpers/mocked-deps.js';
import { CONTROL_RATE } from '../../src/config/limits.js';

const lambdaMock = mockClient(LambdaClient);
beforeEach(() => lambdaMock.reset());

const deps = (): ReturnType<typeof mockedDeps> => mockedDeps(1_764_480_000_000);

const plan: MeasurePlan = {
  memory: [1024],
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

const cfg = (over: Partial<FunctionConfiguration> = {}): FunctionConfiguration => ({
  FunctionName: 'f',
  FunctionArn: 'arn:aws:lambda:us-east-1:1:function:f',
  MemorySize: 512,
  RevisionId: 'r0',
  State: 'Active',
  LastUpdateStatus: 'Successful',
  Timeout: 3,
  Environment: { Variables: { STAGE: 'prod' } },
  ...over,
});

const target = (originalMemory = 512): Target => ({
  input: 'f',
  revisionId: 'r0',
  hadEnvironment: true,
  envBytes: 16,
  info: {
    name: 'f',
    arn: 'a',
    runtime: 'nodejs20.x',
    architecture: 'x86_64',
    packageType: 'Zip',
    logFormat: 'Text',
    logGroup: '/aws/lambda/f',
    snapStart: false,
    originalMemory,
  },
});

/**
 * A fake $LATEST: an accepted update answers InProgress under one RevisionId and completes under a new one. `gets` may
 * replace the next GetFunction answers (a function of the current configuration; throw to fail the call).
 */
function fakeFunction(initial: FunctionConfiguration) {
  const f = {
    current: initial,
    revision: 0,
    gets: [] as ((c: FunctionConfiguration) => FunctionConfiguration)[],
    updates: [] as { MemorySize?: number; RevisionId?: string; marker?: string }[],
    /** Called with each update's input before it is applied; may throw (a 412). */
    beforeUpdate: undefined as ((input: { RevisionId?: string }) => void) | undefined,
  };
  lambdaMock.on(GetFunctionCommand).callsFake(() => {
    const next = f.gets.shift();
    return { Configuration: next ? next(f.current) : f.current };
  });
  lambdaMock
    .on(UpdateFunctionConfigurationCommand)
    .callsFake((input: { MemorySize?: number; RevisionId?: string; Environment?: { Variables?: Record<string, string> } }) => {
      f.beforeUpdate?.(input);
      if (input.RevisionId !== undefined && input.RevisionId !== f.current.RevisionId) {
        throw Object.assign(new Error('stale revision'), { name: 'PreconditionFailedException', $metadata: { httpStatusCode: 412 } });
      }
      f.updates.push({
        ...(input.MemorySize !== undefined ? { MemorySize: input.MemorySize } : {}),
        ...(input.RevisionId !== undefined ? { RevisionId: input.RevisionId } : {}),
        ...(input.Environment?.Variables?.['COLDSTART_NONCE'] !== undefined
          ? { marker: input.Environment.Variables['COLDSTART_NONCE'] }
          : {}),
      });
      const done = cfg({
        ...f.current,
        MemorySize: input.MemorySize ?? f.current.MemorySize,
        ...(input.Environment ? { Environment: input.Environment } : {}),
        RevisionId: `r${++f.revision}-done`,
      });
      f.current = done;
      return { ...done, RevisionId: `r${f.revision}-accepted`, LastUpdateStatus: 'InProgress' };
    });
  lambdaMock.on(InvokeCommand).callsFake(() => {
    const id = `q${Math.random()}`;
    const report = `REPORT RequestId: ${id}\tDuration: 2.00 ms\tBilled Duration: 3 ms\tMemory Size: ${f.current.MemorySize} MB\tMax Memory Used: 60 MB\tInit Duration: 150.00 ms\t`;
    return { StatusCode: 200, LogResult: Buffer.from(report).toString('base64'), $metadata: { requestId: id } };
  });
  return f;
}

const serverError = () =>
  Object.assign(new Error('internal'), { name: 'ServiceException', $fault: 'server', $metadata: { httpStatusCode: 500 } });

async function measure(f: { current: FunctionConfiguration }, t: Target, p: MeasurePlan = plan) {
  const d = deps();
  const states: UndoState[] = [];
  const r = await measureTargets(d, [t], { ...p, strategy: 'sequential' }, { onUndoState: (s) => states.push(s) });
  return { r, states, lines: d.lines, end: f.current };
}

describe('our accepted update is known before its wait ends', () => {
  it('the wait fails after 512 → 1024 was accepted: the re-read (new RevisionId, 1024) is not taken for a person’s change', async () => {
    const f = fakeFunction(cfg());
    // The first read, then the first poll of the wait fails (a 500 after the SDK's retries).
    f.gets.push(
      (c) => c,
      () => {
        throw serverError();
      },
    );
    const { r, states, lines, end } = await measure(f, target(), { ...plan, repetitions: 2 });
    expect(r.samples.map((s) => s.kind)).toEqual(['error', 'cold']);
    expect(states.at(-1)?.entries[0]?.outsideMemory).toBeUndefined();
    expect(lines.join('\n')).not.toMatch(/by someone else/);
    expect(end.MemorySize).toBe(512);
    expect(readMarker(end).present).toBe(false);
  });
});

describe('the configuration we waited for is ours only when it shows what we wrote', () => {
  it('memory left alone, then a person sets 2048 keeping our marker: their memory is kept at the end', async () => {
    const f = fakeFunction(cfg());
    f.gets.push(
      (c) => c,
      (c) => {
        // A person's update after ours completed: merged from a read that had our marker, a new revision.
        f.current = { ...c, MemorySize: 2048, RevisionId: 'person' };
        return f.current;
      },
    );
    const { states, end } = await measure(f, target(), { ...plan, memory: [] });
    expect(states.at(-1)?.entries[0]?.outsideMemory).toBe(2048);
    expect(states.at(-1)?.entries[0]?.ourRevisions).not.toContain('person');
    expect(end.MemorySize).toBe(2048);
    expect(readMarker(end).present).toBe(false);
  });

  it('a person changes a variable keeping our marker and memory: the revision is not confirmed as ours, their variable kept', async () => {
    const f = fakeFunction(cfg());
    f.gets.push(
      (c) => c,
      (c) => {
        f.current = { ...c, Environment: { Variables: { ...c.Environment?.Variables, STAGE: 'staging' } }, RevisionId: 'person' };
        return f.current;
      },
    );
    const { states, lines, end } = await measure(f, target());
    expect(states.at(-1)?.entries[0]?.ourRevisions).not.toContain('person');
    expect(lines.join('\n')).toMatch(/environment variables were changed by someone else: kept/);
    expect(end.Environment?.Variables).toEqual({ STAGE: 'staging' });
    expect(end.MemorySize).toBe(512);
  });
});

describe('the original is what the function had when the run reached it', () => {
  it('changed by a deploy while it waited in the pool (512 at preflight, 768 at the first read): 768 is put back', async () => {
    const f = fakeFunction(cfg({ MemorySize: 768, RevisionId: 'deploy' }));
    const { r, states, end } = await measure(f, target(512));
    expect(r.functions[0]?.originalMemory).toBe(768);
    expect(states.at(-1)?.entries[0]?.originalMemory).toBe(768);
    expect(recordOf({ Environment: { Variables: { COLDSTART_NONCE: f.updates[0]!.marker! } } })?.restoreMemory).toBe(768);
    expect(end.MemorySize).toBe(768);
    expect(readMarker(end).present).toBe(false);
  });

  it('a 412 whose re-read shows a person’s new memory (768): the record our update writes says 768, not the old original', async () => {
    const f = fakeFunction(cfg());
    let first = true;
    f.beforeUpdate = () => {
      if (!first) return;
      first = false;
      f.current = { ...f.current, MemorySize: 768, RevisionId: 'person' }; // just before ours arrives
    };
    const { states, end } = await measure(f, target());
    // The first update that got through carries 768 as the size to put back: a kill right after it restores 768.
    expect(recordOf({ Environment: { Variables: { COLDSTART_NONCE: f.updates[0]!.marker! } } })?.restoreMemory).toBe(768);
    expect(states.at(-1)?.entries[0]?.outsideMemory).toBe(768);
    expect(end.MemorySize).toBe(768);
  });
});

describe('expired credentials at the run’s first reads are said as credentials, not permissions', () => {
  const expired = () =>
    Object.assign(new Error('The security token included in the request is expired'), {
      name: 'ExpiredTokenException',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
    });

  it('at the first GetFunction of a function', async () => {
    lambdaMock.on(GetFunctionCommand).rejects(expired());
    const err = await measureTargets(deps(), [target()], { ...plan, strategy: 'sequential' }, { onUndoState: () => undefined }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CredentialsError);
    expect((err as Error).message).not.toMatch(/denied|permission/);
  });

  it('at GetAccountSettings (sizing a burst)', async () => {
    const f = fakeFunction(cfg());
    lambdaMock.on(GetAccountSettingsCommand).rejects(expired());
    const d = deps();
    const err = await measureTargets(d, [target()], { ...plan, strategy: 'burst' }, { onUndoState: () => undefined }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CredentialsError);
    expect(d.lines.join('\n')).not.toMatch(/GetAccountSettings was denied/);
    expect(f.updates).toHaveLength(0);
  });
});
