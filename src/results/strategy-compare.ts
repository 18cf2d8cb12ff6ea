/**
 * Burst vs sequential (`strategy: compare`): per function × memory size, the median Init Duration of the
 * sequential samples and of the burst samples, their ratio (burst / sequential) with a 95 % confidence interval,
 * a two-sided Mann–Whitney U p-value and a plain verdict. PURE: no AWS, no GitHub.
 */
import type { Sample } from './model.js';
import { coldInit, isSignificant, mannWhitney, median, ratioOfMedians } from './stats.js';

/**
 * `matches`: no significant difference (p ≥ 0.05 or the interval contains 1);
 * `lower` / `higher`: burst reads significantly lower / higher than sequential;
 * `insufficient`: one side has fewer than 2 cold samples (nothing to compare).
 */
export type StrategyVerdictKind = 'matches' | 'lower' | 'higher' | 'insufficient';

export interface StrategyCompareRow {
  function: string;
  memory: number;
  sequentialN: number;
  burstN: number;
  /** Median init (ms) of each strategy; NaN when that side has no cold sample. */
  sequentialP50: number;
  burstP50: number;
  /** burst / sequential of median init; NaN when a side is empty. */
  ratio: number;
  /** 95 % CI of the ratio of medians (Price–Bonett, see stats.ts); null when the samples are too small. */
  ratioCi: [number, number] | null;
  /** Two-sided Mann–Whitney U p-value; NaN when a side has fewer than 2 values. */
  pValue: number;
  significant: boolean;
  kind: StrategyVerdictKind;
  /** The plain sentence, e.g. "burst matches sequential within 4 %". */
  verdict: string;
}

/** Percent for a verdict: whole numbers, at least 1 (a "within 0 %" would overstate the precision). */
function pct(x: number): number {
  return Math.max(1, Math.ceil(Math.abs(x) * 100 - 1e-9));
}

/**
 * The verdict of one comparison. PURE.
 * - significant (p < 0.05 AND the CI excludes 1): "burst reads Y % lower|higher: prefer sequential for absolute numbers",
 *   Y = |ratio − 1|;
 * - otherwise "burst matches sequential within X %", X = the farthest CI bound from 1 (what the data can rule out),
 *   or |ratio − 1| when there is no CI (then also "(too few samples for an interval)").
 */
export function strategyVerdict(
  ratio: number,
  ci: [number, number] | null,
  pValue: number,
  n: { sequential: number; burst: number },
): { kind: StrategyVerdictKind; verdict: string; significant: boolean } {
  if (n.sequential < 2 || n.burst < 2 || !Number.isFinite(ratio)) {
    return {
      kind: 'insufficient',
      verdict: `not enough cold samples to compare (sequential ${n.sequential}, burst ${n.burst})`,
      significant: false,
    };
  }
  const significant = isSignificant(pValue, ci);
  if (significant) {
    const lower = ratio < 1;
    return {
      kind: lower ? 'lower' : 'higher',
      verdict: `burst reads ${pct(ratio - 1)} % ${lower ? 'lower' : 'higher'}: prefer sequential for absolute numbers`,
      significant,
    };
  }
  if (ci) {
    const x = Math.max(Math.abs(ci[0] - 1), Math.abs(ci[1] - 1));
    return { kind: 'matches', verdict: `burst matches sequential within ${pct(x)} %`, significant };
  }
  return {
    kind: 'matches',
    verdict: `burst matches sequential within ${pct(ratio - 1)} % (too few samples for an interval)`,
    significant,
  };
}

/**
 * One row per function × memory size that has samples of both strategies (or of either: the missing side then shows
 * as `insufficient`). Only cold samples count (Init Duration, or Restore Duration for SnapStart). Rows keep the order
 * in which function/memory pairs first appear in `samples`.
 */
export function compareStrategies(samples: readonly Sample[]): StrategyCompareRow[] {
  const groups = new Map<string, { fn: string; memory: number; sequential: number[]; burst: number[] }>();
  for (const s of samples) {
    const key = JSON.stringify([s.function, s.memory]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { fn: s.function, memory: s.memory, sequential: [], burst: [] }));
    const v = coldInit(s);
    if (v !== null) g[s.strategy].push(v);
  }
  const rows: StrategyCompareRow[] = [];
  for (const g of groups.values()) {
    const seqN = g.sequential.length;
    const burstN = g.burst.length;
    const both = seqN > 0 && burstN > 0;
    const sequentialP50 = seqN > 0 ? median(g.sequential) : NaN;
    const burstP50 = burstN > 0 ? median(g.burst) : NaN;
    let ratio = NaN;
    let ratioCi: [number, number] | null = null;
    let pValue = NaN;
    if (both) {
      const r = ratioOfMedians(g.burst, g.sequential);
      ratio = r.ratio;
      ratioCi = r.ci;
      if (seqN >= 2 && burstN >= 2) pValue = mannWhitney(g.burst, g.sequential).p;
    }
    const v = strategyVerdict(ratio, ratioCi, pValue, { sequential: seqN, burst: burstN });
    rows.push({
      function: g.fn,
      memory: g.memory,
      sequentialN: seqN,
      burstN,
      sequentialP50,
      burstP50,
      ratio,
      ratioCi,
      pValue,
      significant: v.significant,
      kind: v.kind,
      verdict: v.verdict,
    });
  }
  return rows;
}

/** True when the samples hold both strategies (a `compare` run, or merged runs): the report then shows the table. */
export function hasBothStrategies(samples: readonly Sample[]): boolean {
  let seq = false;
  let burst = false;
  for (const s of samples) {
    if (s.strategy === 'sequential') seq = true;
    else if (s.strategy === 'burst') burst = true;
    if (seq && burst) return true;
  }
  return false;
}
