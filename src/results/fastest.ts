/**
 * May a report call one function "fastest"? Pure.
 *
 * The fastest of a group is the one of lowest median init; it is clearly fastest only when it is significantly faster
 * than every other function of the group (in practice: than the runner-up). Requiring all comparisons — rather than
 * adjusting one — is an intersection–union test: the claim "A beats each of the others" is wrong only if A fails to beat
 * one of them, and each comparison at 5 % bounds that. Picking the fastest after looking at the data makes the claim no
 * easier to make (the benchmark measures how often a group of identical functions gets a "fastest": below 5 %).
 */
import type { FunctionStats } from './model.js';
import { canReachSignificance } from './stats.js';

/**
 * `significant`: faster than every other function, significantly; `alone`: the only function of its group (nothing to
 * compare); `too-few`: so few cold starts that no test of the fastest against the runner-up could reach significance;
 * `not-significant`: the runner-up (or another function) is not significantly slower.
 */
export type FastestReason = 'significant' | 'alone' | 'too-few' | 'not-significant';

export interface FastestVerdict {
  /** The function of lowest median init. */
  fastest: FunctionStats;
  /** The function of second-lowest median init, when there is one. */
  runnerUp: FunctionStats | null;
  /** True only for `significant`: the report may say "fastest". */
  clear: boolean;
  reason: FastestReason;
  /** For `too-few` and `not-significant`: the functions not significantly slower than the fastest (the runner-up first). */
  notClearOf: FunctionStats[];
}

/**
 * The verdict for one group (one memory size and strategy), its stats ordered fastest first as computeStatistics orders
 * them (each other function's `vsFastest` compares it with the first). Throws on an empty group.
 */
export function fastestVerdict(group: readonly FunctionStats[]): FastestVerdict {
  const fastest = group[0];
  if (fastest === undefined) throw new Error('fastestVerdict: empty group');
  const runnerUp = group[1] ?? null;
  if (runnerUp === null) return { fastest, runnerUp, clear: false, reason: 'alone', notClearOf: [] };
  const notClearOf = group.slice(1).filter((st) => !(st.vsFastest?.significant ?? false));
  if (notClearOf.length === 0) return { fastest, runnerUp, clear: true, reason: 'significant', notClearOf };
  const tooFew = notClearOf.some((st) => !canReachSignificance(st.init.n, fastest.init.n));
  return { fastest, runnerUp, clear: false, reason: tooFew ? 'too-few' : 'not-significant', notClearOf };
}

/**
 * The function that is clearly fastest at every memory size and strategy measured (fastestVerdict clear in every group
 * of more than one function, the same function each time): what the `fastest` output names. Undefined when no function
 * is (a group where it is not clear, different winners, or no group to compare in).
 */
export function clearlyFastest(statistics: readonly FunctionStats[]): string | undefined {
  const groups = new Map<string, FunctionStats[]>();
  for (const st of statistics) {
    if (st.init.n === 0) continue;
    const key = `${st.memory}|${st.strategy}`;
    groups.set(key, [...(groups.get(key) ?? []), st]);
  }
  const verdicts = [...groups.values()].filter((g) => g.length > 1).map((g) => fastestVerdict(g));
  const winners = new Set(verdicts.map((v) => (v.clear ? v.fastest.function : undefined)));
  if (verdicts.length === 0 || winners.size !== 1 || winners.has(undefined)) return undefined;
  return verdicts[0]!.fastest.function;
}
