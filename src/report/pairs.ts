/**
 * The A/B sections of the report (`baseline-functions`): one per pair — which kind of comparison it is, the verdict in
 * a sentence (both medians, the change with its 95 % interval, p), a table and a bar chart of the two medians. PURE.
 * Shared by the markdown report (pairParts) and the terminal (pairSections through its own table printer).
 */
import type { FunctionPair } from '../config/pairs.js';
import { MIN_PAIRS } from '../results/pairs.js';
import type { PairResult, RunResults } from '../results/model.js';
import { barChart, niceMax } from './charts.js';
import { ciPctText, escapeMarkdown, ms, pClause, pText, ratioText, signedPct } from './format.js';
import { markdownOf, verbatim, type Table } from './table.js';

/** How names are written: escaped and bold in markdown, as they are in a terminal. */
export interface PairStyle {
  text(s: string): string;
  strong(s: string): string;
}

const MARKDOWN_STYLE: PairStyle = { text: escapeMarkdown, strong: (s) => `**${s}**` };

/** One pair's section as parts: the text, and the chart apart (the report drops charts first to fit its size limit). */
export interface PairSection {
  title: string;
  lead: string;
  table: Table | null;
  chart: string | null;
}

const where = (r: PairResult, showStrategy: boolean): string =>
  `${r.memory} MB${r.baseMemory === undefined ? '' : ` (base at ${r.baseMemory} MB)`}${showStrategy ? ` (${r.strategy})` : ''}`;

/** "10 pairs", or why the comparison is unpaired. */
const pairing = (r: PairResult): string =>
  r.method === 'paired' ? `${r.pairs} pairs` : `unpaired: fewer than ${MIN_PAIRS} complete pairs`;

/**
 * Which kind of comparison: "Side by side in this job (10 pairs)." or "Side by side in this job (unpaired: fewer than
 * 6 complete pairs)."; per memory size when they differ.
 */
export function pairKindSentence(rows: readonly PairResult[], showStrategy = false): string {
  const each = rows.map(pairing);
  const inner = new Set(each).size <= 1 ? (each[0] ?? '') : rows.map((r, i) => `${where(r, showStrategy)}: ${each[i]!}`).join('; ');
  return `Side by side in this job (${inner}).`;
}

/** The verdict of one row in a sentence, e.g. "pr-api is slower than main-api at 128 MB: median init 195.2 ms against 150.1 ms, +30.1% (95% CI +24.0% to +36.6%, p < 0.001)." */
export function pairVerdictSentence(r: PairResult, style: PairStyle = MARKDOWN_STYLE, showStrategy = false): string {
  const head = style.strong(style.text(r.head));
  const base = style.text(r.base);
  const at = where(r, showStrategy);
  const medians = `median init ${ms(r.headP50)} ms against ${ms(r.baseP50)} ms`;
  const evidence = r.ratioCi === null ? pClause(r.pValue) : `95% CI ${ciPctText(r.ratioCi)}, ${pClause(r.pValue)}`;
  switch (r.verdict) {
    case 'slower':
    case 'faster':
      return `${head} is ${r.verdict} than ${base} at ${at}: ${medians}, ${signedPct(r.ratio)} (${evidence}).`;
    case 'no significant change':
      return `${head} and ${base} are not significantly different at ${at}: ${medians}, ${signedPct(r.ratio)} (${evidence}).`;
    case 'too few to tell':
      return `Too few cold starts to tell ${head} from ${base} at ${at} (${r.headN} against ${r.baseN}): ${medians}.`;
  }
}

const ARROW: Record<PairResult['verdict'], string> = { slower: '▲', faster: '▼', 'no significant change': '=', 'too few to tell': '?' };

/** The pair's rows as a table (one per memory size and strategy). */
export function pairTable(rows: readonly PairResult[], showStrategy = false): Table {
  return {
    columns: [
      { header: 'Memory', align: 'l' },
      { header: 'Head init p50 (ms)', align: 'r' },
      { header: 'Base init p50 (ms)', align: 'r' },
      { header: 'Change', align: 'r' },
      { header: '95% CI', align: 'r', drop: 2 },
      { header: 'p', align: 'r', drop: 1 },
      { header: 'Pairs', align: 'r' },
      { header: 'Verdict', align: 'l' },
    ],
    rows: rows.map((r) => [
      where(r, showStrategy),
      `${ms(r.headP50)} (n ${r.headN})`,
      `${ms(r.baseP50)} (n ${r.baseN})`,
      `${ARROW[r.verdict]} ${signedPct(r.ratio)}`,
      verbatim(ciPctText(r.ratioCi)),
      verbatim(pText(r.pValue)),
      r.method === 'paired' ? String(r.pairs) : `${r.pairs} (unpaired)`,
      r.verdict === 'slower' ? { text: 'slower', md: '**slower**' } : r.verdict,
    ]),
  };
}

/** Both medians of every row as one bar series (head then base per memory size), on one axis. */
function pairChart(p: FunctionPair, rows: readonly PairResult[], showStrategy: boolean): string {
  const labels = rows.flatMap((r) => [`${p.head} · ${where(r, showStrategy)}`, `${p.base} · ${where(r, showStrategy)}`]);
  const values = rows.flatMap((r) => [r.headP50, r.baseP50]);
  return barChart({
    title: `Median init, ${p.head} and ${p.base}, ms`,
    axis: 'Init (ms)',
    labels,
    values,
    max: niceMax(Math.max(...values)),
  });
}

/** Every pair of the run (in the order of `functions`) with its rows; none when the run had no pairs. */
export function pairSections(results: RunResults, style: PairStyle = MARKDOWN_STYLE): PairSection[] {
  const pairs = results.run.inputs.pairs ?? [];
  const all = results.pairs ?? [];
  const showStrategy = new Set(all.map((r) => r.strategy)).size > 1;
  return pairs.map((p) => {
    const rows = all.filter((r) => r.head === p.head && r.base === p.base);
    const title = `A/B: ${p.head} against ${p.base}`;
    if (rows.length === 0) {
      return {
        title,
        lead: `No comparison: ${style.text(p.head)} or ${style.text(p.base)} had no cold start at any memory size where the other had one (see the notes).`,
        table: null,
        chart: null,
      };
    }
    const lead = [pairKindSentence(rows, showStrategy), ...rows.map((r) => pairVerdictSentence(r, style, showStrategy))].join(' ');
    return { title, lead, table: pairTable(rows, showStrategy), chart: pairChart(p, rows, showStrategy) };
  });
}

/** The A/B sections as report parts (markdown): heading, sentences, table, then the chart (marked, dropped first). */
export function pairParts(results: RunResults): { text: string; chart?: boolean }[] {
  return pairSections(results).flatMap((s) => [
    { text: `### ${escapeMarkdown(s.title)}` },
    { text: s.lead },
    ...(s.table === null ? [] : [{ text: markdownOf(s.table) }]),
    ...(s.chart === null ? [] : [{ text: s.chart, chart: true }]),
  ]);
}

/** A pair's regression in one line (the step's failure, the CLI's exit): "pr-api @ 128 MB: 1.31× main-api (side by side, 10 pairs)". */
export function pairRegressionLine(r: PairResult): string {
  return `${r.head} @ ${r.memory} MB: ${ratioText(r.ratio)} ${r.base} (side by side, ${r.method === 'paired' ? `${r.pairs} pairs` : 'unpaired'})`;
}
