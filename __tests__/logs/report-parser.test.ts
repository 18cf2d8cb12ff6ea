import { describe, expect, it } from 'vitest';
import { decodeTail, findReport, parseReportLine } from '../../src/logs/report-parser.js';

const STUDY =
  'REPORT RequestId: f4ac073d-e814-456a-bbfb-d41b5b485c28\tDuration: 2.72 ms\tBilled Duration: 3 ms\tMemory Size: 2048 MB\tMax Memory Used: 64 MB\tInit Duration: 166.76 ms\t';

describe('parseReportLine (text)', () => {
  it('parses the study line (cold, trailing tab)', () => {
    expect(parseReportLine(STUDY)).toEqual({
      requestId: 'f4ac073d-e814-456a-bbfb-d41b5b485c28',
      durationMs: 2.72,
      billedDurationMs: 3,
      memorySizeMb: 2048,
      maxMemoryUsedMb: 64,
      initDurationMs: 166.76,
      status: 'success',
      format: 'text',
    });
  });

  it('parses old lines with a space before each tab', () => {
    const old =
      'REPORT RequestId: 6f0c6b1a-1111-2222-3333-444455556666 \tDuration: 101.38 ms \tBilled Duration: 200 ms \tMemory Size: 128 MB \tMax Memory Used: 35 MB \tInit Duration: 122.69 ms \t\n';
    const r = parseReportLine(old);
    expect(r?.requestId).toBe('6f0c6b1a-1111-2222-3333-444455556666');
    expect(r?.durationMs).toBe(101.38);
    expect(r?.billedDurationMs).toBe(200);
    expect(r?.memorySizeMb).toBe(128);
    expect(r?.maxMemoryUsedMb).toBe(35);
    expect(r?.initDurationMs).toBe(122.69);
  });

  it('parses lines separated by spaces only', () => {
    const r = parseReportLine(
      'REPORT RequestId: abc-1 Duration: 1.50 ms Billed Duration: 2 ms Memory Size: 512 MB Max Memory Used: 40 MB Init Duration: 99.01 ms',
    );
    expect(r).toMatchObject({
      requestId: 'abc-1',
      durationMs: 1.5,
      billedDurationMs: 2,
      memorySizeMb: 512,
      maxMemoryUsedMb: 40,
      initDurationMs: 99.01,
    });
  });

  it('a warm line has no init duration', () => {
    const r = parseReportLine(
      'REPORT RequestId: 0a1b\tDuration: 1.03 ms\tBilled Duration: 2 ms\tMemory Size: 1024 MB\tMax Memory Used: 70 MB\t',
    );
    expect(r).toBeDefined();
    expect(r).not.toHaveProperty('initDurationMs');
    expect(r).not.toHaveProperty('restoreDurationMs');
    expect(r?.billedDurationMs).toBe(2);
  });

  it('parses SnapStart Restore Duration and Billed Restore Duration', () => {
    const r = parseReportLine(
      'REPORT RequestId: 7c8d\tDuration: 120.12 ms\tBilled Duration: 287 ms\tMemory Size: 1024 MB\tMax Memory Used: 120 MB\tRestore Duration: 305.85 ms\tBilled Restore Duration: 166 ms\t',
    );
    expect(r).toMatchObject({ durationMs: 120.12, billedDurationMs: 287, restoreDurationMs: 305.85, billedRestoreDurationMs: 166 });
    expect(r).not.toHaveProperty('initDurationMs');
  });

  it('parses Status: timeout', () => {
    const r = parseReportLine(
      'REPORT RequestId: t-1\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 50 MB\tInit Duration: 180.20 ms\tStatus: timeout\n',
    );
    expect(r?.status).toBe('timeout');
    expect(r?.initDurationMs).toBe(180.2);
    expect(r?.durationMs).toBe(3000);
  });

  it('parses Status: error with Error Type', () => {
    const r = parseReportLine(
      'REPORT RequestId: e-1\tDuration: 5.55 ms\tBilled Duration: 6 ms\tMemory Size: 128 MB\tMax Memory Used: 20 MB\tStatus: error\tError Type: Runtime.ExitError',
    );
    expect(r?.status).toBe('error');
    expect(r?.errorType).toBe('Runtime.ExitError');
    expect(r?.durationMs).toBe(5.55);
  });

  it('ignores XRAY fields', () => {
    const r = parseReportLine(
      'REPORT RequestId: x-1\tDuration: 9.10 ms\tBilled Duration: 10 ms\tMemory Size: 256 MB\tMax Memory Used: 71 MB\tInit Duration: 140.01 ms\t\nXRAY TraceId: 1-5f2b1c2a-abcdef0123456789abcdef01\tSegmentId: 0a1b2c3d4e5f6a7b\tSampled: true\t',
    );
    expect(r).toEqual({
      requestId: 'x-1',
      durationMs: 9.1,
      billedDurationMs: 10,
      memorySizeMb: 256,
      maxMemoryUsedMb: 71,
      initDurationMs: 140.01,
      status: 'success',
      format: 'text',
    });
    const same = parseReportLine(
      'REPORT RequestId: x-1\tDuration: 9.10 ms\tBilled Duration: 10 ms\tMemory Size: 256 MB\tMax Memory Used: 71 MB\tInit Duration: 140.01 ms\tXRAY TraceId: 1-5f2b\tSegmentId: 0a1b\tSampled: true\t',
    );
    expect(same?.initDurationMs).toBe(140.01);
    expect(same?.status).toBe('success');
  });

  it('rejects non-REPORT lines', () => {
    expect(parseReportLine('START RequestId: abc Version: $LATEST')).toBeUndefined();
    expect(parseReportLine('END RequestId: abc')).toBeUndefined();
    expect(parseReportLine('')).toBeUndefined();
    expect(parseReportLine('REPORT RequestId: abc')).toBeUndefined();
  });
});

