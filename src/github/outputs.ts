/** The action's step outputs. Only defined values are set; names are the action.yml output ids. */
import * as core from '@actions/core';

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
  /** JSON list of drifts against the history (issue 13). */
  drift?: string;
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
};

export function setOutputs(o: ActionOutputs): void {
  for (const key of Object.keys(OUTPUT_NAMES) as (keyof ActionOutputs)[]) {
    const value = o[key];
    if (value !== undefined) core.setOutput(OUTPUT_NAMES[key], value);
  }
}
