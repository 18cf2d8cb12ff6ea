/**
 * Everything a run writes, rendered from RunResults alone (so a report can be rebuilt later from results.json or
 * speed.csv). Pure: the caller writes the files.
 */
import { toSpeedCsv } from '../results/csv.js';
import { toResultsJson } from '../results/json.js';
import type { RunResults } from '../results/model.js';
import { renderBoxplot } from './boxplot.js';
import { renderReport, type ReportOptions } from './markdown.js';

export interface RenderedOutputs {
  /** report.md: the job summary and PR comment body (without the hidden marker). */
  'report.md': string;
  'speed.csv': string;
  'results.json': string;
  'boxplot.svg': string;
}

/** Render report.md, speed.csv, results.json and boxplot.svg. The keys are the file names to use. */
export function renderOutputs(results: RunResults, opts: ReportOptions = {}): RenderedOutputs {
  return {
    'report.md': renderReport(results, opts),
    'speed.csv': toSpeedCsv(results),
    'results.json': toResultsJson(results),
    'boxplot.svg': renderBoxplot(results),
  };
}
