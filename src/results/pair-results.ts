/**
 * A/B in one job, from the samples: each head compared with the base it was measured beside, per memory size and
 * strategy (comparePairs), and the pairs that trip the regression gate. Pure.
 */
import type { FunctionPair } from '../config/pairs.js';
import { beyondThreshold } from './allowance.js';
import type { PairResult, Sample, SampleStrategy } from './model.js';
import { comparePairs, sequencedInits } from './pairs.js';

type Series = Map<string, { memory: number; strategy: SampleStrategy; samples: Sample[] }>;

function seriesOf(samples: readonly Sample[], fn: string): Series {
  const out: Series = new Map();
  for (const s of samples) {
    if (s.function !== fn) continue;
    const key = `${s.memory}|${s.strategy}`;
    let e = out.get(key);
    if (!e) out.set(key, (e = { memory: s.memory, strategy: s.strategy, samples: [] }));
    e.samples.push(s);
  }
  return out;
}

/**
 * The base's series a head's series is compared with: the same memory size and strategy; or, when each function kept
 * a size of its own (one size each), the base's one size.
 */
function baseSeries(head: Series, base: Series, memory: number, strategy: SampleStrategy): Sample[] | undefined {
  const same = base.get(`${memory}|${strategy}`);
  if (same) return same.samples;
  const sizes = (s: Series) => new Set([...s.values()].map((e) => e.memory));
  if (sizes(head).size !== 1 || sizes(base).size !== 1) return undefined;
  return [...base.values()].find((e) => e.strategy === strategy)?.samples;
}

/**
 * Every pair compared, in the pairs' order, by memory size then strategy (sequential first). A series without a cold
 * start on either side gets no row (the report says so).
 */
export function comparePairSamples(samples: readonly Sample[], pairs: readonly FunctionPair[]): PairResult[] {
  const rows: PairResult[] = [];
  for (const p of pairs) {
    const head = seriesOf(samples, p.head);
    const base = seriesOf(samples, p.base);
    const keys = [...head.values()].sort((a, b) => a.memory - b.memory || (a.strategy === 'sequential' ? -1 : 1));
    for (const h of keys) {
      const b = baseSeries(head, base, h.memory, h.strategy);
      const hv = sequencedInits(h.samples);
      const bv = b === undefined ? [] : sequencedInits(b);
      if (hv.length === 0 || bv.length === 0) continue;
      const c = comparePairs(hv, bv);
      const baseMemory = b![0]!.memory;
      rows.push({
        head: p.head,
        base: p.base,
        memory: h.memory,
        ...(baseMemory === h.memory ? {} : { baseMemory }),
        strategy: h.strategy,
        kind: 'within-job',
        method: c.method,
        pairs: c.pairs,
        headN: c.headN,
        baseN: c.baseN,
        headP50: c.headP50,
        baseP50: c.baseP50,
        ratio: c.ratio,
        ratioCi: c.ratioCi,
        pValue: c.pValue,
        logSe: c.logSe,
        df: Number.isFinite(c.df) ? c.df : null,
        significant: c.significant,
        verdict: c.verdict,
      });
    }
  }
  return rows;
}

/**
 * Pairs that trip the gate: verdict `slower` (significant) AND evidence that the slowdown exceeds the threshold (the
 * same rule as a baseline's: allowance.ts `beyondThreshold`). A null threshold: the gate is off.
 */
export function pairRegressions(rows: readonly PairResult[], threshold: number | null): PairResult[] {
  if (threshold === null) return [];
  return rows.filter((r) => r.verdict === 'slower' && beyondThreshold(r.ratio, r.logSe, threshold, r.df ?? Infinity));
}

/** A pair's regression as the `regressions` output lists it (beside a baseline's rows: `function` is the head). */
export function pairRegressionOutput(r: PairResult): Record<string, unknown> {
  return {
    function: r.head,
    base: r.base,
    memory: r.memory,
    ...(r.baseMemory === undefined ? {} : { baseMemory: r.baseMemory }),
    strategy: r.strategy,
    kind: r.kind,
    method: r.method,
    pairs: r.pairs,
    baseP50: r.baseP50,
    headP50: r.headP50,
    ratio: r.ratio,
    ratioCi: r.ratioCi,
    pValue: r.pValue,
    verdict: r.verdict,
  };
}
