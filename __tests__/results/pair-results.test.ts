import { describe, expect, it } from 'vitest';
import { readResultsJson, toResultsJson, mergeRuns } from '../../src/results/json.js';
import { comparePairSamples, pairRegressionOutput, pairRegressions } from '../../src/results/pair-results.js';
import { coldSamples } from '../helpers/results-fixtures.js';
import { pairRun } from '../helpers/pair-fixtures.js';
import { expectValidResults } from '../helpers/validate-results.js';

describe('results.json with baseline-functions pairs', () => {
  const r = pairRun([
    ['pr-api', 'main-api', 1.3, 10],
    ['pr-worker', 'main-worker', 1.0, 3],
  ]);

  it('names the pairs in inputs (by function name, an ARN resolved) and compares each within the job', () => {
    expect(r.run.inputs.pairs).toEqual([
      { head: 'pr-api', base: 'main-api' },
      { head: 'pr-worker', base: 'main-worker' },
    ]);
    expect(r.pairs?.map((p) => [p.head, p.base, p.memory, p.kind, p.method, p.pairs, p.verdict])).toEqual([
      ['pr-api', 'main-api', 128, 'within-job', 'paired', 10, 'slower'],
      ['pr-worker', 'main-worker', 128, 'within-job', 'unpaired', 3, 'too few to tell'],
    ]);
    const api = r.pairs![0]!;
    expect(api.ratio).toBeCloseTo(1.3, 1);
    expect(api.ratioCi![0]).toBeGreaterThan(1.2);
    expect(api.df).toBe(5); // 10 pairs, 2 trimmed from each end: 10 − 4 − 1
    expect(r.pairs![1]!.df).toBeNull(); // unpaired: normal
    expectValidResults(r);
  });

  it('survives results.json: written, read back, schema-valid; a file written before pairs existed still reads', () => {
    const back = readResultsJson(toResultsJson(r));
    expect(back.pairs).toEqual(r.pairs);
    expect(back.run.inputs.pairs).toEqual(r.run.inputs.pairs);
    const old = JSON.parse(toResultsJson(r)) as Record<string, unknown> & { run: { inputs: Record<string, unknown> } };
    delete old.pairs;
    delete old.run.inputs.pairs;
    expect(readResultsJson(JSON.stringify(old)).pairs).toBeUndefined();
    const bad = JSON.parse(toResultsJson(r)) as { pairs: { verdict: string }[] };
    bad.pairs[0]!.verdict = 'worse';
    expect(() => readResultsJson(JSON.stringify(bad))).toThrow(/pairs\[0\]\.verdict must be one of/);
  });

  it('merged shards keep their pairs, compared again under the merged names', () => {
    const merged = mergeRuns([
      { shard: 'a', results: r },
      { shard: 'b', results: pairRun([['pr-api', 'main-api', 1.3, 10]], 1024) },
    ]);
    expect(merged.pairs?.map((p) => [p.head, p.memory, p.verdict])).toEqual([
      ['pr-api', 128, 'slower'],
      ['pr-api', 1024, 'slower'],
      ['pr-worker', 128, 'too few to tell'],
    ]);
    expectValidResults(merged);
  });

  it('pairs a head and a base that each kept a size of their own (memory empty)', () => {
    const rows = comparePairSamples(
      [...coldSamples('h', 256, [10, 11, 12]), ...coldSamples('b', 128, [20, 21, 22])],
      [{ head: 'h', base: 'b' }],
    );
    expect(rows.map((x) => [x.memory, x.baseMemory, x.method])).toEqual([[256, 128, 'unpaired']]);
    expect(comparePairSamples(coldSamples('h', 256, [10]), [{ head: 'h', base: 'b' }])).toEqual([]);
  });
});

describe('pairRegressions: the gate on a pair, judged within the job', () => {
  const rows = pairRun([
    ['pr-api', 'main-api', 1.3, 10],
    ['pr-same', 'main-same', 1.0, 10],
  ]).pairs!;

  it('trips on a significant slowdown whose evidence lies beyond the threshold, not otherwise', () => {
    expect(pairRegressions(rows, 0.15).map((r) => r.head)).toEqual(['pr-api']);
    expect(pairRegressions(rows, 0.5)).toEqual([]); // slower, but not beyond 50 %
    expect(pairRegressions(rows, null)).toEqual([]);
  });

  it('lists a pair regression as the `regressions` output does: the head as `function`, its base, the kind', () => {
    expect(pairRegressionOutput(rows[0]!)).toMatchObject({
      function: 'pr-api',
      base: 'main-api',
      memory: 128,
      kind: 'within-job',
      method: 'paired',
      pairs: 10,
      verdict: 'slower',
    });
  });
});
