/**
 * Matching an invocation to its INIT_* lines. The sequences are Lambda's (docs: lambda-runtime-environment.html
 * "Failures during the Init phase", telemetry-schema-reference.html InitPhase "suppressed init"); the suppressed-init
 * sequences are as CloudWatch Logs held them in public logs: a failed init phase, the init re-run inside the invoke (its
 * INIT_REPORT with Phase: invoke just before START), and a REPORT without Init Duration whose Duration covers the re-run.
 */
import { describe, expect, it } from 'vitest';
import { findInvocation, initOutcome, type LogEvent } from '../../src/logs/invocation.js';

const arn = (h: string): string => `arn:aws:lambda:us-east-1::runtime:${h.repeat(64 / h.length)}`;
const initStart = (v: string, h: string): string => `INIT_START Runtime Version: ${v}\tRuntime Version ARN: ${arn(h)}`;
const report = (id: string, rest: string): string =>
  `REPORT RequestId: ${id}\tDuration: ${rest.split('|')[0]} ms\tBilled Duration: ${rest.split('|')[1]} ms\tMemory Size: 1024 MB\tMax Memory Used: 70 MB\t${rest.split('|')[2] ?? ''}`;

/** One environment that crashed in init (python, missing module), then Lambda re-ran init inside the invoke. */
const CRASHED = [
  'INIT_START Runtime Version: python:3.11.v39\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:93e1685a33effc0cd2497a9a132c7328deb2e03b8a600ecae522c00fc95a1c8f',
  "[ERROR] Runtime.ImportModuleError: Unable to import module 'app': No module named 'daily'",
  'INIT_REPORT Init Duration: 1670.77 ms\tPhase: init\tStatus: error\tError Type: Runtime.Unknown',
  "[ERROR] Runtime.ImportModuleError: Unable to import module 'app': No module named 'daily'",
  'INIT_REPORT Init Duration: 1712.41 ms\tPhase: invoke\tStatus: error\tError Type: Runtime.Unknown',
  'START RequestId: c16b0a58-61af-4b5e-ae57-b5dad549e389 Version: $LATEST',
  'Unknown application error occurred',
  'Runtime.Unknown',
  'END RequestId: c16b0a58-61af-4b5e-ae57-b5dad549e389',
  'REPORT RequestId: c16b0a58-61af-4b5e-ae57-b5dad549e389\tDuration: 1713.36 ms\tBilled Duration: 1714 ms\tMemory Size: 3008 MB\tMax Memory Used: 102 MB\t',
  '',
].join('\n');

