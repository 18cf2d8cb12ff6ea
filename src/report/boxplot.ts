/**
 * boxplot.svg: like the study's ggplot (`aes(y = init, x = Name) + geom_boxplot() + ylim(0, NA)`): the Init Duration of
 * the cold samples per function as box plots, one panel per memory size (and strategy, when a run has both), on one
 * y axis in ms from 0. Box = quartiles, the line in it = the median, whiskers = the furthest sample within 1.5 × IQR,
 * points = the samples beyond. Functions keep the report's colours (colours.ts: the sweep's lines have the same) and
 * its order (fastest median first). Drawn as plain SVG: self-contained, no scripts, no remote fonts. PURE.
 */
import type { RunResults } from '../results/model.js';
import { coldInit } from '../results/stats.js';
import { niceMax } from './charts.js';
import { functionColours } from './colours.js';
import { decimal } from './format.js';
import { coord, escapeXml } from './svg.js';

export interface Box {
  function: string;
  n: number;
  q1: number;
  median: number;
  q3: number;
  /** The whiskers' ends: the furthest samples within 1.5 × IQR of the box. */
  low: number;
  high: number;
  /** Samples beyond the whiskers. */
  outliers: number[];
}

export interface Panel {
  /** `128 MB`, or `128 MB · burst` when the run has both strategies. */
  title: string;
  boxes: Box[];
}

export interface BoxplotModel {
  /** Every function, fastest overall median first (the order of the boxes in each panel and of the colours). */
  functions: string[];
  panels: Panel[];
  /** The y axis runs from 0 to this, in ms. */
  yMax: number;
}

