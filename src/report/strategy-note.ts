/**
 * The sentence over a baseline comparison whose sides were measured with different strategies (a sequential base, a
 * burst head): burst cold starts read differently from sequential ones, so such rows carry the numbers and no verdict
 * (results/compare.ts), and this says why. PURE.
 */
import type { BaselineRow } from '../results/compare.js';

export function strategyMismatchNote(rows: readonly BaselineRow[]): string | undefined {
  const odd = rows.filter((r) => r.strategies !== undefined && r.verdict === 'different strategies');
  if (odd.length === 0) return undefined;
  const sides = [...new Set(odd.map((r) => `base ${r.strategies!.base.join(' + ')}, head ${r.strategies!.head.join(' + ')}`))];
  const all = odd.length === rows.filter((r) => r.verdict !== 'new' && r.verdict !== 'missing').length;
  const which = all ? 'The two runs were' : `${odd.length} of the rows ${odd.length === 1 ? 'was' : 'were'}`;
  return (
    `${which} measured with different strategies (${sides.join('; ')}): a burst reads cold starts differently from ` +
    'sequential updates, so the change is shown in brackets and no verdict is given. Compare runs made with the same ' +
    'strategy (strategy: compare measures both in one run).'
  );
}
