/**
 * report.md: the job summary and the PR comment share it. Pure: renders from RunResults alone.
 * Everything user-supplied (function names, notes, errors) goes through escapeMarkdown. No hidden marker here
 * (the GitHub code adds it).
 */
import { markdownTable } from 'markdown-table';
import type { BaselineRow } from '../results/compare.js';
import type { FunctionStats, RunResults, Sample, Strategy } from '../results/model.js';
import { compareStrategies, hasBothStrategies } from '../results/strategy-compare.js';
import { renderStrategyComparison } from './strategy-compare.js';
import { ciText, escapeMarkdown, ms, pText, ratioText, signedPct } from './format.js';
import { MIN_N_CI } from '../results/stats.js';
import { renderTrend, type TrendInput } from './trend.js';

export { escapeMarkdown } from './format.js';

export interface ReportOptions {
  /** Hard upper bound of the returned string's length (default 65,000: a PR comment holds 65,536). */
  maxLength?: number;
  runUrl?: string;
  artifactUrl?: string;
  /** Baseline comparison rows (compareRuns) to show as their own table. */
  baseline?: BaselineRow[];
  /** Shown in the title (e.g. the comment tag or a shard's name); 'default' (the comment-tag default) is not shown. */
  tag?: string;
  /** The history's trend (issue 13): a "Trend" section after the tables. */
  trend?: TrendInput;
}

export const DEFAULT_MAX_LENGTH = 65_000;

