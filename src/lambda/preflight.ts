/**
 * Preflight: GetFunction for every function, check each can be measured, record what the run and the undo need.
 * Changes nothing. A deploy in progress (LastUpdateStatus InProgress, State Pending) is waited for, within the update
 * timeout. Every problem is collected and thrown together (PreflightError), one line per problem; credentials AWS
 * refuses are one CredentialsError for the run. It reads the undo record a function may carry (undo/record.ts) and
 * judges its run (undo/liveness.ts): a live run's → refused; a dead run's → the target's `leftover`, restored before
 * measuring (run/leftovers.ts); a value that is no record of this tool → refused, the value never shown.
 */
import { GetFunctionCommand, type FunctionConfiguration, type LambdaClient } from '@aws-sdk/client-lambda';
import type { FunctionInfo } from '../results/model.js';
import { CredentialsError, isCredentialsError, PreflightError } from '../core/errors.js';
import { errorName, safeMessage } from '../core/aws-errors.js';
import { keptRecordMessage, notARecordMessage, ownershipMessage } from './undo/messages.js';
import { DEFAULT_UPDATE_TIMEOUT_SEC, ENV_LIMIT_BYTES, MEMORY_MIN_MB } from '../config/limits.js';
import { DEFAULT_RUN_ID, envBytes, markerReserveBytes, NONCE_VARIABLE, readMarker, recordOf, type UndoRecord } from './undo/record.js';
import { liveness, NO_CHECK, type CheckWriter, type Liveness } from './undo/liveness.js';
import { lambdaNow } from './server-time.js';
import { realSleep, type Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Target } from './types.js';

export interface PreflightOptions {
  /** This run (its record's size counts against the 4 KB limit; a record of its own is no other run's). */
  runId?: string;
  /**
   * The run's update timeout: how long a deploy in progress is waited for, and the gap between two updates a run whose
   * writer cannot be checked may leave (plus the function's timeout and a margin) before its record counts as stale.
   */
  updateTimeoutSec?: number;
  /** The local clock (deadlines; Lambda's own clock judges records); default the real one. */
  now?: () => number;
  sleep?: Clock['sleep'];
  /** Says that a deploy in progress is waited for. */
  log?: Pick<Logger, 'info'>;
  /** Looks at the writer of another run's record (its process, its workflow run). */
  checkWriter?: CheckWriter;
  /** The run's region, for the commands the problems suggest. */
  region?: string;
}

/** The qualifier in a name or ARN (`name:alias`, `...:function:name:3`), if any. PURE. */
export function qualifierOf(input: string): string | undefined {
  const parts = input.split(':');
  if (input.startsWith('arn:')) return parts.length >= 8 ? parts.slice(7).join(':') : undefined; // arn:aws:lambda:r:acct:function:name[:q]
  const fnIdx = parts.indexOf('function');
  if (fnIdx >= 0) return parts.length > fnIdx + 2 ? parts.slice(fnIdx + 2).join(':') : undefined; // acct:function:name[:q]
  return parts.length >= 2 ? parts.slice(1).join(':') : undefined; // name[:q]
}

/** FunctionInfo from a configuration. PURE. */
export function functionInfo(c: FunctionConfiguration): FunctionInfo {
  const name = c.FunctionName ?? '';
  const arn = c.FunctionArn ?? '';
  const region = arn.startsWith('arn:') ? arn.split(':')[3] : undefined;
  const info: FunctionInfo = {
    name,
    arn,
    runtime: c.Runtime ?? (c.PackageType === 'Image' ? 'container-image' : 'unknown'),
    architecture: c.Architectures?.[0] ?? 'x86_64',
    packageType: c.PackageType ?? 'Zip',
    logFormat: c.LoggingConfig?.LogFormat === 'JSON' ? 'JSON' : 'Text',
    logGroup: c.LoggingConfig?.LogGroup || `/aws/lambda/${name}`,
    snapStart: c.SnapStart?.ApplyOn === 'PublishedVersions',
    originalMemory: c.MemorySize ?? MEMORY_MIN_MB,
  };
  if (region) info.region = region;
  // What the function runs on besides its code: the package, its layers and the runtime version (causes of a change).
  if (c.CodeSize !== undefined) info.codeSize = c.CodeSize;
  // Lambda shows no Layers key for a function without layers: [] (known: none), unlike a file without the field.
  info.layers = (c.Layers ?? []).flatMap((l) => (l.Arn ? [{ arn: l.Arn, codeSize: l.CodeSize ?? 0 }] : []));
  if (c.RuntimeVersionConfig?.RuntimeVersionArn) info.runtimeVersionArn = c.RuntimeVersionConfig.RuntimeVersionArn;
  return info;
}

/** What GetFunction answered for one input: its configuration and reservation, or the problem (credentials apart). */
type Read =
  | { input: string; config?: FunctionConfiguration | undefined; reserved?: number | undefined; problem?: undefined }
  | { input: string; problem: string }
  | { input: string; credentials: unknown };

