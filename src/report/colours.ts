/**
 * One colour per function for every chart of a report — the memory sweep's lines (report.md) and the box plots
 * (boxplot.svg) — so a function looks the same in both: fastest overall median first. PURE.
 */
import type { RunResults } from '../results/model.js';
import { coldInit, median } from '../results/stats.js';
import { SERIES_COLOURS, type SeriesColour } from './charts.js';

/** The functions that have a cold start, fastest overall median init first (ties: by name). */
export function colourOrder(results: RunResults): string[] {
  const inits = new Map<string, number[]>();
  for (const s of results.samples) {
    const v = coldInit(s);
    if (v !== null) inits.set(s.function, [...(inits.get(s.function) ?? []), v]);
  }
  const medians = new Map([...inits].map(([f, vs]) => [f, median(vs)]));
  return [...medians.keys()].sort((a, b) => medians.get(a)! - medians.get(b)! || a.localeCompare(b));
}

/** Each function's colour: SERIES_COLOURS in colourOrder (round again beyond the palette's length). */
export function functionColours(results: RunResults): Map<string, SeriesColour> {
  return new Map(colourOrder(results).map((f, i) => [f, SERIES_COLOURS[i % SERIES_COLOURS.length]!]));
}
