/**
 * Every mermaid block the report can contain goes through mermaid's own parser (mermaid needs a DOM: happy-dom's
 * window and document, set for this file only).
 * The fixtures cover one and many functions, one and many memory sizes, a sweep too wide for one chart, a baseline,
 * both strategies, hostile names and the history trend; every block renderReport returns for them is parsed, whatever section made it.
 */
import { readFileSync } from 'node:fs';
import { Window } from 'happy-dom';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/results/compare.js';
import { readSpeedCsv } from '../../src/results/csv.js';
import { renderReport, type ReportOptions } from '../../src/report/markdown.js';
import type { RunResults } from '../../src/results/model.js';
import { renderExamples } from '../../scripts/render-examples.js';
import { coldSamples, fnInfo, makeResults } from '../helpers/results-fixtures.js';
import { entry, row } from '../helpers/history-fixtures.js';

const seed = (f: string) => readSpeedCsv(readFileSync(new URL(`../fixtures/seed-data/${f}`, import.meta.url), 'utf8'), { name: f });

function sweep(functions: number, memories: number[]): RunResults {
  const names = Array.from({ length: functions }, (_, i) => `fn-${i}`);
  return makeResults(
    names.map((n) => fnInfo(n)),
    memories.flatMap((m) => names.flatMap((n, i) => coldSamples(n, m, [40 + i * 20 + 1000 / m, 41 + i * 20, 43 + i * 20]))),
  );
}

/** A function name that, raw in a chart, re-themes it (anywhere in a label) or breaks it (at a label's start). */
const DIRECTIVE = `%%{init: {"theme":"forest", "xyChart": {"width": 5}}}%%`;

const oneFn = makeResults([fnInfo('solo')], coldSamples('solo', 512, [120.5, 130.25, 128]));
const base = sweep(3, [128, 1024]);
const head = sweep(3, [128, 1024]);
const trendHistory = [100, 104, 98, 102, 101, 99, 103, 97, 100, 102].map((p, i) =>
  entry(i, [row('a"b`c', 256, p), row('go', 128, 40 + (i % 3))]),
);
const fixtures: [string, RunResults, ReportOptions][] = [
  [
    'trend from the history (hostile name too)',
    oneFn,
    { trend: { history: trendHistory, current: entry(20, [row('a"b`c', 256, 130), row('go', 128, 41)]) } },
  ],
  ['one function, one memory size', oneFn, {}],
  ['many functions, one memory size (the study, x86 128 MB)', seed('speed-x86-128.csv'), {}],
  ['memory sweep', sweep(4, [128, 512, 1024, 2048]), {}],
  ['memory sweep with more functions than line colours', sweep(10, [256, 1769]), {}],
  ['baseline', head, { baseline: compareRuns(base, head), baselineSource: { kind: 'file', path: 'base/results.json' } }],
  [
    'both strategies',
    makeResults(
      [fnInfo('a'), fnInfo('b')],
      [128, 256].flatMap((m) => [
        ...coldSamples('a', m, [100, 101, 102, 103, 104, 105]),
        ...coldSamples('a', m, [90, 91, 92, 93, 94, 95], { strategy: 'burst' }),
        ...coldSamples('b', m, [200, 201, 202, 203, 204, 205]),
      ]),
    ),
    {},
  ],
  [
    'hostile names',
    makeResults(
      [fnInfo('a"b`c<d>#e;f\\g'), fnInfo('x]y[z')],
      [...coldSamples('a"b`c<d>#e;f\\g', 128, [10, 11, 12]), ...coldSamples('x]y[z', 128, [20, 21, 22])],
    ),
    {},
  ],
  [
    'mermaid directives as names (a results.json from a baseline file or a shard)',
    makeResults(
      [fnInfo(DIRECTIVE), fnInfo(`x ${DIRECTIVE} y`)],
      [128, 256].flatMap((m) => [...coldSamples(DIRECTIVE, m, [10, 11, 12]), ...coldSamples(`x ${DIRECTIVE} y`, m, [20, 21, 22])]),
    ),
    {
      trend: {
        history: [0, 1, 2].map((i) => entry(i, [row(DIRECTIVE, 128, 10 + i)])),
        current: entry(9, [row(DIRECTIVE, 128, 11)]),
      },
    },
  ],
];

let mermaid: typeof import('mermaid').default;
beforeAll(async () => {
  const window = new Window();
  Object.assign(globalThis, { window, document: window.document });
  mermaid = (await import('mermaid')).default;
});

const blocks = (md: string): string[] => [...md.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('every mermaid block parses with mermaid itself', () => {
  it.each(fixtures)('%s', async (_name, results, opts) => {
    const found = blocks(renderReport(results, opts));
    expect(found.length).toBeGreaterThan(0);
    for (const b of found) {
      const parsed = await mermaid.parse(b);
      expect(parsed && parsed.diagramType).toBe('xychart');
      // only our frontmatter configures the chart: no directive from a name re-themes or resizes it
      expect(parsed && parsed.config).not.toHaveProperty('theme');
      expect(b).not.toContain('%%');
    }
  });

  it('the trend fixture does carry the trend’s own line charts', () => {
    const withTrend = blocks(renderReport(oneFn, fixtures[0]![2]));
    expect(withTrend.length - blocks(renderReport(oneFn, {})).length).toBe(2);
  });

  it('the example report (the study’s data: 8 functions, 2 memory sizes): 2 bar charts, 1 line chart', async () => {
    const found = blocks((await renderExamples()).report);
    expect(found.map((b) => (b.match(/^ {2}(bar|line) /gm) ?? []).join(','))).toEqual([
      '  bar ',
      '  bar ',
      '  line ,  line ,  line ,  line ',
    ]);
    for (const b of found) {
      const parsed = await mermaid.parse(b);
      expect(parsed && parsed.config).toBeDefined();
    }
    // the bar charts' frontmatter reaches mermaid: values on the bars
    const bar = await mermaid.parse(found[0]!);
    expect(bar && bar.config).toMatchObject({ xyChart: { showDataLabel: true } });
  });

  it('the parser is not a rubber stamp: a broken block is refused', async () => {
    await expect(mermaid.parse('xychart-beta\n  x-axis ["a", "b"\n  bar [1, 2]\n')).rejects.toThrow();
  });
});
