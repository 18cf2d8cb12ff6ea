import { describe, expect, it } from 'vitest';
import {
  canReachSignificance,
  compareSeries,
  computeStatistics,
  isSignificant,
  mannWhitney,
  medianCi,
  minAttainableP,
  ratioOfMedians,
  summarize,
  uDistribution,
} from '../../src/results/stats.js';
import type { FunctionInfo, Sample } from '../../src/results/model.js';

// Seed data of the study, x86 128 MB (speed-x86-128.csv), init column.
const node = [135.38, 158.57, 162.07, 162.83, 164.32, 164.93, 164.95, 166.93, 167.62, 170.33];
const al2 = [43.17, 49.49, 49.65, 49.91, 50.03, 50.19, 50.1, 51.32, 52.68, 53.48];
const py = [105.25, 106.94, 108.32, 110, 118.17, 143.72, 152.95, 154.22, 158.86, 98];
const go = [103.78, 79.84, 80.04, 82.35, 83.04, 83.14, 83.67, 85.99, 89.1, 88.36];

describe('summarize', () => {
  it('matches numpy (type-7 quantiles, ddof=1 sd) on the study data', () => {
    // numpy 2 / scipy 1.17: np.quantile(node, .9) = 167.891, np.median = 164.625, mean 161.793, std(ddof=1) 9.824021636331588
    const s = summarize(node);
    expect(s.n).toBe(10);
    expect(s.min).toBe(135.38);
    expect(s.max).toBe(170.33);
    expect(s.p50).toBeCloseTo(164.625, 10);
    expect(s.p90).toBeCloseTo(167.891, 10);
    expect(s.mean).toBeCloseTo(161.793, 10);
    expect(s.sd).toBeCloseTo(9.824021636331588, 10);
    // n = 10: the 95 % median CI is [x(2), x(9)] (coverage 1 − 2·11/1024 = 97.9 %)
    expect(s.medianCi).toEqual([158.57, 167.62]);
    // np.quantile(py, [.5, .9]) = [114.085, 154.684], std(ddof=1) = 23.858173092953564
    const p = summarize(py);
    expect(p.p50).toBeCloseTo(114.085, 10);
    expect(p.p90).toBeCloseTo(154.684, 10);
    expect(p.sd).toBeCloseTo(23.858173092953564, 10);
  });

  it('says small n plainly: no p90 below 10, no CI below 6, no sd below 2', () => {
    const three = summarize([30, 10, 20]);
    expect(three).toEqual({ n: 3, min: 10, p50: 20, p90: null, max: 30, mean: 20, sd: 10, medianCi: null });
    const one = summarize([5]);
    expect(one.sd).toBeNull();
    expect(one.p50).toBe(5);
    expect(summarize([1, 2, 3, 4, 5, 6, 7, 8, 9]).p90).toBeNull();
    expect(() => summarize([])).toThrow(/no values/);
    expect(() => summarize([1, Number.NaN])).toThrow(/finite/);
  });
});

describe('medianCi (binomial order statistics)', () => {
  const seq = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
  it('uses the textbook order statistics', () => {
    // Conover, Practical Nonparametric Statistics, table A3 / 2·pbinom(k−1, n, .5) ≤ .05:
    expect(medianCi(seq(5))).toBeNull(); // 2/32 = 0.0625 > 0.05
    expect(medianCi(seq(6))).toEqual([1, 6]); // 2/64 = 0.031
    expect(medianCi(seq(10))).toEqual([2, 9]); // 2·11/1024 = 0.021
    expect(medianCi(seq(20))).toEqual([6, 15]); // scipy: 2·binom.cdf(5,20,.5) = 0.0414; k=7 gives 0.1153
    expect(medianCi(seq(10), 0.9)).toEqual([2, 9]); // 2·binom.cdf(2,10,.5) = 0.109 > 0.10
    expect(medianCi(seq(10), 0.8)).toEqual([3, 8]);
  });
});

