import { describe, expect, it } from 'vitest';
import { buildUpdate, classify } from '../../src/lambda/cycle.js';
import { AccessError, isAccessError, PreflightError } from '../../src/core/errors.js';
import { safeMessage } from '../../src/core/aws-errors.js';
import { sampleLine } from '../../src/lambda/format.js';
import { functionInfo, qualifierOf } from '../../src/lambda/preflight.js';
import { encodeMarker, envBytes } from '../../src/lambda/undo/record.js';
import { buildUndo } from '../../src/lambda/undo/decide.js';
import type { Sample } from '../../src/results/model.js';

describe('qualifierOf', () => {
  it.each([
    ['hello', undefined],
    ['hello:prod', 'prod'],
    ['hello:$LATEST', '$LATEST'],
    ['123456789012:function:hello', undefined],
    ['123456789012:function:hello:7', '7'],
    ['arn:aws:lambda:us-east-1:123456789012:function:hello', undefined],
    ['arn:aws:lambda:us-east-1:123456789012:function:hello:live', 'live'],
  ])('%s → %s', (input, q) => {
    expect(qualifierOf(input)).toBe(q);
  });
});

describe('functionInfo / envBytes', () => {
  it('records what the run needs, with defaults', () => {
    expect(
      functionInfo({
        FunctionName: 'f',
        FunctionArn: 'arn:aws:lambda:eu-west-1:1:function:f',
        Runtime: 'nodejs20.x',
        Architectures: ['arm64'],
        PackageType: 'Zip',
        MemorySize: 256,
        LoggingConfig: { LogFormat: 'JSON', LogGroup: '/custom/g' },
        SnapStart: { ApplyOn: 'PublishedVersions' },
        CodeSize: 5_242_880,
        Layers: [{ Arn: 'arn:aws:lambda:eu-west-1:1:layer:deps:3', CodeSize: 1_048_576 }],
        RuntimeVersionConfig: { RuntimeVersionArn: 'arn:aws:lambda:eu-west-1::runtime:0cdcfbdefbc5e7d3' },
      }),
    ).toEqual({
      name: 'f',
      arn: 'arn:aws:lambda:eu-west-1:1:function:f',
      runtime: 'nodejs20.x',
      architecture: 'arm64',
      packageType: 'Zip',
      logFormat: 'JSON',
      logGroup: '/custom/g',
      snapStart: true,
      originalMemory: 256,
      region: 'eu-west-1',
      codeSize: 5_242_880,
      layers: [{ arn: 'arn:aws:lambda:eu-west-1:1:layer:deps:3', codeSize: 1_048_576 }],
      runtimeVersionArn: 'arn:aws:lambda:eu-west-1::runtime:0cdcfbdefbc5e7d3',
    });
    const d = functionInfo({ FunctionName: 'g', MemorySize: 128 });
    expect(d).toMatchObject({ logGroup: '/aws/lambda/g', logFormat: 'Text', snapStart: false, architecture: 'x86_64' });
    // Lambda shows no Layers key for a function without layers: known to have none
    expect(d.layers).toEqual([]);
  });
  it("measures the variables' JSON in UTF-8 bytes as Lambda does, ignoring a leftover nonce", () => {
    expect(envBytes({ A: 'bc', É: 'é' })).toBe(20); // {"A":"bc","É":"é"}: É and é are 2 bytes each
    expect(envBytes({ A: 'b', COLDSTART_NONCE: 'xyz' })).toBe(9); // {"A":"b"}
    expect(envBytes(undefined)).toBe(2); // {}
  });
});

describe('buildUpdate', () => {
  it('merges the current variables, adds the nonce, sets memory only when it differs, conditional on RevisionId', () => {
    const cur = { MemorySize: 128, RevisionId: 'r1', Environment: { Variables: { KEEP: 'v' } } };
    expect(buildUpdate('f', cur, 'n1', 1024)).toEqual({
      FunctionName: 'f',
      RevisionId: 'r1',
      MemorySize: 1024,
      Environment: { Variables: { KEEP: 'v', COLDSTART_NONCE: 'n1' } },
    });
    expect(buildUpdate('f', { ...cur, MemorySize: 1024 }, 'n2', 1024)).not.toHaveProperty('MemorySize');
    expect(buildUpdate('f', { RevisionId: 'r2' }, 'n3')).toEqual({
      FunctionName: 'f',
      RevisionId: 'r2',
      Environment: { Variables: { COLDSTART_NONCE: 'n3' } },
    });
  });
});

