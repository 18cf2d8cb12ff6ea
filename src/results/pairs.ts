/**
 * A/B in one job: a head function and its base sampled side by side, round by round, at the same memory size. Pure.
 *
 * Sample i of head and sample i of base were measured in the same round, under the same platform conditions; whatever
 * the platform does during the job (a trend, a slow minute) moves both. The comparison is therefore made on the paired
 * log ratios dᵢ = ln headᵢ − ln baseᵢ, where that common factor cancels:
 * - ratio: exp(20 % trimmed mean of the dᵢ), robust to a few odd pairs (a doubled sample on one side, a pair shifted by a
 *   warm retry);
 * - 95 % interval and p-value: the trimmed-mean t-test (Tukey–McLaughlin; trimmed.ts).
 * The exact signed-rank test was measured too (`npm run bench:stats`): with 5 % of samples doubled, one wild pair among
 * ten takes the top rank and costs it a quarter of its power against a +30 % head; the trimmed mean keeps > 90 %.
 * Pairs need both sides' sample of the same sequence number. Below MIN_PAIRS complete pairs the comparison falls back to
 * the unpaired one: Mann–Whitney and the ratio of medians (valid under a trend, as both sides saw the same rounds, but
 * far less powerful).
 */
import type { PairStatistics, Sample } from './model.js';
import { trimmedMeanTest } from './trimmed.js';
import { normalQuantile } from './normal.js';
import { ALPHA, canReachSignificance, coldInit, isSignificant, mannWhitney, median, ratioOfMedians } from './stats.js';

/** Fewer complete pairs than this: the unpaired comparison (a trimmed mean of five pairs keeps three). */
export const MIN_PAIRS = 6;

/** One measured value and the sequence number that pairs it with the other side's. */
export interface SequencedValue {
  sequence: number;
  value: number;
}

export interface PairComparison extends PairStatistics {
  /** Degrees of freedom of the interval: the trimmed-mean t-test's when paired; Infinity (normal) when unpaired. */
  df: number;
}

/** Complete pairs by sequence number, in sequence order: [head, base]. A sequence measured twice keeps its last value. */
export function pairUp(head: readonly SequencedValue[], base: readonly SequencedValue[]): [number, number][] {
  const b = new Map(base.map((x) => [x.sequence, x.value]));
  const h = new Map(head.map((x) => [x.sequence, x.value]));
  return [...h.entries()]
    .filter(([seq]) => b.has(seq))
    .sort((x, y) => x[0] - y[0])
    .map(([seq, v]) => [v, b.get(seq)!]);
}

function verdictOf(significant: boolean, ratio: number, canReach: boolean): PairComparison['verdict'] {
  if (significant) return ratio > 1 ? 'slower' : 'faster';
  return canReach ? 'no significant change' : 'too few to tell';
}

/**
 * Compare head against base measured side by side in one job. Values must be positive (durations); throws when a side
 * is empty.
 */
export function comparePairs(head: readonly SequencedValue[], base: readonly SequencedValue[], level = 1 - ALPHA): PairComparison {
  if (head.length === 0 || base.length === 0) throw new Error('comparePairs: both sides need at least one value');
  const hv = head.map((x) => x.value);
  const bv = base.map((x) => x.value);
  const common = { headN: hv.length, baseN: bv.length, headP50: median(hv), baseP50: median(bv) };
  const pairs = pairUp(head, base);
  if (pairs.length >= MIN_PAIRS) {
    const t = trimmedMeanTest(
      pairs.map(([h, b]) => Math.log(h) - Math.log(b)),
      level,
    );
    const ratioCi: [number, number] = [Math.exp(t.ci[0]), Math.exp(t.ci[1])];
    const ratio = Math.exp(t.estimate);
    const significant = isSignificant(t.p, ratioCi);
    return {
      method: 'paired',
      pairs: pairs.length,
      ...common,
      ratio,
      ratioCi,
      pValue: t.p,
      logSe: t.se,
      df: t.df,
      significant,
      verdict: verdictOf(significant, ratio, true),
    };
  }
  const { ratio, ci } = ratioOfMedians(hv, bv, level);
  const { p } = mannWhitney(hv, bv);
  const significant = isSignificant(p, ci);
  return {
    method: 'unpaired',
    pairs: pairs.length,
    ...common,
    ratio,
    ratioCi: ci,
    pValue: p,
    logSe: ci === null ? null : (Math.log(ci[1]) - Math.log(ci[0])) / (2 * normalQuantile(1 - (1 - level) / 2)),
    df: Infinity,
    significant,
    verdict: verdictOf(significant, ratio, canReachSignificance(hv.length, bv.length)),
  };
}

/** The cold samples of one function as sequenced values (Init Duration, or Restore Duration for SnapStart). */
export function sequencedInits(samples: readonly Sample[]): SequencedValue[] {
  return samples.flatMap((s) => {
    const v = coldInit(s);
    return v === null ? [] : [{ sequence: s.sequence, value: v }];
  });
}

/**
 * Who goes first in each of `n` rounds when the two sides cannot be sampled at the same moment: randomized balanced
 * blocks of two rounds, one head-first and one base-first in random order (the last round of an odd n by a coin), so a
 * platform trend within a round adds noise to the pairs but no bias. `rng` returns uniform numbers in [0, 1).
 * true = head first.
 */
export function balancedBlockOrder(n: number, rng: () => number): boolean[] {
  const order: boolean[] = [];
  for (let i = 0; i + 1 < n; i += 2) {
    const headFirst = rng() < 0.5;
    order.push(headFirst, !headFirst);
  }
  if (n % 2 === 1) order.push(rng() < 0.5);
  return order;
}
