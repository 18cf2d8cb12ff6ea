/**
 * report.md: the job summary and the PR comment share it. Pure: renders from RunResults alone.
 * Everything user-supplied (function names, notes, errors) goes through escapeMarkdown. No hidden marker here
 * (the GitHub code adds it). The tables are data (table.ts) so that the terminal shows the same ones (terminal.ts).
 */
import type { BaselineRow } from '../results/compare.js';
import { strategyMismatchNote } from './strategy-note.js';
import type { FunctionStats, RunResults, Sample, SampleStrategy } from '../results/model.js';
import { compareStrategies, hasBothStrategies } from '../results/strategy-compare.js';
import { renderStrategyComparison } from './strategy-compare.js';
import { markdownCode, markdownLink } from '../core/escape.js';
import { ciText, escapeMarkdown, ms, pText, ratioText, signedPct } from './format.js';
import { fastestVerdict, type FastestVerdict } from '../results/fastest.js';
import { MIN_N_CI, MIN_N_P90, canReachSignificance } from '../results/stats.js';
import { SERIES_COLOURS, barChart, lineChart, niceMax, type SeriesColour } from './charts.js';
import { functionColours } from './colours.js';
import { cellText, markdownOf, verbatim, type Cell, type Table } from './table.js';
import { renderTrend, trendParts, type TrendInput } from './trend.js';
import { pairParts } from './pairs.js';
import { acrossRunsSentence } from './comparison-kind.js';
import { COST_COLUMN, costCell, costSection } from './cost.js';
import { baselineCausesText, causesSections } from './causes.js';
import type { FunctionCauseDiff } from '../results/causes.js';

export { escapeMarkdown } from './format.js';

/** Where a baseline came from: the artifact of a run on the base branch, or a file the user gave; `startedAt`: when that run began. */
export type BaselineSource = (
  { kind: 'run'; branch: string; sha: string; runId: number; url?: string } | { kind: 'file'; path: string }
) & {
  startedAt?: string;
};

/** Options of renderReport. Every field is optional: add new sections as new optional fields. */
export interface ReportOptions {
  /** Hard upper bound of the returned string's length (default 65,000: a PR comment holds 65,536). */
  maxLength?: number;
  runUrl?: string;
  artifactUrl?: string;
  /** Baseline comparison rows (compareRuns) to show as their own table. */
  baseline?: BaselineRow[];
  /** What the baseline rows compare with (named in the section's first line). */
  baselineSource?: BaselineSource;
  /** Shown in the title (e.g. the comment tag or a shard's name); 'default' (the comment-tag default) is not shown. */
  tag?: string;
  /** The history's trend: a "Trend" section after the tables. */
  trend?: TrendInput;
  /** What changed since the baseline besides the code (runtime version, package, layers): listed under its table. */
  baselineCauses?: FunctionCauseDiff[];
}

export const DEFAULT_MAX_LENGTH = 65_000;

/** How emphasis and user text are written: markdown for the report, plain for the terminal. */
export interface Style {
  strong(s: string): string;
  /** User text (names, paths): escaped for markdown, as is for the terminal. */
  text(s: string): string;
  code(s: string): string;
  link(text: string, url: string): string;
}
export const MARKDOWN: Style = {
  strong: (s) => `**${s}**`,
  text: escapeMarkdown,
  code: markdownCode,
  /** Only http(s) links: any other URL (from a file, a history) leaves the text alone. */
  link: markdownLink,
};
export const PLAIN: Style = { strong: (s) => s, text: (s) => s, code: (s) => s, link: (text, url) => `${text} (${url})` };

export interface Group {
  memory: number;
  strategy: SampleStrategy;
  /** Fastest first. */
  stats: FunctionStats[];
}

export function groups(results: RunResults): Group[] {
  const out = new Map<string, Group>();
  for (const st of results.statistics) {
    const k = `${st.memory}|${st.strategy}`;
    let g = out.get(k);
    if (!g) out.set(k, (g = { memory: st.memory, strategy: st.strategy, stats: [] }));
    g.stats.push(st);
  }
  return [...out.values()].sort((a, b) => a.memory - b.memory || (a.strategy === 'sequential' ? -1 : 1));
}

