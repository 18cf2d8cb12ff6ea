/**
 * Rank tests with their exact permutation distributions, ties included. Pure.
 *
 * - Mann–Whitney (Wilcoxon rank-sum) for two independent samples.
 * - Wilcoxon signed-rank for paired differences, with the Hodges–Lehmann estimate and its distribution-free interval
 *   from the Walsh averages.
 *
 * Ties get mid-ranks; the exact distribution is then the permutation distribution of the statistic over those mid-ranks
 * (what R's coin::wilcox_test(distribution = "exact") computes), counted by dynamic programming over doubled ranks, which
 * are integers. The two-sided p-value is 2·min(P(T ≤ t), P(T ≥ t)), capped at 1: R's wilcox.test convention. Where ties
 * make the distribution asymmetric, coin's P(|T − E T| ≥ |t − E T|) can be smaller; doubling the smaller tail keeps the
 * smallest attainable p at 2 / C(m + n, m), so sizes that cannot reach significance without ties cannot with them either.
 * From EXACT_LIMIT values on, the normal approximation with tie and continuity correction (R's `correct = TRUE`).
 */
import { normalQuantile, normalTwoSidedP } from './normal.js';

/** Below this many values per sample (pairs for the signed-rank test) the p-value is exact, as in R. */
export const EXACT_LIMIT = 50;

/** Mid-ranks (1-based) of `values`, in their order, and Σ(t³ − t) over the tie groups. */
export function midRanks(values: readonly number[]): { ranks: number[]; tieSum: number } {
  const order = values.map((v, i) => [v, i] as const).sort((x, y) => x[0] - y[0]);
  const ranks = new Array<number>(values.length);
  let tieSum = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const t = j - i + 1;
    tieSum += t * t * t - t;
    for (let k = i; k <= j; k++) ranks[order[k]![1]] = (i + j + 2) / 2;
    i = j + 1;
  }
  return { ranks, tieSum };
}

/**
 * Distribution of the sum of `m` values drawn without replacement from `scores` (non-negative integers), as counts:
 * element s is the number of m-subsets whose scores add up to s. Dynamic programming over the items, O(N·m·Σ).
 */
function subsetSumCounts(scores: readonly number[], m: number): Float64Array {
  const sorted = [...scores].sort((x, y) => y - x);
  let max = 0;
  for (let i = 0; i < m; i++) max += sorted[i]!;
  // ways[j][s]: j items chosen so far with sum s
  const ways = Array.from({ length: m + 1 }, () => new Float64Array(max + 1));
  ways[0]![0] = 1;
  let reach = 0;
  for (const score of scores) {
    reach = Math.min(max, reach + score);
    for (let j = m; j >= 1; j--) {
      const to = ways[j]!;
      const from = ways[j - 1]!;
      for (let s = reach; s >= score; s--) to[s]! += from[s - score]!;
    }
  }
  return ways[m]!;
}

/** Two-sided p from counts over integer support: 2·min(P(T ≤ t), P(T ≥ t)), capped at 1. */
function twoSidedFromCounts(counts: Float64Array, t: number): number {
  let total = 0;
  let low = 0;
  let high = 0;
  for (let s = 0; s < counts.length; s++) {
    const c = counts[s]!;
    total += c;
    if (s <= t) low += c;
    if (s >= t) high += c;
  }
  return Math.min(1, (2 * Math.min(low, high)) / total);
}

const noTieCache = new Map<string, Float64Array>();

/**
 * Exact null distribution of the Mann–Whitney U statistic without ties for sample sizes m and n: element u is P(U = u),
 * u = 0..m·n. Recurrence p(m,n,u) = m/(m+n)·p(m−1,n,u−n) + n/(m+n)·p(m,n−1,u). Memoised: it depends on the sizes only.
 */
