/**
 * Preflight: GetFunction for every function, check each can be measured, record what the run and the undo need.
 * Changes nothing. Every problem is collected and thrown together (PreflightError), one line per problem; credentials
 * AWS refuses are one CredentialsError for the run. It reads the undo record a function may carry (marker.ts): a live
 * run's → refused; a dead run's → the target's `leftover`, restored before measuring (measure-run.ts).
 */
import { GetFunctionCommand, type FunctionConfiguration, type LambdaClient } from '@aws-sdk/client-lambda';
import type { FunctionInfo } from '../results/model.js';
import { CredentialsError, isCredentialsError, PreflightError } from '../core/errors.js';
import { errorName, safeMessage } from '../core/aws-errors.js';
import { keptRecordMessage, ownershipMessage } from './undo/messages.js';
import { DEFAULT_UPDATE_TIMEOUT_SEC, ENV_LIMIT_BYTES, MEMORY_MIN_MB } from '../config/limits.js';
import { DEFAULT_RUN_ID, envBytes, liveWindowMs, markerReserveBytes, markerState, readMarker } from './undo/record.js';
import { NONCE_VARIABLE } from './undo/record.js';
import { type Target } from './types.js';

export { envBytes } from './undo/record.js';

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
  return info;
}

export async function preflight(lambda: LambdaClient, inputs: string[], opts: PreflightOptions = {}): Promise<Target[]> {
  const runId = opts.runId ?? DEFAULT_RUN_ID;
  const nowMs = (opts.now ?? Date.now)();
  const reserve = markerReserveBytes(runId);
  let credentials: unknown;
  const problems: string[] = [];
  if (inputs.length === 0) throw new PreflightError(['no function given']);
  const results = await Promise.all(
    inputs.map(async (input) => {
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
        const n = errorName(e);
        if (isCredentialsError(e)) {
          credentials ??= e;
          return { input, problem: '' };
        }
        if (n === 'ResourceNotFoundException') return { input, problem: `${input}: function not found (check the name and the region)` };
        return { input, problem: `${input}: GetFunction failed: ${safeMessage(e)}` };
      }
    }),
  );

  // Expired or invalid credentials are the run's problem, not each function's: said once.
  if (credentials !== undefined) throw credentials instanceof CredentialsError ? credentials : new CredentialsError(credentials);
  const targets: Target[] = [];
  const seen = new Map<string, string>();
  for (const r of results) {
    if ('problem' in r && r.problem !== undefined) {
      problems.push(r.problem);
      continue;
    }
    const c = 'config' in r ? r.config : undefined;
    if (!c?.FunctionName) {
      problems.push(`${r.input}: GetFunction returned no configuration`);
      continue;
    }
    const mine: string[] = [];
    if (c.State && c.State !== 'Active') {
      mine.push(`${r.input}: state is ${c.State}${c.StateReason ? ` (${c.StateReason})` : ''}, not Active`);
    }
    if (c.CapacityProviderConfig) {
      mine.push(`${r.input}: runs on Lambda Managed Instances (capacity provider), which reports no per-invocation cold start`);
    }
    if ('reserved' in r && r.reserved === 0) {
      mine.push(
        `${r.input}: its reserved concurrency is 0, so it cannot be invoked at all (throttled); set reserved concurrency above 0 or remove it`,
      );
    }
    const marker = readMarker(c);
    const state = marker.record
      ? markerState(marker.record, nowMs, liveWindowMs(opts.updateTimeoutSec ?? DEFAULT_UPDATE_TIMEOUT_SEC, c.Timeout))
      : undefined;
    if (marker.record && state === 'live' && marker.record.runId !== runId) {
      mine.push(ownershipMessage(r.input, marker.record, nowMs));
    }
    // A record left on purpose holds the true original: measuring would replace it, and the undo delete it.
    if (marker.record && state === 'kept') mine.push(keptRecordMessage(r.input, marker.record));
    if (c.LastUpdateStatus === 'InProgress') {
      mine.push(`${r.input}: an update is in progress (LastUpdateStatus InProgress); run again when it has finished`);
    }
    if (c.Environment?.Error) {
      // Without the values, an update would have to replace them: never.
      mine.push(
        `${r.input}: its environment variables cannot be read (${c.Environment.Error.ErrorCode ?? 'error'}: ${safeMessage(c.Environment.Error.Message ?? '')}); ` +
          'changing its configuration would replace them, so it is not measured (grant kms:Decrypt on its key)',
      );
    }
    const bytes = envBytes(c.Environment?.Variables);
    if (bytes + reserve > ENV_LIMIT_BYTES) {
      mine.push(
        `${r.input}: its environment variables use ${bytes} of ${ENV_LIMIT_BYTES} bytes; no room to add ${NONCE_VARIABLE} (its undo record needs up to ${reserve} bytes)`,
      );
    }
    if (!c.RevisionId) mine.push(`${r.input}: GetFunction returned no RevisionId`);
    const prev = seen.get(c.FunctionName);
    if (prev !== undefined) mine.push(`${r.input}: same function as "${prev}" (give each function once)`);
    seen.set(c.FunctionName, r.input);
    if (mine.length > 0) {
      problems.push(...mine);
      continue;
    }
    targets.push({
      input: r.input,
      info: functionInfo(c),
      // JSON logs at system log level WARN carry no platform.report record: Logs Insights cannot find it.
      reportsInLogs: !(c.LoggingConfig?.LogFormat === 'JSON' && c.LoggingConfig.SystemLogLevel === 'WARN'),
      revisionId: c.RevisionId ?? '',
      hadEnvironment: c.Environment !== undefined && c.Environment !== null,
      envBytes: bytes,
      // A dead run's record (or one of this run's own): put back first.
      ...(marker.record && (state === 'stale' || marker.record.runId === runId) ? { leftover: marker.record } : {}),
    });
  }
  if (problems.length > 0) throw new PreflightError(problems);
  return targets;
}
