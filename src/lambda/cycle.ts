/**
 * The building blocks of one sample: set → wait → invoke → classify. Separate exports so other strategies
 * (burst: one set + wait, k concurrent invokes) reuse them.
 */
import {
  GetFunctionCommand,
  InvokeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
  type FunctionConfiguration,
  type LambdaClient,
  type UpdateFunctionConfigurationCommandInput,
} from '@aws-sdk/client-lambda';
import type { ReportLine, Sample, SampleKind, SampleStrategy } from '../results/model.js';
import { decodeTail } from '../logs/report-parser.js';
import { findInvocation, type InvocationLog } from '../logs/invocation.js';
import { applyInitLines } from './init-outcome.js';
import { AccessError, CancelledError, isAccessError, OwnershipError, rethrowCredentials, UpdateError } from '../core/errors.js';
import { notARecordMessage, ownershipMessage } from './undo/messages.js';
import { lambdaNow } from './server-time.js';
import { isConflict, isPreconditionFailed, safeMessage } from '../core/aws-errors.js';
import { DEFAULT_RUN_ID, markerValue, NONCE_VARIABLE, readMarker } from './undo/record.js';
import type { Reserved } from './capacity.js';
import type { EngineDeps } from './types.js';
import type { Clock } from '../core/clock.js';

/** The clock a wait runs on, and the signal that ends it early. */
type Waiting = Clock & { signal?: AbortSignal | undefined };

function rethrowAccess(e: unknown, what: string, name: string): void {
  rethrowCredentials(e);
  if (isAccessError(e)) throw new AccessError(`${name}: ${what} was denied (${safeMessage(e)}); check the role's permissions`);
}

/**
 * GetFunction → the current $LATEST configuration (environment included) and its reserved concurrency, in one read:
 * GetFunction (the 100/s quota, which the engine polls anyway) returns `Concurrency` when a reservation is set — no
 * GetFunctionConcurrency call on the 15/s quota. Denied → AccessError; bad credentials → CredentialsError.
 */
export async function readFunction(lambda: LambdaClient, name: string): Promise<{ config: FunctionConfiguration; reserved: Reserved }> {
  try {
    const res = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    if (!res.Configuration) throw new Error(`${name}: GetFunction returned no configuration`);
    return { config: res.Configuration, reserved: res.Concurrency?.ReservedConcurrentExecutions ?? null };
  } catch (e) {
    rethrowAccess(e, 'lambda:GetFunction', name);
    throw e;
  }
}

/** GetFunction → the current $LATEST configuration (environment included). */
export async function getConfig(lambda: LambdaClient, name: string): Promise<FunctionConfiguration> {
  return (await readFunction(lambda, name)).config;
}

export interface WaitOptions {
  /** Give up (UpdateError, timedOut) at this time (deps.now() clock). */
  deadlineMs: number;
  /** Expected duration of an update (learned from earlier ones): polling starts a little before it. */
  expectedMs?: number;
  /** Called for every GetFunction poll (counting). */
  onPoll?: () => void;
}

export interface WaitResult {
  config: FunctionConfiguration;
  polls: number;
  elapsedMs: number;
}

/** Polling starts this long before an update is expected to finish. */
const LEAD_MS = 150;
/**
 * The SDK waiter's delays: 100–200 ms between GetFunction polls (quota 100/s), so the wait ends within ~200 ms of the
 * update finishing. (Its defaults, 1 s growing to 300 s, would add seconds to every sample.)
 */
const MIN_DELAY_SEC = 0.1;
const MAX_DELAY_SEC = 0.2;

/**
 * wait: until LastUpdateStatus is Successful, with the SDK's waitUntilFunctionUpdatedV2 (GetFunction, not the 15 req/s
 * GetFunctionConfiguration). When earlier updates of the function tell how long one takes, the wait first sleeps (injected
 * clock) until shortly before that, so the waiter's polls land where they are useful. Failed → UpdateError with Lambda's
 * reason; the update timeout → UpdateError; abort → CancelledError. The waiter's own errors are never passed on: their
 * message holds the whole GetFunction response, environment values included.
 */
