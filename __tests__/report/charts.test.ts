import { describe, expect, it } from 'vitest';
import { barChart, lineChart, mermaidLabel, niceMax, SERIES_COLOURS } from '../../src/report/charts.js';

describe('charts', () => {
  it('niceMax: a round axis end with some headroom, not double the data', () => {
    expect([niceMax(475.8), niceMax(164.6), niceMax(213), niceMax(9), niceMax(0.42), niceMax(0)]).toEqual([600, 200, 250, 10, 0.5, 1]);
  });

  it('mermaidLabel: no quote, backtick, angle bracket, hash, semicolon or backslash survives; long labels end in …', () => {
    expect(mermaidLabel('a"b`c<d>#e;f\\g')).toBe("a'b'c‹d› e f g");
    expect(mermaidLabel('x'.repeat(50))).toBe(`${'x'.repeat(39)}…`);
  });

  it('bar charts grow with their bars (labels never overprint); line charts take at most one colour per series', () => {
    const h = (n: number) =>
      Number(/height: (\d+)/.exec(barChart({ title: 't', axis: 'a', labels: Array(n).fill('f'), values: Array(n).fill(1), max: 2 }))![1]);
    expect([h(1), h(3), h(8), h(20)]).toEqual([160, 178, 358, 790]);
    const series = Array.from({ length: SERIES_COLOURS.length + 1 }, () => [1, 2]);
    expect(() => lineChart({ title: 't', axis: 'a', x: ['128 MB', '256 MB'], series, max: 3 })).toThrow(/at most 8 series/);
  });
});