export function multiStrategy(results: RunResults): boolean {
  return new Set(results.statistics.map((s) => s.strategy)).size > 1;
}

export function where(memory: number, strategy: SampleStrategy, showStrategy: boolean): string {
  return `${memory} MB${showStrategy ? ` (${strategy})` : ''}`;
}

const LIST_LIMIT = 5;

function listText(items: string[]): string {
  const shown = items.slice(0, LIST_LIMIT);
  const more = items.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]!}`;
}

/** A runtime or architecture the data does not carry is left blank. */
const known = (s: string): string => (s === 'unknown' ? '' : s);

/**
 * How one function compares with the fastest of its group: significant, not significant, or too few samples for
 * any test to tell (the exact Mann–Whitney test cannot reach p < 0.05 at these sizes, whatever the data).
 */
export type Verdict = 'fastest' | 'significant' | 'same' | 'too-few';

export function verdictOf(st: FunctionStats, fastest: FunctionStats): Verdict {
  const c = st.vsFastest;
  if (!c) return 'fastest';
  if (!canReachSignificance(st.init.n, fastest.init.n)) return 'too-few';
  return c.significant ? 'significant' : 'same';
}

/** One function's ratio to the fastest: "7.30× (95% CI 3.74–13.07)". */
function ratioPhrase(c: NonNullable<FunctionStats['vsFastest']>, withLabel: boolean): string {
  const ci = c.ratioCi ? ` (${withLabel ? '95% CI ' : ''}${ciText(c.ratioCi)})` : '';
  return `${ratioText(c.ratio)}${ci}`;
}

/**
 * Why no function of a group is clearly fastest: "too few cold starts to tell (3 against 3)", or "X and Y are not
 * significantly different (p = 0.31)".
 */
export function notClearlyFastestReason(v: FastestVerdict, style: Style = MARKDOWN): string {
  const fastest = v.fastest;
  const few = v.notClearOf.find((st) => !canReachSignificance(st.init.n, fastest.init.n));
  if (v.reason === 'too-few' && few) return `too few cold starts to tell (${few.init.n} against ${fastest.init.n})`;
  const names = [fastest, ...v.notClearOf].map((st) => style.text(st.function));
  const ps = v.notClearOf.map((st) => (st.vsFastest ? pText(st.vsFastest.pValue) : '–'));
  const p = ps.length === 1 ? (ps[0]!.startsWith('<') ? `p ${ps[0]!}` : `p = ${ps[0]!}`) : `p = ${listText(ps)}`;
  return `${listText(names)} are not significantly different (${p})`;
}

/**
 * Comparison sentences for one group (fastest first). "Fastest" only when the fastest is significantly faster than every
 * other function (fastestVerdict); otherwise the sentence says that no function is clearly fastest, and why.
 */
function groupSentence(stats: FunctionStats[], label: string, style: Style): string {
  const fastest = stats[0]!;
  const name = style.strong(style.text(fastest.function));
  const n = fastest.init.n;
  if (stats.length === 1) {
    return `${name} cold-starts in ${ms(fastest.init.p50)} ms at ${label} (median init of ${n} cold start${n === 1 ? '' : 's'}).`;
  }
  const slower: string[] = [];
  for (const st of stats.slice(1)) {
    const c = st.vsFastest;
    if (c && verdictOf(st, fastest) === 'significant') slower.push(`${ratioPhrase(c, slower.length === 0)} for ${style.text(st.function)}`);
  }
  const v = fastestVerdict(stats);
  if (v.clear) {
    const s = `${name} cold-starts fastest at ${label} (median init ${ms(fastest.init.p50)} ms).`;
    return slower.length > 0 ? `${s} Compared with it, median init is ${listText(slower)}.` : s;
  }
  const lowest = `Lowest median init: ${style.text(fastest.function)} (${ms(fastest.init.p50)} ms)`;
  const others = slower.length > 0 ? `; compared with it, median init is ${listText(slower)}` : '';
  return `No function is clearly fastest at ${label}: ${notClearlyFastestReason(v, style)}. ${lowest}${others}.`;
}

/** The same function is fastest in every group (a memory sweep): one sentence for it, one clause per other function. */
function sweepSentence(gs: Group[], showStrategy: boolean, style: Style): string {
  const fastest = gs[0]!.stats[0]!.function;
  const scope = showStrategy ? 'every memory size and strategy' : 'every memory size';
  const at = gs.map((g) => `${ms(g.stats[0]!.init.p50)} ms at ${where(g.memory, g.strategy, showStrategy)}`);
  let s = `${style.strong(style.text(fastest))} cold-starts fastest at ${scope} (median init ${listText(at)}).`;
  const others = [...new Set(gs.flatMap((g) => g.stats.slice(1).map((st) => st.function)))];
  let first = true;
  const clauses = others.map((fn) => {
    const per = gs.flatMap((g) => {
      const st = g.stats.find((x) => x.function === fn);
      const c = st?.vsFastest;
      if (!st || !c) return [];
      const v = verdictOf(st, g.stats[0]!);
      const phrase =
        v === 'significant' ? ratioPhrase(c, first) : v === 'too-few' ? 'too few cold starts to tell' : 'not significantly different';
      if (v === 'significant') first = false;
      return [{ v, text: `${phrase} at ${where(g.memory, g.strategy, showStrategy)}` }];
    });
    const name = style.text(fn);
    if (per.length > 0 && per.every((p) => p.v === 'same')) return `${name} not significantly different`;
    if (per.length > 0 && per.every((p) => p.v === 'too-few')) return `${name} too few cold starts to tell`;
    return `${name} ${listText(per.map((p) => p.text))}`;
  });
  if (clauses.length > 0)
    s += ` Median init compared with it: ${clauses.slice(0, LIST_LIMIT).join('; ')}${clauses.length > LIST_LIMIT ? `; and ${clauses.length - LIST_LIMIT} more` : ''}.`;
  return s;
}

/**
 * The headline: which function cold-starts fastest at which memory size and how much slower the others are
 * (ratio of median init with its 95 % interval); differences are called out only when significant, and "too few cold
 * starts to tell" where no test could reach significance. A memory sweep with one fastest function reads as one
 * sentence; otherwise one sentence group per memory size (and strategy), at most 4, then a pointer to the tables.
 * `style` PLAIN gives the terminal's text (no markdown).
 */
export function headline(results: RunResults, style: Style = MARKDOWN): string {
  const gs = groups(results);
  if (gs.length === 0) return 'No cold start was measured.';
  const showStrategy = multiStrategy(results);
  const clearEverywhere = gs.every((g) => g.stats.length > 1 && fastestVerdict(g.stats).clear);
  if (gs.length > 1 && gs.length <= 4 && clearEverywhere && gs.every((g) => g.stats[0]!.function === gs[0]!.stats[0]!.function)) {
    return sweepSentence(gs, showStrategy, style);
  }
  const sentences = gs.slice(0, 4).map((g) => groupSentence(g.stats, where(g.memory, g.strategy, showStrategy), style));
  if (gs.length > 4) sentences.push(`${gs.length - 4} more memory sizes in the tables below.`);
  return sentences.join(' ');
}

function vsCell(st: FunctionStats, fastest: FunctionStats): Cell {
  const c = st.vsFastest;
  const v = verdictOf(st, fastest);
  if (!c) return 'fastest';
  if (v === 'too-few') return `${ratioText(c.ratio)} too few to tell`;
  const ci = c.ratioCi ? ` (${ciText(c.ratioCi)})` : ` (n < ${MIN_N_CI}: no interval)`;
  if (v === 'significant') return { text: `${ratioText(c.ratio)}${ci}`, md: `**${ratioText(c.ratio)}**${ci}` };
  return `${ratioText(c.ratio)}${ci} n.s.`;
}

/** Leaves out the columns with these headers when every row's cell is blank (e.g. no runtime known at all). */
function withoutBlank(t: Table, headers: string[]): Table {
  const drop = t.columns.flatMap((c, i) => (headers.includes(c.header) && t.rows.every((r) => cellText(r[i]!) === '') ? [i] : []));
  if (drop.length === 0) return t;
  const keep = (_: unknown, i: number) => !drop.includes(i);
  return { columns: t.columns.filter(keep), rows: t.rows.map((r) => r.filter(keep)) };
}

/** The table of one memory size (and strategy), fastest first. Runtime and Arch are left out when no function has one. */
export function statsTable(stats: FunctionStats[]): Table {
  const fastest = stats[0]!;
  return withoutBlank(fullStatsTable(stats, fastest), ['Runtime', 'Arch', COST_COLUMN.header]);
}

function fullStatsTable(stats: FunctionStats[], fastest: FunctionStats): Table {
  return {
    columns: [
      { header: 'Function', align: 'l' },
      // Narrow terminals and pipes lose the lowest rank first; the runtime is what a reader compares, so it goes late.
      { header: 'Runtime', align: 'l', drop: 6 },
      { header: 'Arch', align: 'l', drop: 4 },
      { header: 'n', align: 'r' },
      { header: 'Init p50 (ms)', align: 'r' },
      { header: 'Init p90 (ms)', align: 'r', drop: 7 },
      { header: 'Init min–max (ms)', align: 'r', drop: 5 },
      { header: 'Cold p50 (ms)', align: 'r', drop: 3 },
      { header: 'Billed p50 (ms)', align: 'r', drop: 2 },
      { header: 'Max mem (MB)', align: 'r', drop: 1 },
      COST_COLUMN,
      { header: 'vs fastest', align: 'l' },
    ],
    rows: stats.map((st) => [
      st.function,
      known(st.runtime),
      known(st.architecture),
      String(st.init.n),
      ms(st.init.p50),
      ms(st.init.p90),
      `${ms(st.init.min)}–${ms(st.init.max)}`,
      ms(st.durationP50),
      ms(st.billedP50),
      st.maxMemory > 0 ? String(st.maxMemory) : '–',
      costCell(st),
      vsCell(st, fastest),
    ]),
  };
}

/**
 * The numbers behind the tables, per function and memory size: mean ± standard deviation, the median with its 95%
 * interval, and the ratio to the fastest with the Mann–Whitney p-value that makes it bold (or not).
 */
export function detailsTable(results: RunResults): Table {
  const showStrategy = multiStrategy(results);
  const rows: Cell[][] = [];
  for (const g of groups(results)) {
    const fastest = g.stats[0]!;
    for (const st of g.stats) {
      const c = st.vsFastest;
      const v = verdictOf(st, fastest);
      const i = st.init;
      rows.push([
        st.function,
        where(g.memory, g.strategy, showStrategy),
        String(i.n),
        `${ms(i.mean)} ± ${i.sd === null ? '–' : ms(i.sd)}`,
        `${ms(i.p50)} (${i.medianCi ? `${ms(i.medianCi[0])}–${ms(i.medianCi[1])}` : `n < ${MIN_N_CI}: –`})`,
        c ? ratioText(c.ratio) : 'fastest',
        c ? verbatim(pText(c.pValue)) : '',
        v === 'fastest' ? '' : v === 'significant' ? 'significant' : v === 'too-few' ? 'too few to tell' : 'not significant',
      ]);
    }
  }
  return {
    columns: [
      { header: 'Function', align: 'l' },
      { header: 'Memory', align: 'r' },
      { header: 'n', align: 'r' },
      { header: 'Init mean ± sd (ms)', align: 'r' },
      { header: 'Init median (95% CI, ms)', align: 'r' },
      { header: 'vs fastest', align: 'r' },
      { header: 'p (Mann–Whitney)', align: 'r' },
      { header: 'Verdict', align: 'l' },
    ],
    rows,
  };
}

/** Series of a memory sweep: functions (per strategy) measured at more than one memory size. */
export interface Sweep {
  memories: number[];
  series: { label: string; function: string; medians: (number | null)[] }[];
  /** Series are per function and strategy (a run with both). */
  byStrategy: boolean;
}

/** The memory sweep, or null when no function was measured at more than one memory size. */
export function sweepOf(results: RunResults): Sweep | null {
  const showStrategy = multiStrategy(results);
  const memories = [...new Set(results.statistics.map((s) => s.memory))].sort((a, b) => a - b);
  if (memories.length < 2) return null;
  const byFn = new Map<string, Sweep['series'][number]>();
  for (const g of groups(results)) {
    for (const st of g.stats) {
      const label = `${st.function}${showStrategy ? ` (${st.strategy})` : ''}`;
      let s = byFn.get(label);
      if (!s) byFn.set(label, (s = { label, function: st.function, medians: memories.map(() => null) }));
      s.medians[memories.indexOf(st.memory)] = st.init.p50;
    }
  }
  const series = [...byFn.values()];
  if (!series.some((s) => s.medians.filter((m) => m !== null).length > 1)) return null;
  // ordered as at the smallest memory size each was measured at, fastest first
  return { memories, series, byStrategy: showStrategy };
}

/** The sweep's table: one row per function, one column per memory size (median init). */
export function sweepTable(sweep: Sweep): Table {
  return {
    columns: [{ header: 'Function', align: 'l' }, ...sweep.memories.map((m) => ({ header: `${m} MB`, align: 'r' as const }))],
    rows: sweep.series.map((s) => [s.label, ...s.medians.map((m) => ms(m))]),
  };
}

/**
 * The lines' colours: each function's own (colours.ts, as in boxplot.svg); per series in order when a run has both
 * strategies (a function's two lines need two colours) or the function colours would repeat.
 */
function sweepColours(series: Sweep['series'], byStrategy: boolean, colours: Map<string, SeriesColour>): SeriesColour[] {
  const own = series.map((s) => colours.get(s.function));
  const distinct = new Set(own.map((c) => c?.hex)).size === own.length && own.every((c) => c !== undefined);
  return !byStrategy && distinct ? (own as SeriesColour[]) : series.map((_, i) => SERIES_COLOURS[i]!);
}

/** The sweep section: the table, one line per complete series, and a sentence naming each line's colour. */
function sweepSection(
  sweep: Sweep,
  max: number,
  colours: Map<string, SeriesColour>,
): { table: string; chart: string | null; note: string | null } {
  const drawn = sweep.series.filter((s) => s.medians.every((m) => m !== null));
  if (drawn.length === 0 || drawn.length > SERIES_COLOURS.length) {
    const why =
      drawn.length === 0
        ? '_No function was measured at every memory size: the table alone._'
        : `_${drawn.length} functions: more lines than one chart can keep apart; the table alone._`;
    return { table: markdownOf(sweepTable(sweep)), chart: null, note: why };
  }
  const lineColours = sweepColours(drawn, sweep.byStrategy, colours);
  const chart = lineChart({
    title: 'Median init by memory size, ms',
    axis: 'Init (ms)',
    x: sweep.memories.map((m) => `${m} MB`),
    series: drawn.map((s) => s.medians.map((m) => m ?? 0)),
    titles: drawn.map((s) => s.label),
    colours: lineColours.map((c) => c.hex),
    max,
  });
  const legend = drawn.map((s, i) => `${escapeMarkdown(s.label)} ${lineColours[i]!.name}`).join(', ');
  const partial = drawn.length < sweep.series.length ? ' Functions not measured at every memory size (–) are in the table only.' : '';
  return { table: markdownOf(sweepTable(sweep)), chart, note: `_Lines: ${legend}.${partial}_` };
}

function rawTable(samples: readonly Sample[]): string {
  const num = (v: number | null): string => (v === null ? '' : String(v));
  const cols: [string, (s: Sample) => string, boolean][] = [
    ['Function', (s) => s.function, true],
    ['MB', (s) => String(s.memory), true],
    ['Strategy', (s) => s.strategy, new Set(samples.map((s) => s.strategy)).size > 1],
    ['Seq', (s) => String(s.sequence), true],
    ['Try', (s) => String(s.attempt), samples.some((s) => s.attempt > 1)],
    ['Kind', (s) => s.kind, true],
    ['Init', (s) => num(s.init), true],
    ['Restore', (s) => num(s.restore), samples.some((s) => s.restore !== null)],
    ['Duration', (s) => num(s.duration), true],
    ['Billed', (s) => num(s.billed), true],
    ['Max mem', (s) => num(s.maxMemory), samples.some((s) => s.maxMemory !== null)],
    ['Source', (s) => s.source, true],
    ['Request ID', (s) => s.requestId, samples.some((s) => s.requestId !== '')],
    ['Error', (s) => s.error ?? '', samples.some((s) => s.error !== undefined && s.error !== '')],
  ];
  const used = cols.filter((c) => c[2]);
  return markdownOf(
    { columns: used.map((c) => ({ header: c[0], align: 'l' })), rows: samples.map((s) => used.map((c) => c[1](s))) },
    { alignDelimiters: false },
  );
}

/**
 * "Raw samples: 30 invocations" or "Raw samples: 30 invocations, including 2 warm retries, 1 error and 2 failed inits"
 * (a bare count in brackets would read as MB).
 */
function rawSummary(samples: readonly Sample[]): string {
  const warm = samples.filter((s) => s.kind === 'warm').length;
  const errors = samples.filter((s) => s.kind === 'error').length;
  const failedInits = samples.filter((s) => s.kind === 'init-failed').length;
  const parts = [
    ...(warm ? [`${warm} warm ${warm === 1 ? 'retry' : 'retries'}`] : []),
    ...(errors ? [`${errors} error${errors === 1 ? '' : 's'}`] : []),
    ...(failedInits ? [`${failedInits} failed init${failedInits === 1 ? '' : 's'}`] : []),
  ];
  const count = `${samples.length} ${samples.length === 1 ? 'invocation' : 'invocations'}`;
  return `Raw samples: ${count}${parts.length ? `, including ${listText(parts)}` : ''}`;
}

/** The per-memory-size tables with their `### 128 MB` headings. */
export function renderTables(results: RunResults): string {
  const showStrategy = multiStrategy(results);
  const parts: string[] = [];
  for (const g of groups(results)) parts.push(`### ${where(g.memory, g.strategy, showStrategy)}`, markdownOf(statsTable(g.stats)));
  return parts.length ? parts.join('\n\n') : 'No cold start was measured.';
}