/** The value at quantile p of sorted values, interpolated between the closest ranks (R's type 7, as ggplot uses). */
function quantile(sorted: readonly number[], p: number): number {
  const at = (sorted.length - 1) * p;
  const lo = Math.floor(at);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

export function boxOf(fn: string, values: readonly number[]): Box {
  const sorted = [...values].sort((a, b) => a - b);
  const [q1, median, q3] = [0.25, 0.5, 0.75].map((p) => quantile(sorted, p)) as [number, number, number];
  const reach = 1.5 * (q3 - q1);
  const inside = sorted.filter((v) => v >= q1 - reach && v <= q3 + reach);
  return {
    function: fn,
    n: sorted.length,
    q1,
    median,
    q3,
    low: inside[0] ?? q1,
    high: inside.at(-1) ?? q3,
    outliers: sorted.filter((v) => v < q1 - reach || v > q3 + reach),
  };
}

/** The chart's content, without drawing: panels sorted by memory size, functions by overall median. */
export function boxplotModel(results: RunResults): BoxplotModel {
  const cold = results.samples.flatMap((s) => {
    const init = coldInit(s);
    return init === null ? [] : [{ s, init }];
  });
  const strategies = new Set(cold.map(({ s }) => s.strategy));
  const byFunction = new Map<string, number[]>();
  const byPanel = new Map<string, { memory: number; values: Map<string, number[]> }>();
  for (const { s, init } of cold) {
    byFunction.set(s.function, [...(byFunction.get(s.function) ?? []), init]);
    const title = `${s.memory} MB${strategies.size > 1 ? ` · ${s.strategy}` : ''}`;
    const panel = byPanel.get(title) ?? { memory: s.memory, values: new Map<string, number[]>() };
    panel.values.set(s.function, [...(panel.values.get(s.function) ?? []), init]);
    byPanel.set(title, panel);
  }
  const median = (f: string): number => boxOf(f, byFunction.get(f)!).median;
  const functions = [...byFunction.keys()].sort((a, b) => median(a) - median(b));
  const panels = [...byPanel]
    .sort(([ta, a], [tb, b]) => a.memory - b.memory || ta.localeCompare(tb))
    .map(([title, p]) => ({ title, boxes: functions.filter((f) => p.values.has(f)).map((f) => boxOf(f, p.values.get(f)!)) }));
  return { functions, panels, yMax: niceMax(Math.max(0, ...cold.map((c) => c.init))) };
}

const STEP = 44;
const BOX_WIDTH = 24;
const PLOT_HEIGHT = 280;
const PANEL_GAP = 16;
/** Room left of the first panel for the y axis's labels and title. */
const AXIS_WIDTH = 64;
const TOP = 56;
/** Function labels are tilted by this much (degrees), and cut at this many characters. */
const LABEL_ANGLE = 35;
const LABEL_MAX = 40;
const CHAR_WIDTH = 6.2;
/** Whiskers in a dark grey: the palette's light colours (yellow) would be lost as thin lines on white. */
const WHISKER = '#555';
const RADIANS = (LABEL_ANGLE * Math.PI) / 180;

/** Round tick values from 0 to yMax: about five, on 1, 2, 2.5 or 5 × a power of ten. */
function ticks(yMax: number): number[] {
  const raw = yMax / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  return Array.from({ length: Math.floor(yMax / step + 1e-9) + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

const label = (f: string): string => (f.length > LABEL_MAX ? `${f.slice(0, LABEL_MAX - 1)}…` : f);

function drawBox(b: Box, x: number, y: (v: number) => number, colour: string, where: string): string {
  const half = BOX_WIDTH / 2;
  const tip = `${b.function} · ${where}: median ${decimal(b.median)} ms, quartiles ${decimal(b.q1)}–${decimal(b.q3)} ms (n = ${b.n})`;
  return [
    `<g class="box"><title>${escapeXml(tip)}</title>`,
    `<line x1="${coord(x)}" x2="${coord(x)}" y1="${coord(y(b.low))}" y2="${coord(y(b.high))}" stroke="${WHISKER}"/>`,
    ...[b.low, b.high].map(
      (v) => `<line x1="${coord(x - half / 2)}" x2="${coord(x + half / 2)}" y1="${coord(y(v))}" y2="${coord(y(v))}" stroke="${WHISKER}"/>`,
    ),
    `<rect x="${coord(x - half)}" y="${coord(y(b.q3))}" width="${BOX_WIDTH}" height="${coord(Math.max(1, y(b.q1) - y(b.q3)))}" fill="${colour}" fill-opacity="0.6" stroke="${colour}"/>`,
    `<line x1="${coord(x - half)}" x2="${coord(x + half)}" y1="${coord(y(b.median))}" y2="${coord(y(b.median))}" stroke="black" stroke-width="2"/>`,
    ...b.outliers.map((v) => `<circle cx="${coord(x)}" cy="${coord(y(v))}" r="3" fill="none" stroke="${colour}" stroke-width="1.5"/>`),
    '</g>',
  ].join('');
}

function drawPanel(p: Panel, x0: number, y: (v: number) => number, colourOf: (f: string) => string, grid: number[]): string {
  const width = p.boxes.length * STEP;
  const parts = [
    `<text x="${coord(x0 + width / 2)}" y="${TOP - 8}" text-anchor="middle" font-weight="bold">${escapeXml(p.title)}</text>`,
    ...grid.map((t) => `<line x1="${x0}" x2="${x0 + width}" y1="${coord(y(t))}" y2="${coord(y(t))}" stroke="#eee"/>`),
    `<rect x="${x0}" y="${TOP}" width="${width}" height="${PLOT_HEIGHT}" fill="none" stroke="#ddd"/>`,
  ];
  p.boxes.forEach((b, i) => {
    const x = x0 + STEP * (i + 0.5);
    parts.push(drawBox(b, x, y, colourOf(b.function), p.title));
    parts.push(
      `<text transform="translate(${coord(x)},${TOP + PLOT_HEIGHT + 10}) rotate(-${LABEL_ANGLE})" text-anchor="end">${escapeXml(label(b.function))}</text>`,
    );
  });
  return parts.join('\n');
}

const EMPTY =
  '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="40">' +
  '<text x="10" y="25" font-family="sans-serif" font-size="14">No cold start was measured.</text></svg>';

/** The box plots as a standalone SVG string. Without any cold sample, a small SVG saying so. */
export function renderBoxplot(results: RunResults): string {
  const model = boxplotModel(results);
  if (model.panels.length === 0) return EMPTY;
  const y = (v: number): number => TOP + PLOT_HEIGHT * (1 - v / model.yMax);
  const colours = functionColours(results);
  const colourOf = (f: string): string => colours.get(f)?.hex ?? WHISKER;
  const grid = ticks(model.yMax);
  const longest = Math.max(...model.functions.map((f) => label(f).length));
  const height = Math.ceil(TOP + PLOT_HEIGHT + 24 + longest * CHAR_WIDTH * Math.sin(RADIANS));
  // The first tilted label reaches left of its box: the axis moves right far enough to keep it in view.
  const first = label(model.panels[0]!.boxes[0]!.function).length * CHAR_WIDTH * Math.cos(RADIANS) - STEP / 2 + 8;
  const left = Math.ceil(Math.max(AXIS_WIDTH, first));
  const panels: string[] = [];
  let x = left;
  for (const p of model.panels) {
    panels.push(drawPanel(p, x, y, colourOf, grid));
    x += p.boxes.length * STEP + PANEL_GAP;
  }
  const width = Math.max(x - PANEL_GAP + 16, 360);
  const title = 'Lambda cold start: Init Duration per function';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11" fill="#333">`,
    `<title>${title}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="8" y="20" font-size="14" font-weight="bold">${title}</text>`,
    `<text transform="translate(${left - 48},${TOP + PLOT_HEIGHT / 2}) rotate(-90)" text-anchor="middle">Init Duration (ms)</text>`,
    ...grid.map((t) => `<text x="${left - 6}" y="${coord(y(t) + 4)}" text-anchor="end">${t}</text>`),
    ...panels,
    '</svg>',
    '',
  ].join('\n');
}
