import { describe, expect, it } from 'vitest';
import { appendEntry, emptyHistory, entryFromResults, roundEntry } from '../../src/history/build.js';
import { HistoryFormatError } from '../../src/core/errors.js';
import { parseHistory, toHistoryJson } from '../../src/history/json.js';
import { MAX_HISTORY_BYTES } from '../../src/history/model.js';
import { coldSamples, fnInfo, makeResults } from '../helpers/results-fixtures.js';
import { entry, generatedHistory, row } from '../helpers/history-fixtures.js';
import { expectValidHistory, historySchemaErrors } from '../helpers/validate-history.js';

const results = makeResults(
  [fnInfo('a'), fnInfo('b', { runtime: 'python3.12', architecture: 'arm64' })],
  [...coldSamples('a', 128, [100, 101, 102, 103, 104, 105, 106, 107, 108, 109]), ...coldSamples('b', 128, [50, 51, 52])],
);
const meta = { commit: 'c0ffee', branch: 'main', event: 'push', runUrl: 'https://github.com/o/r/actions/runs/1' };

describe('entryFromResults', () => {
  it('keeps the summaries of every function × memory × strategy, valid against the schema once rounded', () => {
    const e = roundEntry(entryFromResults(results, meta));
    expect(e).toMatchObject({ time: '2026-01-01T00:00:00.000Z', commit: 'c0ffee', branch: 'main', event: 'push', region: 'eu-west-1' });
    const a = e.rows.find((r) => r.function === 'a')!;
    expect(a).toEqual({
      function: 'a',
      memory: 128,
      n: 10,
      p50: 104.5,
      p90: 108.1,
      ci: [101, 108],
      mean: 104.5,
      coldP50: 2.5,
      billedP50: 3,
    });
    const b = e.rows.find((r) => r.function === 'b')!;
    expect([b.n, b.p90, b.ci]).toEqual([3, null, null]);
    expect(e.functions).toEqual({
      a: { runtime: 'nodejs20.x', architecture: 'x86_64' },
      b: { runtime: 'python3.12', architecture: 'arm64' },
    });
    expectValidHistory({ ...emptyHistory('x'), entries: [e] });
  });
});

describe('roundEntry', () => {
  it('rounds to 0.01 only for history.json: the entry itself keeps the statistics as computed', () => {
    const r = makeResults([fnInfo('a')], coldSamples('a', 128, [40, 41, 42, 43, 43.24, 43.25, 44, 45, 46, 47]));
    const raw = entryFromResults(r, meta);
    expect(raw.rows[0]!.p50).toBe(r.statistics[0]!.init.p50);
    expect(raw.rows[0]!.p50).not.toBe(43.25);
    expect(roundEntry(raw).rows[0]!.p50).toBe(43.25);
  });
});

describe('appendEntry', () => {
  it('appends in time order and drops the oldest beyond the limit', () => {
    let h = emptyHistory('bench');
    for (let i = 0; i < 7; i++) h = appendEntry(h, entry(i, [row('a', 128, 100 + i)]), 5);
    expect(h.entries.map((e) => e.rows[0]!.p50)).toEqual([102, 103, 104, 105, 106]);
    // an entry that arrives late (a slower concurrent writer) still lands in time order
    h = appendEntry(h, entry(5.5, [row('a', 128, 999)]), 10);
    expect(h.entries.map((e) => e.rows[0]!.p50)).toEqual([102, 103, 104, 105, 999, 106]);
  });

  it('never counts a workflow run twice: a retried write or a re-run attempt replaces its earlier entry', () => {
    const e = entry(1, [row('a', 128, 100)]);
    let h = appendEntry(appendEntry(emptyHistory('x'), entry(0, [row('a', 128, 90)]), 10), e, 10);
    h = appendEntry(h, e, 10);
    expect(h.entries.map((x) => x.rows[0]!.p50)).toEqual([90, 100]);
    const attempt2 = { ...entry(2, [row('a', 128, 105)]), runUrl: e.runUrl! };
    h = appendEntry(h, attempt2, 10);
    expect(h.entries.map((x) => x.rows[0]!.p50)).toEqual([90, 105]);
  });

  it('two jobs of one workflow run (same run URL, other series) fill one entry; a re-run of one job replaces only its rows', () => {
    const runUrl = 'https://github.com/o/r/actions/runs/77';
    const jobA = entry(1, [row('a', 128, 100)], { runUrl });
    const jobB = entry(1.01, [row('b', 128, 50), row('b', 256, 40)], { runUrl });
    let h = appendEntry(appendEntry(emptyHistory('x'), jobA, 10), jobB, 10);
    expect(h.entries).toHaveLength(1);
    const series = (x: typeof h) => x.entries[0]!.rows.map((r) => `${r.function}@${r.memory}=${r.p50}`).sort();
    expect(series(h)).toEqual(['a@128=100', 'b@128=50', 'b@256=40']);
    expect(Object.keys(h.entries[0]!.functions).sort()).toEqual(['a', 'b']);
    h = appendEntry(h, entry(2, [row('a', 128, 111)], { runUrl }), 10); // job a re-run
    expect(series(h)).toEqual(['a@128=111', 'b@128=50', 'b@256=40']);
    expectValidHistory(h);
  });
});

