import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Config } from '../config/model.js';
import type { FunctionPair } from '../config/pairs.js';
import type { FunctionInfo } from '../results/model.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { UndoRecord, WriterProcess } from './undo/record.js';

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
   * of every function (undo/record.ts); a record of another run is never overwritten. Default DEFAULT_RUN_ID.
   */
  runId?: string;
  /** The process writing the records, for a run outside GitHub Actions (a later run on this machine checks it). */
  writerProcess?: WriterProcess | undefined;
  /** The run's region, for the commands messages suggest. */
  region?: string | undefined;
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
  leftover?: UndoRecord;
  /** Which check found the leftover's run over, as a clause (absent: the record is this run's own). */
  leftoverReason?: string;
  /** False when the function's logs carry no REPORT (JSON format at system log level WARN): only the invoke tail has it. */
  reportsInLogs?: boolean;
}

/** What the engine reads of the run's configuration: a view of Config, not a copy. */
export type MeasurePlan = Pick<
  Config,
  | 'memory'
  | 'repetitions'
  | 'payload'
  | 'reportSource'
  | 'strategy'
  | 'burstSize'
  | 'concurrency'
  | 'apiRate'
  | 'updateTimeoutSec'
  | 'queryTimeoutSec'
  | 'restore'
> & {
  /** Warm responses a function may retry in all (default: warmRetryBudget(), proportional to what was asked). */
  warmRetries?: number;
  /** Heads and their bases (as the targets' `input`), each pair measured side by side; default none. */
  pairs?: readonly FunctionPair[];
};
