/** The action's step outputs. Only defined values are set; names are the action.yml output ids. */
import * as core from '@actions/core';
import type { FunctionStats, RunResults } from '../results/model.js';
import { regionOf } from '../results/cost-stats.js';
import { round } from '../report/format.js';

export interface ActionOutputs {
  /** Path of speed.csv. */
  csv?: string;
  /** Path of results.json. */
  json?: string;
  /** Path of report.md. */
  report?: string;
  /** Compact JSON: [{function, memory, n, p50, p90}] of init. */
  results?: string;
  /** Name of the fastest function. */
  fastest?: string;
  commentUrl?: string;
  artifactUrl?: string;
  /** JSON list of significant regressions beyond the threshold. */
  regressions?: string;
  /** JSON list of drifts against the history. */
  drift?: string;
  /** JSON list: [{function, memory, architecture, region, usdPerColdStart}]. */
  cost?: string;
}

export const OUTPUT_NAMES: Record<keyof ActionOutputs, string> = {
  csv: 'csv',
  json: 'json',
  report: 'report',
  results: 'results',
  fastest: 'fastest',
  commentUrl: 'comment-url',
  artifactUrl: 'artifact-url',
  regressions: 'regressions',
  drift: 'drift',
  cost: 'cost',
};

export function setOutputs(o: ActionOutputs): void {
  for (const key of Object.keys(OUTPUT_NAMES) as (keyof ActionOutputs)[]) {
    const value = o[key];
    if (value !== undefined) core.setOutput(OUTPUT_NAMES[key], value);
  }
}

/**
 * The `results` output: [{function, memory, strategy, n, p50, p90}] of init, in ms rounded as the report rounds them
 * (one decimal: 56.8, never 56.80500000000001). p90 is null below 10 cold starts, as in the report.
 */
export function resultsOutput(stats: readonly FunctionStats[]): string {
  return JSON.stringify(
    stats
      .filter((s) => s.init.n > 0)
      .map((s) => ({
        function: s.function,
        memory: s.memory,
        strategy: s.strategy,
        n: s.init.n,
        p50: round(s.init.p50, 1),
        p90: s.init.p90 === null ? null : round(s.init.p90, 1),
      })),
  );
}

/**
 * The `cost` output: [{function, memory, architecture, region, usdPerColdStart}] per function × memory size, where
 * usdPerColdStart is the median cost of one cold start in USD (4 significant digits), or null when the function has no
 * price (an unknown region or architecture: never a guess). A run with both strategies gives the sequential one's.
 */
export function costOutput(results: RunResults): string {
  const info = new Map(results.functions.map((f) => [f.name, f]));
  const rows = new Map<string, FunctionStats>();
  for (const st of results.statistics) {
    const key = JSON.stringify([st.function, st.memory]);
    const seen = rows.get(key);
    if (!seen || (seen.strategy !== 'sequential' && st.strategy === 'sequential')) rows.set(key, st);
  }
  return JSON.stringify(
    [...rows.values()].map((st) => ({
      function: st.function,
      memory: st.memory,
      architecture: st.architecture,
      region: regionOf(info.get(st.function), results.run.region) ?? null,
      usdPerColdStart: st.cost ? Number(st.cost.medianUsd.toPrecision(4)) : null,
    })),
  );
}
