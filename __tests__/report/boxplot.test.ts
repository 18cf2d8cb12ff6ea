import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSpeedCsv } from '../../src/results/csv.js';
import { mergeRuns } from '../../src/results/json.js';
import { boxOf, boxplotModel, renderBoxplot } from '../../src/report/boxplot.js';
import { coldSamples, fnInfo, makeResults } from '../helpers/results-fixtures.js';

const seed = (f: string) => readFileSync(new URL(`../fixtures/seed-data/${f}`, import.meta.url), 'utf8');

describe('renderBoxplot', () => {
  it('renders a self-contained SVG: one panel per memory size, a box per function, y from 0 ms', async () => {
    const merged = mergeRuns([
      { results: readSpeedCsv(seed('speed-x86-128.csv')), shard: 'x86' },
      { results: readSpeedCsv(seed('speed-arm-1024.csv')), shard: 'arm' },
    ]);
    const svg = await renderBoxplot(merged);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).not.toMatch(/<script|<foreignObject|@import|url\(http|href="http/i);
    // panels and axis
    expect(svg).toContain('>128 MB</text>');
    expect(svg).toContain('>1024 MB</text>');
    expect(svg).toContain('>Init Duration (ms)</text>');
    expect(svg).toMatch(/>0<\/text>/);
    for (const f of ['hello-node', 'hello-py311', 'hello-runtime-al2', 'hello-runtime-go']) expect(svg).toContain(`>${f}</text>`);
    // one box per function × memory size measured
    const measured = new Set(merged.samples.map((s) => `${s.function}|${s.memory}`));
    expect(svg.match(/<g class="box">/g)).toHaveLength(measured.size);
  });

  it('orders functions fastest first and puts strategies in their own panels', () => {
    const r = makeResults(
      [fnInfo('slow'), fnInfo('fast')],
      [
        ...coldSamples('slow', 128, [200, 210, 220]),
        ...coldSamples('fast', 128, [50, 51, 52]),
        ...coldSamples('fast', 128, [40, 41, 42], { strategy: 'burst' }),
      ],
    );
    const model = boxplotModel(r);
    expect(model.functions).toEqual(['fast', 'slow']);
    expect(model.panels.map((p) => p.boxes.map((b) => b.function))).toEqual([['fast'], ['fast', 'slow']]);
    expect(model.yMax).toBeGreaterThanOrEqual(220); // the axis starts at 0 and reaches past the slowest sample
    expect(new Set(model.panels.map((p) => p.title))).toEqual(new Set(['128 MB · sequential', '128 MB · burst']));
    expect(model.panels.flatMap((p) => p.boxes).reduce((n, b) => n + b.n, 0)).toBe(9);
  });

  it('a box is the quartiles (interpolated, as ggplot), whiskers within 1.5 × IQR, points beyond', () => {
    expect(boxOf('f', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual({
      function: 'f',
      n: 10,
      q1: 3.25,
      median: 5.5,
      q3: 7.75,
      low: 1,
      high: 10,
      outliers: [],
    });
    const b = boxOf('f', [10, 11, 12, 13, 14, 40]);
    expect([b.low, b.high, b.outliers]).toEqual([10, 14, [40]]);
  });

  it('escapes hostile names and says so when nothing was measured', async () => {
    const evil = '<script>alert(1)</script>';
    const svg = await renderBoxplot(makeResults([fnInfo(evil)], coldSamples(evil, 128, [1, 2, 3])));
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    const empty = makeResults(
      [fnInfo('x')],
      coldSamples('x', 128, [1]).map((s) => ({ ...s, kind: 'error' as const, init: null })),
    );
    expect(await renderBoxplot(empty)).toContain('No cold start was measured.');
  });
});