export function uDistribution(m: number, n: number): Float64Array {
  const key = `${m},${n}`;
  const cached = noTieCache.get(key);
  if (cached) return cached;
  // prev[j] = distribution for (i-1, j); cur[j] = distribution for (i, j)
  let prev: Float64Array[] = [];
  for (let j = 0; j <= n; j++) prev.push(Float64Array.of(1)); // i = 0: U = 0 surely
  for (let i = 1; i <= m; i++) {
    const cur: Float64Array[] = [Float64Array.of(1)];
    for (let j = 1; j <= n; j++) {
      const d = new Float64Array(i * j + 1);
      const fromA = prev[j]!; // (i-1, j): the largest value is from a → adds j to U
      const fromB = cur[j - 1]!; // (i, j-1): the largest value is from b → adds 0
      const wa = i / (i + j);
      const wb = j / (i + j);
      for (let u = 0; u < fromA.length; u++) d[u + j]! += wa * fromA[u]!;
      for (let u = 0; u < fromB.length; u++) d[u]! += wb * fromB[u]!;
      cur.push(d);
    }
    prev = cur;
  }
  if (noTieCache.size > 256) noTieCache.clear();
  noTieCache.set(key, prev[n]!);
  return prev[n]!;
}

/**
 * The smallest two-sided p-value the exact Mann–Whitney test can give for sample sizes m and n: 2 / C(m+n, m), reached
 * when the two samples do not overlap at all. 3 against 3 → 0.1: no data could be called significant at that size.
 */
export function minAttainableP(m: number, n: number): number {
  if (m < 1 || n < 1) return 1;
  let c = 1; // C(m+n, k) built up k = 1..min(m, n)
  const k = Math.min(m, n);
  for (let i = 1; i <= k; i++) c = (c * (m + n - k + i)) / i;
  return Math.min(1, 2 / c);
}

/**
 * Two-sided Mann–Whitney U test. `u` is the statistic of `a` (R's W): the number of pairs (x in a, y in b) with x > y,
 * ties counting ½. Exact permutation p (ties by mid-ranks) when both samples have fewer than EXACT_LIMIT values; else
 * the normal approximation with tie and continuity correction. Throws when a sample is empty.
 */
export function mannWhitney(a: readonly number[], b: readonly number[]): { u: number; p: number } {
  const m = a.length;
  const n = b.length;
  if (m === 0 || n === 0) throw new Error('mannWhitney: both samples need at least one value');
  const { ranks, tieSum } = midRanks([...a, ...b]);
  let rankSum = 0;
  for (let i = 0; i < m; i++) rankSum += ranks[i]!;
  const u = rankSum - (m * (m + 1)) / 2;
  const N = m + n;
  if (m < EXACT_LIMIT && n < EXACT_LIMIT) {
    if (tieSum === 0) {
      const dist = uDistribution(m, n);
      let low = 0;
      let high = 0;
      for (let s = 0; s < dist.length; s++) {
        if (s <= u) low += dist[s]!;
        if (s >= u) high += dist[s]!;
      }
      return { u, p: Math.min(1, 2 * Math.min(low, high)) };
    }
    // doubled mid-ranks are integers; the smaller sample's sum (the other's is their complement) gives the same p
    const doubled = ranks.map((r) => Math.round(2 * r));
    const sum = m <= n ? rankSum : (N * (N + 1)) / 2 - rankSum;
    return { u, p: twoSidedFromCounts(subsetSumCounts(doubled, Math.min(m, n)), Math.round(2 * sum)) };
  }
  const sigma = Math.sqrt(((m * n) / 12) * (N + 1 - tieSum / (N * (N - 1))));
  if (sigma === 0) return { u, p: 1 };
  const diff = u - (m * n) / 2;
  return { u, p: normalTwoSidedP((diff - 0.5 * Math.sign(diff)) / sigma) };
}

/**
 * Two-sided Wilcoxon signed-rank test of paired differences `d` against 0. Zero differences are dropped (Wilcoxon's
 * convention, R's default); `v` is the sum of the mid-ranks of |d| over the positive differences (R's V). Exact
 * permutation p below EXACT_LIMIT non-zero differences, ties included; normal approximation with tie and continuity
 * correction above. p = 1 when every difference is zero.
 */
