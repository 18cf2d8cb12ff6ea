/**
 * Drift: has a scheduled run's cold start moved beyond what the recent history shows? Judged by intervals, not by a
 * bare ratio of two medians (which cries wolf on noise): for each function × memory × strategy, the recent runs'
 * 95 % intervals of the median give a typical range — [median of their lower bounds, median of their upper bounds] —
 * and drift is called only when this run's WHOLE interval lies above that range's upper end by more than the
 * threshold. Pure.
 */
import { median } from '../results/stats.js';
import { seriesKey, strategyOf, type HistoryEntry, type HistoryRow } from './model.js';

/** Recent runs a run is compared with. */
export const DRIFT_WINDOW = 10;
/** Fewer earlier runs than this: no judgement (a range of one or two runs is not "typical"). */
export const DRIFT_MIN_RUNS = 3;

export interface Drift {
  function: string;
  memory: number;
  strategy: 'sequential' | 'burst';
  /** This run's median and interval. */
  p50: number;
  ci: [number, number];
  /** The history's typical range of the interval. */
  typical: [number, number];
  /** How far this run's lower bound lies above the typical upper bound: ci[0] / typical[1] − 1. */
  change: number;
  /** Earlier runs compared with. */
  runs: number;
}

export interface DriftJudgement {
  drift: Drift[];
  /** Series that had enough history and an interval to judge. */
  judged: number;
  /** Why a series was not judged (plain language). */
  skipped: string[];
}

/**
 * The typical range of earlier runs' intervals: [median of their lower bounds, median of their upper bounds] (a run
 * without an interval counts with its median). Used by the drift judgement and by the report's Trend alike.
 */
export function typicalRange(rows: readonly HistoryRow[]): [number, number] {
  return [median(rows.map((r) => r.ci?.[0] ?? r.p50)), median(rows.map((r) => r.ci?.[1] ?? r.p50))];
}

const label = (r: HistoryRow) => `${r.function} @ ${r.memory} MB${r.strategy === undefined ? '' : ` (${r.strategy})`}`;

/**
 * Compares `current` with the last `window` entries of `history` (oldest first) holding the same series. `threshold` is
 * the `fail-on-regression` fraction (0.15 for 15 %), 0 when empty.
 */
export function judgeDrift(
  history: readonly HistoryEntry[],
  current: HistoryEntry,
  threshold: number,
  window = DRIFT_WINDOW,
): DriftJudgement {
  const drift: Drift[] = [];
  const skipped: string[] = [];
  let judged = 0;
  for (const row of current.rows) {
    const key = seriesKey(row);
    const past = history.flatMap((e) => e.rows.filter((r) => seriesKey(r) === key)).slice(-window);
    if (row.ci === null) {
      skipped.push(`${label(row)}: this run has no interval (fewer than 6 cold starts)`);
      continue;
    }
    if (past.length < DRIFT_MIN_RUNS) {
      skipped.push(`${label(row)}: ${past.length} earlier run(s), ${DRIFT_MIN_RUNS} needed`);
      continue;
    }
    judged++;
    const typical = typicalRange(past);
    if (row.ci[0] > typical[1] * (1 + threshold)) {
      drift.push({
        function: row.function,
        memory: row.memory,
        strategy: strategyOf(row),
        p50: row.p50,
        ci: row.ci,
        typical,
        change: row.ci[0] / typical[1] - 1,
        runs: past.length,
      });
    }
  }
  return { drift, judged, skipped };
}