/** Comparison with a baseline run as data: arrows ▲ slower, ▼ faster, = no significant change, ? too few to tell. */
export function comparisonTable(rows: BaselineRow[]): Table {
  const change = (r: BaselineRow): string => {
    if (r.verdict === 'new') return 'new';
    if (r.verdict === 'missing') return 'missing';
    if (r.verdict === 'different strategies') return `(${signedPct(r.ratio)})`;
    const arrow = r.verdict === 'slower' ? '▲' : r.verdict === 'faster' ? '▼' : r.verdict === 'too few to tell' ? '?' : '=';
    return `${arrow} ${signedPct(r.ratio)}`;
  };
  const ci = (r: BaselineRow): string => (r.ratioCi ? `${signedPct(r.ratioCi[0])} to ${signedPct(r.ratioCi[1])}` : '–');
  return {
    columns: [
      { header: 'Function', align: 'l' },
      { header: 'Memory (MB)', align: 'r' },
      { header: 'Base init p50 (ms)', align: 'r' },
      { header: 'Head init p50 (ms)', align: 'r' },
      { header: 'Change', align: 'r' },
      { header: '95% CI', align: 'r', drop: 1 },
      { header: 'p', align: 'r' },
      { header: 'Verdict', align: 'l' },
    ],
    rows: rows.map((r) => [
      r.function,
      String(r.memory),
      ms(r.baseP50),
      ms(r.headP50),
      change(r),
      ci(r),
      verbatim(pText(r.pValue)),
      r.verdict === 'slower' ? { text: 'slower', md: '**slower**' } : r.verdict,
    ]),
  };
}

