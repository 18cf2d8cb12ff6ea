/**
 * The "Trend" section of the report (job summary and PR comment) when a history exists: per function × memory size,
 * the median of the last default-branch runs against this run, a table, and small mermaid line charts of recent
 * medians. Also the body of the drift issue. Pure.
 */
import { markdownTable } from 'markdown-table';
import { assessDrift, DRIFT_WINDOW, type Drift, type SeriesDrift } from '../history/drift.js';
import { seriesKey, strategyOf, type HistoryEntry, type HistoryRow } from '../history/model.js';
import { median } from '../results/stats.js';
import { lineChart, niceMax } from './charts.js';
import { markdownLink } from '../core/escape.js';
import { escapeMarkdown, ms, signedPct } from './format.js';

export interface TrendInput {
  /** Earlier default-branch runs, oldest first (this run not included). */
  history: HistoryEntry[];
  /** This run. */
  current: HistoryEntry;
  /** Link to the history (its folder in the branch), when known. */
  historyUrl?: string;
  /** The `fail-on-regression` fraction: the drift rule's minimum margin (0 when empty). */
  threshold?: number;
}

/** Earlier runs whose median the table compares with. */
export const TREND_RUNS = 10;
/** Points per chart (this run included). */
export const TREND_CHART_POINTS = 20;
/** At most this many charts; the table has every series. */
export const TREND_MAX_CHARTS = 6;

function where(r: HistoryRow, showStrategy: boolean): string {
  return `${r.memory} MB${showStrategy ? ` (${strategyOf(r)})` : ''}`;
}

/** "10-31" (UTC month-day), suffixed "10-31 (2)" when two runs share a day, so every x label is distinct. */
function dayLabels(entries: HistoryEntry[]): string[] {
  const seen = new Map<string, number>();
  return entries.map((e) => {
    const day = e.time.slice(5, 10);
    const n = (seen.get(day) ?? 0) + 1;
    seen.set(day, n);
    return n === 1 ? day : `${day} (${n})`;
  });
}

function chart(r: HistoryRow, past: { entry: HistoryEntry; row: HistoryRow }[], showStrategy: boolean): string {
  const shown = past.slice(-(TREND_CHART_POINTS - 1));
  const labels = [...dayLabels(shown.map((p) => p.entry)), 'this run'];
  const values = [...shown.map((p) => p.row.p50), r.p50];
  return lineChart({
    title: `${r.function} at ${where(r, showStrategy)}: median init, ms`,
    axis: 'Init (ms)',
    x: labels,
    series: [values],
    max: niceMax(Math.max(...values)),
    height: 260,
  });
}

const pctAbove = (ratio: number): string => signedPct(ratio);

/**
 * The drift rule's state of one series (history/drift.ts assessDrift), with the figures it rests on: "within (+2.0 %
 * vs the centre; limit +23.5 %)", "▲ above (drift if the next run confirms)", "▲ drift", or "not judged: why".
 */
export function driftStateText(s: SeriesDrift): string {
  if (s.state === 'not judged' || s.band === null) return `not judged: ${s.reason ?? 'no earlier runs'}`;
  const vs = `${pctAbove(s.ratio)} vs the centre`;
  if (s.state === 'drift') {
    const limit = s.confirmed ? s.band.confirm : s.band.alone;
    return `▲ drift (${vs}; limit ${pctAbove(limit)}${s.confirmed ? ', confirmed by the run before' : ''})`;
  }
  if (s.state === 'above') return `▲ above (${vs}; drift if the next run confirms)`;
  return `within (${vs}; limit ${pctAbove(s.band.confirm)})`;
}

/** "the median init lies +31.2% above the recent runs' centre (limit +20.0%)": one drifting series, as the issue and the log say it. */
export function driftClause(d: Drift): string {
  if (d.band === undefined) return `the median init lies ${signedPct(1 + d.change)} above the recent runs' typical range`;
  const limit = d.confirmed ? d.band.confirm : d.band.alone;
  return `the median init lies ${signedPct(d.p50 / d.band.center)} above the recent runs' centre (limit ${signedPct(limit)}${d.confirmed ? ', confirmed by the run before' : ''})`;
}

/**
 * The Trend section: `text` (a `### Trend` heading and the table) and, apart, its mermaid `charts` (the last one followed
 * by the note about charts left out, if any) — parts the report drops, like its other charts, to fit the size limit.
 */
export interface TrendSection {
  text: string;
  charts: string[];
}

/** The section as report parts: its charts marked `chart`, so the report's size fitting drops them with the others. */
export function trendParts(t: TrendSection): { text: string; chart?: true }[] {
  return [{ text: t.text }, ...t.charts.map((text) => ({ text, chart: true as const }))];
}