export async function waitUpdated(deps: Pick<EngineDeps, 'lambda'> & Waiting, name: string, o: WaitOptions): Promise<WaitResult> {
  const started = deps.now();
  if (o.expectedMs !== undefined && o.expectedMs > LEAD_MS) {
    await deps.sleep(Math.min(o.expectedMs - LEAD_MS, Math.max(0, o.deadlineMs - deps.now())), deps.signal);
  }
  if (deps.signal?.aborted) throw new CancelledError();
  const remainingSec = (o.deadlineMs - deps.now()) / 1000;
  const timedOut = (): UpdateError => new UpdateError(`${name}: the update did not finish within the update timeout`, true);
  if (remainingSec <= MIN_DELAY_SEC) throw timedOut();

  // The client the waiter polls with: counts the polls, keeps the last configuration (for Lambda's failure reason), and
  // stops the waiter on an error. The waiter would retry every error until the timeout, but one that reaches it has
  // already been retried by the SDK client (throttling, 5xx, network): an access error, a deleted function, or a
  // service that keeps failing — nothing more polling can fix.
  let polls = 0;
  let last: FunctionConfiguration | undefined;
  let failed: unknown;
  const stop = new AbortController();
  const counting = {
    send: async (command: GetFunctionCommand) => {
      polls++;
      o.onPoll?.();
      try {
        const out = await deps.lambda.send(command);
        last = out.Configuration;
        // A configuration without LastUpdateStatus has no update in progress.
        if (out.Configuration && out.Configuration.LastUpdateStatus === undefined) {
          return { ...out, Configuration: { ...out.Configuration, LastUpdateStatus: 'Successful' } };
        }
        return out;
      } catch (e) {
        failed = e;
        stop.abort();
        throw e;
      }
    },
  } as unknown as LambdaClient;
  try {
    const result = await waitUntilFunctionUpdatedV2(
      {
        client: counting,
        maxWaitTime: remainingSec,
        minDelay: MIN_DELAY_SEC,
        maxDelay: MAX_DELAY_SEC,
        abortController: stop,
        ...(deps.signal ? { abortSignal: deps.signal } : {}),
      },
      { FunctionName: name },
    );
    const config = result.reason?.Configuration;
    if (!config) throw new Error(`${name}: GetFunction returned no configuration`);
    return { config, polls, elapsedMs: deps.now() - started };
  } catch (e) {
    if (failed !== undefined) {
      rethrowAccess(failed, 'lambda:GetFunction', name);
      throw new Error(`${name}: GetFunction failed while waiting for the update: ${safeMessage(failed)}`, { cause: failed });
    }
    const kind = e instanceof Error ? e.name : '';
    if (kind === 'AbortError' || deps.signal?.aborted) throw new CancelledError();
    if (kind === 'TimeoutError') throw timedOut();
    if (last?.LastUpdateStatus === 'Failed') {
      const secrets = Object.values(last.Environment?.Variables ?? {});
      throw new UpdateError(
        `${name}: the configuration update failed: ${safeMessage(last.LastUpdateStatusReason ?? 'no reason given', secrets)}` +
          (last.LastUpdateStatusReasonCode ? ` (${last.LastUpdateStatusReasonCode})` : ''),
      );
    }
    throw new Error(`${name}: waiting for the update failed`);
  }
}

export interface SetOptions {
  /** MemorySize to set; undefined = leave memory alone. */
  memory?: number | undefined;
  nonce: string;
  /**
   * The memory size an undo puts back (the function's original, or the size someone else set during the run): written
   * into the function's undo record with every update (undo/record.ts). A function of the configuration the update is
   * based on (computed again after each 412 re-read, which may show someone else's new memory).
   */
  restoreMemory: number | ((base: FunctionConfiguration) => number);
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
  /** The RevisionId the update produced (ours; see UndoEntry.ourRevisions). */
  revisionId?: string;
}

