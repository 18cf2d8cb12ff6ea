/**
 * Preflight: GetFunction for every function, check each can be measured, record what the run and the undo need.
 * Changes nothing. Every problem is collected and thrown together (PreflightError), one line per problem; credentials
 * AWS refuses are one CredentialsError for the run. It reads the undo record a function may carry (undo/record.ts): a
 * live run's → refused; a dead run's → the target's `leftover`, restored before measuring (run/leftovers.ts).
 */
import { GetFunctionCommand, type FunctionConfiguration, type LambdaClient } from '@aws-sdk/client-lambda';
import type { FunctionInfo } from '../results/model.js';
import { CredentialsError, isCredentialsError, PreflightError } from '../core/errors.js';
import { errorName, safeMessage } from '../core/aws-errors.js';
import { keptRecordMessage, ownershipMessage } from './undo/messages.js';
import { DEFAULT_UPDATE_TIMEOUT_SEC, ENV_LIMIT_BYTES, MEMORY_MIN_MB } from '../config/limits.js';
import { DEFAULT_RUN_ID, envBytes, liveWindowMs, markerReserveBytes, markerState, NONCE_VARIABLE, readMarker } from './undo/record.js';
import type { Target } from './types.js';

export interface PreflightOptions {
  /** This run (its record's size counts against the 4 KB limit; a record of its own is no other run's). */
  runId?: string;
  /** The run's update timeout: a record updated within it (plus the function's timeout and a margin) is a live run's. */
  updateTimeoutSec?: number;
  now?: () => number;
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
  const reads = await Promise.all(inputs.map((input) => read(lambda, input)));
  // Expired or invalid credentials are the run's problem, not each function's: said once.
  const refused = reads.find((r) => 'credentials' in r);
  if (refused) throw refused.credentials instanceof CredentialsError ? refused.credentials : new CredentialsError(refused.credentials);
  const check: CheckContext = {
    runId: opts.runId ?? DEFAULT_RUN_ID,
    nowMs: (opts.now ?? Date.now)(),
    updateTimeoutSec: opts.updateTimeoutSec ?? DEFAULT_UPDATE_TIMEOUT_SEC,
    reserve: markerReserveBytes(opts.runId ?? DEFAULT_RUN_ID),
    seen: new Map<string, string>(),
  };
  const targets: Target[] = [];
  const problems: string[] = [];
  for (const r of reads) {
    if ('credentials' in r) continue;
    if (r.problem !== undefined) problems.push(r.problem);
    else if (!r.config?.FunctionName) problems.push(`${r.input}: GetFunction returned no configuration`);
    else {
      const checked = checkFunction(r.input, r.config, r.reserved, check);
      if (Array.isArray(checked)) problems.push(...checked);
      else targets.push(checked);
    }
  }
  if (problems.length > 0) throw new PreflightError(problems);
  return targets;
}

/** GetFunction for one input (a qualifier other than $LATEST is refused before any call). */
async function read(lambda: LambdaClient, input: string): Promise<Read> {
  const q = qualifierOf(input);
  if (q !== undefined && q !== '$LATEST') {
    return {
      input,
      problem: `${input}: qualified with "${q}" (a version or alias); only $LATEST can be changed: give the function name without a qualifier`,
    };
  }
  const name = q === '$LATEST' ? input.slice(0, -':$LATEST'.length) : input;
  try {
    const res = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
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
  nowMs: number;
  updateTimeoutSec: number;
  /** The most bytes this run's record adds to the variables. */
  reserve: number;
  /** Function names already checked, with the input that named them (a function given twice). */
  seen: Map<string, string>;
}

/** One function's configuration: the target, or every reason it cannot be measured. */
function checkFunction(input: string, c: FunctionConfiguration, reserved: number | undefined, x: CheckContext): Target | string[] {
  const marker = readMarker(c);
  const state = marker.record ? markerState(marker.record, x.nowMs, liveWindowMs(x.updateTimeoutSec, c.Timeout)) : undefined;
  const bytes = envBytes(c.Environment?.Variables);
  const problems = [
    ...stateProblems(input, c, reserved),
    ...(marker.record && state === 'live' && marker.record.runId !== x.runId ? [ownershipMessage(input, marker.record, x.nowMs)] : []),
    // A record left on purpose holds the true original: measuring would replace it, and the undo delete it.
    ...(marker.record && state === 'kept' ? [keptRecordMessage(input, marker.record)] : []),
    ...configurationProblems(input, c, bytes, x.reserve),
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
    ...(marker.record && (state === 'stale' || marker.record.runId === x.runId) ? { leftover: marker.record } : {}),
  };
}

/** What in the function's own state rules a measurement out: not Active, Managed Instances, no concurrency. */
function stateProblems(input: string, c: FunctionConfiguration, reserved: number | undefined): string[] {
  const problems: string[] = [];
  if (c.State && c.State !== 'Active')
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

/** An update running, variables that cannot be read (an update would replace them) or leave no room for our record. */
function configurationProblems(input: string, c: FunctionConfiguration, bytes: number, reserve: number): string[] {
  const problems: string[] = [];
  if (c.LastUpdateStatus === 'InProgress') {
    problems.push(`${input}: an update is in progress (LastUpdateStatus InProgress); run again when it has finished`);
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
