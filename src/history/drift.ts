/**
 * Drift: has a scheduled run's cold start moved beyond what the recent history shows? Pure.
 *
 * Each series (function × memory × strategy) is judged on the distribution of its recent run medians, on the log scale
 * where a change is a ratio: the centre is the median of the last DRIFT_WINDOW runs' log medians and their spread s is
 * their Qn (a robust standard deviation: one run of an old regression moves neither). That spread already holds
 * everything that moves a run's median — sampling noise at the history's sample size and day-to-day drift — so the rule
 * works at any number of cold starts per run, from DRIFT_MIN_RUNS earlier runs on. A run is
 * - "drift" when its log median exceeds the centre by more than max(ln(1 + threshold), DRIFT_ALONE_K·s) — evidence
 *   enough in one run — or when it exceeds the centre by more than the threshold and the mean excess of this run and the
 *   run before it exceeds max(ln(1 + threshold), DRIFT_CONFIRM_K·s) (confirmation on the next run: one day's drift does
 *   not last, a step does; two runs average out half the noise of one);
 * - "above" when it exceeds max(ln(1 + threshold), DRIFT_CONFIRM_K·s) alone: drift if the next run confirms it.
 * The `fail-on-regression` threshold is the minimum margin of every limit.
 * s is Qn, scaled up when this run has fewer cold starts than the history's runs (its median is noisier), and never
 * below the sampling noise of a median of this run's size, which the runs' stored intervals tell (pooled over ten runs,
 * it is known far better than Qn of ten medians: the floor keeps a chance low Qn from raising false alarms). The limits
 * widen when the history is short (a spread measured on few runs is less certain). The false alarms and the power of
 * this rule are measured by `npm run bench:stats`.
 */
import { median } from '../results/stats.js';
import { middle, qn, trimmedMean } from '../results/robust.js';
import { storedLogMedianVariance } from '../results/allowance.js';
import { seriesKey, strategyOf, type HistoryEntry, type HistoryRow } from './model.js';

/** Recent runs a run is compared with. */
export const DRIFT_WINDOW = 10;
/** Fewer earlier runs than this: no judgement (a spread of one or two runs is not a spread). */
export const DRIFT_MIN_RUNS = 3;
/** Limit, in robust standard deviations of the log run medians, beyond which one run alone is drift. */
export const DRIFT_ALONE_K = 3.2;
/** Limit, in the same units, for the mean excess of two runs in a row (and for "above"). */
export const DRIFT_CONFIRM_K = 1.55;
/**
 * The smallest spread assumed, as a standard deviation of ln(median): 0.5 %. Medians that never moved (an emulator, a
 * rounded history) would otherwise make any change drift; the threshold margin still applies above it.
 */
export const DRIFT_MIN_SPREAD = 0.005;

/**
 * Widening of the limits for a history of r runs (index r, up to DRIFT_WINDOW): the Student quantile t(0.99, r − 1)
 * relative to t(0.99, 9), because a spread measured on few runs is itself uncertain.
 */
const FEW_RUNS = [Number.NaN, Number.NaN, Number.NaN, 6.965, 4.541, 3.747, 3.365, 3.143, 2.998, 2.896, 2.821].map((t) => t / 2.821);

/** Share of the sampling noise read back from stored intervals that is certainly there (see runSpread). */
const SAMPLING_SHARE = 0.85;
/**
 * Widening of Qn when no floor can be read (runs of fewer than 6 cold starts store no interval): ten medians tell a
 * spread only to about ±30 %, and an underestimated spread is what raises false alarms.
 */
const UNFLOORED = 1.3;

/** The tunable constants of the rule (the benchmark varies them; callers use the defaults). */
export interface DriftRule {
  aloneK: number;
  confirmK: number;
  /** false: no confirmation by the previous run, only the single-run limit. */
  confirm: boolean;
}

export const DEFAULT_DRIFT_RULE: DriftRule = { aloneK: DRIFT_ALONE_K, confirmK: DRIFT_CONFIRM_K, confirm: true };

