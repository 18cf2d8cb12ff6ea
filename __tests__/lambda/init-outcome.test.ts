/**
 * A suppressed init in the engine's classification: the invoke's log tail (and later Logs Insights' INIT lines) make a
 * sample `init-failed` — never warm, so never retried — and name the runtime version of each environment. The lines are
 * Lambda's, as CloudWatch Logs held them (see __tests__/logs/invocation.test.ts for their sources).
 */
import { describe, expect, it } from 'vitest';
import { sampleFromInvoke, type InvokeResult } from '../../src/lambda/cycle.js';
import { applyInsights } from '../../src/lambda/reconcile.js';
import { findInvocation, type LogEvent } from '../../src/logs/invocation.js';
import { parseReportLine } from '../../src/logs/report-parser.js';
import { buildResults } from '../../src/results/build.js';
import { toSpeedCsv } from '../../src/results/csv.js';
import type { Sample } from '../../src/results/model.js';
import { fnInfo } from '../helpers/results-fixtures.js';

const ID = 'c16b0a58-61af-4b5e-ae57-b5dad549e389';
const ARN = 'arn:aws:lambda:us-east-1::runtime:93e1685a33effc0cd2497a9a132c7328deb2e03b8a600ecae522c00fc95a1c8f';
const START = `INIT_START Runtime Version: python:3.11.v39\tRuntime Version ARN: ${ARN}`;
const TIMED_OUT = [
  'INIT_REPORT Init Duration: 9999.79 ms\tPhase: init\tStatus: timeout',
  `START RequestId: ${ID} Version: $LATEST`,
  `END RequestId: ${ID}`,
  `REPORT RequestId: ${ID}\tDuration: 4754.09 ms\tBilled Duration: 4755 ms\tMemory Size: 1024 MB\tMax Memory Used: 70 MB\t`,
];
const CRASHED = [
  'INIT_REPORT Init Duration: 1670.77 ms\tPhase: init\tStatus: error\tError Type: Runtime.Unknown',
  'INIT_REPORT Init Duration: 1712.41 ms\tPhase: invoke\tStatus: error\tError Type: Runtime.Unknown',
  `START RequestId: ${ID} Version: $LATEST`,
  'Unknown application error occurred',
  `END RequestId: ${ID}`,
  `REPORT RequestId: ${ID}\tDuration: 1713.36 ms\tBilled Duration: 1714 ms\tMemory Size: 1024 MB\tMax Memory Used: 102 MB\tStatus: error\tError Type: Runtime.Unknown\t`,
];
const JSON_TIMED_OUT = [
  `{"time":"2026-11-02T10:00:00.000Z","type":"platform.initStart","record":{"initializationType":"on-demand","phase":"init","runtimeVersion":"nodejs:20.v41","runtimeVersionArn":"${ARN}"}}`,
  '{"time":"2026-11-02T10:00:10.000Z","type":"platform.initReport","record":{"initializationType":"on-demand","phase":"init","status":"timeout","metrics":{"durationMs":10000.02}}}',
  `{"time":"2026-11-02T10:00:10.001Z","type":"platform.start","record":{"requestId":"${ID}","version":"$LATEST"}}`,
  `{"time":"2026-11-02T10:00:12.000Z","type":"platform.report","record":{"requestId":"${ID}","metrics":{"durationMs":1850.2,"billedDurationMs":1851,"memorySizeMB":1024,"maxMemoryUsedMB":88},"status":"success"}}`,
];

const ctx = { function: 'f', memory: 1024, sequence: 3, attempt: 1, strategy: 'sequential' as const, expectedMemory: 1024 };

function invoked(lines: string[], functionError?: string): InvokeResult {
  const log = findInvocation(lines.join('\n'), ID)!;
  return { requestId: ID, report: log.report!, log, at: 0, ...(functionError ? { functionError } : {}) };
}

describe('sampleFromInvoke: a suppressed init in the tail', () => {
  it('a timed-out init is `init-failed` (not warm: never retried), with the init phase duration and the REPORT numbers', () => {
    const s = sampleFromInvoke(invoked(TIMED_OUT), ctx);
    expect(s).toMatchObject({ kind: 'init-failed', initStatus: 'timeout', init: 9999.79, duration: 4754.09, billed: 4755, restore: null });
    expect(s).not.toHaveProperty('error');
    expect(s).not.toHaveProperty('initErrorType');
    // the emulator's and Lambda's tail starts at the first INIT_REPORT: no INIT_START, so no runtime version yet
    expect(s).not.toHaveProperty('runtimeVersion');
  });

  it('an init that crashed twice: `init-failed` with its error type; the invoke error is kept beside it', () => {
    const s = sampleFromInvoke(invoked(CRASHED, 'Unhandled: Runtime.Unknown'), ctx);
    expect(s).toMatchObject({
      kind: 'init-failed',
      initStatus: 'error',
      initErrorType: 'Runtime.Unknown',
      init: 1670.77,
      error: 'Unhandled: Runtime.Unknown',
    });
  });

  it('JSON format: platform.initReport makes it init-failed and platform.initStart names the runtime version', () => {
    const log = findInvocation(JSON_TIMED_OUT.join('\n'), ID)!;
    const s = sampleFromInvoke({ requestId: ID, report: log.report!, log, at: 0 }, ctx);
    expect(s).toMatchObject({
      kind: 'init-failed',
      initStatus: 'timeout',
      init: 10000.02,
      runtimeVersion: 'nodejs:20.v41',
      runtimeVersionArn: ARN,
    });
  });

  it('a cold start names its runtime version; a failed init at another memory size is someone else’s change: warm', () => {
    const cold = [
      START,
      `START RequestId: ${ID} Version: $LATEST`,
      `REPORT RequestId: ${ID}\tDuration: 2.72 ms\tBilled Duration: 170 ms\tMemory Size: 1024 MB\tMax Memory Used: 64 MB\tInit Duration: 166.76 ms\t`,
    ];
    expect(sampleFromInvoke(invoked(cold), ctx)).toMatchObject({
      kind: 'cold',
      init: 166.76,
      runtimeVersion: 'python:3.11.v39',
      runtimeVersionArn: ARN,
    });
    expect(sampleFromInvoke(invoked(TIMED_OUT), { ...ctx, expectedMemory: 512 })).toMatchObject({
      kind: 'warm',
      init: null,
      error: 'ran at 1024 MB: the memory was changed by someone else',
    });
  });
});

