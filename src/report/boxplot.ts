/**
 * boxplot.svg: like the study's ggplot (`aes(y = init, x = Name) + geom_boxplot() + ylim(0, NA)`): init of the cold
 * samples per function as box plots, one panel per memory size (and strategy), y axis in ms from 0. Rendered with
 * Vega-Lite → Vega → SVG in Node (renderer 'none': no canvas, no browser). Self-contained: no scripts, no remote fonts.
 * Pure apart from the libraries.
 */
import { logger, None, parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { RunResults } from '../results/model.js';
import { coldInit } from '../results/stats.js';

interface Point {
  function: string;
  panel: string;
  memory: number;
  init: number;
}

/** The Vega-Lite spec of the chart (exported for tests and for users who want to restyle it). */
export function boxplotSpec(results: RunResults): TopLevelSpec {
  const strategies = new Set(results.samples.filter((s) => coldInit(s) !== null).map((s) => s.strategy));
  const data: Point[] = results.samples.flatMap((s) => {
    const v = coldInit(s);
    if (v === null) return [];
    const panel = `${s.memory} MB${strategies.size > 1 ? ` · ${s.strategy}` : ''}`;
    return [{ function: s.function, panel, memory: s.memory, init: v }];
  });
  // function order: by overall median init, fastest first (as in the report's tables)
  const order = [...new Set(data.map((d) => d.function))];
  const med = new Map<string, number>();
  for (const f of order) {
    const v = data
      .filter((d) => d.function === f)
      .map((d) => d.init)
      .sort((a, b) => a - b);
    med.set(f, v[Math.floor((v.length - 1) / 2)] ?? 0);
  }
  order.sort((a, b) => med.get(a)! - med.get(b)!);
  const panels = [...new Set(data.map((d) => d.panel))].sort(
    (a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10) || a.localeCompare(b),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Lambda cold start: Init Duration per function', anchor: 'start' },
    data: { values: data },
    facet: { column: { field: 'panel', type: 'ordinal', title: null, sort: panels } },
    spec: {
      width: { step: 44 },
      height: 280,
      mark: { type: 'boxplot', extent: 1.5, size: 24, median: { color: 'black' } },
      encoding: {
        x: {
          field: 'function',
          type: 'nominal',
          sort: order,
          title: null,
          axis: { labelAngle: -35, labelLimit: 300 },
        },
        y: {
          field: 'init',
          type: 'quantitative',
          title: 'Init Duration (ms)',
          scale: { zero: true, domainMin: 0, nice: true },
        },
        color: { field: 'function', type: 'nominal', sort: order, legend: null, scale: { scheme: 'tableau10' } },
      },
    },
    resolve: { scale: { x: 'independent' } },
    config: {
      font: 'sans-serif',
      view: { stroke: '#ddd' },
      background: 'white',
    },
  } as TopLevelSpec;
}

/** Render the box plots as a standalone SVG string. Without any cold sample, a small SVG saying so. */
export async function renderBoxplot(results: RunResults): Promise<string> {
  if (!results.samples.some((s) => coldInit(s) !== null)) {
    return (
      '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="40">' +
      '<text x="10" y="25" font-family="sans-serif" font-size="14">No cold start was measured.</text></svg>'
    );
  }
  const quiet = logger(None);
  const vg = compile(boxplotSpec(results), { logger: quiet }).spec;
  const view = new View(parse(vg), { renderer: 'none', logger: quiet });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
