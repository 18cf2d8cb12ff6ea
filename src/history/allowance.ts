/**
 * The day-to-day allowance of a cross-run comparison, from a history: each series' own spread of run medians
 * (results/allowance.ts allowanceFromHistory), where it has enough earlier runs; the default elsewhere. Pure.
 */
import { allowanceFromHistory, type Allowance } from '../results/allowance.js';
import type { SampleStrategy } from '../results/model.js';
import { seriesKey, type HistoryEntry } from './model.js';

/** For compareRuns' `allowanceFor`: a series' allowance from `history` (earlier runs, oldest first), or undefined. */
export function historyAllowance(
  history: readonly HistoryEntry[],
): (series: { function: string; memory: number; strategy: SampleStrategy }) => Allowance | undefined {
  return (series) => {
    const key = seriesKey({
      function: series.function,
      memory: series.memory,
      ...(series.strategy === 'burst' ? { strategy: 'burst' } : {}),
    });
    return allowanceFromHistory(history.flatMap((e) => e.rows.filter((r) => seriesKey(r) === key))) ?? undefined;
  };
}
