/**
 * Statistics of cold-start samples. Pure: no I/O, no AWS, no GitHub.
 *
 * Methods (chosen to be honest with small, skewed samples):
 * - Percentiles: linear interpolation between order statistics (R type 7 / numpy default), via simple-statistics.
 * - Median confidence interval: distribution-free, from binomial order statistics: the widest-but-shortest
 *   [x(k), x(n−k+1)] whose coverage 1 − 2·P(Binom(n, ½) ≤ k−1) is at least `level`. None exists for n < 6 at 95 %.
 * - Mann–Whitney U: two-sided. Exact permutation distribution (ties by mid-ranks) when both samples have fewer than 50
 *   values; otherwise the normal approximation with tie correction and continuity correction (R's `correct = TRUE`,
 *   scipy's `use_continuity=True`). See rank-tests.ts.
 * - Ratio of medians: point estimate median(a) / median(b); distribution-free confidence interval of Price & Bonett
 *   (2002), ln ratio ± z·√(var ln median(a) + var ln median(b)), each variance from the order statistics around the
 *   median (Bonett & Price 2002). Centred on the printed ratio, so it always contains it (a shift interval such as
 *   Hodges–Lehmann's need not, for the bimodal inits cold starts often show). Null below 6 values per sample.
 */
import { mean, quantileSorted, sampleStandardDeviation } from 'simple-statistics';
import type { Comparison, FunctionInfo, FunctionStats, Sample, SampleStrategy, Summary } from './model.js';
import { normalQuantile } from './normal.js';
import { mannWhitney, minAttainableP } from './rank-tests.js';

export { mannWhitney, minAttainableP, uDistribution } from './rank-tests.js';

/** Below this many values no p90 is reported. */
export const MIN_N_P90 = 10;
/** Below this many values no confidence interval (of a median, or of a ratio of medians). */
export const MIN_N_CI = 6;
/** Below this many values no standard deviation. */
export const MIN_N_SD = 2;
/** Significance level of every test and interval in the reports. */
export const ALPHA = 0.05;

function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((x, y) => x - y);
}

function at(sorted: readonly number[], i: number): number {
  const v = sorted[i];
  if (v === undefined) throw new Error(`index ${i} out of range (n = ${sorted.length})`);
  return v;
}

/** Median of an unsorted series (type-7 50 % quantile). Throws on an empty series. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty series');
  return quantileSorted(sortedCopy(values), 0.5);
}

/** Descriptive statistics of one series (ms). Throws on an empty series: there is nothing to summarise. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('summarize: no values');
  for (const v of values) {
    if (!Number.isFinite(v)) throw new Error(`summarize: not a finite number: ${String(v)}`);
  }
  const sorted = sortedCopy(values);
  const n = sorted.length;
  return {
    n,
    min: at(sorted, 0),
    p50: quantileSorted(sorted, 0.5),
    p90: n >= MIN_N_P90 ? quantileSorted(sorted, 0.9) : null,
    max: at(sorted, n - 1),
    mean: mean(sorted),
    sd: n >= MIN_N_SD ? sampleStandardDeviation(sorted) : null,
    medianCi: medianCi(sorted),
  };
}

/**
 * Distribution-free confidence interval of the median from binomial order statistics.
 * `sorted` must be sorted ascending. Returns null when no pair of order statistics reaches `level`.
 * Example: n = 10 → [x(2), x(9)] (coverage 97.9 %); n = 6 → [x(1), x(6)] (96.9 %); n = 5 → null.
 */
export function medianCi(sorted: readonly number[], level = 0.95): [number, number] | null {
  const n = sorted.length;
  const alpha = 1 - level;
  // cdf = P(Binom(n, 1/2) <= k - 1), accumulated term by term in log space (no overflow for large n)
  let best = 0;
  let logTerm = -n * Math.LN2; // log P(B = 0)
  let cdf = 0;
  for (let k = 1; k <= Math.floor(n / 2); k++) {
    cdf += Math.exp(logTerm);
    if (2 * cdf <= alpha) best = k;
    else break;
    logTerm += Math.log(n - (k - 1)) - Math.log(k); // P(B = k) from P(B = k - 1)
  }
  if (best === 0) return null;
  return [at(sorted, best - 1), at(sorted, n - best)];
}

/**
 * Variance of the log of a sample median (Bonett & Price 2002): [(ln x(n−c+1) − ln x(c)) / (2·z_c)]², z_c the normal
 * quantile of the exact binomial coverage of [x(c), x(n−c+1)]. Bonett & Price take c = round((n+1)/2 − √n); we take the
 * next order statistic inward (c + 1, at most ⌊n/2⌋): theirs over-covers at small n — a 95 % interval of a ratio of
 * medians covered 97–98 % at n = 10 and 12 in `npm run bench:stats` (lognormal and shifted-gamma cold starts, 5 %
 * outliers) — while c + 1 keeps 93–97 % from n = 6 to 50. Null below `minN` values (MIN_N_CI unless told; the formula
 * itself needs two) or when a value is not positive.
 */
export function logMedianVariance(values: readonly number[], minN = MIN_N_CI): number | null {
  const n = values.length;
  if (n < Math.max(2, minN)) return null;
  if (values.some((v) => !(v > 0))) return null;
  const logs = sortedCopy(values.map(Math.log));
  const c = Math.max(1, Math.min(Math.floor(n / 2), Math.round((n + 1) / 2 - Math.sqrt(n)) + 1));
  // P(Binom(n, ½) ≤ c − 1), accumulated in log space (no overflow for large n)
  let tail = 0;
  let logTerm = -n * Math.LN2;
  for (let k = 0; k < c; k++) {
    tail += Math.exp(logTerm);
    logTerm += Math.log(n - k) - Math.log(k + 1);
  }
  const w = (at(logs, n - c) - at(logs, c - 1)) / (2 * normalQuantile(1 - tail));
  return w * w;
}