describe('findInvocation in a tail (text)', () => {
  it('a crashed init: both INIT_REPORTs, the runtime version, the REPORT; classified init-failed', () => {
    const inv = findInvocation(CRASHED, 'c16b0a58-61af-4b5e-ae57-b5dad549e389')!;
    expect(inv.report).toMatchObject({ durationMs: 1713.36, billedDurationMs: 1714, memorySizeMb: 3008 });
    expect(inv.report).not.toHaveProperty('initDurationMs');
    expect(inv.initStart?.runtimeVersion).toBe('python:3.11.v39');
    expect(inv.initReports.map((r) => [r.phase, r.status, r.durationMs])).toEqual([
      ['init', 'error', 1670.77],
      ['invoke', 'error', 1712.41],
    ]);
    expect(inv.failedInit).toEqual({
      status: 'error',
      errorType: 'Runtime.Unknown',
      initDurationMs: 1670.77,
      rerun: { durationMs: 1712.41, status: 'error', errorType: 'Runtime.Unknown' },
    });
    expect(initOutcome(inv)).toEqual({ kind: 'init-failed', initMs: 1670.77, status: 'error', errorType: 'Runtime.Unknown' });
    expect(inv).not.toHaveProperty('logStream');
  });

  it('a timed-out init (10 s): init-failed with the init phase duration; the REPORT has no Init Duration', () => {
    const tail = [
      initStart('python:3.12.v40', 'ab'),
      'INIT_REPORT Init Duration: 9999.79 ms\tPhase: init\tStatus: timeout',
      'START RequestId: t-1 Version: $LATEST',
      '[timing] summarizer loaded in 1.9s',
      'END RequestId: t-1',
      report('t-1', '64754.09|64755'),
      'XRAY TraceId: 1-5f2b1c2a-abcdef0123456789abcdef01\tSegmentId: 0a1b2c3d4e5f6a7b\tSampled: true\t',
    ].join('\n');
    const inv = findInvocation(tail, 't-1')!;
    expect(inv.failedInit).toEqual({ status: 'timeout', initDurationMs: 9999.79 });
    expect(initOutcome(inv)).toEqual({ kind: 'init-failed', initMs: 9999.79, status: 'timeout' });
    expect(inv.report?.billedDurationMs).toBe(64755);
  });

  it('several environments in one text: each request gets its own environment, no INIT_REPORT leaks to a later request', () => {
    const log = [
      'ut of a cut line',
      initStart('nodejs:20.v22', 'a1'),
      'START RequestId: a-1 Version: $LATEST',
      'END RequestId: a-1',
      report('a-1', '2.72|170|Init Duration: 166.76 ms\t'),
      'START RequestId: a-2 Version: $LATEST',
      report('a-2', '1.03|2'),
      initStart('nodejs:20.v23', 'b2'),
      'INIT_REPORT Init Duration: 10000.21 ms\tPhase: init\tStatus: timeout',
      'START RequestId: b-1 Version: $LATEST',
      report('b-1', '812.50|813'),
      'START RequestId: b-2 Version: $LATEST',
      report('b-2', '1.50|2'),
    ].join('\n');
    const a1 = findInvocation(log, 'a-1')!;
    expect([a1.initStart?.runtimeVersion, a1.initReports, initOutcome(a1)]).toEqual([
      'nodejs:20.v22',
      [],
      { kind: 'cold', initMs: 166.76, restored: false },
    ]);
    const a2 = findInvocation(log, 'a-2')!;
    expect([a2.initStart?.runtimeVersion, a2.initReports, initOutcome(a2)]).toEqual(['nodejs:20.v22', [], { kind: 'warm' }]);
    const b1 = findInvocation(log, 'b-1')!;
    expect(b1.initStart?.runtimeVersionArn).toBe(arn('b2'));
    expect(initOutcome(b1)).toEqual({ kind: 'init-failed', initMs: 10000.21, status: 'timeout' });
    const b2 = findInvocation(log, 'b-2')!;
    expect([b2.initStart?.runtimeVersion, b2.initReports, b2.failedInit, initOutcome(b2)]).toEqual([
      'nodejs:20.v23',
      [],
      undefined,
      { kind: 'warm' },
    ]);
    expect(findInvocation(log, 'zzz')).toBeUndefined();
  });

  it('a warm tail has no INIT_START; a SnapStart restore is cold by its Restore Duration', () => {
    expect(findInvocation(['START RequestId: w-1 Version: 3', report('w-1', '1.1|2')].join('\n'), 'w-1')).toEqual({
      requestId: 'w-1',
      report: expect.objectContaining({ requestId: 'w-1' }),
      initReports: [],
    });
    const snap = findInvocation(report('s-1', '120.12|287|Restore Duration: 305.85 ms\tBilled Restore Duration: 166 ms\t'), 's-1')!;
    expect(initOutcome(snap)).toEqual({ kind: 'cold', initMs: 305.85, restored: true });
  });

  it('without its REPORT (not ingested yet) the START finds the invocation and its INIT_REPORTs', () => {
    const partial = CRASHED.slice(0, CRASHED.indexOf('END RequestId'));
    const inv = findInvocation(partial, 'c16b0a58-61af-4b5e-ae57-b5dad549e389')!;
    expect(inv.report).toBeUndefined();
    expect(inv.initReports).toHaveLength(2);
    expect(initOutcome(inv).kind).toBe('init-failed');
    expect(initOutcome(findInvocation('START RequestId: n-1 Version: $LATEST', 'n-1')!)).toEqual({ kind: 'unknown' });
  });
});

