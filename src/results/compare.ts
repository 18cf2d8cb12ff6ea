/**
 * Baseline comparison (issue 7): base run vs head run, per function and memory size, on median init. Pure.
 */
import type { RunResults, Sample, SampleStrategy as Strategy } from './model.js';
import { canReachSignificance, coldInit, isSignificant, mannWhitney, median, ratioOfMedians } from './stats.js';

export type Verdict = 'faster' | 'slower' | 'no significant change' | 'too few to tell' | 'new' | 'missing';

/**
 * One row of the comparison. For `new` rows (only in head) the base fields are NaN; for `missing` rows (only in base)
 * the head fields are NaN; ratio and pValue are NaN in both (JSON.stringify writes NaN as null).
 */
export interface BaselineRow {
  function: string;
  memory: number;
  baseP50: number;
  headP50: number;
  /** head / base of median init. */
  ratio: number;
  ratioCi: [number, number] | null;
  pValue: number;
  verdict: Verdict;
  /** Number of cold samples on each side (optional, for the report). */
  baseN?: number;
  headN?: number;
}

type Groups = Map<string, { fn: string; memory: number; byStrategy: Map<Strategy, number[]> }>;

function group(results: RunResults): Groups {
  const g: Groups = new Map();
  const add = (s: Sample, v: number) => {
    const key = JSON.stringify([s.function, s.memory]);
    let e = g.get(key);
    if (!e) g.set(key, (e = { fn: s.function, memory: s.memory, byStrategy: new Map() }));
    const list = e.byStrategy.get(s.strategy) ?? [];
    list.push(v);
    e.byStrategy.set(s.strategy, list);
  };
  for (const s of results.samples) {
    const v = coldInit(s);
    if (v !== null) add(s, v);
  }
  return g;
}

/** The samples to compare: the same strategy on both sides (sequential preferred); else everything pooled. */
function pick(base: Map<Strategy, number[]>, head: Map<Strategy, number[]>): { base: number[]; head: number[] } {
  for (const st of ['sequential', 'burst'] as const) {
    const b = base.get(st);
    const h = head.get(st);
    if (b && h) return { base: b, head: h };
  }
  return { base: [...base.values()].flat(), head: [...head.values()].flat() };
}

/**
 * Compare head against base. Verdict `slower`/`faster` only when significant (Mann–Whitney p < 0.05 AND the CI of
 * the ratio excludes 1). Rows are ordered by memory, then function name; `new` and `missing` rows included.
 */
export function compareRuns(base: RunResults, head: RunResults): BaselineRow[] {
  const b = group(base);
  const h = group(head);
  const rows: BaselineRow[] = [];
  for (const [key, he] of h) {
    const be = b.get(key);
    if (!be) {
      const all = [...he.byStrategy.values()].flat();
      rows.push({
        function: he.fn,
        memory: he.memory,
        baseP50: Number.NaN,
        headP50: median(all),
        ratio: Number.NaN,
        ratioCi: null,
        pValue: Number.NaN,
        verdict: 'new',
        baseN: 0,
        headN: all.length,
      });
      continue;
    }
    const { base: bv, head: hv } = pick(be.byStrategy, he.byStrategy);
    const { ratio, ci } = ratioOfMedians(hv, bv);
    const { p } = mannWhitney(hv, bv);
    const sig = isSignificant(p, ci);
    rows.push({
      function: he.fn,
      memory: he.memory,
      baseP50: median(bv),
      headP50: median(hv),
      ratio,
      ratioCi: ci,
      pValue: p,
      verdict: sig
        ? ratio > 1
          ? 'slower'
          : 'faster'
        : canReachSignificance(hv.length, bv.length)
          ? 'no significant change'
          : 'too few to tell', // no test could reach significance with so few samples
      baseN: bv.length,
      headN: hv.length,
    });
  }
  for (const [key, be] of b) {
    if (h.has(key)) continue;
    const all = [...be.byStrategy.values()].flat();
    rows.push({
      function: be.fn,
      memory: be.memory,
      baseP50: median(all),
      headP50: Number.NaN,
      ratio: Number.NaN,
      ratioCi: null,
      pValue: Number.NaN,
      verdict: 'missing',
      baseN: all.length,
      headN: 0,
    });
  }
  rows.sort((x, y) => x.memory - y.memory || x.function.localeCompare(y.function));
  return rows;
}

/**
 * Regressions that trip the gate: verdict `slower` (significant) AND ratio − 1 > threshold.
 * A null threshold means the gate is off: no regressions are returned.
 */
export function regressions(rows: BaselineRow[], threshold: number | null): BaselineRow[] {
  if (threshold === null) return [];
  return rows.filter((r) => r.verdict === 'slower' && r.ratio - 1 > threshold);
}
