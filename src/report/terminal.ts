/**
 * The report for a terminal: plain text (no markdown escapes, no bold markers), aligned columns that fit the width.
 * PURE: the caller passes the width (process.stdout.columns, or DEFAULT_WIDTH for pipes) and prints the string.
 */
import type { BaselineRow } from '../results/compare.js';
import type { RunResults } from '../results/model.js';
import { compareStrategies, hasBothStrategies } from '../results/strategy-compare.js';
import {
  PLAIN,
  baselineSentence,
  comparisonTable,
  groups,
  headline,
  multiStrategy,
  statsTable,
  sweepOf,
  sweepTable,
  where,
  type BaselineSource,
} from './markdown.js';
import { strategySummary, strategyTable } from './strategy-compare.js';
import { pairSections } from './pairs.js';
import { strategyMismatchNote } from './strategy-note.js';
import { cellText, type Table } from './table.js';
import { costTerminal } from './cost.js';

/** Width used when the output is not a terminal (a pipe, a file, CI logs). */
export const DEFAULT_WIDTH = 100;
/** Narrowest a truncated first column gets. */
const MIN_FIRST = 12;
const GAP = '  ';

const width = (s: string): number => [...s].length;

function pad(s: string, w: number, align: 'l' | 'r'): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return align === 'r' ? fill + s : s + fill;
}

function truncate(s: string, w: number): string {
  const chars = [...s];
  return chars.length <= w ? s : `${chars.slice(0, Math.max(1, w - 1)).join('')}…`;
}

/**
 * Aligned columns under a rule of `─`, at most `maxWidth` wide: columns without a value are left out, then columns with a
 * `drop` rank (lowest first) while the table is too wide, then the first column (the function names) is shortened with "…". Says what it left out.
 */
export function terminalTable(t: Table, maxWidth = DEFAULT_WIDTH): string {
  // a column without a single value (p90 below 10 cold starts, no runtime known) takes room and says nothing
  const empty = (i: number): boolean => t.rows.length > 0 && t.rows.every((r) => ['', '–'].includes(cellText(r[i] ?? '')));
  let columns = t.columns.map((c, i) => ({ ...c, i })).filter((c) => c.i === 0 || !empty(c.i));
  const widthOf = (i: number): number => Math.max(width(t.columns[i]!.header), ...t.rows.map((r) => width(cellText(r[i] ?? ''))));
  const total = (cols: typeof columns): number => cols.reduce((s, c) => s + widthOf(c.i), 0) + GAP.length * (cols.length - 1);
  const left: string[] = [];
  while (total(columns) > maxWidth) {
    const candidates = columns.filter((c) => c.drop !== undefined).sort((a, b) => a.drop! - b.drop!);
    const victim = candidates[0];
    if (!victim) break;
    // A column with one value in every row loses nothing when it is said once (Arch: all x86_64).
    const values = new Set(t.rows.map((r) => cellText(r[victim.i] ?? '')));
    const only = values.size === 1 ? [...values][0]! : '';
    left.push(t.rows.length > 1 && only !== '' && only !== '–' ? `${victim.header}: all ${only}` : victim.header);
    columns = columns.filter((c) => c !== victim);
  }
  const widths = columns.map((c) => widthOf(c.i));
  const over = total(columns) - maxWidth;
  if (over > 0 && widths.length > 0) widths[0] = Math.max(MIN_FIRST, widths[0]! - over);
  const line = (cells: string[]): string =>
    cells
      .map((c, k) => pad(k === 0 ? truncate(c, widths[0]!) : c, widths[k]!, columns[k]!.align))
      .join(GAP)
      .trimEnd();
  const out = [
    line(columns.map((c) => c.header)),
    widths.map((w) => '─'.repeat(w)).join(GAP),
    ...t.rows.map((r) => line(columns.map((c) => cellText(r[c.i] ?? '')))),
  ];
  if (left.length > 0) out.push(wrap(`(left out at this width: ${left.join(', ')})`, maxWidth));
  return out.join('\n');
}

/** Wraps prose at `maxWidth` (on spaces; a longer word stays whole). */
export function wrap(text: string, maxWidth = DEFAULT_WIDTH): string {
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (cur && width(cur) + 1 + width(word) > maxWidth) {
      lines.push(cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) lines.push(cur);
  return lines.join('\n');
}

export interface TerminalOptions {
  width?: number;
  baseline?: BaselineRow[];
  baselineSource?: BaselineSource;
}

/**
 * What the CLI prints at the end of a run or for `report --out`: the headline, one table per memory size (and
 * strategy), the memory sweep, and for runs with both strategies the burst-vs-sequential table with its verdict.
 */
export function renderTerminal(results: RunResults, opts: TerminalOptions = {}): string {
  const w = opts.width ?? DEFAULT_WIDTH;
  const showStrategy = multiStrategy(results);
  const parts: string[] = [wrap(headline(results, PLAIN), w)];
  if (opts.baseline) parts.push(renderTerminalComparison(opts.baseline, w, opts.baselineSource));
  for (const s of pairSections(results, PLAIN)) {
    parts.push([s.title, wrap(s.lead, w), ...(s.table === null ? [] : [terminalTable(s.table, w)])].join('\n'));
  }
  for (const g of groups(results)) {
    parts.push(`${where(g.memory, g.strategy, showStrategy)}\n${terminalTable(statsTable(g.stats), w)}`);
  }
  const sweep = sweepOf(results);
  if (sweep) parts.push(`Median init (ms) by memory size\n${terminalTable(sweepTable(sweep), w)}`);
  if (hasBothStrategies(results.samples)) {
    const rows = compareStrategies(results.samples);
    if (rows.length > 0) {
      parts.push(
        `Burst vs sequential (median init)\n${terminalTable(strategyTable(rows), w)}\n${wrap(
          strategySummary(rows, (s) => s),
          w,
        )}`,
      );
    }
  }
  const cost = costTerminal(
    results,
    (t) => terminalTable(t, w),
    (s) => wrap(s, w),
  );
  if (cost) parts.push(cost);
  const failed = results.functions.filter((f) => f.failure && !results.notes.some((n) => n.startsWith(`${f.name}:`)));
  const notes = [...results.notes, ...failed.map((f) => `${f.name}: not measured: ${f.failure ?? ''}`)];
  if (notes.length > 0) parts.push(`Notes\n${notes.map((n) => wrap(`- ${n}`, w - 2).replace(/\n/g, '\n  ')).join('\n')}`);
  return parts.join('\n\n');
}

/** The baseline comparison for a terminal (the `compare` command and a run with a baseline). */
export function renderTerminalComparison(rows: BaselineRow[], maxWidth = DEFAULT_WIDTH, source?: BaselineSource): string {
  const mismatch = strategyMismatchNote(rows);
  const head = `${source ? `${wrap(baselineSentence(source, PLAIN, rows), maxWidth)}\n` : ''}${mismatch ? `${wrap(mismatch, maxWidth)}\n` : ''}`;
  if (rows.length === 0) return `${head}Nothing to compare: the baseline and this run share no function and memory size.`;
  return `${head}${terminalTable(comparisonTable(rows), maxWidth)}`;
}
