import { describe, expect, it } from 'vitest';
import { buildQueries, buildQuery, MAX_QUERY_LENGTH, reportsFromResults } from '../../src/logs/insights.js';

describe('buildQuery', () => {
  it('selects REPORT lines of both formats for exactly the given ids, and the INIT lines (no request id) beside them', () => {
    expect(buildQuery(['id-1', 'id-2'])).toBe(
      'fields @timestamp, @message, @logStream\n' +
        '| filter ((@message like "REPORT RequestId:" or @message like "platform.report") and (@message like "id-1" or @message like "id-2"))' +
        ' or @message like "INIT_START" or @message like "INIT_REPORT" or @message like "platform.initStart" or @message like "platform.initReport"\n' +
        '| sort @timestamp asc\n' +
        '| limit 10000',
    );
  });
  it('throws on no ids', () => {
    expect(() => buildQuery([])).toThrow();
  });
  it('strips quotes from ids so the query stays well-formed', () => {
    expect(buildQuery(['a"b'])).toContain('@message like "ab"');
  });
});

describe('buildQueries', () => {
  it('keeps few ids in one query', () => {
    expect(buildQueries(['a', 'b'])).toEqual([buildQuery(['a', 'b'])]);
  });
  it('chunks many ids under the 10,000-character limit, keeping every id exactly once', () => {
    const ids = Array.from({ length: 600 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const qs = buildQueries(ids);
    expect(qs.length).toBeGreaterThan(1);
    for (const q of qs) expect(q.length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
    const back = qs.flatMap((q) => [...q.matchAll(/like "(0{8}-[^"]+)"/g)].map((m) => m[1]));
    expect(back).toEqual(ids);
  });
});

describe('reportsFromResults', () => {
  it('parses @message of text and JSON rows and skips others', () => {
    const rows = [
      [
        { field: '@timestamp', value: '2024-01-01 00:00:00.000' },
        {
          field: '@message',
          value:
            'REPORT RequestId: r1\tDuration: 2.72 ms\tBilled Duration: 3 ms\tMemory Size: 2048 MB\tMax Memory Used: 64 MB\tInit Duration: 166.76 ms\t',
        },
        { field: '@ptr', value: 'x' },
      ],
      [
        {
          field: '@message',
          value:
            '{"type":"platform.report","record":{"requestId":"r2","metrics":{"durationMs":1,"billedDurationMs":1,"memorySizeMB":128,"maxMemoryUsedMB":20},"status":"success"}}',
        },
      ],
      [{ field: '@message', value: 'START RequestId: r3 Version: $LATEST' }],
      [{ field: '@ptr', value: 'y' }],
    ];
    const reps = reportsFromResults(rows);
    expect(reps.map((r) => [r.requestId, r.format, r.initDurationMs])).toEqual([
      ['r1', 'text', 166.76],
      ['r2', 'json', undefined],
    ]);
  });
});