export function renderTrend(input: TrendInput): TrendSection {
  const { history, current } = input;
  const head = '### Trend';
  const link = input.historyUrl ? ` (${markdownLink('history', input.historyUrl)})` : '';
  if (history.length === 0) {
    return {
      text: `${head}\n\n_No earlier run on the default branch in the history yet: the trend starts with the next one${link}._`,
      charts: [],
    };
  }
  const showStrategy = new Set(current.rows.map(strategyOf)).size > 1;
  // assessDrift judges current.rows in their order
  const states = assessDrift(history, current, input.threshold ?? 0);
  const judged = new Map(current.rows.map((r, i) => [seriesKey(r), states[i]!]));
  const rows: string[][] = [];
  const charts: string[] = [];
  for (const r of [...current.rows].sort((a, b) => a.memory - b.memory || a.function.localeCompare(b.function))) {
    const key = seriesKey(r);
    const past = history.flatMap((entry) => entry.rows.filter((x) => seriesKey(x) === key).map((row) => ({ entry, row })));
    const state = judged.get(key);
    const stateText = state === undefined ? '–' : driftStateText(state);
    if (past.length === 0) {
      rows.push([escapeMarkdown(r.function), where(r, showStrategy), '0', '–', ms(r.p50), 'new', stateText]);
      continue;
    }
    const recent = past.slice(-TREND_RUNS);
    const before = median(recent.map((p) => p.row.p50));
    rows.push([
      escapeMarkdown(r.function),
      where(r, showStrategy),
      String(recent.length),
      ms(before),
      ms(r.p50),
      signedPct(r.p50 / before),
      escapeMarkdown(stateText),
    ]);
    if (charts.length < TREND_MAX_CHARTS && past.length >= 2) charts.push(chart(r, past, showStrategy));
  }
  const header = ['Function', 'Memory', 'Earlier runs', 'Their median init p50 (ms)', 'This run (ms)', 'Change', 'Drift rule'];
  const table = markdownTable([header, ...rows], { align: ['l', 'l', 'r', 'r', 'r', 'r', 'l'] });
  const intro =
    `Median init of this run against the median of the last ${TREND_RUNS} default-branch runs in the history${link}. ` +
    `Drift rule: this run's median against the centre and spread of the last ${DRIFT_WINDOW} runs' medians — ▲ drift beyond the limit of one run alone, ` +
    'or beyond the threshold with the run before above its limit too; ▲ above = beyond the lower limit, drift if the next run confirms.';
  if (rows.length > charts.length && charts.length > 0) {
    charts.push(`${charts.pop()!}\n\n_Charts for the first ${charts.length + 1} series; the dashboard has all._`);
  }
  return { text: [head, intro, table].join('\n\n'), charts };
}

/**
 * The drift issue's body. `causes`: per function, what changed besides the code in the runs compared ("the runtime
 * version changed on 10-21 (python:3.12.v41 → python:3.12.v42)").
 */
export function renderDriftIssue(
  name: string,
  drift: Drift[],
  opts: { runUrl?: string; historyUrl?: string; threshold: number; causes?: { function: string; changes: string[] }[] },
): string {
  const rows = drift.map((d) => [
    escapeMarkdown(d.function),
    `${d.memory} MB${d.strategy === 'sequential' ? '' : ` (${d.strategy})`}`,
    `${ms(d.p50)} (${ms(d.ci[0])}–${ms(d.ci[1])})`,
    d.band === undefined ? '–' : ms(d.band.center),
    d.band === undefined ? signedPct(1 + d.change) : signedPct(d.p50 / d.band.center),
    d.band === undefined ? '–' : signedPct(d.confirmed ? d.band.confirm : d.band.alone),
    d.confirmed ? 'with the run before' : 'this run alone',
    String(d.runs),
  ]);
  const links = [
    opts.runUrl ? markdownLink('the run', opts.runUrl) : '',
    opts.historyUrl ? markdownLink('the history', opts.historyUrl) : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const first = drift[0];
  const lead =
    drift.length === 1 && first !== undefined
      ? `Cold starts of **${escapeMarkdown(name)}** drifted: at ${first.memory} MB, ${escapeMarkdown(first.function)}: ${driftClause(first)}.`
      : `Cold starts of **${escapeMarkdown(name)}** drifted in ${drift.length} series: in each, the median init lies above the recent runs' centre beyond its limit.`;
  return [
    lead,
    markdownTable(
      [
        [
          'Function',
          'Memory',
          'This run p50 (95 % CI), ms',
          "Recent runs' centre, ms",
          'Above it by',
          'Limit',
          'Judged on',
          'Runs compared',
        ],
        ...rows,
      ],
      { align: ['l', 'l', 'r', 'r', 'r', 'r', 'l', 'r'] },
    ),
    ...causesParagraph(opts.causes ?? []),
    `Centre = the mean of the recent runs' log medians, trimmed; the limits come from their spread (a robust standard deviation) and are never below fail-on-regression (${Math.round(opts.threshold * 1000) / 10} %): drift is a run beyond the higher limit alone, or two runs in a row beyond the lower one on average. This issue is updated by each scheduled run and closed when the drift is gone.${links ? ` See ${links}.` : ''}`,
  ].join('\n\n');
}

/** What changed besides the code in the runs the drift was judged against, per function: the likely causes. */
function causesParagraph(causes: readonly { function: string; changes: string[] }[]): string[] {
  const named = causes.filter((c) => c.changes.length > 0);
  if (named.length === 0) return [];
  const lines = named.map((c) => `- ${escapeMarkdown(c.function)}: ${escapeMarkdown(c.changes.join('; '))}`);
  return [`Changed besides the code in the runs compared:\n${lines.join('\n')}`];
}