describe('findInvocation in JSON logs', () => {
  const ID = '4b142fc3-17b8-4cdb-a46b-a8dbe7918715';
  /** A successful cold start in JSON format: platform.initReport is printed for it too (status success). */
  const COLD = [
    '{"time":"2024-05-20T16:29:44.833Z","type":"platform.initStart","record":{"initializationType":"on-demand","phase":"init","runtimeVersion":"nodejs:18.v28","runtimeVersionArn":"arn:aws:lambda:eu-west-3::runtime:b475b23763329123d9e6f79f51886d0e1054f727f5b90ec945fcb2a3ec09afdd","functionName":"ColdStartPerfStack-Function76856677-qnwBXhjb6klt","functionVersion":"$LATEST"}}',
    '{"time":"2024-05-20T16:29:45.006Z","type":"platform.initRuntimeDone","record":{"initializationType":"on-demand","phase":"init","status":"success"}}',
    '{"time":"2024-05-20T16:29:45.007Z","type":"platform.initReport","record":{"initializationType":"on-demand","phase":"init","status":"success","metrics":{"durationMs":173.778}}}',
    `{"time":"2024-05-20T16:29:45.008Z","type":"platform.start","record":{"requestId":"${ID}","version":"$LATEST"}}`,
    `{"timestamp":"2024-05-20T16:29:45.009Z","level":"INFO","requestId":"${ID}","message":"ENV 2024-05-20T16:29:42.891Z"}`,
    `{"time":"2024-05-20T16:29:45.019Z","type":"platform.runtimeDone","record":{"requestId":"${ID}","status":"success","metrics":{"durationMs":11.185,"producedBytes":40}}}`,
    `{"time":"2024-05-20T16:29:45.022Z","type":"platform.report","record":{"requestId":"${ID}","status":"success","metrics":{"durationMs":11.642,"billedDurationMs":12,"memorySizeMB":128,"maxMemoryUsedMB":67,"initDurationMs":174.055}}}`,
  ].join('\n');

  it('a successful cold start: one init report (success), no failure, cold by its initDurationMs', () => {
    const inv = findInvocation(COLD, ID)!;
    expect(inv.initStart).toMatchObject({
      runtimeVersion: 'nodejs:18.v28',
      functionName: 'ColdStartPerfStack-Function76856677-qnwBXhjb6klt',
    });
    expect(inv.initReports).toEqual([
      { durationMs: 173.778, phase: 'init', status: 'success', initializationType: 'on-demand', format: 'json' },
    ]);
    expect(inv.failedInit).toBeUndefined();
    expect(initOutcome(inv)).toEqual({ kind: 'cold', initMs: 174.055, restored: false });
  });

  it('a timed-out init in JSON format', () => {
    const log = [
      '{"time":"2024-06-17T17:47:56.300Z","type":"platform.initStart","record":{"initializationType":"on-demand","phase":"init","runtimeVersion":"python:3.12.v29","functionName":"f","functionVersion":"$LATEST"}}',
      '{"time":"2024-06-17T17:48:06.348Z","type":"platform.initReport","record":{"initializationType":"on-demand","phase":"init","status":"timeout","metrics":{"durationMs":10000.487}}}',
      '{"time":"2024-06-17T17:48:06.400Z","type":"platform.start","record":{"requestId":"j-t","version":"$LATEST"}}',
      '{"time":"2024-06-17T17:48:19.900Z","type":"platform.report","record":{"requestId":"j-t","status":"success","metrics":{"durationMs":13500.2,"billedDurationMs":13501,"memorySizeMB":2048,"maxMemoryUsedMB":246}}}',
    ].join('\n');
    const inv = findInvocation(log, 'j-t')!;
    expect(inv.initStart?.runtimeVersion).toBe('python:3.12.v29');
    expect(initOutcome(inv)).toEqual({ kind: 'init-failed', initMs: 10000.487, status: 'timeout' });
  });
});

describe('findInvocation in log events of several streams', () => {
  const S1 = '2026/12/03/[$LATEST]aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
  const S2 = '2026/12/03/[$LATEST]bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
  const ev = (logStream: string, timestamp: number, message: string): LogEvent => ({ logStream, timestamp, message: message + '\n' });
  /** Interleaved in time, out of order as a query may return them; INIT_REPORT and START of S2 in the same ms. */
  const events: LogEvent[] = [
    ev(S2, 1_000, 'START RequestId: r-2 Version: $LATEST'),
    ev(S1, 900, initStart('nodejs:22.v5', 'c3')),
    ev(S2, 1_000, 'INIT_REPORT Init Duration: 9.02 ms\tPhase: invoke\tStatus: error\tError Type: Runtime.ExitError'),
    ev(S2, 10, initStart('nodejs:22.v6', 'd4')),
    ev(S2, 990, 'INIT_REPORT Init Duration: 10.17 ms\tPhase: init\tStatus: error\tError Type: Runtime.ExitError'),
    ev(S1, 1_100, 'START RequestId: r-1 Version: $LATEST'),
    ev(S2, 1_020, report('r-2', '11.00|12')),
    ev(S1, 1_200, report('r-1', '3.00|200|Init Duration: 196.40 ms\t')),
  ];

  it('each request gets the INIT_* lines of its own stream', () => {
    const r1 = findInvocation(events, 'r-1')!;
    expect([r1.logStream, r1.initStart?.runtimeVersion, r1.initReports.length, initOutcome(r1).kind]).toEqual([
      S1,
      'nodejs:22.v5',
      0,
      'cold',
    ]);
    const r2 = findInvocation(events, 'r-2')!;
    expect([r2.logStream, r2.initStart?.runtimeVersion]).toEqual([S2, 'nodejs:22.v6']);
    expect(r2.failedInit).toEqual({
      status: 'error',
      errorType: 'Runtime.ExitError',
      initDurationMs: 10.17,
      rerun: { durationMs: 9.02, status: 'error', errorType: 'Runtime.ExitError' },
    });
  });

  it('events without timestamps are taken in the order given', () => {
    const untimed = events.map(({ logStream, message }) => ({ logStream: logStream!, message }));
    // As given, S2's INIT_START comes after r-2's START and the invoke-phase INIT_REPORT: those two read as lines of an
    // earlier environment, and only the init-phase INIT_REPORT (after the INIT_START) is r-2's.
    const r2 = findInvocation(untimed, 'r-2')!;
    expect(r2.initStart?.runtimeVersion).toBe('nodejs:22.v6');
    expect(r2.initReports.map((r) => r.phase)).toEqual(['init']);
    expect(r2.failedInit?.rerun).toBeUndefined();
  });
});
