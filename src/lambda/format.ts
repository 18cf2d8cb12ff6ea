/** Progress wording shared by the engine's parts. PURE. */
import type { Sample } from '../results/model.js';
import { decimal } from '../report/format.js';

/** One decimal, rounded exactly as the report rounds (one function for both). */
export const fmt = (n: number): string => decimal(n, 1);
export const plural = (n: number, one: string, many = one + 's'): string => `${n} ${n === 1 ? one : many}`;

/**
 * A progress line for one sample. A warm response says whether it is retried (`retrying`) or the function's warm-retry
 * budget is spent.
 */
export function sampleLine(s: Sample, total: number, retrying = true): string {
  const head = `${s.function} · ${s.memory} MB · ${s.sequence}/${total}`;
  switch (s.kind) {
    case 'cold':
      return s.restore !== null && s.init === null
        ? `${head} · cold (SnapStart restore) · restore ${fmt(s.restore)} ms`
        : `${head} · cold · init ${fmt(s.init ?? 0)} ms${s.attempt > 1 ? ` (attempt ${s.attempt})` : ''}`;
    case 'warm':
      return `${head} · warm (attempt ${s.attempt})${retrying ? ' · retrying with a new configuration' : ' · warm-retry budget spent'}${s.error ? ` · ${s.error}` : ''}`;
    case 'error':
      return `${head} · error · ${s.error ?? 'unknown error'}`;
    case 'init-failed':
      return `${head} · init ${s.initStatus === 'timeout' ? 'timed out' : 'failed'} after ${fmt(s.init ?? 0)} ms${s.initErrorType ? ` (${s.initErrorType})` : ''} · re-run inside the invoke, counted apart${s.error ? ` · the invoke failed: ${s.error}` : ''}`;
  }
}