/**
 * The update request: current variables + our variable (`marker`: the nonce with the undo record), memory if it
 * differs, conditional on RevisionId. PURE.
 */
export function buildUpdate(
  name: string,
  current: FunctionConfiguration,
  marker: string,
  memory?: number,
): UpdateFunctionConfigurationCommandInput {
  const input: UpdateFunctionConfigurationCommandInput = {
    FunctionName: name,
    Environment: { Variables: { ...(current.Environment?.Variables ?? {}), [NONCE_VARIABLE]: marker } },
  };
  if (current.RevisionId) input.RevisionId = current.RevisionId;
  if (memory !== undefined && current.MemorySize !== memory) input.MemorySize = memory;
  return input;
}

/** 412s one conditional update answers by re-reading before it gives up (409s are bounded by the deadline). */
export const MAX_PRECONDITION_FAILURES = 20;

export interface ConditionalUpdateOptions<T> {
  deadlineMs: number;
  onPoll?: () => void;
  /** The configuration to start from (the most recent read); default: read it (GetFunction). */
  current?: FunctionConfiguration;
  /**
   * The update to send for a configuration (never one in progress), conditional on its RevisionId; `{ done }` ends
   * without sending. Called again after every 412 re-read and 409 wait; may throw.
   */
  build(c: FunctionConfiguration): UpdateFunctionConfigurationCommandInput | { done: T };
  /** The error to throw for a failed send that is not 412 or 409 (and not an access or credentials error). */
  failed(e: unknown, c: FunctionConfiguration): Error;
}

export type ConditionalUpdateResult<T> = {
  /** The configuration the request was built from (the freshest read). */
  base: FunctionConfiguration;
  preconditionFailures: number;
  conflicts: number;
} & ({ sent: true; config: FunctionConfiguration } | { sent: false; done: T });

/**
 * The one conditional-update loop (setConfig, undo, keepRecord): build from the freshest configuration, send; 412 →
 * re-read and build again; 409 → wait for the other update and build again; until the deadline.
 */
export async function conditionalUpdate<T>(
  deps: Pick<EngineDeps, 'lambda'> & Waiting,
  name: string,
  o: ConditionalUpdateOptions<T>,
): Promise<ConditionalUpdateResult<T>> {
  const wait = { deadlineMs: o.deadlineMs, ...(o.onPoll ? { onPoll: o.onPoll } : {}) };
  let current = o.current ?? (await getConfig(deps.lambda, name));
  let preconditionFailures = 0;
  let conflicts = 0;
  for (;;) {
    if (deps.now() > o.deadlineMs) throw new UpdateError(`${name}: could not update the configuration within the update timeout`, true);
    if (current.LastUpdateStatus === 'InProgress') current = (await waitUpdated(deps, name, wait)).config;
    const input = o.build(current);
    if ('done' in input) return { sent: false, done: input.done, base: current, preconditionFailures, conflicts };
    try {
      const config = await deps.lambda.send(new UpdateFunctionConfigurationCommand(input));
      return { sent: true, config, base: current, preconditionFailures, conflicts };
    } catch (e) {
      rethrowAccess(e, 'lambda:UpdateFunctionConfiguration', name);
      if (isPreconditionFailed(e) && ++preconditionFailures <= MAX_PRECONDITION_FAILURES) {
        current = await getConfig(deps.lambda, name); // someone changed it: decide again on what it is now
        continue;
      }
      if (isConflict(e)) {
        conflicts++;
        current = (await waitUpdated(deps, name, wait)).config;
        continue;
      }
      throw o.failed(e, current);
    }
  }
}

/**
 * set: UpdateFunctionConfiguration with the freshest environment + COLDSTART_NONCE (the nonce and the undo record, its
 * time by Lambda's clock) and memory, conditional on RevisionId (conditionalUpdate: 412 → re-read, re-merge; 409 → wait;
 * until the deadline). A function carrying another run's record (not one it left on purpose), or a value in our variable
 * that is no record of this tool, is never changed: OwnershipError.
 */