describe('uDistribution', () => {
  it('is the exact null distribution of U', () => {
    // m = n = 2: U ∈ {0,1,2,2,3,4} over the 6 arrangements → 1/6, 1/6, 2/6, 1/6, 1/6
    const d = Array.from(uDistribution(2, 2));
    expect(d.map((x) => x * 6)).toEqual([1, 1, 2, 1, 1].map((x) => expect.closeTo(x, 12)));
    const big = uDistribution(10, 10);
    expect(big.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // Critical value tables (two-sided α = .05, n1 = n2 = 10): U_crit = 23, i.e. P(U ≤ 23) ≤ .025 < P(U ≤ 24)
    const cdf = (u: number) => Array.from(big.slice(0, u + 1)).reduce((a, b) => a + b, 0);
    expect(cdf(23)).toBeLessThanOrEqual(0.025);
    expect(cdf(24)).toBeGreaterThan(0.025);
  });
});

describe('mannWhitney', () => {
  it('exact p without ties (scipy.stats.mannwhitneyu method="exact")', () => {
    // scipy 1.17.1: mannwhitneyu(node, al2, method='exact') → U=100, p=1.082508822446903e-05 (2/C(20,10))
    const r = mannWhitney(node, al2);
    expect(r.u).toBe(100);
    expect(r.p).toBeCloseTo(1.082508822446903e-5, 15);
    // mannwhitneyu(go, py, method='exact') → U=1, p=2.165017644893806e-05
    const g = mannWhitney(go, py);
    expect(g.u).toBe(1);
    expect(g.p).toBeCloseTo(2.165017644893806e-5, 15);
    // mannwhitneyu([1.1,2.2,3.3,4.4],[2.5,3.5,5.5,6.5,7.5], method='exact') → U=3, p=0.1111111111111111
    const s = mannWhitney([1.1, 2.2, 3.3, 4.4], [2.5, 3.5, 5.5, 6.5, 7.5]);
    expect(s.u).toBe(3);
    expect(s.p).toBeCloseTo(0.1111111111111111, 12);
    expect(mannWhitney([1, 2, 3], [1.5, 2.5, 3.5]).p).toBeGreaterThan(0.5);
  });

  it('small samples with ties: the exact permutation distribution over mid-ranks, not the normal approximation', () => {
    // R 4.2, coin 1.4-2: wilcox_test(y ~ g, distribution = "exact", alternative = "less") = 0.0346320346320346 and
    // "greater" = 0.982683982683983; p = 2·min of the two (scipy's asymptotic value with continuity was 0.0660)
    const r = mannWhitney([1, 2, 3, 4, 5], [3, 4, 5, 6, 7, 8]);
    expect(r.u).toBe(4.5);
    expect(r.p).toBeCloseTo(2 * 0.0346320346320346, 12);
    expect(mannWhitney([5, 5, 5], [5, 5]).p).toBe(1);
  });

  it('large samples (≥ 50) use the approximation', () => {
    // numpy default_rng(1): normal(100,10,60) vs normal(104,10,55), rounded to 2 decimals (2 ties across samples)
    // scipy: mannwhitneyu(x, y, method='asymptotic', use_continuity=True) → U=1173, p=0.0076327349142475435
    const x = [
      103.46, 108.22, 103.3, 86.97, 109.05, 104.46, 94.63, 105.81, 103.65, 102.94, 100.28, 105.47, 92.64, 98.37, 95.18, 105.99, 100.4,
      97.08, 92.18, 97.43, 100.08, 97.24, 112.94, 110.07, 72.89, 81.11, 98.25, 95.78, 102.14, 102.17, 121.18, 88.88, 96.22, 120.43, 106.47,
      106.63, 94.86, 83.52, 101.67, 101.09, 87.73, 93.17, 99.28, 90.55, 99.02, 100.95, 100.36, 94.94, 105.94, 108.91, 103.21, 91.82, 107.32,
      94.99, 108.79, 89.28, 109.14, 99.8, 87.51, 96.86,
    ];
    const y = [
      104.54, 106.73, 94.18, 92.93, 106.0, 99.33, 106.36, 111.6, 87.51, 106.54, 116.25, 101.02, 95.89, 111.52, 106.53, 112.96, 100.55,
      89.18, 102.9, 99.54, 111.75, 105.94, 87.69, 92.05, 112.84, 110.8, 97.6, 103.99, 108.46, 108.68, 112.76, 106.56, 103.05, 101.41,
      114.56, 81.49, 102.61, 104.33, 89.75, 107.33, 97.49, 112.62, 102.74, 110.69, 116.19, 107.83, 95.24, 88.86, 121.53, 102.89, 97.11,
      105.44, 102.09, 112.52, 104.34,
    ];
    const r = mannWhitney(x, y);
    expect(r.u).toBe(1173);
    expect(r.p).toBeCloseTo(0.0076327349142475435, 6);
  });

  it('rejects empty samples', () => {
    expect(() => mannWhitney([], [1])).toThrow(/at least one/);
  });
});

describe('ratioOfMedians', () => {
  it('point estimate is the ratio of medians; CI is Price–Bonett (2002) on the logs', () => {
    // median(node)=164.625, median(al2)=50.065 → 3.2882...
    const r = ratioOfMedians(node, al2);
    expect(r.ratio).toBeCloseTo(164.625 / 50.065, 12);
    // Reference values from an independent Python implementation (math.comb, statistics.NormalDist):
    // c = min(⌊n/2⌋, round((n+1)/2 − √n) + 1) = 3 for n = 10; var ln median = ((ln x(n−c+1) − ln x(c)) / (2·z_c))²;
    // ln r ± z(0.975)·√(va + vb). Ten digits: the normal quantile is exact now.
    expect(r.ci![0]).toBeCloseTo(3.2001506528724613, 10);
    expect(r.ci![1]).toBeCloseTo(3.378723954934026, 10);
    const g = ratioOfMedians(go, al2);
    expect(g.ratio).toBeCloseTo(1.6659342854289425, 12);
    expect(g.ci![0]).toBeCloseTo(1.5884372663544906, 10);
    expect(g.ci![1]).toBeCloseTo(1.7472122457420807, 10);
    const p = ratioOfMedians(py, go);
    expect(p.ci![0]).toBeCloseTo(1.094169115304085, 10);
    expect(p.ci![1]).toBeCloseTo(1.7099699094675702, 10);
  });

  it('the interval always contains the ratio it qualifies, also for bimodal inits', () => {
    // Two clusters (e.g. a cached and an uncached init path): the median jumps between them, a shift estimate does not.
    const a = [...Array.from({ length: 11 }, (_, i) => 180 + i), ...Array.from({ length: 9 }, (_, i) => 40 + i)];
    const b = Array.from({ length: 20 }, (_, i) => 48 + (i % 5));
    const r = ratioOfMedians(a, b);
    expect(r.ci![0]).toBeLessThanOrEqual(r.ratio);
    expect(r.ci![1]).toBeGreaterThanOrEqual(r.ratio);
  });

  it('no interval below 6 values per sample or when a value is not positive', () => {
    expect(ratioOfMedians([1, 2, 3, 4, 5], [2, 3, 4, 5, 6]).ci).toBeNull();
    expect(ratioOfMedians([1, 2, 3, 4, 5, 6], [2, 3, 4, 5, 6, 7]).ci).not.toBeNull();
    expect(ratioOfMedians([0, 2, 3, 4, 5, 6], [2, 3, 4, 5, 6, 7]).ci).toBeNull();
  });

  it('large samples: reference values for n = 60', () => {
    const a = Array.from({ length: 60 }, (_, i) => 100 + i);
    const b = Array.from({ length: 60 }, (_, i) => 50 + i / 2);
    const r = ratioOfMedians(a, b);
    expect(r.ratio).toBeCloseTo(129.5 / 64.75, 12);
    expect(r.ci![0]).toBeCloseTo(1.8411505531215064, 10);
    expect(r.ci![1]).toBeCloseTo(2.172554543797821, 10);
  });
});

function info(name: string, runtime = 'nodejs20.x'): FunctionInfo {
  return {
    name,
    arn: `arn:aws:lambda:eu-west-1:123456789012:function:${name}`,
    runtime,
    architecture: 'x86_64',
    packageType: 'Zip',
    logFormat: 'Text',
    logGroup: `/aws/lambda/${name}`,
    snapStart: false,
    originalMemory: 128,
  };
}

function samplesOf(fn: string, memory: number, inits: number[], extra: Partial<Sample> = {}): Sample[] {
  return inits.map((init, i) => ({
    function: fn,
    memory,
    sequence: i + 1,
    attempt: 1,
    requestId: `${fn}-${memory}-${i}`,
    kind: 'cold',
    init,
    restore: null,
    duration: 2 + i / 10,
    billed: 3,
    maxMemory: 60 + i,
    source: 'insights',
    timestamp: '2026-01-01T00:00:00.000Z',
    strategy: 'sequential',
    ...extra,
  }));
}

describe('computeStatistics', () => {
  it('groups by function × memory × strategy, counts warm and errors, compares with the fastest', () => {
    const warm: Sample = { ...samplesOf('node', 128, [1])[0]!, kind: 'warm', init: null, attempt: 1 };
    const err: Sample = { ...samplesOf('node', 128, [1])[0]!, kind: 'error', init: null, error: 'Runtime.Exit' };
    const samples = [
      ...samplesOf('node', 128, node),
      warm,
      err,
      ...samplesOf('al2', 128, al2),
      ...samplesOf(
        'al2',
        1024,
        al2.map((x) => x - 1),
      ),
      ...samplesOf('al2', 128, [40, 41, 42], { strategy: 'burst' }),
    ];
    const st = computeStatistics([info('node'), info('al2', 'provided.al2')], samples);
    expect(st.map((s) => `${s.function}@${s.memory}/${s.strategy}`)).toEqual([
      'al2@128/sequential',
      'node@128/sequential',
      'al2@128/burst',
      'al2@1024/sequential',
    ]);
    const [fast, slow, burst] = st;
    expect(fast!.vsFastest).toBeUndefined();
    expect(fast!.runtime).toBe('provided.al2');
    expect(slow!.init.n).toBe(10);
    expect(slow!.warmRetries).toBe(1);
    expect(slow!.errors).toBe(1);
    expect(slow!.maxMemory).toBe(69);
    expect(slow!.billedP50).toBe(3);
    expect(slow!.durationP50).toBeCloseTo(2.45, 10);
    expect(slow!.total.p50).toBeGreaterThan(slow!.init.p50);
    expect(slow!.vsFastest!.against).toBe('al2');
    expect(slow!.vsFastest!.ratio).toBeCloseTo(164.625 / 50.065, 10);
    expect(slow!.vsFastest!.pValue).toBeCloseTo(1.082508822446903e-5, 12);
    expect(slow!.vsFastest!.significant).toBe(true);
    expect(burst!.vsFastest).toBeUndefined(); // alone in its strategy group
    expect(burst!.init.p90).toBeNull();
  });

  it('uses Restore Duration for SnapStart samples and skips groups without a cold sample', () => {
    const snap = samplesOf('snap', 512, [0, 0, 0]).map((s, i) => ({ ...s, init: null, restore: 300 + i }));
    const dead = samplesOf('dead', 512, [1]).map((s) => ({ ...s, kind: 'error' as const, init: null }));
    const st = computeStatistics([info('snap'), info('dead')], [...snap, ...dead]);
    expect(st).toHaveLength(1);
    expect(st[0]!.init.p50).toBe(301);
  });

  it('a non-significant difference is not called out', () => {
    const a = [100, 101, 102, 103, 104, 105];
    const b = [100.5, 101.5, 102.5, 103.5, 104.5, 105.5];
    const st = computeStatistics([info('a'), info('b')], [...samplesOf('a', 128, a), ...samplesOf('b', 128, b)]);
    expect(st[1]!.vsFastest!.significant).toBe(false);
    expect(st[1]!.vsFastest!.pValue).toBeGreaterThan(0.5);
  });
});

describe('medianCi for large n', () => {
  it('is fast and matches the normal approximation of the binomial', () => {
    const n = 20000;
    const sorted = Array.from({ length: n }, (_, i) => i + 1);
    const t0 = performance.now();
    const ci = medianCi(sorted)!;
    expect(performance.now() - t0).toBeLessThan(500);
    // scipy: 2·binom.cdf(9860, 20000, .5) = 0.04851 ≤ .05 < 2·binom.cdf(9861, 20000, .5) = 0.05015 → k = 9861
    expect(ci[0]).toBe(9861);
    expect(ci[0] + ci[1]).toBe(n + 1); // symmetric
  });
});

describe('isSignificant', () => {
  it('needs p < 0.05 and an interval that excludes 1; below 6 samples (no interval) the exact test decides alone', () => {
    expect(isSignificant(0.01, [1.1, 1.4])).toBe(true);
    expect(isSignificant(0.01, [0.9, 1.4])).toBe(false);
    expect(isSignificant(0.2, [1.1, 1.4])).toBe(false);
    // 5 against 5, fully separated: exact two-sided p = 2/252
    const five = compareSeries([30, 31, 32, 33, 34], [3, 4, 5, 6, 7], 'b');
    expect(five.ratioCi).toBeNull();
    expect(five.pValue).toBeCloseTo(2 / 252, 12);
    expect(five.significant).toBe(true);
    // 3 against 3 can never reach p < 0.05 (2/20 at best)
    expect(compareSeries([30, 31, 32], [3, 4, 5], 'b').significant).toBe(false);
  });
});

describe('mannWhitney with ties in small samples', () => {
  it('never reports a p-value below what the exact test of those sizes could reach', () => {
    // [1,1,1] vs [2,2,2,2]: ties → normal approximation ≈ 0.025, but 3 against 4 can reach at best 2/35 ≈ 0.057
    const { p } = mannWhitney([1, 1, 1], [2, 2, 2, 2]);
    expect(p).toBeCloseTo(minAttainableP(3, 4), 10);
    expect(canReachSignificance(3, 4)).toBe(false);
  });
});
