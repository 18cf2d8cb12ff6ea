/**
 * history.json: the bounded record of a benchmark's runs on the default branch (schema: schema/history.schema.json).
 * Summaries only — raw samples stay in each run's artifact. Pure types, no I/O.
 */
import type { SampleStrategy } from '../results/model.js';

export const HISTORY_SCHEMA_VERSION = 1;
/**
 * history.json is also kept below this size (the oldest runs dropped): GitHub's contents API returns a file's content
 * inline only up to 1 MB, and the dashboard embeds the whole file.
 */
export const MAX_HISTORY_BYTES = 900_000;
/**
 * The largest history.json read (from the branch, or a file for `lambda-coldstart dashboard`): room for the largest we write
 * re-indented by hand (2 to 3 times larger with 2 or 4 spaces); a larger one was not written by this tool and is refused,
 * unchanged, as such.
 */
export const HISTORY_FILE_MAX_BYTES = 4 * MAX_HISTORY_BYTES;
export const HISTORY_FILE = 'history.json';
export const DASHBOARD_FILE = 'index.html';

/** One function × memory size × strategy of one run. Durations in ms (rounded to 0.01). */
export interface HistoryRow {
  function: string;
  memory: number;
  /** Absent for sequential (the default), to keep the file small. */
  strategy?: 'burst';
  /** Cold samples. */
  n: number;
  /** Median Init Duration. */
  p50: number;
  /** null below 10 samples. */
  p90: number | null;
  /** Distribution-free 95 % interval of the median; null below 6 samples. */
  ci: [number, number] | null;
  mean: number;
  /** Median Duration of the cold invocations (handler time). */
  coldP50: number;
  billedP50: number;
}

export interface HistoryEntry {
  /** ISO-8601 start of the run. */
  time: string;
  commit: string;
  branch: string;
  event: string;
  runUrl?: string;
  region: string;
  /** Runtime and architecture of each function measured, and what else it ran on (absent in older entries). */
  functions: Record<string, HistoryFunction>;
  rows: HistoryRow[];
}

/** What a function ran on in one run: the causes beside its cold starts, so a change can be marked where it happened. */
export interface HistoryFunction {
  runtime: string;
  architecture: string;
  /** The runtime version INIT_START named (the last of the run), e.g. `python:3.12.v41`. */
  runtimeVersion?: string;
  /** Its ARN (from INIT_START, else GetFunction's RuntimeVersionConfig). */
  runtimeVersionArn?: string;
  /** Deployment package, bytes. */
  codeSize?: number;
  /** All its layers together, bytes. */
  layersSize?: number;
}

export interface History {
  schemaVersion: 1;
  /** The benchmark's name (titles the dashboard and the drift issue). */
  name: string;
  /** https://github.com/owner/repo — for links to commits. */
  repository?: string;
  /** Oldest first. */
  entries: HistoryEntry[];
}

/** The identity of a series across runs. */
export function seriesKey(r: Pick<HistoryRow, 'function' | 'memory' | 'strategy'>): string {
  return JSON.stringify([r.function, r.memory, strategyOf(r)]);
}

export function strategyOf(r: Pick<HistoryRow, 'strategy'>): SampleStrategy {
  return r.strategy ?? 'sequential';
}
