import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { FunctionInfo } from '../results/model.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { MarkerRecord } from './marker.js';

export interface EngineDeps extends Clock {
  lambda: LambdaClient;
  logs: CloudWatchLogsClient;
  /** A fresh unique value for COLDSTART_NONCE (short: it counts against the 4 KB environment limit). */
  nonce(): string;
  log: Logger;
  /** Abort: stop starting new samples, undo, return what was measured. */
  signal?: AbortSignal;
  /**
   * Who is changing the functions (the GitHub run URL with its attempt, or a CLI run id): written into the undo record
   * of every function (marker.ts); a marker of another run is never overwritten. Default DEFAULT_RUN_ID.
   */
  runId?: string;
}

/** A function that passed preflight. */
export interface Target {
  /** As the user gave it. */
  input: string;
  info: FunctionInfo;
  revisionId: string;
  hadEnvironment: boolean;
  /** Size of the current environment variables as Lambda measures them (their JSON, UTF-8 bytes). */
  envBytes: number;
  /** The undo record of a run that died without undoing its change (stale marker): restored before measuring. */
  leftover?: MarkerRecord;
  /** False when the function's logs carry no REPORT (JSON format at system log level WARN): only the invoke tail has it. */
  reportsInLogs?: boolean;
}

/** What the post step needs to undo a run — never environment values. */
export interface UndoEntry {
  functionName: string;
  originalMemory: number;
  hadEnvironment: boolean;
  /** The memory size of the latest update we sent (or were about to send). */
  lastSetMemory?: number;
  /** Every memory size we may have set (undo restores memory only when the current one is among them). */
  setMemories?: number[];
  /** The memory someone else set during the run (we then measured at ours again): undo restores theirs, not the original. */
  outsideMemory?: number;
  /**
   * The RevisionIds our own UpdateFunctionConfiguration calls produced (the response's, and the one of the configuration
   * we waited for when it still shows what we wrote), most recent last (the engine's UndoTracker fills it). Undo restores
   * memory only when the function's current RevisionId is one of them, or when the function still carries our record and
   * the memory our last update set (marker.ts); any other change is someone else's and is kept.
   */
  ourRevisions?: string[];
}

export interface UndoState {
  version: 1;
  region: string;
  variable: 'COLDSTART_NONCE';
  entries: UndoEntry[];
  /** Function names already restored. */
  done: string[];
  /** The run whose undo records the functions carry (EngineDeps.runId). */
  runId?: string;
}

export interface MeasurePlan {
  /** Memory sizes in MB; empty = keep the current memory of each function. */
  memory: number[];
  repetitions: number;
  payload: string;
  reportSource: 'insights' | 'tail';
  concurrency: number;
  updateTimeoutSec: number;
  queryTimeoutSec: number;
  restore: boolean;
  /** Control-plane calls per second (input `api-rate`; default pacing.ts CONTROL_RATE). */
  apiRate?: number;
  /** Warm responses a function may retry in all (default: warmRetryBudget(), proportional to what was asked). */
  warmRetries?: number;
}

export const NONCE_VARIABLE = 'COLDSTART_NONCE' as const;