/** Comparison with a baseline run (markdown). */
export function renderComparisonTable(rows: BaselineRow[]): string {
  if (rows.length === 0) return '_Nothing to compare: the baseline and this run share no function and memory size._';
  return markdownOf(comparisonTable(rows));
}

/**
 * The first line of the baseline section: which run (branch, commit, link) or which file; with the rows, also which kind
 * of comparison it is and the day-to-day allowance its verdicts used (comparison-kind.ts).
 */
export function baselineSentence(source: BaselineSource | undefined, style: Style = MARKDOWN, rows?: readonly BaselineRow[]): string {
  const kind = rows === undefined ? '' : acrossRunsSentence(rows, source?.startedAt);
  return kind === '' ? whichBaseline(source, style) : `${whichBaseline(source, style)} ${kind}`;
}

function whichBaseline(source: BaselineSource | undefined, style: Style): string {
  if (!source) return 'Compared with the baseline given.';
  if (source.kind === 'file') return `Compared with the file ${style.code(source.path)}.`;
  const sha = source.sha.slice(0, 7);
  const run = `run ${source.runId}`;
  const link = source.url ? style.link(run, source.url) : run;
  return `Compared with ${style.text(source.branch)} at ${sha}: the results artifact of ${link}.`;
}

function footer(results: RunResults, opts: ReportOptions): string {
  const bits = [`lambda-coldstart ${escapeMarkdown(results.tool.version)}`];
  if (results.run.region) bits.push(escapeMarkdown(results.run.region));
  if (results.run.startedAt) bits.push(escapeMarkdown(results.run.startedAt));
  const runUrl = opts.runUrl ?? results.run.url;
  if (runUrl) bits.push(markdownLink('workflow run', runUrl));
  if (opts.artifactUrl) bits.push(markdownLink('results (speed.csv, results.json, boxplot.svg)', opts.artifactUrl));
  return (
    '<sub>Init = Init Duration (Restore Duration for SnapStart) of genuine cold starts; warm starts are retried, never counted. ' +
    'Cold = Duration of the cold invocation. Billed = Billed Duration: since 1 August 2025 Lambda bills the init phase for every runtime, ' +
    'so a cold start bills Init + Cold, rounded up to 1 ms. ' +
    'SnapStart (Java, Python 3.12+, .NET 8+) restores published versions only; `$LATEST` is measured as an ordinary cold start. ' +
    'vs fastest = ratio of median init with a 95% interval (Price–Bonett); ' +
    '**bold** = significant (Mann–Whitney p &lt; 0.05 and the interval excludes 1), n.s. = not significant, ' +
    'too few to tell = so few cold starts that no test could reach p &lt; 0.05. ' +
    `p90 needs n ≥ ${MIN_N_P90}, an interval n ≥ ${MIN_N_CI} (below, the exact Mann–Whitney test alone decides).<br>` +
    bits.join(' · ') +
    '</sub>'
  );
}