describe('applyInsights with INIT lines', () => {
  const events = (lines: string[], t0: number): LogEvent[] =>
    lines.map((message, i) => ({ message, logStream: '2026/11/02/[$LATEST]0123456789abcdef0123456789abcdef', timestamp: t0 + i }));
  const warmFromTail = (): Sample => ({
    ...sampleFromInvoke({ requestId: ID, report: parseReportLine(TIMED_OUT[3]!)!, at: 0 }, ctx),
  });

  it('a sample the cut tail showed as warm is told for what it was: init-failed, with its runtime version', () => {
    const s = warmFromTail();
    expect(s.kind).toBe('warm');
    const warnings: string[] = [];
    const report = parseReportLine(TIMED_OUT[3]!)!;
    applyInsights([s], new Map([[ID, report]]), (m) => warnings.push(m), events([START, TIMED_OUT[0]!, TIMED_OUT[3]!], 1000));
    expect(s).toMatchObject({
      kind: 'init-failed',
      initStatus: 'timeout',
      init: 9999.79,
      source: 'insights',
      runtimeVersion: 'python:3.11.v39',
    });
    expect(warnings).toEqual([
      `f: Logs Insights shows that the init of ${ID} timed out (the log tail did not); counted apart as a failed init`,
    ]);
  });

  it('an init-failed sample stays one (its REPORT has no Init Duration by nature); a cold one gets its runtime version', () => {
    const failed = sampleFromInvoke(invoked(TIMED_OUT), ctx);
    const coldId = '0a1b2c3d-0000-4000-8000-000000000001';
    const coldReport = `REPORT RequestId: ${coldId}\tDuration: 2.72 ms\tBilled Duration: 170 ms\tMemory Size: 1024 MB\tMax Memory Used: 64 MB\tInit Duration: 166.76 ms\t`;
    const cold: Sample = { ...failed, requestId: coldId, kind: 'cold', init: 166.76, duration: 2.72, billed: 170, maxMemory: 64 };
    delete cold.initStatus;
    const found = new Map([
      [ID, parseReportLine(TIMED_OUT[3]!)!],
      [coldId, parseReportLine(coldReport)!],
    ]);
    const otherStream = { message: 'INIT_START Runtime Version: python:3.11.v40', logStream: 'other', timestamp: 5 };
    const warnings: string[] = [];
    applyInsights([failed, cold], found, (m) => warnings.push(m), [
      ...events([START, TIMED_OUT[0]!, TIMED_OUT[3]!], 1000),
      ...events([START, coldReport], 5000).map((e) => ({ ...e, logStream: 'cold-stream' })),
      otherStream,
    ]);
    expect(failed).toMatchObject({ kind: 'init-failed', init: 9999.79, runtimeVersion: 'python:3.11.v39', source: 'insights' });
    expect(cold).toMatchObject({ kind: 'cold', init: 166.76, runtimeVersion: 'python:3.11.v39', source: 'insights' });
    expect(warnings).toEqual([]);
  });
});

describe('results of a run with failed inits', () => {
  it('counted apart: a note "2 of 4 inits timed out", not in the init statistics, not in speed.csv', () => {
    const failed = (seq: number): Sample => ({ ...sampleFromInvoke(invoked(TIMED_OUT), { ...ctx, sequence: seq }), requestId: `f-${seq}` });
    const cold = (seq: number, init: number): Sample => ({
      ...failed(seq),
      kind: 'cold',
      init,
      duration: 3,
      billed: Math.ceil(init + 3),
      requestId: `c-${seq}`,
    });
    const samples = [failed(1), failed(2), cold(3, 150), cold(4, 170)].map((s) => {
      const { initStatus: _s, ...rest } = s;
      return s.kind === 'cold' ? (rest as Sample) : s;
    });
    const r = buildResults({
      version: 't',
      startedAt: '2026-11-02T10:00:00.000Z',
      endedAt: '2026-11-02T10:01:00.000Z',
      region: 'us-east-1',
      inputs: { functions: ['f'], memory: [1024], repetitions: 4, reportSource: 'insights', strategy: 'sequential', concurrency: 1 },
      functions: [fnInfo('f', { region: 'us-east-1' })],
      samples,
    });
    expect(r.statistics).toHaveLength(1);
    expect(r.statistics[0]!.init).toMatchObject({ n: 2, min: 150, max: 170 });
    expect(r.notes).toContain(
      'f at 1024 MB: 2 of 4 inits timed out (after 10 s); Lambda re-ran those inits inside the invoke (a suppressed init). Counted apart: not retried, not in the init statistics, not in speed.csv.',
    );
    expect(toSpeedCsv(r).trim().split('\n')).toHaveLength(3); // the header and the two genuine cold starts
  });
});