describe('history.json text', () => {
  it('round-trips, one entry per line; 500 runs of 3 functions × 2 sizes stay near half a megabyte, bigger ones are capped', () => {
    const h = generatedHistory(30);
    const text = toHistoryJson(h);
    expect(parseHistory(text)).toEqual(h);
    expect(text.split('\n')).toHaveLength(30 + 3);
    expectValidHistory(JSON.parse(text));
    const fill = (memory: number[]) => {
      const rows = ['hello-node', 'hello-py311', 'hello-runtime-al2'].flatMap((f) => memory.map((m) => row(f, m, 123.45)));
      const before = { ...emptyHistory('big', 'https://github.com/o/r'), entries: Array.from({ length: 519 }, (_, i) => entry(i, rows)) };
      const h = appendEntry(before, entry(519, rows), 500);
      return { h, bytes: Buffer.byteLength(toHistoryJson(h)) };
    };
    const small = fill([128, 1024]);
    expect(small.h.entries).toHaveLength(500);
    expect(small.bytes).toBeLessThan(700_000);
    // 12 series: 500 runs would be ~1.1 MB; the newest runs that fit in MAX_HISTORY_BYTES are kept
    const big = fill([128, 512, 1024, 2048]);
    expect(big.bytes).toBeLessThanOrEqual(MAX_HISTORY_BYTES);
    expect(big.h.entries.length).toBeGreaterThan(400);
    expect(big.h.entries.at(-1)!.time).toBe(entry(519, []).time);
  });

  it('refuses another version and a broken shape, naming what is wrong', () => {
    const v2 = () => parseHistory('{"schemaVersion":2,"name":"x","entries":[]}');
    expect(v2).toThrow(HistoryFormatError);
    expect(v2).toThrow(/^schemaVersion is not 1 \(got a number; written by another version of lambda-coldstart\?\)$/);
    expect(() => parseHistory('nope')).toThrow(/^not JSON$/);
    expect(() => parseHistory('{"schemaVersion":1,"name":"x","entries":[{"time":"t"}]}')).toThrow(/entries\[0\]\.commit is not a string/);
    expect(() =>
      parseHistory(
        JSON.stringify({
          schemaVersion: 1,
          name: 'x',
          entries: [entry(0, [{ ...row('a', 128, 1), ci: [1] as unknown as [number, number] }])],
        }),
      ),
    ).toThrow(/rows\[0\]\.ci/);
  });

  it('never quotes the file: a credentials file given by mistake is described by kind, its parse error kept as the cause', () => {
    const secret = 'AKIAIOSFODNN7EXAMPLE';
    const thrown = (text: string) => {
      try {
        parseHistory(text);
      } catch (e) {
        return e as HistoryFormatError;
      }
      throw new Error('parsed');
    };
    const notJson = thrown(`aws_access_key_id=${secret}\naws_secret_access_key=wJalrXUtnFEMI\n`);
    expect(notJson).toBeInstanceOf(HistoryFormatError);
    expect(notJson.message).toBe('not JSON');
    expect(notJson.cause).toBeInstanceOf(SyntaxError);
    const version = thrown(JSON.stringify({ schemaVersion: secret, name: 'x', entries: [] }));
    expect(version.message).toBe('schemaVersion is not 1 (got a string of 20 characters; written by another version of lambda-coldstart?)');
    for (const e of [notJson, version]) expect(e.message).not.toContain('AKIA');
  });

  it('the schema rejects what the format forbids (it is not a schema that accepts anything)', () => {
    expect(historySchemaErrors({ schemaVersion: 1, name: 'x', entries: [entry(0, [{ ...row('a', 64, 1) }])] })).toMatch(/memory/);
    expect(historySchemaErrors({ schemaVersion: 1, name: 'x', entries: [], extra: 1 })).toMatch(/additional/);
  });
});
