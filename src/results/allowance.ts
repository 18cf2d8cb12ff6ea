/**
 * Comparisons across runs: two runs are two days. Pure.
 *
 * Cold starts drift from day to day (and hour to hour, region to region) by more than the sampling noise of one run: a
 * run's samples are exchangeable with each other, not with another run's. A comparison of two runs therefore widens the
 * interval of the ratio of medians by the day-to-day spread of run medians:
 *
 *     ln(head / base) ± z·√(var ln median(head) + var ln median(base) + 2·σ²)
 *
 * where the two variances are each run's own sampling variance (Bonett & Price 2002, as in stats.ts) and σ is the
 * day-to-day standard deviation of a series' log run medians — from the series' history when it has one (robustly: Qn of
 * the log medians of its last runs, less their own sampling variance), otherwise DEFAULT_DAY_TO_DAY. The p-value is the
 * matching Wald test, so the p-value, the interval and the verdict always agree.
 */
import { normalQuantile } from './normal.js';
import { studentTCdf, studentTQuantile } from './student.js';
import { middle, qn } from './robust.js';
import { ALPHA, logMedianVariance } from './stats.js';

/**
 * Day-to-day spread assumed when a series has no history: the standard deviation of the natural log of a run's median
 * init between runs on different days, 0.05 ≈ ±5 %. Two runs then differ by drift alone by up to about ±14 % (95 %:
 * 1.96·√2·0.05), and a cross-run verdict only calls a change beyond that. Chosen with `npm run bench:stats`: with it, a
 * series drifting ±5 % a day is called "slower" in at most 5 % of comparisons when nothing changed, and a +30 % change
 * still trips the 15 % gate in at least 80 %.
 */
export const DEFAULT_DAY_TO_DAY = 0.05;

/** Fewer earlier runs than this: the history's spread is not used (three medians say little about a spread). */
export const ALLOWANCE_MIN_RUNS = 3;

/** Earlier runs whose spread is used (the most recent). */
export const ALLOWANCE_WINDOW = 10;

/** Fewer cold starts than this on either side: no cross-run interval (the sampling variance of a median needs some). */
export const MIN_N_ACROSS = 6;

/**
 * How sure the gate must be that a slowdown exceeds the threshold: it trips when the one-sided GATE_CONFIDENCE lower
 * bound of the ratio lies above 1 + threshold — a 70 % confidence that the slowdown exceeds the threshold — besides the
 * change being significant at 95 %. A bare point estimate is 50 %; a 95 % bound would need ~1.6 standard errors beyond
 * the threshold, which across days misses most real +30 % regressions (see `npm run bench:stats`).
 */
export const GATE_CONFIDENCE = 0.7;

export type AllowanceSource = 'history' | 'default';

/** The day-to-day allowance a cross-run comparison used. */
export interface Allowance {
  /** Standard deviation of ln(run median) between runs: 0.05 ≈ ±5 %. */
  sigma: number;
  source: AllowanceSource;
  /** Earlier runs the spread was measured on (0 for the default). */
  runs: number;
  /**
   * Degrees of freedom of σ² as an estimate: Infinity for the default (a stated assumption), about 0.6·(runs − 1) for a
   * history (Qn of ten values is about as precise as a standard deviation of six or seven).
   */
  df: number;
}

export const DEFAULT_ALLOWANCE: Allowance = { sigma: DEFAULT_DAY_TO_DAY, source: 'default', runs: 0, df: Infinity };

/** Finite-sample efficiency of Qn at about ten normal values, relative to the standard deviation. */
const QN_EFFICIENCY = 0.6;

/**
 * Weight of the default in a history's allowance, in degrees of freedom: ten runs give Qn about 5.4, so the history
 * outweighs the default, and a history that drifts far more (or less) than ±5 % moves the allowance most of the way.
 */
const PRIOR_DF = 4;

/** What a history row holds that the allowance needs: its median, its size and its 95 % interval of the median. */
export interface RunMedian {
  p50: number;
  n: number;
  ci: readonly [number, number] | null;
}

/** Coverage of the binomial order-statistic interval of the median that stats.medianCi picks for n values at 95 %. */
function medianCiCoverage(n: number): number | null {
  let best = 0;
  let logTerm = -n * Math.LN2;
  let cdf = 0;
  let bestCdf = 0;
  for (let k = 1; k <= Math.floor(n / 2); k++) {
    cdf += Math.exp(logTerm);
    if (2 * cdf > 1 - 0.95) break;
    best = k;
    bestCdf = cdf;
    logTerm += Math.log(n - (k - 1)) - Math.log(k);
  }
  return best === 0 ? null : 1 - 2 * bestCdf;
}

/**
 * The sampling variance of a run's log median read back from its stored 95 % interval of the median (the binomial order
 * statistics [x(k), x(n−k+1)] of stats.medianCi, whose exact coverage n tells): ((ln upper − ln lower) / (2·z))². Null
 * without an interval (fewer than 6 cold starts).
 */