describe('parseReportLine (JSON platform.report)', () => {
  const cold = JSON.stringify({
    time: '2024-01-01T00:00:00.000Z',
    type: 'platform.report',
    record: {
      requestId: 'j-1',
      metrics: { durationMs: 2.717, billedDurationMs: 3, memorySizeMB: 2048, maxMemoryUsedMB: 64, initDurationMs: 166.757 },
      status: 'success',
    },
  });
  it('parses a cold record', () => {
    expect(parseReportLine(cold)).toEqual({
      requestId: 'j-1',
      durationMs: 2.717,
      billedDurationMs: 3,
      memorySizeMb: 2048,
      maxMemoryUsedMb: 64,
      initDurationMs: 166.757,
      status: 'success',
      format: 'json',
    });
  });
  it('a warm record has no initDurationMs', () => {
    const warm = JSON.stringify({
      type: 'platform.report',
      record: {
        requestId: 'j-2',
        metrics: { durationMs: 1.2, billedDurationMs: 2, memorySizeMB: 128, maxMemoryUsedMB: 30 },
        status: 'success',
      },
    });
    const r = parseReportLine(warm);
    expect(r?.format).toBe('json');
    expect(r).not.toHaveProperty('initDurationMs');
  });
  it('parses restore and error status', () => {
    const r = parseReportLine(
      JSON.stringify({
        type: 'platform.report',
        record: {
          requestId: 'j-3',
          metrics: { durationMs: 5, billedDurationMs: 5, memorySizeMB: 128, maxMemoryUsedMB: 30, restoreDurationMs: 200.5 },
          status: 'error',
          errorType: 'Runtime.Unknown',
        },
      }),
    );
    expect(r).toMatchObject({ restoreDurationMs: 200.5, status: 'error', errorType: 'Runtime.Unknown' });
  });
  it('ignores other record types and broken JSON', () => {
    expect(parseReportLine(JSON.stringify({ type: 'platform.start', record: { requestId: 'x' } }))).toBeUndefined();
    expect(parseReportLine('{"type":"platform.report", broken')).toBeUndefined();
  });
});

describe('findReport / decodeTail', () => {
  const tail = [
    'ort of a cut line',
    'START RequestId: a-1 Version: $LATEST',
    'hello',
    'END RequestId: a-1',
    STUDY.replace('f4ac073d-e814-456a-bbfb-d41b5b485c28', 'a-1'),
    '',
  ].join('\n');
  it('finds the REPORT in a decoded tail, by request id', () => {
    const b64 = Buffer.from(tail).toString('base64');
    const decoded = decodeTail(b64);
    expect(decoded).toBe(tail);
    expect(findReport(decoded, 'a-1')?.initDurationMs).toBe(166.76);
    expect(findReport(decoded, 'other')).toBeUndefined();
    expect(findReport(decoded)?.requestId).toBe('a-1');
  });
  it('decodes nothing to an empty string', () => {
    expect(decodeTail(undefined)).toBe('');
    expect(decodeTail('')).toBe('');
    expect(findReport('')).toBeUndefined();
  });
  it('finds JSON reports among JSON log lines', () => {
    const lines = [
      JSON.stringify({ time: 't', type: 'platform.start', record: { requestId: 'b-1', version: '$LATEST' } }),
      JSON.stringify({ timestamp: 't', level: 'INFO', requestId: 'b-1', message: 'hi' }),
      JSON.stringify({
        time: 't',
        type: 'platform.report',
        record: {
          requestId: 'b-1',
          metrics: { durationMs: 1, billedDurationMs: 1, memorySizeMB: 128, maxMemoryUsedMB: 20, initDurationMs: 50.5 },
          status: 'success',
        },
      }),
    ].join('\n');
    expect(findReport(lines, 'b-1')).toMatchObject({ initDurationMs: 50.5, format: 'json' });
  });
});