/**
 * Ratio of medians median(a) / median(b) with a distribution-free `level` confidence interval (Price & Bonett 2002:
 * ln ratio ± z·√(var ln median(a) + var ln median(b))). The interval is centred on the ratio it qualifies, so the
 * number a report prints always lies inside its interval. `ci` is null below MIN_N_CI values in either sample or when a
 * value is not positive.
 */
export function ratioOfMedians(a: readonly number[], b: readonly number[], level = 0.95): { ratio: number; ci: [number, number] | null } {
  const ratio = median(a) / median(b);
  if ([...a, ...b].some((v) => !(v > 0))) return { ratio, ci: null };
  const va = logMedianVariance(a);
  const vb = logMedianVariance(b);
  if (va === null || vb === null) return { ratio, ci: null };
  const half = normalQuantile(1 - (1 - level) / 2) * Math.sqrt(va + vb);
  return { ratio, ci: [Math.exp(Math.log(ratio) - half), Math.exp(Math.log(ratio) + half)] };
}

/**
 * True when a comparison is called out: p < 0.05 AND the ratio's interval excludes 1. Below MIN_N_CI samples there is
 * no interval: the Mann–Whitney test (exact at such sizes) decides alone — 5 against 5 can reach p = 0.008.
 */
export function isSignificant(pValue: number, ci: [number, number] | null): boolean {
  return pValue < ALPHA && (ci === null || ci[0] > 1 || ci[1] < 1);
}

/** False when samples of these sizes are too few for any difference to reach significance (p < ALPHA). */
export function canReachSignificance(m: number, n: number): boolean {
  return minAttainableP(m, n) < ALPHA;
}

/** Compare series `a` against series `b` (ratio a / b). */
export function compareSeries(a: readonly number[], b: readonly number[], against: string): Comparison {
  const { ratio, ci } = ratioOfMedians(a, b);
  const { p } = mannWhitney(a, b);
  return { against, ratio, ratioCi: ci, pValue: p, significant: isSignificant(p, ci) };
}

/** The init value of a cold sample: Init Duration, or Restore Duration for SnapStart. */
export function coldInit(s: Sample): number | null {
  if (s.kind !== 'cold') return null;
  return s.init ?? s.restore ?? null;
}

const STRATEGY_ORDER: SampleStrategy[] = ['sequential', 'burst'];

/**
 * Statistics per function × memory × strategy, over the cold samples only (warm retries and errors are counted,
 * never measured). Groups with no cold sample are left out (buildResults adds a note for them). `vsFastest`
 * compares each function's init with the function of lowest median init at the same memory and strategy.
 * Output order: memory ascending, strategy (sequential first), then median init ascending.
 */
export function computeStatistics(functions: FunctionInfo[], samples: Sample[]): FunctionStats[] {
  const info = new Map(functions.map((f) => [f.name, f]));
  const groups = new Map<string, Sample[]>();
  for (const s of samples) {
    const key = JSON.stringify([s.function, s.memory, s.strategy]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(s);
  }
  const stats: FunctionStats[] = [];
  const inits = new Map<FunctionStats, number[]>();
  for (const g of groups.values()) {
    const first = g[0]!;
    const cold = g.filter((s) => coldInit(s) !== null);
    if (cold.length === 0) continue;
    const init = cold.map((s) => coldInit(s)!);
    const total = cold.map((s) => coldInit(s)! + (s.duration ?? 0));
    const durations = cold.flatMap((s) => (s.duration === null ? [] : [s.duration]));
    const billed = cold.flatMap((s) => (s.billed === null ? [] : [s.billed]));
    const maxMem = cold.flatMap((s) => (s.maxMemory === null ? [] : [s.maxMemory]));
    const f = info.get(first.function);
    const st: FunctionStats = {
      function: first.function,
      memory: first.memory,
      strategy: first.strategy,
      runtime: f?.runtime ?? '',
      architecture: f?.architecture ?? '',
      init: summarize(init),
      total: summarize(total),
      durationP50: durations.length ? median(durations) : 0,
      billedP50: billed.length ? median(billed) : 0,
      maxMemory: maxMem.length ? Math.max(...maxMem) : 0,
      warmRetries: g.filter((s) => s.kind === 'warm').length,
      errors: g.filter((s) => s.kind === 'error').length,
    };
    stats.push(st);
    inits.set(st, init);
  }
  stats.sort(
    (x, y) =>
      x.memory - y.memory ||
      STRATEGY_ORDER.indexOf(x.strategy) - STRATEGY_ORDER.indexOf(y.strategy) ||
      x.init.p50 - y.init.p50 ||
      x.function.localeCompare(y.function),
  );
  // fastest per memory+strategy = first in sorted order
  const fastest = new Map<string, FunctionStats>();
  for (const st of stats) {
    const key = `${st.memory}|${st.strategy}`;
    const best = fastest.get(key);
    if (!best) {
      fastest.set(key, st);
      continue;
    }
    st.vsFastest = compareSeries(inits.get(st)!, inits.get(best)!, best.function);
  }
  return stats;
}