/** Beyond this many memory sizes (× strategies), a sweep gets its line chart only, not a bar chart per memory size. */
const MAX_BAR_CHARTS = 3;

/** A part of the report: text, or a chart that is left out first when the report must shrink. */
type Part = { text: string; chart?: boolean };

/** The report's sections in order, charts marked (they are dropped before the text when space runs out). */
function reportParts(results: RunResults, opts: ReportOptions): Part[] {
  const showStrategy = multiStrategy(results);
  // the comment-tag input defaults to 'default': not worth a title
  const tag = opts.tag && opts.tag !== 'default' ? opts.tag : undefined;
  const title = `## Lambda cold starts${tag ? ` · ${escapeMarkdown(tag)}` : ''}`;
  const parts: Part[] = [{ text: title }, { text: headline(results) }];
  // Which method produced the numbers, when it is not the study's one-update-per-sample (or when both were used).
  const strategies = new Set(results.samples.map((s) => s.strategy));
  if (strategies.has('burst')) {
    parts.push({
      text: strategies.has('sequential')
        ? '_Sampled both ways: sequential (one configuration update per cold start) and burst (k concurrent invokes after one update); see the comparison below._'
        : '_Burst sampling: k concurrent invokes after one configuration update, each in its own new execution environment; warm responses were topped up, never counted._',
    });
  }
  if (opts.baseline) {
    parts.push({ text: '### Compared with the baseline' }, { text: baselineSentence(opts.baselineSource, MARKDOWN, opts.baseline) });
    const mismatch = strategyMismatchNote(opts.baseline);
    if (mismatch !== undefined) parts.push({ text: `**${mismatch}**` });
    parts.push({ text: renderComparisonTable(opts.baseline) });
    const causes = baselineCausesText(opts.baselineCauses ?? [], escapeMarkdown);
    if (causes) parts.push({ text: causes });
  }
  parts.push(...pairParts(results));
  // one value axis for every chart: a 13 ms bar looks a tenth of a 130 ms one, whichever chart they are in
  const axisMax = niceMax(Math.max(0, ...results.statistics.map((s) => s.init.p50)));
  const sweep = sweepOf(results);
  const sweepPart = sweep && sweepSection(sweep, axisMax, functionColours(results));
  const sweepDrawn = sweepPart !== null && sweepPart.chart !== null;
  const gs = groups(results);
  // a wide sweep is read from its one line chart; a bar chart per memory size would fill the report
  const barCharts = !(sweepDrawn && gs.length > MAX_BAR_CHARTS);
  for (const g of gs) {
    const at = where(g.memory, g.strategy, showStrategy);
    parts.push({ text: `### ${at}` }, { text: markdownOf(statsTable(g.stats)) });
    if (!barCharts) continue;
    parts.push({
      chart: true,
      text: barChart({
        title: `Median init at ${at}, ms`,
        axis: 'Init (ms)',
        labels: g.stats.map((s) => s.function),
        values: g.stats.map((s) => s.init.p50),
        max: axisMax,
      }),
    });
  }
  if (sweepPart) {
    const s = sweepPart;
    parts.push({ text: '### Median init by memory size' }, { text: s.table });
    // the legend goes with its chart (both are dropped together when the report must shrink)
    if (s.chart) parts.push({ text: s.chart, chart: true }, ...(s.note ? [{ text: s.note, chart: true }] : []));
    else if (s.note) parts.push({ text: s.note });
  }
  if (results.statistics.length > 0) {
    parts.push({
      text: `<details><summary>Mean, spread and tests per function and memory size</summary>\n\n${markdownOf(detailsTable(results))}\n\n</details>`,
    });
  }
  // A run with both strategies (strategy: compare, or merged runs) gets the burst-vs-sequential section
  if (hasBothStrategies(results.samples)) {
    const section = renderStrategyComparison(compareStrategies(results.samples));
    if (section) parts.push({ text: section });
  }
  for (const text of [costSection(results, escapeMarkdown), ...causesSections(results)]) if (text) parts.push({ text });
  if (opts.trend) parts.push(...trendParts(renderTrend(opts.trend)));
  const failed = results.functions.filter((f) => f.failure);
  const notes = results.notes.map((n) => `- ${escapeMarkdown(n)}`);
  if (failed.length && !results.notes.some((n) => failed.some((f) => n.startsWith(`${f.name}:`)))) {
    notes.push(...failed.map((f) => `- ${escapeMarkdown(f.name)}: not measured: ${escapeMarkdown(f.failure ?? '')}`));
  }
  if (notes.length) parts.push({ text: '### Notes' }, { text: notes.join('\n') });
  return parts;
}

