/**
 * The building blocks of one sample: set → wait → invoke → classify. Separate exports so other strategies
 * (burst: one set + wait, k concurrent invokes) reuse them.
 */
import {
  GetFunctionCommand,
  InvokeCommand,
  UpdateFunctionConfigurationCommand,
  type FunctionConfiguration,
  type LambdaClient,
  type UpdateFunctionConfigurationCommandInput,
} from '@aws-sdk/client-lambda';
import type { ReportLine, Sample, SampleKind, Strategy } from '../results/model.js';
import { decodeTail, findReport } from '../logs/report-parser.js';
import { AccessError, errorName, httpStatus, isAccessError, safeMessage, UpdateError } from './errors.js';
import { NONCE_VARIABLE, type EngineDeps } from './types.js';

type Clock = Pick<EngineDeps, 'now' | 'sleep'> & { signal?: AbortSignal | undefined };

/** Thrown when deps.signal aborted while waiting. */
export class AbortedError extends Error {
  constructor() {
    super('aborted');
    this.name = 'AbortedError';
  }
}

function rethrowAccess(e: unknown, what: string, name: string): void {
  if (isAccessError(e)) throw new AccessError(`${name}: ${what} was denied (${safeMessage(e)}); check the role's permissions`);
}

/** GetFunction → the current $LATEST configuration (environment included). */
export async function getConfig(lambda: LambdaClient, name: string): Promise<FunctionConfiguration> {
  try {
    const res = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    if (!res.Configuration) throw new Error(`${name}: GetFunction returned no configuration`);
    return res.Configuration;
  } catch (e) {
    rethrowAccess(e, 'lambda:GetFunction', name);
    throw e;
  }
}

export interface WaitOptions {
  /** Give up (UpdateError, timedOut) at this time (deps.now() clock). */
  deadlineMs: number;
  /** Expected duration of an update (learned from earlier ones): the first poll comes a little before it. */
  expectedMs?: number;
  /** Poll interval once due (default 150 ms: the wait ends within ~150 ms of the update finishing). */
  pollMs?: number;
  /** Called after every GetFunction poll (counting). */
  onPoll?: () => void;
}

export interface WaitResult {
  config: FunctionConfiguration;
  polls: number;
  elapsedMs: number;
}

/**
 * Poll GetFunction until LastUpdateStatus is Successful. Failed → UpdateError(LastUpdateStatusReason).
 * A small poll with the injected sleep rather than the SDK's waitUntilFunctionUpdatedV2: the SDK waiter sleeps
 * with its own timer (untestable without real time), jitters its delays, and swallows every error as "retry"
 * (an AccessDenied would spin until the timeout).
 */
export async function waitUpdated(deps: Pick<EngineDeps, 'lambda'> & Clock, name: string, o: WaitOptions): Promise<WaitResult> {
  const started = deps.now();
  const pollMs = o.pollMs ?? 150;
  let delay = o.expectedMs !== undefined ? Math.max(pollMs, o.expectedMs - pollMs) : 100;
  let polls = 0;
  for (;;) {
    const remaining = o.deadlineMs - deps.now();
    if (remaining <= 0) throw new UpdateError(`${name}: the update did not finish within the update timeout`, true);
    try {
      await deps.sleep(Math.min(delay, remaining), deps.signal);
    } catch {
      /* an aborted sleep may reject */
    }
    if (deps.signal?.aborted) throw new AbortedError();
    delay = pollMs;
    const config = await getConfig(deps.lambda, name);
    polls++;
    o.onPoll?.();
    const status = config.LastUpdateStatus;
    if (status === 'Successful' || status === undefined) return { config, polls, elapsedMs: deps.now() - started };
    if (status === 'Failed') {
      const secrets = Object.values(config.Environment?.Variables ?? {});
      throw new UpdateError(
        `${name}: the configuration update failed: ${safeMessage(config.LastUpdateStatusReason ?? 'no reason given', secrets)}` +
          (config.LastUpdateStatusReasonCode ? ` (${config.LastUpdateStatusReasonCode})` : ''),
      );
    }
  }
}