/** Where a series' run medians usually lie, and the limits a run is judged against. */
export interface DriftBand {
  /** Median of the recent run medians (ms). */
  center: number;
  /** Robust standard deviation of their logs, widened for a short history or a smaller sample (≥ DRIFT_MIN_SPREAD). */
  spread: number;
  /** Upper limits as ratios to the centre: one run alone beyond `alone`; two runs in a row beyond `confirm` on average. */
  alone: number;
  confirm: number;
  /** The threshold margin as a ratio (1.15 for 15 %): a run at or below it never drifts. */
  margin: number;
  /** Earlier runs the band was measured on. */
  runs: number;
}

/**
 * The band of a series from its earlier runs (oldest first; the last DRIFT_WINDOW are used) for a run of `n` cold starts.
 * Null below DRIFT_MIN_RUNS runs.
 */
export function driftBand(
  past: readonly HistoryRow[],
  n: number,
  threshold: number,
  rule: DriftRule = DEFAULT_DRIFT_RULE,
  window = DRIFT_WINDOW,
): DriftBand | null {
  const recent = past.filter((r) => r.p50 > 0).slice(-window);
  if (recent.length < DRIFT_MIN_RUNS) return null;
  const logs = recent.map((r) => Math.log(r.p50));
  const spread = Math.max(DRIFT_MIN_SPREAD, runSpread(recent, logs, n)) * (FEW_RUNS[recent.length] ?? 1);
  const margin = Math.log(1 + Math.max(0, threshold));
  return {
    center: Math.exp(trimmedMean(logs)),
    spread,
    alone: Math.exp(Math.max(margin, rule.aloneK * spread)),
    confirm: Math.exp(Math.max(margin, rule.confirmK * spread)),
    margin: Math.exp(margin),
    runs: recent.length,
  };
}

/**
 * The standard deviation of ln(median) to expect for a run of `n` cold starts (see the module comment): Qn of the recent
 * log medians — scaled up when this run has fewer cold starts than theirs — but never below the sampling noise alone,
 * read back from the runs' stored intervals and rescaled to n. Those intervals (binomial order statistics) overstate the
 * sampling noise at small n, by about a fifth at n = 10: SAMPLING_SHARE takes that back, so the floor stays a floor.
 */
function runSpread(recent: readonly HistoryRow[], logs: readonly number[], n: number): number {
  const typicalN = middle(recent.map((r) => r.n));
  const total = qn(logs) * (n > 0 && n < typicalN ? Math.sqrt(typicalN / n) : 1);
  const sampling = recent.map((r) => storedLogMedianVariance(r));
  if (n <= 0 || !sampling.every((v): v is number => v !== null)) return total * UNFLOORED;
  return Math.max(total, SAMPLING_SHARE * Math.sqrt(middle(sampling.map((v, i) => (v * recent[i]!.n) / n))));
}

/** How one series of this run compares with its history. */
export interface SeriesDrift {
  function: string;
  memory: number;
  strategy: 'sequential' | 'burst';
  p50: number;
  ci: [number, number] | null;
  /** Null when the series was not judged (`reason` says why). */
  band: DriftBand | null;
  /** this run's median / the band's centre. */
  ratio: number;
  /**
   * `drift`: beyond the single-run limit, or beyond the threshold with the previous run confirming (their mean excess
   * beyond the confirmation limit); `above`: beyond the confirmation limit, not yet confirmed; `within`; `not judged`.
   */
  state: 'drift' | 'above' | 'within' | 'not judged';
  /** For `drift`: whether the previous run's confirmation made it (false: this run alone). */
  confirmed: boolean;
  /** Plain language, for `not judged`. */
  reason?: string;
}

const label = (r: HistoryRow) => `${r.function} @ ${r.memory} MB${r.strategy === undefined ? '' : ` (${r.strategy})`}`;

function pastRows(history: readonly HistoryEntry[], key: string): HistoryRow[] {
  return history.flatMap((e) => e.rows.filter((r) => seriesKey(r) === key));
}

/** ln(p50 / centre) of `row` against the runs before it (`past`, oldest first); null when it cannot be judged. */
function excess(past: readonly HistoryRow[], row: HistoryRow, threshold: number, rule: DriftRule, window: number): number | null {
  const band = row.p50 > 0 ? driftBand(past, row.n, threshold, rule, window) : null;
  return band === null ? null : Math.log(row.p50 / band.center);
}

/**
 * Judges every series of `current` against the earlier runs in `history` (oldest first, this run not included).
 * `threshold` is the `fail-on-regression` fraction (0.15 for 15 %), 0 when empty.
 */
