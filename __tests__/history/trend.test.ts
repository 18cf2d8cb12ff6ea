import { describe, expect, it } from 'vitest';
import { renderDriftIssue, renderTrend, TREND_MAX_CHARTS, type TrendInput } from '../../src/report/trend.js';
import { driftBand, judgeDrift } from '../../src/history/drift.js';
import { renderReport } from '../../src/report/markdown.js';
import { entryFromResults } from '../../src/history/build.js';
import { entry, row } from '../helpers/history-fixtures.js';
import { coldSamples, fnInfo, makeResults } from '../helpers/results-fixtures.js';

const past = [100, 104, 98, 102, 101, 99, 103, 97, 100, 102, 300].map((p, i) =>
  entry(i, [row('api', 256, p), row('go', 128, 40 + (i % 3))]),
);

/** The section as the report prints it when nothing is dropped. */
const whole = (input: TrendInput) => {
  const t = renderTrend(input);
  return [t.text, ...t.charts].join('\n\n');
};

describe('renderTrend', () => {
  it('compares this run with the median of the last 10 earlier runs, per function and memory size, with a line chart each', () => {
    const current = entry(20, [row('api', 256, 130), row('go', 128, 41), row('fresh', 128, 10)]);
    const md = whole({ history: past, current, historyUrl: 'https://github.com/o/r/tree/h' });
    expect(
      md.startsWith(
        '### Trend\n\nMedian init of this run against the median of the last 10 default-branch runs in the history ([history](https://github.com/o/r/tree/h)).',
      ),
    ).toBe(true);
    const lines = md.split('\n');
    const cells = (fn: string) =>
      lines
        .find((l) => l.startsWith(`| ${fn} `))!
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
    // the last 10 of api: 104 98 102 101 99 103 97 100 102 300 → median 101.5; 130 / 101.5 = +28.1 %
    // the drift rule's state: against the trimmed centre of the last 10 log medians (the 300 outlier barely moves it)
    expect(cells('api')).toEqual(['api', '256 MB', '10', '101.5', '130.0', '+28.1%', '▲ drift (+28.5% vs the centre; limit +10.7%)']);
    expect(cells('go')).toEqual(['go', '128 MB', '10', '41.0', '41.0', '+0.0%', 'within (+0.0% vs the centre; limit +6.2%)']);
    expect(cells('fresh')).toEqual([
      'fresh',
      '128 MB',
      '0',
      '–',
      '10.0',
      'new',
      'not judged: 0 earlier run(s) with this function, memory size and strategy; 3 needed',
    ]);
    // with fail-on-regression, its margin is the smallest limit
    expect(whole({ history: past, current, threshold: 0.15 })).toMatch(/\| ▲ drift \(\+28\.5% vs the centre; limit \+15\.0%\) +\|/);
    const charts = md.split('```mermaid').slice(1);
    expect(charts).toHaveLength(2);
    const api = charts.find((c) => c.includes('api at 256 MB'))!;
    expect(api).toContain('xychart-beta');
    expect(api).toContain('"10-01", "10-02"');
    expect(api).toMatch(/"10-11", "this run"\]/);
    expect(api).toContain('line [100.0, 104.0, 98.0, 102.0, 101.0, 99.0, 103.0, 97.0, 100.0, 102.0, 300.0, 130.0]');
    expect(api).toContain('y-axis "Init (ms)" 0 --> 400');
  });

  it('says so when the history is still empty', () => {
    expect(renderTrend({ history: [], current: entry(0, [row('a', 128, 1)]) })).toEqual({
      text: '### Trend\n\n_No earlier run on the default branch in the history yet: the trend starts with the next one._',
      charts: [],
    });
  });

  it(`draws at most ${TREND_MAX_CHARTS} charts and keeps every series in the table`, () => {
    const fns = Array.from({ length: 9 }, (_, i) => `fn${i}`);
    const h = [0, 1, 2].map((i) =>
      entry(
        i,
        fns.map((f) => row(f, 128, 50)),
      ),
    );
    const md = whole({
      history: h,
      current: entry(
        9,
        fns.map((f) => row(f, 128, 55)),
      ),
    });
    expect(md.split('```mermaid')).toHaveLength(TREND_MAX_CHARTS + 1);
    expect(fns.every((f) => md.includes(`| ${f} `))).toBe(true);
    expect(md).toContain('_Charts for the first 6 series; the dashboard has all._');
  });

  it('two runs on one day get distinct x labels that survive mermaid\'s label cleaning: "10-01 (2)"', () => {
    const sameDay = [0, 0.2, 0.4, 1].map((d, i) => entry(d, [row('api', 256, 100 + i)]));
    const chart = renderTrend({ history: sameDay, current: entry(5, [row('api', 256, 101)]) }).charts[0]!;
    expect(chart).toContain('x-axis ["10-01", "10-01 (2)", "10-01 (3)", "10-02", "this run"]');
  });

  it('its charts are parts the report drops to fit the size limit, like its other charts; the table stays', () => {
    const results = makeResults([fnInfo('api')], coldSamples('api', 256, [100, 101, 102]));
    const trend = { history: past, current: entry(20, [row('api', 256, 101)]) };
    const full = renderReport(results, { trend });
    expect(full.split('```mermaid')).toHaveLength(3); // the report's bar chart and the trend's line chart
    const withoutCharts = full.replace(/\n\n```mermaid[\s\S]*?```/g, '');
    const fitted = renderReport(results, { trend, maxLength: withoutCharts.length + 200 });
    expect(fitted).not.toContain('```mermaid');
    expect(fitted).toContain('### Trend');
    expect(fitted).toMatch(/\| api +\| 256 MB +\| +10 \| +101\.5 \| +101\.0 \|/);
  });

  it('"This run" is rounded once, as in the report’s table (43.245 → 43.2, not 43.25 → 43.3)', () => {
    const results = makeResults([fnInfo('api')], coldSamples('api', 256, [40, 41, 42, 43, 43.24, 43.25, 44, 45, 46, 47]));
    const current = entryFromResults(results, { commit: 'c', branch: 'main', event: 'push' });
    const md = renderReport(results, { trend: { history: past, current } });
    const trend = md.slice(md.indexOf('### Trend'));
    const apiRow = trend.split('\n').find((l) => l.startsWith('| api '))!;
    expect(apiRow.split('|').map((c) => c.trim())[5]).toBe('43.2');
    expect(md.slice(0, md.indexOf('### Trend'))).toMatch(/\| api +\| nodejs20\.x \| x86\\_64 \| 10 \| +43\.2 \|/);
  });

  it('renderReport puts the Trend after the tables when given one, and nothing otherwise', () => {
    const results = makeResults([fnInfo('api')], coldSamples('api', 256, [100, 101, 102]));
    const current = entry(20, [row('api', 256, 101)]);
    const md = renderReport(results, { trend: { history: past, current } });
    expect(md.indexOf('### Trend')).toBeGreaterThan(md.indexOf('### 256 MB'));
    expect(renderReport(results)).not.toContain('### Trend');
  });
});

