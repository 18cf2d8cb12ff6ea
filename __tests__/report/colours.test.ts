/** A function has one colour in a report: its line in the memory sweep (report.md) and its boxes (boxplot.svg). */
import { describe, expect, it } from 'vitest';
import { renderBoxplot } from '../../src/report/boxplot.js';
import { renderReport } from '../../src/report/markdown.js';
import { coldSamples, fnInfo, makeResults } from '../helpers/results-fixtures.js';

/** py is the slowest at 128 MB but the fastest overall: the sweep's row order and the colour order differ. */
const results = makeResults(
  [fnInfo('go'), fnInfo('py'), fnInfo('node')],
  [
    ...coldSamples('go', 128, [60, 61, 62]),
    ...coldSamples('py', 128, [250, 251, 252]),
    ...coldSamples('node', 128, [200, 201, 202]),
    ...coldSamples('go', 1024, [90, 91, 92]),
    ...coldSamples('py', 1024, [20, 21, 22, 23, 24, 25]),
    ...coldSamples('node', 1024, [150, 151, 152]),
  ],
);

/** function → colour of its lines in the report's sweep chart (palette position = line position). */
function lineColours(md: string): Map<string, string> {
  const chart = md.split('### Median init by memory size')[1]!.match(/```mermaid\n([\s\S]*?)```/)![1]!;
  const palette = /plotColorPalette: "([^"]+)"/.exec(chart)![1]!.split(', ');
  const names = [...chart.matchAll(/^ {2}line "([^"]+)" \[/gm)].map((m) => m[1]!);
  return new Map(names.map((n, i) => [n, palette[i]!]));
}

/** function → fill of its boxes in the SVG (every box of a function has one). */
function boxColours(svg: string): Map<string, string> {
  const out = new Map<string, Set<string>>();
  for (const m of svg.matchAll(/<g class="box"><title>([^ ]+) · [^<]*<\/title>.*?<rect [^>]*fill="(#[0-9A-Fa-f]{6})"/g)) {
    out.set(m[1]!, (out.get(m[1]!) ?? new Set()).add(m[2]!));
  }
  return new Map([...out].map(([f, fills]) => [f, [...fills].join('|')]));
}

describe('colours', () => {
  it('the sweep’s lines and the box plots give each function the same colour, named in the legend', () => {
    const md = renderReport(results);
    const lines = lineColours(md);
    expect(boxColours(renderBoxplot(results))).toEqual(lines);
    expect(lines.get('py')).toBe('#0072B2'); // fastest overall: the first colour, whatever the row order
    expect(md).toContain('_Lines: go orange, node green, py blue._');
    expect(md).not.toMatch(/[\u{1F7E5}-\u{1F7EB}\u{2B1B}]/u); // no emoji squares anywhere
  });
});
