/**
 * Baseline comparison: base run vs head run, per function and memory size, on median init. Pure.
 *
 * Two kinds. Across runs (a baseline file, `baseline: auto`, `compare`): the runs were made at different times, so the
 * verdict allows for day-to-day drift (allowance.ts) — from the series' history where the caller has one, else the
 * documented default. Within one job (both sides sampled under the same conditions): Mann–Whitney and the Price–Bonett
 * interval of the ratio of medians, as for the comparison with the fastest function.
 */
import type { RunResults, Sample, SampleStrategy } from './model.js';
import { DEFAULT_ALLOWANCE, MIN_N_ACROSS, beyondThreshold, compareAcrossRuns, type Allowance } from './allowance.js';
import { canReachSignificance, coldInit, isSignificant, logMedianVariance, mannWhitney, median, ratioOfMedians } from './stats.js';

/** Side by side in one job, or two runs made at different times. */
export type ComparisonKind = 'within-job' | 'across-runs';

/** `different strategies`: no strategy measured on both sides (sequential vs burst): the numbers, no verdict. */
export type Verdict = 'faster' | 'slower' | 'no significant change' | 'too few to tell' | 'new' | 'missing' | 'different strategies';

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
  /** Which kind of comparison gave the verdict (absent: within-job, as rows made before the kinds existed). */
  kind?: ComparisonKind;
  /** Across runs: the day-to-day allowance the interval and p-value include; null within a job. */
  allowance?: Allowance | null;
  /** Standard error of ln(ratio) behind `ratioCi` (null when there is none): the gate weighs the evidence with it. */
  logSe?: number | null;
  /** Degrees of freedom of that interval (Infinity: normal). */
  df?: number;
  /** The strategies each side measured, when they have none in common (verdict `different strategies`). */
  strategies?: { base: SampleStrategy[]; head: SampleStrategy[] };
}

export interface CompareOptions {
  /** Default 'across-runs': a baseline is another run. */
  kind?: ComparisonKind;
  /**
   * Across runs: the allowance of one series, e.g. from its history (allowanceFromHistory); undefined → DEFAULT_ALLOWANCE.
   */
  allowanceFor?: (series: { function: string; memory: number; strategy: SampleStrategy }) => Allowance | undefined;
}

type Groups = Map<string, { fn: string; memory: number; byStrategy: Map<SampleStrategy, number[]> }>;

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

/**
 * The samples to compare: the same strategy on both sides (sequential preferred). Without one in common (a sequential
 * base, a burst head) there is nothing like for like: strategy null, and the caller gives no verdict.
 */
function pick(
  base: Map<SampleStrategy, number[]>,
  head: Map<SampleStrategy, number[]>,
): { base: number[]; head: number[]; strategy: SampleStrategy | null } {
  for (const st of ['sequential', 'burst'] as const) {
    const b = base.get(st);
    const h = head.get(st);
    if (b && h) return { base: b, head: h, strategy: st };
  }
  return { base: [...base.values()].flat(), head: [...head.values()].flat(), strategy: null };
}

/** Burst reads differently from sequential (shared caches, placement): no verdict across strategies, only the numbers. */
function acrossStrategies(hv: number[], bv: number[], base: Map<SampleStrategy, number[]>, head: Map<SampleStrategy, number[]>) {
  return {
    ratio: median(hv) / median(bv),
    ratioCi: null,
    pValue: Number.NaN,
    verdict: 'different strategies' as const,
    strategies: { base: [...base.keys()].sort(), head: [...head.keys()].sort() },
  };
}

type Judged = Pick<BaselineRow, 'ratio' | 'ratioCi' | 'pValue' | 'verdict' | 'kind' | 'allowance' | 'logSe' | 'df'>;

/** Within one job: Mann–Whitney (exact at small sizes) and the Price–Bonett interval. */
function withinJob(hv: number[], bv: number[]): Judged {
  const { ratio, ci } = ratioOfMedians(hv, bv);
  const { p } = mannWhitney(hv, bv);
  const va = logMedianVariance(hv);
  const vb = logMedianVariance(bv);
  const verdict = isSignificant(p, ci)
    ? ratio > 1
      ? 'slower'
      : 'faster'
    : canReachSignificance(hv.length, bv.length)
      ? 'no significant change'
      : 'too few to tell'; // no test could reach significance with so few samples
  const logSe = va === null || vb === null ? null : Math.sqrt(va + vb);
  return { ratio, ratioCi: ci, pValue: p, verdict, kind: 'within-job', allowance: null, logSe, df: Infinity };
}

/** Across runs: the interval and the p-value allow for day-to-day drift; too few samples for an interval → too few. */
function acrossRuns(hv: number[], bv: number[], allowance: Allowance): Judged {
  const r = compareAcrossRuns(hv, bv, allowance);
  if (r === null) {
    const ratio = median(hv) / median(bv);
    return {
      ratio,
      ratioCi: null,
      pValue: Number.NaN,
      verdict: 'too few to tell',
      kind: 'across-runs',
      allowance,
      logSe: null,
      df: Infinity,
    };
  }
  const significant = isSignificant(r.pValue, r.ci);
  const verdict = significant ? (r.ratio > 1 ? 'slower' : 'faster') : 'no significant change';
  return { ratio: r.ratio, ratioCi: r.ci, pValue: r.pValue, verdict, kind: 'across-runs', allowance, logSe: r.logSe, df: r.df };
}

/**
 * Compare head against base. Verdict `slower`/`faster` only when significant: across runs (the default), the
 * drift-aware interval excludes 1 (its p-value < 0.05 says the same); within a job, Mann–Whitney p < 0.05 AND the
 * Price–Bonett interval excludes 1. Across runs, fewer than MIN_N_ACROSS cold starts on a side is "too few to tell".
 * Rows are ordered by memory, then function name; `new` and `missing` rows included.
 */
export function compareRuns(base: RunResults, head: RunResults, options: CompareOptions = {}): BaselineRow[] {
  const kind = options.kind ?? 'across-runs';
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
    const { base: bv, head: hv, strategy } = pick(be.byStrategy, he.byStrategy);
    const allowance = (strategy && options.allowanceFor?.({ function: he.fn, memory: he.memory, strategy })) ?? DEFAULT_ALLOWANCE;
    const judged =
      strategy === null
        ? acrossStrategies(hv, bv, be.byStrategy, he.byStrategy)
        : kind === 'within-job'
          ? withinJob(hv, bv)
          : acrossRuns(hv, bv, allowance);
    rows.push({
      function: he.fn,
      memory: he.memory,
      baseP50: median(bv),
      headP50: median(hv),
      ...judged,
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
 * Regressions that trip the gate: verdict `slower` (significant) AND evidence that the slowdown exceeds the threshold —
 * the ratio's one-sided GATE_CONFIDENCE lower bound above 1 + threshold (allowance.ts `beyondThreshold`), not the point
 * estimate alone. A null threshold means the gate is off: no regressions are returned.
 */
export function regressions(rows: BaselineRow[], threshold: number | null): BaselineRow[] {
  if (threshold === null) return [];
  return rows.filter((r) => r.verdict === 'slower' && beyondThreshold(r.ratio, r.logSe ?? null, threshold, r.df ?? Infinity));
}

/** Fewer cold starts than this on a side and a cross-run comparison says "too few to tell" (re-exported for the report). */
export { MIN_N_ACROSS };