describe("renderTrend: the drift rule's states, and why a series is not judged", () => {
  const steady = [100, 102, 98, 101, 99, 103, 97, 100, 101, 99].map((p, i) => entry(i, [row('api', 256, p)]));
  const band = driftBand(
    steady.map((e) => e.rows[0]!),
    10,
    0,
  )!;
  const state = (p50: number, history = steady) =>
    renderTrend({ history, current: entry(20, [row('api', 256, p50)]) })
      .text.split('\n')
      .find((l) => l.startsWith('| api '))!
      .split('|')
      .at(-2)!
      .trim();

  it('above the lower limit alone: "above", drift if the next run confirms; beyond the higher one: drift', () => {
    expect(state(band.center * Math.sqrt(band.confirm * band.alone))).toMatch(
      /^▲ above \(\+\d+\.\d% vs the centre; drift if the next run confirms\)$/,
    );
    expect(state(band.center * band.alone * 1.05)).toMatch(/^▲ drift \(\+\d+\.\d% vs the centre; limit \+\d+\.\d%\)$/);
    expect(state(band.center)).toMatch(/^within \(\+0\.0% vs the centre; limit \+\d+\.\d%\)$/);
  });

  it('two earlier runs are too few: not judged, and why', () => {
    expect(state(150, steady.slice(0, 2))).toBe('not judged: 2 earlier run(s) with this function, memory size and strategy; 3 needed');
  });
});

describe('renderDriftIssue', () => {
  it("says how far the median init lies above the recent runs' centre, and the limit it crossed", () => {
    const history = [100, 102, 98, 101, 99, 103, 97, 100, 101, 99].map((p, i) => entry(i, [row('api', 256, p)]));
    const { drift } = judgeDrift(history, entry(20, [row('api', 256, 140)]), 0.15);
    const md = renderDriftIssue('nightly', drift, { runUrl: 'https://github.com/o/r/actions/runs/9', threshold: 0.15 });
    expect(md).toMatch(
      /^Cold starts of \*\*nightly\*\* drifted: at 256 MB, api: the median init lies \+40\.\d% above the recent runs' centre \(limit \+\d+\.\d%\)\./,
    );
    expect(md).toMatch(
      /\| api +\| 256 MB +\| +140\.0 \(133\.0–147\.0\) \| +\d+\.\d \| +\+40\.\d% \| +\+\d+\.\d% \| this run alone +\| +10 \|/,
    );
    expect(md).toContain('never below fail-on-regression (15 %)');
    expect(md).toContain('See [the run](https://github.com/o/r/actions/runs/9).');
  });
});

describe('links in the trend and the drift issue are http(s) only', () => {
  it('a history URL or run URL that is not http(s) is left out as a link', () => {
    const t = renderTrend({ history: [], current: entry(1, [row('a', 128, 10)]), historyUrl: 'javascript:alert(1)' });
    expect(t.text).toContain('(history)');
    expect(t.text).not.toContain('javascript:');
    const body = renderDriftIssue('n', [], { runUrl: 'vbscript:x', historyUrl: 'https://github.com/o/r/tree/h', threshold: 0.1 });
    expect(body).not.toContain('vbscript:');
    expect(body).toContain('[the history](https://github.com/o/r/tree/h)');
  });
});
