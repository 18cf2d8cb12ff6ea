/**
 * The demo's dashboard: a few nightly runs, simulated against the emulator the demo already runs (the same functions,
 * measured for real by the same engine as `lambda-coldstart measure`, each dated one night earlier), then the demo's
 * own run as tonight's — turned into history.json and its dashboard (index.html), as a scheduled workflow with
 * `history:` keeps them in a branch.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { INPUT_DEFAULTS, type InputName } from '../src/config/inputs.js';
import { DEFAULT_HISTORY_LIMIT } from '../src/config/limits.js';
import { loadConfig } from '../src/config/parse.js';
import { appendEntry, emptyHistory, entryFromResults, roundEntry } from '../src/history/build.js';
import { toHistoryJson } from '../src/history/json.js';
import { DASHBOARD_FILE, HISTORY_FILE, type HistoryEntry } from '../src/history/model.js';
import type { Logger } from '../src/core/logger.js';
import { renderDashboard } from '../src/report/dashboard.js';
import type { RunResults } from '../src/results/model.js';
import { measureRun } from '../src/run/measure-run.js';

const DAY_MS = 24 * 3600 * 1000;
const quiet: Logger = { info: () => undefined, warning: () => undefined, notice: () => undefined, group: () => undefined };

/** Nightly at 03:00 UTC, `daysAgo` nights before `today`. */
function night(today: Date, daysAgo: number): string {
  const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate(), 3) - daysAgo * DAY_MS);
  return d.toISOString();
}

function entry(results: RunResults, time: string): HistoryEntry {
  return { ...roundEntry(entryFromResults(results, { commit: 'demo', branch: 'main', event: 'schedule' })), time };
}

export interface DemoHistory {
  history: string;
  dashboard: string;
  runs: number;
}

/**
 * `nights` runs of `functions` (memory sizes as the demo's run, 2 cold starts each, read from the invoke's log tail: no
 * ingestion to wait for; the emulator's whole control-plane quota, as no one else uses it), then `tonight` (the demo's
 * run); written to `dir`. The process must point the AWS SDK at the
 * emulator (AWS_ENDPOINT_URL and dummy credentials), as the demo's environment does.
 */
export async function nightlyHistory(opts: {
  functions: string[];
  memory: string;
  nights: number;
  tonight: RunResults;
  dir: string;
  region: string;
  today?: Date;
}): Promise<DemoHistory> {
  const today = opts.today ?? new Date();
  const inputs: Partial<Record<InputName, string>> = {
    functions: opts.functions.join(','),
    memory: opts.memory,
    repetitions: '2',
    'report-source': 'tail',
    'api-rate': '15',
  };
  const config = loadConfig((name) => inputs[name] ?? INPUT_DEFAULTS[name]);
  let history = emptyHistory('lambda-coldstart demo');
  for (let i = opts.nights; i >= 1; i--) {
    const measured = await measureRun(config, {
      region: opts.region,
      log: quiet,
      onCancel: () => undefined,
      onUndoState: () => undefined,
    });
    history = appendEntry(history, entry(measured.results, night(today, i)), DEFAULT_HISTORY_LIMIT);
  }
  history = appendEntry(history, entry(opts.tonight, night(today, 0)), DEFAULT_HISTORY_LIMIT);
  const files = { history: join(opts.dir, HISTORY_FILE), dashboard: join(opts.dir, DASHBOARD_FILE) };
  await writeFile(files.history, toHistoryJson(history));
  await writeFile(files.dashboard, renderDashboard(history));
  return { ...files, runs: history.entries.length };
}
