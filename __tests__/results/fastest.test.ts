import { describe, expect, it } from 'vitest';
import { fastestVerdict } from '../../src/results/fastest.js';
import { computeStatistics } from '../../src/results/stats.js';
import { coldSamples, fnInfo } from '../helpers/results-fixtures.js';

const stats = (groups: Record<string, number[]>) =>
  computeStatistics(
    Object.keys(groups).map((f) => fnInfo(f)),
    Object.entries(groups).flatMap(([f, v]) => coldSamples(f, 128, v)),
  );

describe('fastestVerdict', () => {
  it('clearly fastest only when significantly faster than every other function', () => {
    const v = fastestVerdict(
      stats({ go: [50, 51, 52, 49, 50, 53], node: [160, 170, 165, 158, 172, 166], py: [120, 118, 125, 130, 122, 119] }),
    );
    expect([v.fastest.function, v.runnerUp!.function, v.clear, v.reason]).toEqual(['go', 'py', true, 'significant']);
  });

  it('too few cold starts: no test could tell (3 against 3)', () => {
    const v = fastestVerdict(stats({ go: [50, 51, 52], node: [160, 170, 165] }));
    expect([v.clear, v.reason, v.notClearOf.map((s) => s.function)]).toEqual([false, 'too-few', ['node']]);
  });

  it('not significant: the runner-up overlaps', () => {
    const v = fastestVerdict(
      stats({ a: [100, 104, 98, 101, 103, 99], b: [101, 105, 99, 102, 104, 100], c: [300, 310, 305, 290, 320, 315] }),
    );
    expect([v.fastest.function, v.clear, v.reason, v.notClearOf.map((s) => s.function)]).toEqual(['a', false, 'not-significant', ['b']]);
  });

  it('a function alone has nothing to be fastest against', () => {
    expect(fastestVerdict(stats({ go: [50, 51] })).reason).toBe('alone');
  });
});
