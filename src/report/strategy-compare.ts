/**
 * Markdown for the burst-vs-sequential comparison (`strategy: compare`). PURE.
 * The lead wires `renderStrategyComparison` into report.md (a section after the per-memory tables).
 */
import type { StrategyCompareRow } from '../results/strategy-compare.js';
import { ciText, escapeMarkdown, ms, pText, ratioText } from './format.js';
import { markdownOf, verbatim, type Table } from './table.js';

const MARK: Record<StrategyCompareRow['kind'], string> = { matches: '=', lower: '▼', higher: '▲', insufficient: '?' };

/** The comparison table alone (no heading), markdown. Empty string when there are no rows. */
export function renderStrategyTable(rows: readonly StrategyCompareRow[]): string {
  return rows.length === 0 ? '' : markdownOf(strategyTable(rows), { alignDelimiters: false });
}

/** The comparison as data (the terminal prints it with terminal.ts). */
export function strategyTable(rows: readonly StrategyCompareRow[]): Table {
  return {
    columns: [
      { header: 'Function', align: 'l' },
      { header: 'Memory', align: 'r' },
      { header: 'Sequential p50, ms (n)', align: 'r' },
      { header: 'Burst p50, ms (n)', align: 'r' },
      { header: 'Burst / sequential', align: 'r' },
      { header: '95 % CI', align: 'r', drop: 2 },
      { header: 'p (Mann–Whitney)', align: 'r', drop: 1 },
      { header: 'Verdict', align: 'l' },
    ],
    rows: rows.map((r) => [
      r.function,
      `${r.memory} MB`,
      `${ms(r.sequentialP50)} (${r.sequentialN})`,
      `${ms(r.burstP50)} (${r.burstN})`,
      ratioText(r.ratio),
      ciText(r.ratioCi),
      verbatim(pText(r.pValue)),
      `${MARK[r.kind]} ${r.verdict}`,
    ]),
  };
}

/** The one-line verdict under the table: which strategy to trust for absolute numbers. `text` escapes names. */
export function strategySummary(rows: readonly StrategyCompareRow[], text: (s: string) => string = escapeMarkdown): string {
  const differ = rows.filter((r) => r.kind === 'lower' || r.kind === 'higher');
  const compared = rows.filter((r) => r.kind !== 'insufficient');
  if (compared.length === 0) return 'Too few cold samples of one strategy to compare them.';
  if (differ.length === 0) {
    return `Burst and sequential cold starts agree (no significant difference in ${compared.length} of ${compared.length} comparisons): burst is a fair, faster way to sample these functions.`;
  }
  const names = differ.map((r) => `${text(r.function)} at ${r.memory} MB`).join(', ');
  return `Burst differs significantly for ${names}: use the sequential numbers there for absolute init times.`;
}

/**
 * A report section: heading, one sentence on what is compared, the table, and a one-line summary that says which
 * strategy to trust for absolute numbers. Empty string when there are no rows.
 */
export function renderStrategyComparison(rows: readonly StrategyCompareRow[], opts: { heading?: string } = {}): string {
  if (rows.length === 0) return '';
  const heading = opts.heading ?? '### Burst vs sequential';
  return [
    heading,
    '',
    "Median Init Duration of cold starts taken one per configuration update (sequential, the study's method) and " +
      'taken k at a time after one update (burst), interleaved in the same run. Ratio = burst / sequential; a difference ' +
      'is called out only when p < 0.05 and the interval excludes 1.',
    '',
    renderStrategyTable(rows),
    '',
    strategySummary(rows),
  ].join('\n');
}