export async function setConfig(
  deps: Pick<EngineDeps, 'lambda' | 'runId' | 'writerProcess' | 'region'> & Waiting,
  name: string,
  o: SetOptions,
): Promise<SetResult> {
  const writer = { runId: deps.runId ?? DEFAULT_RUN_ID, process: deps.writerProcess };
  const r = await conditionalUpdate<never>(deps, name, {
    deadlineMs: o.deadlineMs,
    ...(o.onPoll ? { onPoll: o.onPoll } : {}),
    current: o.current,
    build: (current) => {
      const marker = readMarker(current);
      if (marker.present && 'notARecord' in marker) throw new OwnershipError(name, '', notARecordMessage(name));
      const other = marker.present && 'record' in marker ? marker.record : undefined;
      if (other && other.runId !== writer.runId && !other.kept) {
        const reason = 'its undo record appeared on the function during this run';
        throw new OwnershipError(name, other.runId, ownershipMessage(name, other, reason, deps.region));
      }
      const restoreMemory = typeof o.restoreMemory === 'function' ? o.restoreMemory(current) : o.restoreMemory;
      const nowMs = lambdaNow(deps.lambda, deps.now);
      return buildUpdate(name, current, markerValue(current, { nonce: o.nonce, restoreMemory, memory: o.memory, writer, nowMs }), o.memory);
    },
    failed: (e, current) =>
      new Error(`${name}: UpdateFunctionConfiguration failed: ${safeMessage(e, Object.values(current.Environment?.Variables ?? {}))}`, {
        cause: e,
      }),
  });
  if (!r.sent) throw new Error(`${name}: no update was built`); // unreachable: build never answers done
  const { config, base, preconditionFailures, conflicts } = r;
  return { config, preconditionFailures, conflicts, base, ...(config.RevisionId ? { revisionId: config.RevisionId } : {}) };
}

export interface InvokeResult {
  requestId: string;
  report?: ReportLine;
  /** This invocation's lines in the tail: its REPORT and, when the tail holds them, its INIT_START and INIT_REPORTs. */
  log?: InvocationLog;
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

/**
 * invoke: RequestResponse, LogType Tail; parses the REPORT of this invocation (its own request id; never another line
 * of the tail) from the tail. Throttling is retried by the SDK. `signal` aborts the request in flight (CancelledError), so
 * a cancelled run undoes its change at once instead of after a long handler.
 */
export async function invokeOnce(
  deps: Pick<EngineDeps, 'lambda' | 'now'> & { signal?: AbortSignal | undefined },
  name: string,
  payload: string,
): Promise<InvokeResult> {
  let res;
  try {
    res = await deps.lambda.send(
      new InvokeCommand({ FunctionName: name, InvocationType: 'RequestResponse', LogType: 'Tail', Payload: Buffer.from(payload, 'utf8') }),
      deps.signal ? { abortSignal: deps.signal } : {},
    );
  } catch (e) {
    if (deps.signal?.aborted) throw new CancelledError();
    rethrowAccess(e, 'lambda:InvokeFunction', name);
    throw new Error(`${name}: Invoke failed: ${safeMessage(e)}`, { cause: e });
  }
  const at = deps.now();
  const tail = decodeTail(res.LogResult);
  const metaId = res.$metadata.requestId;
  const log = metaId ? findInvocation(tail, metaId) : undefined;
  const report = log?.report;
  const out: InvokeResult = { requestId: metaId ?? '', at };
  if (report) out.report = report;
  if (log) out.log = log;
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
  ctx: {
    function: string;
    memory: number;
    sequence: number;
    attempt: number;
    strategy: SampleStrategy;
    expectedMemory?: number | undefined;
  },
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
  // A failed init (INIT_REPORT in the tail) makes the sample `init-failed`; INIT_START names its runtime version.
  return inv.log ? applyInitLines(sample, inv.log, ctx.expectedMemory) : sample;
}
