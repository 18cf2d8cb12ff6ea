/**
 * What kind of comparison a baseline section shows, in one sentence: against a run made at another time, with the
 * day-to-day allowance its verdicts allow for (the history's spread of run medians, or the default). PURE.
 */
import type { Allowance } from '../results/allowance.js';
import type { BaselineRow } from '../results/compare.js';
import { round } from './format.js';

const pct = (sigma: number): string => String(round(sigma * 100, 1));

/** "±5 %", or "±4.1–6.2 %" for several. */
function range(values: readonly number[]): string {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return pct(lo) === pct(hi) ? `±${pct(lo)} %` : `±${pct(lo)}–${pct(hi)} %`;
}

/** "±5 % (default: no history)", "±4.3 % (the spread of the last 10 runs)", or both parts for a mixed comparison. */
export function allowanceText(allowances: readonly Allowance[]): string {
  const parts: string[] = [];
  const byDefault = allowances.filter((a) => a.source === 'default');
  const fromHistory = allowances.filter((a) => a.source === 'history');
  if (fromHistory.length > 0) {
    const runs = fromHistory.map((a) => a.runs);
    const last = Math.min(...runs) === Math.max(...runs) ? `${runs[0]!}` : `${Math.min(...runs)}–${Math.max(...runs)}`;
    const which = byDefault.length > 0 ? ' where the history has them' : '';
    parts.push(`${range(fromHistory.map((a) => a.sigma))} (the spread of the last ${last} runs${which})`);
  }
  if (byDefault.length > 0) {
    parts.push(
      `${range(byDefault.map((a) => a.sigma))} (default: ${fromHistory.length > 0 ? 'too little history elsewhere' : 'no history'})`,
    );
  }
  return parts.join(', ');
}

/** The day of an ISO time ("2026-03-01"), or undefined when unknown. */
function dayOf(iso: string | undefined): string | undefined {
  return iso !== undefined && /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : undefined;
}

/**
 * "Against a run from 2026-03-01; day-to-day allowance ±5 % (default: no history)." — the kind of comparison the rows
 * make and the allowance their verdicts used. '' when no row was judged across runs.
 */
export function acrossRunsSentence(rows: readonly BaselineRow[], baseStartedAt: string | undefined): string {
  const allowances = rows.flatMap((r) => (r.kind === 'across-runs' && r.allowance ? [r.allowance] : []));
  if (allowances.length === 0) return '';
  const day = dayOf(baseStartedAt);
  return `Against a run from ${day ?? 'an unknown date'}; day-to-day allowance ${allowanceText(allowances)}.`;
}