export function storedLogMedianVariance(r: RunMedian): number | null {
  if (r.ci === null || !(r.ci[0] > 0) || !(r.ci[1] >= r.ci[0])) return null;
  const coverage = medianCiCoverage(r.n);
  if (coverage === null) return null;
  const w = (Math.log(r.ci[1]) - Math.log(r.ci[0])) / (2 * normalQuantile(1 - (1 - coverage) / 2));
  return w * w;
}

/**
 * The day-to-day allowance a series' own history shows: the last ALLOWANCE_WINDOW runs (oldest first), Qn of their log
 * medians, less the median sampling variance of those medians where their intervals tell it, moderated towards the
 * default (a spread measured on ten runs is uncertain by about ±30 %: alone it under-covered and, widened by its own
 * uncertainty, it missed real regressions). Null below ALLOWANCE_MIN_RUNS runs (use DEFAULT_ALLOWANCE).
 */
export function allowanceFromHistory(runs: readonly RunMedian[], window = ALLOWANCE_WINDOW): Allowance | null {
  const recent = runs.filter((r) => r.p50 > 0).slice(-window);
  if (recent.length < ALLOWANCE_MIN_RUNS) return null;
  const spread = qn(recent.map((r) => Math.log(r.p50)));
  const sampling = recent.flatMap((r) => {
    const v = storedLogMedianVariance(r);
    return v === null ? [] : [v];
  });
  const within = sampling.length === recent.length ? middle(sampling) : 0;
  const observed = Math.max(0, spread * spread - within);
  const df = QN_EFFICIENCY * (recent.length - 1);
  // moderated as a variance estimated from few values is (Smyth 2004): the default counts as PRIOR_DF values' worth
  const sigma2 = (PRIOR_DF * DEFAULT_DAY_TO_DAY ** 2 + df * observed) / (PRIOR_DF + df);
  return { sigma: Math.sqrt(sigma2), source: 'history', runs: recent.length, df: PRIOR_DF + df };
}

/** A cross-run comparison of one series: the ratio of medians head / base, its drift-aware interval and p-value. */
export interface AcrossRuns {
  ratio: number;
  /** `level` interval of the ratio allowing for day-to-day drift. */
  ci: [number, number];
  /** Two-sided p-value of "no change" allowing for drift (Wald, on ln ratio). */
  pValue: number;
  /** Standard error of ln(ratio): sampling of both runs and drift of both days. */
  logSe: number;
  /** Degrees of freedom of the interval (Welch–Satterthwaite: the drift part is estimated from a few runs). */
  df: number;
}

/**
 * Ratio of medians head / base for two runs made at different times, with an interval and a p-value that allow for
 * day-to-day drift. Null when either side has fewer than MIN_N_ACROSS values or a value that is not positive.
 */
export function compareAcrossRuns(
  head: readonly number[],
  base: readonly number[],
  allowance: Allowance,
  level = 1 - ALPHA,
): AcrossRuns | null {
  const vh = logMedianVariance(head, MIN_N_ACROSS);
  const vb = logMedianVariance(base, MIN_N_ACROSS);
  if (vh === null || vb === null) return null;
  const ratio = middle(head) / middle(base);
  const drift = 2 * allowance.sigma * allowance.sigma;
  const total = vh + vb + drift;
  const logSe = Math.sqrt(total);
  // the sampling variances are taken as known; the drift variance carries the allowance's degrees of freedom
  const df = drift === 0 || !Number.isFinite(allowance.df) ? Infinity : (total * total * allowance.df) / (drift * drift);
  const half = studentTQuantile(1 - (1 - level) / 2, df) * logSe;
  const l = Math.log(ratio);
  const pValue = logSe === 0 ? (l === 0 ? 1 : 0) : Math.min(1, 2 * studentTCdf(-Math.abs(l) / logSe, df));
  return { ratio, ci: [Math.exp(l - half), Math.exp(l + half)], pValue, logSe, df };
}

/**
 * True when the evidence says a slowdown exceeds `threshold` (0.15 for 15 %): the one-sided GATE_CONFIDENCE lower bound
 * of ln(ratio), ln(ratio) − t·logSe (t with `df` degrees of freedom, normal by default), lies above ln(1 + threshold).
 * The caller also requires the change to be significant.
 * Without a standard error (too few values for one), only the point estimate can speak: ratio > 1 + threshold.
 */
export function beyondThreshold(ratio: number, logSe: number | null, threshold: number, df = Infinity): boolean {
  if (!(ratio > 0)) return false;
  const z = logSe === null ? 0 : studentTQuantile(GATE_CONFIDENCE, df) * logSe;
  return Math.log(ratio) - z > Math.log(1 + threshold);
}
