/**
 * Mermaid `xychart-beta` blocks for the report (GitHub draws them in PR comments and job summaries). PURE.
 * What GitHub's mermaid renders reliably: every label quoted, one bar series per chart, a table beside every chart.
 * Charts that are meant to be compared share one value axis (the caller passes the same `max`).
 */
import { mermaidLabel } from '../core/escape.js';
import { decimal } from './format.js';

/** Labels are escaped with the other escapes of text from outside (core/escape.ts). */
export { mermaidLabel };

/** A round upper bound for a value axis: 10 % headroom, then the next of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × a power of ten. */
export function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const target = v * 1.1;
  const mag = 10 ** Math.floor(Math.log10(target));
  for (const step of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (step * mag >= target) return Number((step * mag).toPrecision(12));
  return 10 * mag;
}

/** Values on the charts round as the tables beside them do. */
const value = (v: number): string => decimal(v, 1);

/** Bars: a mid blue that dark (light theme) and light (dark theme) value labels both read on; mermaid's default is near-white. */
const BAR_COLOUR = '#6CA6D9';

/** A series colour and its name in words (the text legend under a chart names it: no emoji, which fonts may lack). */
export interface SeriesColour {
  hex: string;
  name: string;
}

/**
 * Line (and box) colours, in order: Okabe–Ito's colour-blind-safe palette, named as a reader would say them. Mermaid's
 * xychart draws a legend only in newer versions, so the report also names each line's colour in a sentence.
 */
export const SERIES_COLOURS: readonly SeriesColour[] = [
  { hex: '#0072B2', name: 'blue' },
  { hex: '#E69F00', name: 'orange' },
  { hex: '#009E73', name: 'green' },
  { hex: '#D55E00', name: 'red' },
  { hex: '#CC79A7', name: 'pink' },
  { hex: '#F0E442', name: 'yellow' },
  { hex: '#8B5A2B', name: 'brown' },
  { hex: '#000000', name: 'black' },
];

function fence(frontmatter: string[], body: string[]): string {
  return ['```mermaid', '---', ...frontmatter, '---', ...body, '```'].join('\n');
}

/**
 * Horizontal bars, one per label, values printed on the bars, on a value axis 0 → `max` (shared by the report's bar
 * charts so that 13 ms and 209 ms look it). Height grows with the number of bars so labels never overprint.
 */
export function barChart(opts: { title: string; axis: string; labels: string[]; values: number[]; max: number }): string {
  const height = Math.max(160, 70 + 36 * opts.labels.length);
  return fence(
    [
      'config:',
      '  xyChart:',
      '    width: 700',
      `    height: ${height}`,
      '    showDataLabel: true',
      '  themeVariables:',
      '    xyChart:',
      `      plotColorPalette: "${BAR_COLOUR}"`,
    ],
    [
      'xychart-beta horizontal',
      `  title "${mermaidLabel(opts.title, 100)}"`,
      `  x-axis [${opts.labels.map((l) => `"${mermaidLabel(l)}"`).join(', ')}]`,
      `  y-axis "${mermaidLabel(opts.axis)}" 0 --> ${opts.max}`,
      `  bar [${opts.values.map(value).join(', ')}]`,
    ],
  );
}

/**
 * One line per series over the same x labels, coloured `colours` (hex, in order; default SERIES_COLOURS). With `titles`
 * each line is named (`line "name" [...]`): mermaid versions that draw an xychart legend show it; older ones ignore it.
 */
export function lineChart(opts: {
  title: string;
  axis: string;
  x: string[];
  series: number[][];
  max: number;
  height?: number;
  titles?: string[];
  colours?: string[];
}): string {
  if (opts.series.length > SERIES_COLOURS.length) throw new Error(`lineChart: at most ${SERIES_COLOURS.length} series`);
  const palette = (opts.colours ?? SERIES_COLOURS.map((c) => c.hex)).slice(0, opts.series.length).join(', ');
  const name = (i: number): string => (opts.titles?.[i] === undefined ? '' : `"${mermaidLabel(opts.titles[i]!)}" `);
  return fence(
    [
      'config:',
      '  xyChart:',
      '    width: 700',
      `    height: ${opts.height ?? 400}`,
      '  themeVariables:',
      '    xyChart:',
      `      plotColorPalette: "${palette}"`,
    ],
    [
      'xychart-beta',
      `  title "${mermaidLabel(opts.title, 100)}"`,
      `  x-axis [${opts.x.map((l) => `"${mermaidLabel(l)}"`).join(', ')}]`,
      `  y-axis "${mermaidLabel(opts.axis)}" 0 --> ${opts.max}`,
      ...opts.series.map((s, i) => `  line ${name(i)}[${s.map(value).join(', ')}]`),
    ],
  );
}