export interface SetOptions {
  /** MemorySize to set; undefined = leave memory alone. */
  memory?: number | undefined;
  nonce: string;
  /** The most recent configuration read (GetFunction / previous wait). Its environment is merged. */
  current: FunctionConfiguration;
  deadlineMs: number;
  expectedUpdateMs?: number | undefined;
  onPoll?: () => void;
}

export interface SetResult {
  /** The configuration the update returned (InProgress), with our environment. */
  config: FunctionConfiguration;
  /** 412s (someone else changed the function: re-read, re-merged). */
  preconditionFailures: number;
  /** 409s (another update was in progress: waited). */
  conflicts: number;
  /** The configuration we merged into (the freshest read). */
  base: FunctionConfiguration;
}

/** The update request: current variables + the nonce, memory if it differs, conditional on RevisionId. PURE. */
export function buildUpdate(
  name: string,
  current: FunctionConfiguration,
  nonce: string,
  memory?: number,
): UpdateFunctionConfigurationCommandInput {
  const input: UpdateFunctionConfigurationCommandInput = {
    FunctionName: name,
    Environment: { Variables: { ...(current.Environment?.Variables ?? {}), [NONCE_VARIABLE]: nonce } },
  };
  if (current.RevisionId) input.RevisionId = current.RevisionId;
  if (memory !== undefined && current.MemorySize !== memory) input.MemorySize = memory;
  return input;
}

/**
 * set: UpdateFunctionConfiguration with the freshest environment + COLDSTART_NONCE (and memory), conditional on
 * RevisionId. 412 → re-read, re-merge, retry; 409 → wait for the other update, retry (until the deadline).
 */
export async function setConfig(deps: Pick<EngineDeps, 'lambda'> & Clock, name: string, o: SetOptions): Promise<SetResult> {
  let current = o.current;
  let preconditionFailures = 0;
  let conflicts = 0;
  for (;;) {
    if (deps.now() > o.deadlineMs) throw new UpdateError(`${name}: could not update the configuration within the update timeout`, true);
    if (current.LastUpdateStatus === 'InProgress') {
      const w = await waitUpdated(deps, name, { deadlineMs: o.deadlineMs, ...(o.onPoll ? { onPoll: o.onPoll } : {}) });
      current = w.config;
    }
    try {
      const config = await deps.lambda.send(new UpdateFunctionConfigurationCommand(buildUpdate(name, current, o.nonce, o.memory)));
      return { config, preconditionFailures, conflicts, base: current };
    } catch (e) {
      rethrowAccess(e, 'lambda:UpdateFunctionConfiguration', name);
      const n = errorName(e);
      if (n === 'PreconditionFailedException' || httpStatus(e) === 412) {
        preconditionFailures++;
        if (preconditionFailures > 20) throw e;
        current = await getConfig(deps.lambda, name);
        continue;
      }
      if (n === 'ResourceConflictException' || httpStatus(e) === 409) {
        conflicts++;
        const w = await waitUpdated(deps, name, { deadlineMs: o.deadlineMs, ...(o.onPoll ? { onPoll: o.onPoll } : {}) });
        current = w.config;
        continue;
      }
      throw new Error(
        `${name}: UpdateFunctionConfiguration failed: ${safeMessage(e, Object.values(current.Environment?.Variables ?? {}))}`,
      );
    }
  }
}

export interface InvokeResult {
  requestId: string;
  report?: ReportLine;
  /** X-Amz-Function-Error (Handled / Unhandled) with the error type from the payload when present. */
  functionError?: string;
  statusCode?: number;
  /** deps.now() when the invoke returned. */
  at: number;
}

