import { describe, expect, it } from 'vitest';
import { hodgesLehmann, mannWhitney, midRanks, minAttainableP, signedRank, signTest, walshIndex } from '../../src/results/rank-tests.js';
import { trimmedMeanTest } from '../../src/results/trimmed.js';

/** Every way of splitting the pooled values into a and b: the permutation distribution by brute force. */
function enumeratedMannWhitney(a: number[], b: number[]): number {
  const all = [...a, ...b];
  const { ranks } = midRanks(all);
  const m = a.length;
  const observed = ranks.slice(0, m).reduce((s, r) => s + r, 0);
  let low = 0;
  let high = 0;
  let total = 0;
  const pick = (start: number, left: number, sum: number): void => {
    if (left === 0) {
      total++;
      if (sum <= observed + 1e-9) low++;
      if (sum >= observed - 1e-9) high++;
      return;
    }
    for (let i = start; i <= all.length - left; i++) pick(i + 1, left - 1, sum + ranks[i]!);
  };
  pick(0, m, 0);
  return Math.min(1, (2 * Math.min(low, high)) / total);
}

describe('mannWhitney: exact with ties', () => {
  it('3 against 3 with one tie: 0.2, as R coin::wilcox_test(distribution = "exact") and enumeration say', () => {
    // The normal approximation without continuity correction gives 0.0765 here (R: wilcox.test(exact = FALSE,
    // correct = FALSE)); a permutation p of 3 against 3 can only be a multiple of 1/20.
    expect(mannWhitney([1, 2, 3], [3, 4, 5]).p).toBeCloseTo(0.2, 14);
    expect(mannWhitney([1, 1, 2], [3, 4, 5]).p).toBeCloseTo(0.1, 14);
  });

  it('is twice the smaller one-sided exact p of coin (asymmetric tie patterns included)', () => {
    // coin 1.4-2, wilcox_test(..., distribution = "exact", alternative = "less" / "greater")
    expect(mannWhitney([1, 2, 2, 3], [2, 4, 5, 6, 7]).p).toBeCloseTo(2 * 0.0317460317460317, 13);
    expect(mannWhitney([10, 20, 20, 30, 40], [20, 40, 50, 60, 60, 70]).p).toBeCloseTo(2 * 0.0216450216450216, 13);
    const a = [163.2, 170.1, 158.4, 170.1, 166.0, 161.3, 175.2, 158.4];
    const b = [150.3, 158.4, 149.9, 155.0, 150.3, 161.3, 152.8];
    expect(mannWhitney(a, b).p).toBeCloseTo(2 * 0.00155400155400155, 13);
    expect(mannWhitney(b, a).p).toBeCloseTo(mannWhitney(a, b).p, 14);
  });

  it('agrees with brute-force enumeration, and never goes below 2 / C(m+n, m)', () => {
    const cases: [number[], number[]][] = [
      [
        [5, 5, 6, 7, 7, 7],
        [6, 7, 8, 8, 9],
      ],
      [
        [1, 1, 1],
        [2, 2, 2, 2],
      ],
      [
        [3.1, 2.2, 3.1, 4.5, 2.2, 5.0, 1.0],
        [3.1, 6.0, 7.2, 4.5, 8.8, 9.9],
      ],
    ];
    for (const [a, b] of cases) {
      const p = mannWhitney(a, b).p;
      expect(p).toBeCloseTo(enumeratedMannWhitney(a, b), 12);
      expect(p).toBeGreaterThanOrEqual(minAttainableP(a.length, b.length) - 1e-15);
    }
  });
});

describe('signedRank and hodgesLehmann', () => {
  it('match R wilcox.test(x, conf.int = TRUE, exact = TRUE)', () => {
    const x = [0.12, -0.05, 0.31, 0.08, 0.22, -0.11, 0.17, 0.26, 0.04, 0.19];
    expect(signedRank(x)).toEqual({ v: 49, n: 10, p: expect.closeTo(0.02734375, 14) });
    const hl = hodgesLehmann(x);
    expect(hl.estimate).toBeCloseTo(0.13, 14);
    expect(hl.ci![0]).toBeCloseTo(0.03, 14);
    expect(hl.ci![1]).toBeCloseTo(0.22, 14);
    const y = [0.31, 0.12, -0.2, 0.05, 0.44, 0.27, 0.09, 0.18, 0.22, 0.35, 0.02, 0.15];
    expect(signedRank(y).p).toBeCloseTo(0.00927734375, 14);
    expect(hodgesLehmann(y).ci).toEqual([expect.closeTo(0.055, 14), expect.closeTo(0.28, 14)]);
  });

  it('ties and zeros: zeros dropped, mid-ranks exact (coin wilcoxsign_test, zero.method = "Wilcoxon")', () => {
    // one-sided "greater" = 0.015625 (coin); the distribution is not symmetric, so twice the smaller tail
    expect(signedRank([0.1, -0.1, 0.2, 0.2, 0.3, -0.05, 0.3, 0.1, 0.15]).p).toBeCloseTo(2 * 0.015625, 14);
    expect(signedRank([0, 0, 0]).p).toBe(1);
  });

  it('the interval index is the table critical value (n = 10 → 9th Walsh average; none below 6)', () => {
    expect(walshIndex(10, 0.95)).toBe(9);
    expect(walshIndex(20, 0.95)).toBe(53); // tables: two-sided 5 % critical value of T for n = 20 is 52
    expect(walshIndex(5, 0.95)).toBeNull();
  });

  it('sign test: exact binomial', () => {
    expect(signTest([1, 2, 3, 4, 5, 6, 7, 8, 9, -1])).toEqual({ positive: 9, n: 10, p: expect.closeTo((2 * 11) / 1024, 14) });
  });
});

describe('trimmedMeanTest (20 %)', () => {
  it('matches scipy: trim_mean, mstats.trimmed_stde and t with n − 2g − 1 degrees of freedom', () => {
    const d = [0.31, 0.12, -0.2, 0.05, 0.44, 0.27, 0.09, 0.18, 0.22, 0.35, 0.02, 0.15, 1.9];
    const t = trimmedMeanTest(d);
    expect(t.estimate).toBeCloseTo(0.19333333333333336, 13);
    expect(t.se).toBeCloseTo(0.05558595486505486, 13);
    expect(t.df).toBe(8);
    expect(t.p).toBeCloseTo(0.008342912879428328, 11);
    expect(t.ci[0]).toBeCloseTo(0.06515189155524473, 11);
    expect(t.ci[1]).toBeCloseTo(0.321514775111422, 11);
  });
});
