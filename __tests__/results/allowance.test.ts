import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ALLOWANCE,
  DEFAULT_DAY_TO_DAY,
  allowanceFromHistory,
  beyondThreshold,
  compareAcrossRuns,
  storedLogMedianVariance,
} from '../../src/results/allowance.js';
import { qn } from '../../src/results/robust.js';
import { summarize } from '../../src/results/stats.js';

const base = [100, 102, 98, 101, 99, 103, 97, 100.5, 99.5, 101.5];

describe('Qn', () => {
  it('matches R robustbase 0.95 Qn() (finite-sample corrected)', () => {
    const x = [4.1, 3.9, 4.4, 4.0, 5.2, 4.05, 3.95, 4.2, 4.15, 9.0];
    expect(qn(x)).toBeCloseTo(0.239713721940001, 12);
    expect(qn(x.slice(0, 5))).toBeCloseTo(0.37459527028, 10);
    expect(qn([...x, 4.3, 4.25, 3.8])).toBeCloseTo(0.300350995622563, 12);
  });
});

describe('cross-run allowance', () => {
  it('without history: the documented default, σ = 0.05 of ln(median)', () => {
    expect(DEFAULT_ALLOWANCE).toEqual({ sigma: DEFAULT_DAY_TO_DAY, source: 'default', runs: 0, df: Infinity });
    expect(allowanceFromHistory([{ p50: 100, n: 10, ci: null }])).toBeNull(); // fewer than 3 runs
  });

  it('from history: grows with the spread of the run medians, moderated towards the default', () => {
    const runs = (spread: number) =>
      [0.97, 1.03, 0.99, 1.01, 1.04, 0.96, 1.0, 1.02, 0.98, 1.0].map((f) => ({ p50: 100 * f ** (spread / 0.03), n: 20, ci: null }));
    const calm = allowanceFromHistory(runs(0.005))!;
    const wild = allowanceFromHistory(runs(0.3))!;
    expect(calm.source).toBe('history');
    expect(calm.runs).toBe(10);
    expect(calm.sigma).toBeLessThan(DEFAULT_DAY_TO_DAY);
    expect(calm.sigma).toBeGreaterThan(0.02); // ten calm runs do not prove there is no drift
    expect(wild.sigma).toBeGreaterThan(0.15);
    // one run of an old regression moves nothing
    const withSpike = [...runs(0.03).slice(0, 9), { p50: 300, n: 20, ci: null }];
    expect(allowanceFromHistory(withSpike)!.sigma).toBeLessThan(0.06);
  });

  it('reads back a run’s sampling variance from its stored interval (exact coverage of the order statistics)', () => {
    const s = summarize(base);
    const v = storedLogMedianVariance({ p50: s.p50, n: s.n, ci: s.medianCi });
    expect(v).toBeGreaterThan(0);
    expect(storedLogMedianVariance({ p50: 1, n: 5, ci: null })).toBeNull();
  });

  it('two days apart, a 10 % difference within the drift allowance is no evidence; 40 % is', () => {
    const same = compareAcrossRuns(
      base.map((x) => x * 1.1),
      base,
      DEFAULT_ALLOWANCE,
    )!;
    expect(same.ratio).toBeCloseTo(1.1, 10);
    expect(same.ci[0]).toBeLessThan(1);
    expect(same.pValue).toBeGreaterThan(0.05);
    const slow = compareAcrossRuns(
      base.map((x) => x * 1.4),
      base,
      DEFAULT_ALLOWANCE,
    )!;
    expect(slow.ci[0]).toBeGreaterThan(1);
    expect(slow.pValue).toBeLessThan(0.05);
    // no allowance at all: the same 10 % would be a clear change within one job
    const tight = compareAcrossRuns(
      base.map((x) => x * 1.1),
      base,
      { sigma: 0, source: 'history', runs: 10, df: 6 },
    )!;
    expect(tight.ci[0]).toBeGreaterThan(1);
    expect(compareAcrossRuns([1, 2, 3], base, DEFAULT_ALLOWANCE)).toBeNull();
  });

  it('the gate needs evidence beyond the threshold, not a point estimate beyond it', () => {
    expect(beyondThreshold(1.2, 0.1, 0.15)).toBe(false); // ln 1.2 − z(0.7)·0.1 = 0.130 < ln 1.15 = 0.140
    expect(beyondThreshold(1.25, 0.1, 0.15)).toBe(true); // 0.171
    expect(beyondThreshold(1.2, 0.1, 0.15, 3)).toBe(false);
    expect(beyondThreshold(1.2, null, 0.15)).toBe(true); // no standard error: only the point estimate can speak
    expect(beyondThreshold(1.1, null, 0.15)).toBe(false);
  });
});