function errorTypeFromPayload(payload: Uint8Array | undefined): string | undefined {
  if (!payload || payload.length === 0) return undefined;
  try {
    const o: unknown = JSON.parse(Buffer.from(payload).toString('utf8'));
    if (typeof o === 'object' && o !== null && typeof (o as { errorType?: unknown }).errorType === 'string') {
      return (o as { errorType: string }).errorType;
    }
  } catch {
    /* not JSON */
  }
  return undefined;
}

/** invoke: RequestResponse, LogType Tail; parses the REPORT from the tail. Throttling is retried by the SDK. */
export async function invokeOnce(deps: Pick<EngineDeps, 'lambda' | 'now'>, name: string, payload: string): Promise<InvokeResult> {
  let res;
  try {
    res = await deps.lambda.send(
      new InvokeCommand({ FunctionName: name, InvocationType: 'RequestResponse', LogType: 'Tail', Payload: Buffer.from(payload, 'utf8') }),
    );
  } catch (e) {
    rethrowAccess(e, 'lambda:InvokeFunction', name);
    throw new Error(`${name}: Invoke failed: ${safeMessage(e)}`);
  }
  const at = deps.now();
  const tail = decodeTail(res.LogResult);
  const metaId = res.$metadata.requestId;
  const report = findReport(tail, metaId) ?? findReport(tail);
  const out: InvokeResult = { requestId: metaId ?? report?.requestId ?? '', at };
  if (report) out.report = report;
  if (res.StatusCode !== undefined) out.statusCode = res.StatusCode;
  if (res.FunctionError) {
    const type = errorTypeFromPayload(res.Payload) ?? report?.errorType;
    out.functionError = type ? `${res.FunctionError}: ${type}` : res.FunctionError;
  }
  return out;
}

/** cold: Init or Restore Duration; warm: neither; error: function error or a non-success status; unknown: no REPORT. PURE. */
export function classify(r: { report?: ReportLine | undefined; functionError?: string | undefined }): SampleKind | 'unknown' {
  if (r.functionError) return 'error';
  if (!r.report) return 'unknown';
  return classifyReport(r.report);
}

export function classifyReport(report: ReportLine): SampleKind {
  if (report.status !== 'success') return 'error';
  if (report.initDurationMs !== undefined || report.restoreDurationMs !== undefined) return 'cold';
  return 'warm';
}

/**
 * A Sample from an invoke result, classified (cold / warm / error; no REPORT → error). When `expectedMemory` is given
 * and the REPORT shows another memory size (someone changed it between our wait and our invoke), the sample is marked
 * warm with an explanation: it must be retried, never counted. PURE.
 */
export function sampleFromInvoke(
  inv: InvokeResult,
  ctx: { function: string; memory: number; sequence: number; attempt: number; strategy: Strategy; expectedMemory?: number | undefined },
): Sample {
  let kind: SampleKind | 'unknown' = classify(inv);
  let error: string | undefined = inv.functionError;
  if (kind === 'unknown') {
    kind = 'error';
    error = 'no REPORT line in the log tail';
  }
  const r = inv.report;
  const ranAt = r?.memorySizeMb;
  if (kind === 'cold' && ctx.expectedMemory !== undefined && ranAt !== undefined && ranAt !== ctx.expectedMemory) {
    kind = 'warm';
    error = `ran at ${ranAt} MB: the memory was changed by someone else`;
  }
  const sample: Sample = {
    function: ctx.function,
    memory: ctx.expectedMemory ?? ranAt ?? ctx.memory,
    sequence: ctx.sequence,
    attempt: ctx.attempt,
    requestId: inv.requestId,
    kind,
    init: kind === 'warm' ? null : (r?.initDurationMs ?? null),
    restore: kind === 'warm' ? null : (r?.restoreDurationMs ?? null),
    duration: r?.durationMs ?? null,
    billed: r?.billedDurationMs ?? null,
    maxMemory: r?.maxMemoryUsedMb ?? null,
    source: 'tail',
    timestamp: new Date(inv.at).toISOString(),
    strategy: ctx.strategy,
  };
  if (error !== undefined) sample.error = error;
  return sample;
}