export function signedRank(d: readonly number[]): { v: number; n: number; p: number } {
  const nz = d.filter((x) => x !== 0);
  const n = nz.length;
  if (n === 0) return { v: 0, n: 0, p: 1 };
  const { ranks, tieSum } = midRanks(nz.map(Math.abs));
  let v = 0;
  for (let i = 0; i < n; i++) if (nz[i]! > 0) v += ranks[i]!;
  if (n < EXACT_LIMIT) {
    // each rank is in V with probability ½ independently: the subset sums of the doubled ranks, any subset size
    const doubled = ranks.map((r) => Math.round(2 * r));
    const max = doubled.reduce((s, x) => s + x, 0);
    const counts = new Float64Array(max + 1);
    counts[0] = 1;
    let reach = 0;
    for (const r of doubled) {
      reach += r;
      for (let s = reach; s >= r; s--) counts[s]! += counts[s - r]!;
    }
    return { v, n, p: twoSidedFromCounts(counts, Math.round(2 * v)) };
  }
  const mean = (n * (n + 1)) / 4;
  const sigma = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieSum / 48);
  if (sigma === 0) return { v, n, p: 1 };
  const diff = v - mean;
  return { v, n, p: normalTwoSidedP((diff - 0.5 * Math.sign(diff)) / sigma) };
}

/**
 * The index k (1-based) of the lower interval bound among the sorted Walsh averages: the `level` interval is
 * [w(k), w(M − k + 1)], M = n(n+1)/2, with k = qsignrank((1 − level)/2, n) as R's wilcox.test (exact, no ties), at least
 * 1. Null when even [w(1), w(M)] covers less than `level` (n < 6 at 95 %).
 */
export function walshIndex(n: number, level: number): number | null {
  const alpha = 1 - level;
  const M = (n * (n + 1)) / 2;
  // signed-rank null distribution without ties: counts of subsets of 1..n by sum
  const counts = new Float64Array(M + 1);
  counts[0] = 1;
  let reach = 0;
  for (let r = 1; r <= n; r++) {
    reach += r;
    for (let s = reach; s >= r; s--) counts[s]! += counts[s - r]!;
  }
  const total = 2 ** n;
  let cdf = 0;
  let q = 0;
  for (; q <= M; q++) {
    cdf += counts[q]!;
    if (cdf / total >= alpha / 2) break;
  }
  const k = Math.max(q, 1);
  // achieved coverage 1 − 2·P(V ≤ k − 1)
  let below = 0;
  for (let s = 0; s < k; s++) below += counts[s]!;
  return 1 - (2 * below) / total >= level - 1e-12 ? k : null;
}

/**
 * Hodges–Lehmann estimate of the centre of paired differences `d` (the median of the Walsh averages (dᵢ + dⱼ)/2, i ≤ j)
 * with its distribution-free `level` interval from the signed-rank distribution (exact indices below EXACT_LIMIT, the
 * normal approximation above). `ci` is null when no interval reaches `level`.
 */
export function hodgesLehmann(d: readonly number[], level = 0.95): { estimate: number; ci: [number, number] | null } {
  const n = d.length;
  if (n === 0) throw new Error('hodgesLehmann: no differences');
  const walsh: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) walsh.push((d[i]! + d[j]!) / 2);
  walsh.sort((x, y) => x - y);
  const M = walsh.length;
  const estimate = M % 2 === 1 ? walsh[(M - 1) / 2]! : (walsh[M / 2 - 1]! + walsh[M / 2]!) / 2;
  let k: number | null;
  if (n < EXACT_LIMIT) k = walshIndex(n, level);
  else {
    const z = normalQuantile(1 - (1 - level) / 2);
    k = Math.max(1, Math.floor(M / 2 - z * Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24)));
  }
  return { estimate, ci: k === null ? null : [walsh[k - 1]!, walsh[M - k]!] };
}

/**
 * Two-sided sign test of paired differences against 0 (zeros dropped): exact binomial p, 2·min tail, capped at 1.
 * Less powerful than the signed-rank test for symmetric differences but needs no symmetry; the benchmark compares them.
 */
export function signTest(d: readonly number[]): { positive: number; n: number; p: number } {
  const nz = d.filter((x) => x !== 0);
  const n = nz.length;
  const positive = nz.filter((x) => x > 0).length;
  if (n === 0) return { positive, n, p: 1 };
  const k = Math.min(positive, n - positive);
  let logTerm = -n * Math.LN2; // log P(B = 0)
  let tail = 0;
  for (let i = 0; i <= k; i++) {
    tail += Math.exp(logTerm);
    logTerm += Math.log(n - i) - Math.log(i + 1);
  }
  return { positive, n, p: Math.min(1, 2 * tail) };
}