/**
 * The whole report. Shortens the raw samples first, then drops them, then the charts, to stay under
 * `maxLength`; as a last resort cuts the text and says so.
 */
export function renderReport(results: RunResults, opts: ReportOptions = {}): string {
  return fitToLength(reportParts(results, opts), results.samples, footer(results, opts), opts);
}

/** Joins the parts, the raw samples and the footer within `opts.maxLength` (see renderReport). */
function fitToLength(parts: Part[], samples: Sample[], foot: string, opts: ReportOptions): string {
  const maxLength = opts.maxLength ?? DEFAULT_MAX_LENGTH;

  const assemble = (rawRows: number | null, withCharts: boolean): string => {
    const out = parts.filter((p) => withCharts || !p.chart).map((p) => p.text);
    if (rawRows !== null && samples.length > 0) {
      const shown = samples.slice(0, rawRows);
      const cut =
        shown.length < samples.length
          ? `\n\nShowing the first ${shown.length} of ${samples.length} samples to fit the size limit; all are in results.json and speed.csv${opts.artifactUrl ? ` (${markdownLink('download', opts.artifactUrl)})` : ''}.`
          : '';
      out.push(`<details><summary>${rawSummary(samples)}</summary>\n\n${shown.length ? rawTable(shown) : ''}${cut}\n\n</details>`);
    } else if (samples.length > 0) {
      out.push(`_Raw samples left out to fit the size limit; they are in results.json and speed.csv._`);
    }
    out.push(foot);
    return out.join('\n\n') + '\n';
  };

  let out = assemble(samples.length, true);
  if (out.length <= maxLength) return out;
  // binary search the number of raw rows that fits
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (assemble(mid, true).length <= maxLength) lo = mid;
    else hi = mid - 1;
  }
  if (lo > 0) return assemble(lo, true);
  out = assemble(null, true);
  if (out.length <= maxLength) return out;
  out = assemble(null, false);
  if (out.length <= maxLength) return out;
  const tail = '\n\n_… report cut to fit the size limit; the full data is in results.json._\n';
  return out.slice(0, Math.max(0, maxLength - tail.length)) + tail;
}