/** A label inside a mermaid string: no quotes, backticks, angle brackets or line breaks; at most 40 characters. */
function mermaidLabel(s: string, limit = 40): string {
  const clean = s
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/["`]/g, "'")
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/[#;\\]/g, ' ')
    .trim();
  return clean.length > limit ? `${clean.slice(0, limit - 1)}…` : clean;
}

function groupKey(s: { memory: number; strategy: Strategy }): string {
  return `${s.memory}|${s.strategy}`;
}

function groups(results: RunResults): { memory: number; strategy: Strategy; stats: FunctionStats[] }[] {
  const out = new Map<string, { memory: number; strategy: Strategy; stats: FunctionStats[] }>();
  for (const st of results.statistics) {
    const k = groupKey(st);
    let g = out.get(k);
    if (!g) out.set(k, (g = { memory: st.memory, strategy: st.strategy, stats: [] }));
    g.stats.push(st);
  }
  return [...out.values()].sort((a, b) => a.memory - b.memory || (a.strategy === 'sequential' ? -1 : 1));
}

function multiStrategy(results: RunResults): boolean {
  return new Set(results.statistics.map((s) => s.strategy)).size > 1;
}

function where(memory: number, strategy: Strategy, showStrategy: boolean): string {
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

/** Comparison sentences for one group (fastest first). */
function groupSentence(stats: FunctionStats[], label: string): string {
  const fastest = stats[0]!;
  const name = `**${escapeMarkdown(fastest.function)}**`;
  const n = fastest.init.n;
  if (stats.length === 1) {
    return `${name} cold-starts in ${ms(fastest.init.p50)} ms at ${label} (median init of ${n} cold start${n === 1 ? '' : 's'}).`;
  }
  const slower: string[] = [];
  const same: string[] = [];
  for (const st of stats.slice(1)) {
    const c = st.vsFastest;
    if (!c) continue;
    if (c.significant) {
      slower.push(`${ratioPhrase(c, slower.length === 0)} for ${escapeMarkdown(st.function)}`);
    } else {
      same.push(escapeMarkdown(st.function));
    }
  }
  let s = `${name} cold-starts fastest at ${label} (median init ${ms(fastest.init.p50)} ms).`;
  if (slower.length > 0) s += ` Compared with it, median init is ${listText(slower)}.`;
  if (same.length > 0) {
    s += ` ${listText(same)} ${same.length === 1 ? 'is' : 'are'} not significantly different.`;
  }
  return s;
}

/** One function's ratio to the fastest in one group: "7.30× (95% CI 3.74–13.07)", or "not significantly different". */
function ratioPhrase(c: NonNullable<FunctionStats['vsFastest']>, withLabel: boolean): string {
  if (!c.significant) return 'not significantly different';
  const ci = c.ratioCi ? ` (${withLabel ? '95% CI ' : ''}${ciText(c.ratioCi)})` : '';
  return `${ratioText(c.ratio)}${ci}`;
}

/** The same function is fastest in every group (a memory sweep): one sentence for it, one clause per other function. */
function sweepSentence(gs: { memory: number; strategy: Strategy; stats: FunctionStats[] }[], showStrategy: boolean): string {
  const fastest = gs[0]!.stats[0]!.function;
  const scope = showStrategy ? 'every memory size and strategy' : 'every memory size';
  const at = gs.map((g) => `${ms(g.stats[0]!.init.p50)} ms at ${where(g.memory, g.strategy, showStrategy)}`);
  let s = `**${escapeMarkdown(fastest)}** cold-starts fastest at ${scope} (median init ${listText(at)}).`;
  const others = [...new Set(gs.flatMap((g) => g.stats.slice(1).map((st) => st.function)))];
  let first = true;
  const clauses = others.map((fn) => {
    const per = gs.flatMap((g) => {
      const c = g.stats.find((st) => st.function === fn)?.vsFastest;
      if (!c) return [];
      const phrase = ratioPhrase(c, first && c.significant);
      if (c.significant) first = false;
      return [`${phrase} at ${where(g.memory, g.strategy, showStrategy)}`];
    });
    const allSame = per.every((p) => p.startsWith('not significantly different'));
    return allSame ? `${escapeMarkdown(fn)} not significantly different` : `${escapeMarkdown(fn)} ${listText(per)}`;
  });
  if (clauses.length > 0)
    s += ` Median init compared with it: ${clauses.slice(0, LIST_LIMIT).join('; ')}${clauses.length > LIST_LIMIT ? `; and ${clauses.length - LIST_LIMIT} more` : ''}.`;
  return s;
}

/**
 * The headline: which function cold-starts fastest at which memory size and how much slower the others are
 * (ratio of median init with its 95 % interval); differences are called out only when significant. A memory sweep
 * with one fastest function reads as one sentence; otherwise one sentence group per memory size (and strategy), at
 * most 4, then a pointer to the tables.
 */
export function headline(results: RunResults): string {
  const gs = groups(results);
  if (gs.length === 0) return 'No cold start was measured.';
  const showStrategy = multiStrategy(results);
  if (gs.length > 1 && gs.length <= 4 && gs.every((g) => g.stats.length > 1 && g.stats[0]!.function === gs[0]!.stats[0]!.function)) {
    return sweepSentence(gs, showStrategy);
  }
  const sentences = gs.slice(0, 4).map((g) => groupSentence(g.stats, where(g.memory, g.strategy, showStrategy)));
  if (gs.length > 4) sentences.push(`${gs.length - 4} more memory sizes in the tables below.`);
  return sentences.join(' ');
}

function vsCell(st: FunctionStats): string {
  const c = st.vsFastest;
  if (!c) return 'fastest';
  const ci = c.ratioCi ? ` (${ciText(c.ratioCi)})` : ` (n < ${MIN_N_CI}: no interval)`;
  return c.significant ? `**${ratioText(c.ratio)}**${ci}` : `${ratioText(c.ratio)}${ci} n.s.`;
}

function statsTable(stats: FunctionStats[]): string {
  const rows = stats.map((st) => [
    escapeMarkdown(st.function),
    escapeMarkdown(st.runtime),
    escapeMarkdown(st.architecture),
    String(st.init.n),
    ms(st.init.p50),
    ms(st.init.p90),
    `${ms(st.init.min)}–${ms(st.init.max)}`,
    ms(st.durationP50),
    ms(st.billedP50),
    st.maxMemory > 0 ? String(st.maxMemory) : '–',
    vsCell(st),
  ]);
  return markdownTable(
    [
      [
        'Function',
        'Runtime',
        'Arch',
        'n',
        'Init p50 (ms)',
        'Init p90 (ms)',
        'Init min–max (ms)',
        'Cold p50 (ms)',
        'Billed p50 (ms)',
        'Max mem (MB)',
        'vs fastest',
      ],
      ...rows,
    ],
    { align: ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'] },
  );
}

function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const target = v * 1.1;
  const mag = 10 ** Math.floor(Math.log10(target));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * mag >= target) return step * mag;
  return 10 * mag;
}

function barChart(title: string, labels: string[], values: number[]): string {
  const max = niceMax(Math.max(...values));
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${mermaidLabel(title, 100)}"`,
    `  x-axis [${labels.map((l) => `"${mermaidLabel(l)}"`).join(', ')}]`,
    `  y-axis "Init (ms)" 0 --> ${max}`,
    `  bar [${values.map((v) => v.toFixed(1)).join(', ')}]`,
    '```',
  ].join('\n');
}

/** True when the run sweeps memory: every function was measured at more than one memory size. */
function sweepsMemory(results: RunResults): boolean {
  const mem = new Map<string, Set<number>>();
  for (const st of results.statistics) {
    const set = mem.get(st.function) ?? new Set();
    set.add(st.memory);
    mem.set(st.function, set);
  }
  return mem.size > 0 && [...mem.values()].every((s) => s.size > 1);
}

/** Charts of median init: one per memory size, or one per function across memory sizes when the run sweeps memory. */
function charts(results: RunResults): string[] {
  const showStrategy = multiStrategy(results);
  if (sweepsMemory(results)) {
    const byFn = new Map<string, FunctionStats[]>();
    for (const st of results.statistics) {
      const k = JSON.stringify([st.function, st.strategy]);
      const list = byFn.get(k) ?? [];
      list.push(st);
      byFn.set(k, list);
    }
    return [...byFn.values()].map((list) => {
      list.sort((a, b) => a.memory - b.memory);
      const first = list[0]!;
      return barChart(
        `Median init of ${first.function}${showStrategy ? ` (${first.strategy})` : ''}, ms`,
        list.map((s) => `${s.memory} MB`),
        list.map((s) => s.init.p50),
      );
    });
  }
  return groups(results).map((g) =>
    barChart(
      `Median init at ${where(g.memory, g.strategy, showStrategy)}, ms`,
      g.stats.map((s) => s.function),
      g.stats.map((s) => s.init.p50),
    ),
  );
}

function num(v: number | null): string {
  return v === null ? '' : String(v);
}

function rawTable(samples: readonly Sample[]): string {
  const cols: [string, (s: Sample) => string, boolean][] = [
    ['Function', (s) => escapeMarkdown(s.function), true],
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
    ['Request ID', (s) => escapeMarkdown(s.requestId), samples.some((s) => s.requestId !== '')],
    ['Error', (s) => escapeMarkdown(s.error ?? ''), samples.some((s) => s.error !== undefined && s.error !== '')],
  ];
  const used = cols.filter((c) => c[2]);
  return markdownTable([used.map((c) => c[0]), ...samples.map((s) => used.map((c) => c[1](s)))], {
    alignDelimiters: false,
  });
}

/** The per-memory-size tables with their `### 128 MB` headings (what the CLI prints at the end of a run). */
export function renderTables(results: RunResults): string {
  const showStrategy = multiStrategy(results);
  const parts: string[] = [];
  for (const g of groups(results)) parts.push(`### ${where(g.memory, g.strategy, showStrategy)}`, statsTable(g.stats));
  return parts.length ? parts.join('\n\n') : 'No cold start was measured.';
}

/** Comparison with a baseline run: arrows ▲ slower, ▼ faster, = no significant change. */
export function renderComparisonTable(rows: BaselineRow[]): string {
  if (rows.length === 0) return '_Nothing to compare: the baseline and this run share no function and memory size._';
  const change = (r: BaselineRow): string => {
    if (r.verdict === 'new') return 'new';
    if (r.verdict === 'missing') return 'missing';
    const arrow = r.verdict === 'slower' ? '▲' : r.verdict === 'faster' ? '▼' : '=';
    return `${arrow} ${signedPct(r.ratio)}`;
  };
  const ci = (r: BaselineRow): string => (r.ratioCi ? `${signedPct(r.ratioCi[0])} to ${signedPct(r.ratioCi[1])}` : '–');
  return markdownTable(
    [
      ['Function', 'Memory (MB)', 'Base init p50 (ms)', 'Head init p50 (ms)', 'Change', '95% CI', 'p', 'Verdict'],
      ...rows.map((r) => [
        escapeMarkdown(r.function),
        String(r.memory),
        ms(r.baseP50),
        ms(r.headP50),
        change(r),
        ci(r),
        pText(r.pValue),
        r.verdict === 'slower' ? '**slower**' : r.verdict,
      ]),
    ],
    { align: ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'] },
  );
}

function footer(results: RunResults, opts: ReportOptions): string {
  const bits = [`lambda-coldstart ${escapeMarkdown(results.tool.version)}`];
  if (results.run.region) bits.push(escapeMarkdown(results.run.region));
  if (results.run.startedAt) bits.push(escapeMarkdown(results.run.startedAt));
  const runUrl = opts.runUrl ?? results.run.url;
  if (runUrl) bits.push(`[workflow run](${encodeURI(runUrl)})`);
  if (opts.artifactUrl) bits.push(`[results (speed.csv, results.json, boxplot.svg)](${encodeURI(opts.artifactUrl)})`);
  return (
    '<sub>Init = Init Duration (Restore Duration for SnapStart) of genuine cold starts; warm starts are retried, never counted. ' +
    'Cold = Duration of the cold invocation. vs fastest = ratio of median init with a 95% interval (Price–Bonett); ' +
    '**bold** = significant (Mann–Whitney p &lt; 0.05 and the interval excludes 1), n.s. = not significant. ' +
    'p90 needs n ≥ 10, an interval n ≥ 6 (below, the exact Mann–Whitney test alone decides).<br>' +
    bits.join(' · ') +
    '</sub>'
  );
}

/**
 * The whole report. Shortens the raw samples first, then drops them, then the charts, to stay under
 * `maxLength`; as a last resort cuts the text and says so.
 */
export function renderReport(results: RunResults, opts: ReportOptions = {}): string {
  const maxLength = opts.maxLength ?? DEFAULT_MAX_LENGTH;
  const showStrategy = multiStrategy(results);
  // the comment-tag input defaults to 'default': not worth a title
  const tag = opts.tag && opts.tag !== 'default' ? opts.tag : undefined;
  const title = `## Lambda cold starts${tag ? ` · ${escapeMarkdown(tag)}` : ''}`;
  const head: string[] = [title, headline(results)];
  // Which method produced the numbers, when it is not the study's one-update-per-sample (or when both were used).
  const strategies = new Set(results.samples.map((s) => s.strategy));
  if (strategies.has('burst')) {
    head.push(
      strategies.has('sequential')
        ? '_Sampled both ways: sequential (one configuration update per cold start) and burst (k concurrent invokes after one update); see the comparison below._'
        : '_Burst sampling: k concurrent invokes after one configuration update, each in its own new execution environment; warm responses were topped up, never counted._',
    );
  }
  if (opts.baseline) head.push('### Compared with the baseline', renderComparisonTable(opts.baseline));
  const tables: string[] = [];
  for (const g of groups(results)) {
    tables.push(`### ${where(g.memory, g.strategy, showStrategy)}`, statsTable(g.stats));
  }
  // issue 8: a run with both strategies (strategy: compare, or merged runs) gets the burst-vs-sequential section
  if (hasBothStrategies(results.samples)) {
    const section = renderStrategyComparison(compareStrategies(results.samples));
    if (section) tables.push(section);
  }
  if (opts.trend) tables.push(renderTrend(opts.trend));
  const failed = results.functions.filter((f) => f.failure);
  const chartBlocks = charts(results);
  const notes = results.notes.length ? ['### Notes', results.notes.map((n) => `- ${escapeMarkdown(n)}`).join('\n')] : [];
  if (failed.length && !results.notes.some((n) => failed.some((f) => n.startsWith(`${f.name}:`)))) {
    notes.push(failed.map((f) => `- ${escapeMarkdown(f.name)}: not measured: ${escapeMarkdown(f.failure ?? '')}`).join('\n'));
  }
  const foot = footer(results, opts);
  const samples = results.samples;

  const assemble = (rawRows: number | null, withCharts: boolean): string => {
    const parts = [...head, ...tables];
    if (withCharts && chartBlocks.length) parts.push(...chartBlocks);
    parts.push(...notes);
    if (rawRows !== null && samples.length > 0) {
      const shown = samples.slice(0, rawRows);
      const cut =
        shown.length < samples.length
          ? `\n\nShowing the first ${shown.length} of ${samples.length} samples to fit the size limit; all are in results.json and speed.csv${opts.artifactUrl ? ` ([download](${encodeURI(opts.artifactUrl)}))` : ''}.`
          : '';
      parts.push(
        `<details><summary>Raw samples (${samples.length}, including warm retries and errors)</summary>\n\n${shown.length ? rawTable(shown) : ''}${cut}\n\n</details>`,
      );
    } else if (samples.length > 0) {
      parts.push(`_Raw samples left out to fit the size limit; they are in results.json and speed.csv._`);
    }
    parts.push(foot);
    return parts.join('\n\n') + '\n';
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