describe('buildUndo', () => {
  const RUN = 'cli:laptop:a1b2c3';
  const ours = encodeMarker({ nonce: 'n1', restoreMemory: 128, setMemory: 2048, updatedAt: 1_764_480_000_000, runId: RUN });
  const entry = { functionName: 'f', originalMemory: 128, hadEnvironment: true, ourMemory: 2048, ourRevisions: ['r0'] };
  it('removes only our variable and puts our memory back', () => {
    expect(
      buildUndo(entry, { MemorySize: 2048, RevisionId: 'r', Environment: { Variables: { A: '1', COLDSTART_NONCE: ours, NEW: '2' } } }, RUN),
    ).toEqual({
      FunctionName: 'f',
      RevisionId: 'r',
      MemorySize: 128,
      Environment: { Variables: { A: '1', NEW: '2' } },
    });
  });
  it('keeps a memory size someone else set', () => {
    const u = buildUndo(entry, { MemorySize: 512, RevisionId: 'r', Environment: { Variables: { COLDSTART_NONCE: ours } } }, RUN);
    expect(u).toEqual({ FunctionName: 'f', RevisionId: 'r', Environment: { Variables: {} } });
  });
  it('our size without our variable under a revision not ours: the memory is still ours (the variables were replaced)', () => {
    expect(buildUndo(entry, { MemorySize: 2048, RevisionId: 'r' }, RUN)).toEqual({ FunctionName: 'f', RevisionId: 'r', MemorySize: 128 });
    // another of the sizes the run used earlier is not the one its latest update left: someone else's
    expect(buildUndo(entry, { MemorySize: 1024, RevisionId: 'r' }, RUN)).toBeUndefined();
  });
  it('does nothing when clean (idempotent)', () => {
    expect(buildUndo(entry, { MemorySize: 128, Environment: { Variables: { A: '1' } } }, RUN)).toBeUndefined();
    const { ourMemory: _set, ...noMemory } = entry;
    expect(buildUndo(noMemory, { MemorySize: 1024 }, RUN)).toBeUndefined();
  });
});

describe('classify', () => {
  const base = {
    requestId: 'r',
    durationMs: 1,
    billedDurationMs: 1,
    memorySizeMb: 128,
    maxMemoryUsedMb: 1,
    status: 'success',
    format: 'text' as const,
  };
  it('cold needs Init or Restore Duration', () => {
    expect(classify({ report: { ...base, initDurationMs: 100 } })).toBe('cold');
    expect(classify({ report: { ...base, restoreDurationMs: 100 } })).toBe('cold');
    expect(classify({ report: base })).toBe('warm');
  });
  it('errors are never cold', () => {
    expect(classify({ report: { ...base, initDurationMs: 100 }, functionError: 'Unhandled' })).toBe('error');
    expect(classify({ report: { ...base, initDurationMs: 100, status: 'timeout' } })).toBe('error');
    expect(classify({})).toBe('unknown');
  });
});

describe('errors', () => {
  it('recognises access errors by name or 403', () => {
    expect(isAccessError(Object.assign(new Error('x'), { name: 'AccessDeniedException' }))).toBe(true);
    expect(isAccessError(Object.assign(new Error('x'), { name: 'UnrecognizedClientException' }))).toBe(true);
    expect(isAccessError(Object.assign(new Error('x'), { name: 'Foo', $metadata: { httpStatusCode: 403 } }))).toBe(true);
    expect(isAccessError(Object.assign(new Error('x'), { name: 'ResourceConflictException', $metadata: { httpStatusCode: 409 } }))).toBe(
      false,
    );
    expect(new AccessError('a').name).toBe('AccessError');
  });
  it('never prints the environment Lambda quotes in its messages', () => {
    const e = Object.assign(
      new Error(
        'Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: {"SECRET":"hunter2"}',
      ),
      { name: 'InvalidParameterValueException', $metadata: { httpStatusCode: 400 } },
    );
    const m = safeMessage(e);
    expect(m).not.toContain('hunter2');
    expect(m).toContain('InvalidParameterValueException');
    expect(safeMessage('token abcdef in text', ['abcdef'])).toBe('token *** in text');
  });
  it('PreflightError lists every problem on its own line', () => {
    const e = new PreflightError(['a: not found', 'b: qualified']);
    expect(e.message.split('\n')).toEqual(['Preflight found 2 problems; nothing was changed:', '- a: not found', '- b: qualified']);
  });
});

describe('sampleLine', () => {
  const s: Sample = {
    function: 'hello-node',
    memory: 1024,
    sequence: 3,
    attempt: 1,
    requestId: 'r',
    kind: 'cold',
    init: 171.24,
    restore: null,
    duration: 2,
    billed: 3,
    maxMemory: 60,
    source: 'tail',
    timestamp: '',
    strategy: 'sequential',
  };
  it('formats cold, warm and error samples', () => {
    expect(sampleLine(s, 10)).toBe('hello-node · 1024 MB · 3/10 · cold · init 171.2 ms');
    expect(sampleLine({ ...s, kind: 'warm', init: null }, 10)).toBe(
      'hello-node · 1024 MB · 3/10 · warm (attempt 1) · retrying with a new configuration',
    );
    expect(sampleLine({ ...s, kind: 'warm', init: null, attempt: 6 }, 10, false)).toBe(
      'hello-node · 1024 MB · 3/10 · warm (attempt 6) · warm-retry budget spent',
    );
    expect(sampleLine({ ...s, kind: 'error', error: 'Unhandled: Runtime.ExitError' }, 10)).toBe(
      'hello-node · 1024 MB · 3/10 · error · Unhandled: Runtime.ExitError',
    );
  });
});