export async function preflight(lambda: LambdaClient, inputs: string[], opts: PreflightOptions = {}): Promise<Target[]> {
  if (inputs.length === 0) throw new PreflightError(['no function given']);
  const now = opts.now ?? Date.now;
  const updateTimeoutSec = opts.updateTimeoutSec ?? DEFAULT_UPDATE_TIMEOUT_SEC;
  const settling: Settling = { now, sleep: opts.sleep ?? realSleep, deadlineMs: now() + updateTimeoutSec * 1000, log: opts.log };
  const reads = await Promise.all(inputs.map((input) => read(lambda, input, settling)));
  // Expired or invalid credentials are the run's problem, not each function's: said once.
  const refused = reads.find((r) => 'credentials' in r);
  if (refused) throw refused.credentials instanceof CredentialsError ? refused.credentials : new CredentialsError(refused.credentials);
  const runId = opts.runId ?? DEFAULT_RUN_ID;
  const judge = { check: opts.checkWriter ?? NO_CHECK, lambdaNowMs: lambdaNow(lambda, now), updateTimeoutSec };
  const check: CheckContext = {
    runId,
    updateTimeoutSec,
    region: opts.region,
    reserve: markerReserveBytes(runId),
    seen: new Map<string, string>(),
  };
  // Another run's record: its writer is looked at (its process, its workflow run), for all functions at once.
  const judged = await Promise.all(
    reads.map((r) => {
      const record = 'config' in r && r.config ? recordOf(r.config) : undefined;
      return record && record.runId !== runId && 'config' in r && r.config ? liveness(record, r.config, judge) : undefined;
    }),
  );
  const targets: Target[] = [];
  const problems: string[] = [];
  reads.forEach((r, i) => {
    if ('credentials' in r) return;
    if (r.problem !== undefined) problems.push(r.problem);
    else if (!r.config?.FunctionName) problems.push(`${r.input}: GetFunction returned no configuration`);
    else {
      const checked = checkFunction(r.input, r.config, r.reserved, judged[i], check);
      if (Array.isArray(checked)) problems.push(...checked);
      else targets.push(checked);
    }
  });
  if (problems.length > 0) throw new PreflightError(problems);
  return targets;
}

/** A deploy in progress: waited for until this deadline. */
interface Settling extends Clock {
  deadlineMs: number;
  log?: Pick<Logger, 'info'> | undefined;
}

/** Another update is running on the function (a deploy, a console change), or it is being created or woken. PURE. */
export function deployInProgress(c: FunctionConfiguration | undefined): string | undefined {
  if (c?.LastUpdateStatus === 'InProgress') return 'LastUpdateStatus InProgress';
  if (c?.State === 'Pending') return 'State Pending';
  return undefined;
}

/**
 * The deploy in progress preflight waits for: none on a function carrying a run's record, whose update in progress is
 * most likely that run's own — its record decides (a live run is refused at once, a dead run's change is put back), and
 * waiting could outlast that whole run. PURE.
 */
export function deployToWaitFor(c: FunctionConfiguration | undefined): string | undefined {
  return c !== undefined && readMarker(c).present ? undefined : deployInProgress(c);
}

/** Polls of a deploy in progress: from this gap, growing to the longest (GetFunction: the 100/s quota, paced). */
const SETTLE_FIRST_MS = 250;
const SETTLE_MAX_MS = 2000;

/** GetFunction for one input (a qualifier other than $LATEST is refused before any call); a deploy in progress is waited for. */
async function read(lambda: LambdaClient, input: string, settling: Settling): Promise<Read> {
  const q = qualifierOf(input);
  if (q !== undefined && q !== '$LATEST') {
    return {
      input,
      problem: `${input}: qualified with "${q}" (a version or alias); only $LATEST can be changed: give the function name without a qualifier`,
    };
  }
  const name = q === '$LATEST' ? input.slice(0, -':$LATEST'.length) : input;
  try {
    let res = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    const busy = deployToWaitFor(res.Configuration);
    if (busy !== undefined) {
      const leftSec = Math.max(0, Math.round((settling.deadlineMs - settling.now()) / 1000));
      settling.log?.info(
        `${input}: a deploy is in progress (${busy}); waiting for it to finish (up to ${leftSec} s, update-timeout), then measuring`,
      );
      for (let gap = SETTLE_FIRST_MS; deployToWaitFor(res.Configuration) !== undefined && settling.now() < settling.deadlineMs;) {
        await settling.sleep(Math.min(gap, Math.max(0, settling.deadlineMs - settling.now())));
        res = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
        gap = Math.min(SETTLE_MAX_MS, gap * 2);
      }
    }
    return { input, config: res.Configuration, reserved: res.Concurrency?.ReservedConcurrentExecutions };
  } catch (e) {
    if (isCredentialsError(e)) return { input, credentials: e };
    if (errorName(e) === 'ResourceNotFoundException')
      return { input, problem: `${input}: function not found (check the name and the region)` };
    return { input, problem: `${input}: GetFunction failed: ${safeMessage(e)}` };
  }
}