export function assessDrift(
  history: readonly HistoryEntry[],
  current: HistoryEntry,
  threshold: number,
  rule: DriftRule = DEFAULT_DRIFT_RULE,
  window = DRIFT_WINDOW,
): SeriesDrift[] {
  return current.rows.map((row) => {
    const past = pastRows(history, seriesKey(row));
    const base = { function: row.function, memory: row.memory, strategy: strategyOf(row), p50: row.p50, ci: row.ci };
    const band = row.p50 > 0 ? driftBand(past, row.n, threshold, rule, window) : null;
    if (band === null) {
      const reason =
        row.p50 > 0
          ? `${past.length} earlier run(s) with this function, memory size and strategy; ${DRIFT_MIN_RUNS} needed`
          : 'no positive median init';
      return { ...base, band, ratio: Number.NaN, state: 'not judged', confirmed: false, reason };
    }
    const ratio = row.p50 / band.center;
    if (ratio > band.alone) return { ...base, band, ratio, state: 'drift', confirmed: false };
    const previous = past[past.length - 1];
    const before = previous === undefined || !rule.confirm ? null : excess(past.slice(0, -1), previous, threshold, rule, window);
    const confirmed = ratio > band.margin && before !== null && (before + Math.log(ratio)) / 2 > Math.log(band.confirm);
    if (confirmed) return { ...base, band, ratio, state: 'drift', confirmed };
    return { ...base, band, ratio, state: ratio > band.confirm ? 'above' : 'within', confirmed: false };
  });
}

/** A drifting series, in the shape the drift warning, the drift issue and the `drift` output have used. */
export interface Drift {
  function: string;
  memory: number;
  strategy: 'sequential' | 'burst';
  /** This run's median and interval (the median twice when the run has too few cold starts for an interval). */
  p50: number;
  ci: [number, number];
  /** The history's typical range of the interval (typicalRange), as the Trend shows it. */
  typical: [number, number];
  /** How far this run's median lies above that range's upper end: p50 / typical[1] − 1. */
  change: number;
  /** Earlier runs compared with. */
  runs: number;
  /** The band the rule judged with (median of the recent run medians, its limits). */
  band?: DriftBand;
  /** True when the previous run's confirmation made it drift. */
  confirmed?: boolean;
}

export interface DriftJudgement {
  drift: Drift[];
  /** Series that had enough history to judge. */
  judged: number;
  /** Why a series was not judged (plain language). */
  skipped: string[];
}

/**
 * The typical range of earlier runs' intervals: [median of their lower bounds, median of their upper bounds] (a run
 * without an interval counts with its median). What the report's Trend shows beside each series.
 */
export function typicalRange(rows: readonly HistoryRow[]): [number, number] {
  return [median(rows.map((r) => r.ci?.[0] ?? r.p50)), median(rows.map((r) => r.ci?.[1] ?? r.p50))];
}

/**
 * The drifting series of `current` (assessDrift), with the series that could not be judged and why. Compares with the
 * last `window` entries of `history` (oldest first) holding the same series; `threshold` is the `fail-on-regression`
 * fraction (0.15 for 15 %), 0 when empty.
 */
export function judgeDrift(
  history: readonly HistoryEntry[],
  current: HistoryEntry,
  threshold: number,
  window = DRIFT_WINDOW,
): DriftJudgement {
  const assessed = assessDrift(history, current, threshold, DEFAULT_DRIFT_RULE, window);
  const drift: Drift[] = [];
  const skipped: string[] = [];
  for (const s of assessed) {
    const row = current.rows.find((r) => r.function === s.function && r.memory === s.memory && strategyOf(r) === s.strategy)!;
    if (s.state === 'not judged') skipped.push(`${label(row)}: ${s.reason}`);
    if (s.state !== 'drift' || s.band === null) continue;
    const typical = typicalRange(pastRows(history, seriesKey(row)).slice(-window));
    drift.push({
      function: s.function,
      memory: s.memory,
      strategy: s.strategy,
      p50: s.p50,
      ci: s.ci ?? [s.p50, s.p50],
      typical,
      change: s.p50 / typical[1] - 1,
      runs: s.band.runs,
      band: s.band,
      confirmed: s.confirmed,
    });
  }
  return { drift, judged: assessed.length - skipped.length, skipped };
}
