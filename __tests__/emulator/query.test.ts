import { describe, expect, it } from 'vitest';
import { QuerySyntaxError, discoverFields, parseQuery, runQuery, type Row } from '../../emulator/query.js';

const REPORT_COLD =
  'REPORT RequestId: 11111111-aaaa-4bbb-8ccc-000000000001\tDuration: 2.72 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\tInit Duration: 166.76 ms\t';
const REPORT_WARM =
  'REPORT RequestId: 11111111-aaaa-4bbb-8ccc-000000000002\tDuration: 1.50 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 65 MB\t';
const JSON_REPORT = JSON.stringify({
  time: '2026-01-01T00:00:00.000Z',
  type: 'platform.report',
  record: {
    requestId: 'id-json',
    metrics: { durationMs: 1.2, billedDurationMs: 2, memorySizeMB: 128, maxMemoryUsedMB: 30, initDurationMs: 99.5 },
    status: 'success',
  },
});

function rows(messages: string[]): Row[] {
  return messages.map((m, i) => {
    const r = discoverFields(m);
    r.set('@timestamp', 1_767_225_600_000 + i * 1000);
    r.set('@message', m);
    r.set('@logStream', 's');
    r.set('@ptr', `p${i}`);
    return r;
  });
}

const q = (query: string, msgs: string[]) =>
  runQuery(parseQuery(query), rows(msgs)).map((r) => Object.fromEntries(r.map((f) => [f.field, f.value])));

describe('emulator query language', () => {
  const msgs = ['START RequestId: 11111111-aaaa-4bbb-8ccc-000000000001 Version: $LATEST', REPORT_COLD, REPORT_WARM, JSON_REPORT, 'hello'];

  it('discovers Lambda fields for text REPORT lines (memory in bytes) and none for JSON', () => {
    expect(Object.fromEntries(discoverFields(REPORT_COLD))).toEqual({
      '@type': 'REPORT',
      '@requestId': '11111111-aaaa-4bbb-8ccc-000000000001',
      '@duration': 2.72,
      '@billedDuration': 3,
      '@memorySize': 128_000_000,
      '@maxMemoryUsed': 64_000_000,
      '@initDuration': 166.76,
    });
    expect(discoverFields(REPORT_WARM).has('@initDuration')).toBe(false);
    const j = discoverFields(JSON_REPORT);
    expect([...j.keys()].some((k) => k.startsWith('@'))).toBe(false);
    expect(j.get('record.metrics.initDurationMs')).toBe(99.5);
  });

  it('filters with like, or, and, not, parentheses, in, comparisons; sorts and limits', () => {
    expect(
      q('filter @message like "REPORT RequestId:" or @message like "platform.report" | sort @timestamp asc | fields @message', msgs).map(
        (r) => r['@message'],
      ),
    ).toEqual([REPORT_COLD, REPORT_WARM, JSON_REPORT]);
    expect(q('filter @type = "REPORT" and not ispresent(@initDuration) | fields @requestId', msgs)).toEqual([
      { '@requestId': '11111111-aaaa-4bbb-8ccc-000000000002', '@ptr': 'p2' },
    ]);
    expect(q('filter (@duration > 2 or @duration < 1) and @type != "START" | fields @duration', msgs).map((r) => r['@duration'])).toEqual([
      '2.72',
    ]);
    expect(q('filter @requestId in ["11111111-aaaa-4bbb-8ccc-000000000002", "x"] | fields @requestId', msgs)).toHaveLength(1);
    expect(q('filter @message like /Init Duration: \\d+/ | fields @requestId', msgs)).toHaveLength(1);
    expect(
      q('filter @message not like "REPORT" | fields @message | sort @timestamp desc | limit 2', msgs).map((r) => r['@message']),
    ).toEqual(['hello', JSON_REPORT]);
    // default: newest first; default columns @timestamp, @message
    expect(Object.keys(q('filter @message = "hello"', msgs)[0] ?? {})).toEqual(['@timestamp', '@message', '@ptr']);
    expect(q('filter @message = "hello"', msgs)[0]?.['@timestamp']).toBe('2026-01-01 00:00:04.000');
  });

  it('parse with a glob pattern and with named regex groups', () => {
    expect(
      q('filter @message like "REPORT" | parse @message "Init Duration: * ms" as init | filter ispresent(init) | fields init', msgs),
    ).toEqual([{ init: '166.76', '@ptr': 'p1' }]);
    expect(q('parse @message /"requestId":"(?<rid>[^"]+)"/ | filter ispresent(rid) | fields rid', msgs)).toEqual([
      { rid: 'id-json', '@ptr': 'p3' },
    ]);
    expect(q('parse @message "RequestId: *\\tDuration: * ms" as rid, dur | filter dur >= 2 | fields rid, dur', msgs)).toEqual([
      { rid: '11111111-aaaa-4bbb-8ccc-000000000001', dur: '2.72', '@ptr': 'p1' },
    ]);
  });

  it('rejects everything outside the subset', () => {
    for (const bad of [
      'stats count(*)',
      'fields @message | dedup @requestId',
      'filter @message like',
      'filter @message likes "x"',
      'filter (@message like "x"',
      'fields strlen(@message)',
      'limit 0',
      'limit 10001',
      'parse @message "a * b * c" as x',
      'filter @message = "x" extra',
      '',
      'fields @message |',
      'filter @message like /x/g',
    ]) {
      expect(() => parseQuery(bad), bad).toThrow(QuerySyntaxError);
    }
  });
});