interface CheckContext {
  runId: string;
  updateTimeoutSec: number;
  region: string | undefined;
  /** The most bytes this run's record adds to the variables. */
  reserve: number;
  /** Function names already checked, with the input that named them (a function given twice). */
  seen: Map<string, string>;
}

/** What the record on a function means for this run. */
interface RecordFindings {
  problem?: string;
  leftover?: UndoRecord;
  reason?: string;
}

/** What the record on the function says for this run: a problem, a leftover to put back first, or nothing. PURE. */
function recordFindings(input: string, c: FunctionConfiguration, judged: Liveness | undefined, x: CheckContext): RecordFindings {
  const marker = readMarker(c);
  if (!marker.present) return {};
  if (!('record' in marker)) return { problem: notARecordMessage(input) };
  const record = marker.record;
  // One of this run's own (a retried job) is put back first, as a dead run's is.
  if (judged === undefined || judged.state === 'stale') return { leftover: record, ...(judged ? { reason: judged.reason } : {}) };
  // A record left on purpose holds the true original: measuring would replace it, and the undo delete it.
  if (judged.state === 'kept') return { problem: keptRecordMessage(input, record, x.region) };
  return { problem: ownershipMessage(input, record, judged.reason, x.region) };
}

/** One function's configuration: the target, or every reason it cannot be measured. */
function checkFunction(
  input: string,
  c: FunctionConfiguration,
  reserved: number | undefined,
  judged: Liveness | undefined,
  x: CheckContext,
): Target | string[] {
  const found = recordFindings(input, c, judged, x);
  const bytes = envBytes(c.Environment?.Variables);
  const problems = [
    ...stateProblems(input, c, reserved),
    ...(found.problem === undefined ? [] : [found.problem]),
    ...configurationProblems(input, c, bytes, x),
  ];
  const prev = x.seen.get(c.FunctionName ?? '');
  if (prev !== undefined) problems.push(`${input}: same function as "${prev}" (give each function once)`);
  x.seen.set(c.FunctionName ?? '', input);
  if (problems.length > 0) return problems;
  return {
    input,
    info: functionInfo(c),
    // JSON logs at system log level WARN carry no platform.report record: Logs Insights cannot find it.
    reportsInLogs: !(c.LoggingConfig?.LogFormat === 'JSON' && c.LoggingConfig.SystemLogLevel === 'WARN'),
    revisionId: c.RevisionId ?? '',
    hadEnvironment: c.Environment !== undefined && c.Environment !== null,
    envBytes: bytes,
    // A dead run's record (or one of this run's own): put back first.
    ...(found.leftover ? { leftover: found.leftover, ...(found.reason === undefined ? {} : { leftoverReason: found.reason }) } : {}),
  };
}

/** What in the function's own state rules a measurement out: not Active, Managed Instances, no concurrency. */
function stateProblems(input: string, c: FunctionConfiguration, reserved: number | undefined): string[] {
  const problems: string[] = [];
  // Pending: a deploy still in progress after the wait, said by configurationProblems.
  if (c.State && c.State !== 'Active' && c.State !== 'Pending')
    problems.push(`${input}: state is ${c.State}${c.StateReason ? ` (${c.StateReason})` : ''}, not Active`);
  if (c.CapacityProviderConfig) {
    problems.push(`${input}: runs on Lambda Managed Instances (capacity provider), which reports no per-invocation cold start`);
  }
  if (reserved === 0) {
    problems.push(
      `${input}: its reserved concurrency is 0, so it cannot be invoked at all (throttled); set reserved concurrency above 0 or remove it`,
    );
  }
  return problems;
}

/** A deploy still running, variables that cannot be read (an update would replace them) or leave no room for our record. */
function configurationProblems(input: string, c: FunctionConfiguration, bytes: number, x: CheckContext): string[] {
  const problems: string[] = [];
  const reserve = x.reserve;
  const busy = deployToWaitFor(c);
  if (busy !== undefined) {
    problems.push(
      `${input}: a deploy was still in progress (${busy}) after waiting ${x.updateTimeoutSec} s (update-timeout); run again when it has finished, or raise update-timeout`,
    );
  }
  if (c.Environment?.Error) {
    // Without the values, an update would have to replace them: never.
    problems.push(
      `${input}: its environment variables cannot be read (${c.Environment.Error.ErrorCode ?? 'error'}: ${safeMessage(c.Environment.Error.Message ?? '')}); ` +
        'changing its configuration would replace them, so it is not measured (grant kms:Decrypt on its key)',
    );
  }
  if (bytes + reserve > ENV_LIMIT_BYTES) {
    problems.push(
      `${input}: its environment variables use ${bytes} of ${ENV_LIMIT_BYTES} bytes; no room to add ${NONCE_VARIABLE} (its undo record needs up to ${reserve} bytes)`,
    );
  }
  if (!c.RevisionId) problems.push(`${input}: GetFunction returned no RevisionId`);
  return problems;
}
