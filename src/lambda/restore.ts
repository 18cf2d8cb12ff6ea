/**
 * Restore from the undo record a function carries (marker.ts), when no saved state exists: the `restore` command and
 * the action's `mode: restore`, a new run that finds the record of a run that died, the post step without state.
 * Idempotent: a function without our variable is left as it is.
 */
import { UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { getConfig, waitUpdated } from './cycle.js';
import { errorName, httpStatus, rethrowCredentials, safeMessage } from './errors.js';
import { encodeMarker, readMarker, type MarkerRecord } from './marker.js';
import { NONCE_VARIABLE, type EngineDeps } from './types.js';
import { undoFunction, type UndoOutcome } from './undo.js';

type RestoreDeps = Pick<EngineDeps, 'lambda' | 'log' | 'now' | 'sleep'>;

export interface RestoreResult {
  name: string;
  outcome: UndoOutcome | 'failed' | 'not-owned';
  /** The record the function carried. */
  record?: MarkerRecord;
  /** Our variable without a record (an older version's): only the variable could be removed. */
  bare?: boolean;
  error?: string;
  /** The error itself (its cause kept), for classification. */
  cause?: unknown;
}

export interface RestoreOptions {
  updateTimeoutSec?: number;
  /** Restore only records of these runs (the post step: its own run); default: any record. */
  owned?: (runId: string) => boolean;
}

/** Restore one function from its record. Never throws: the result says what happened. */
export async function restoreFromRecord(deps: RestoreDeps, name: string, opts: RestoreOptions = {}): Promise<RestoreResult> {
  try {
    const marker = readMarker(await getConfig(deps.lambda, name));
    if (!marker.present) return { name, outcome: 'clean' };
    const record = marker.record;
    if (record && opts.owned && !opts.owned(record.runId)) return { name, outcome: 'not-owned', record };
    // The record's own run: should another run's record replace it meanwhile, that one is left alone.
    const outcome = await undoFunction(deps, name, undefined, {
      ...(opts.updateTimeoutSec === undefined ? {} : { updateTimeoutSec: opts.updateTimeoutSec }),
      runId: record?.runId,
    });
    return { name, outcome, ...(record ? { record } : { bare: true }) };
  } catch (e) {
    return { name, outcome: 'failed', error: safeMessage(e), cause: e };
  }
}

/** Restore every function (concurrently); throws a CredentialsError once when the credentials are refused. */
export async function restoreAll(deps: RestoreDeps, names: string[], opts: RestoreOptions = {}): Promise<RestoreResult[]> {
  const results = await Promise.all(names.map((n) => restoreFromRecord(deps, n, opts)));
  for (const r of results) if (r.outcome === 'failed') rethrowCredentials(r.cause);
  return results;
}

/** One line per function saying what was done. PURE. */
export function restoreLine(r: RestoreResult): string {
  const run = r.record ? `run ${r.record.runId}` : 'an earlier run';
  const memory = r.record?.originalMemory;
  switch (r.outcome) {
    case 'clean':
      return `${r.name}: carries no undo record (${NONCE_VARIABLE}); nothing to restore`;
    case 'not-owned':
      return `${r.name}: carries the undo record of ${run}, not this run's; left alone`;
    case 'other-run':
      return `${r.name}: another run's record replaced ${run}'s meanwhile; left alone`;
    case 'kept-theirs':
      return `${r.name}: ${NONCE_VARIABLE} of ${run} removed; its memory was changed by someone else after that run and is kept`;
    case 'restored':
      return r.bare
        ? `${r.name}: ${NONCE_VARIABLE} removed (it held no record of the original memory; the memory was left as it is)`
        : `${r.name}: restored from the undo record of ${run}: memory ${memory} MB, ${NONCE_VARIABLE} removed`;
    case 'failed':
      return `${r.name}: could not restore: ${r.error ?? 'unknown error'}${memory === undefined ? '' : `; its original memory is ${memory} MB`}`;
  }
}

/**
 * `restore: false`: the run leaves its change on purpose. Its record is marked so (`k=1`): no later run takes it for a
 * live run or for a dead run's leftover, and `lambda-coldstart restore` can still put the original back. Conditional on
 * RevisionId; a record that is not this run's is left alone. Never throws (a warning says what failed).
 */
export async function keepRecord(deps: RestoreDeps, name: string, runId: string, updateTimeoutSec = 60): Promise<void> {
  const deadlineMs = deps.now() + updateTimeoutSec * 1000;
  try {
    for (let attempt = 0; attempt < 10; attempt++) {
      let c = await getConfig(deps.lambda, name);
      if (c.LastUpdateStatus === 'InProgress') c = (await waitUpdated(deps, name, { deadlineMs })).config;
      const record = readMarker(c).record;
      if (!record || record.runId !== runId || record.kept) return;
      const vars = {
        ...(c.Environment?.Variables ?? {}),
        [NONCE_VARIABLE]: encodeMarker({ ...record, kept: true, updatedAt: deps.now() }),
      };
      try {
        await deps.lambda.send(
          new UpdateFunctionConfigurationCommand({
            FunctionName: name,
            Environment: { Variables: vars },
            ...(c.RevisionId ? { RevisionId: c.RevisionId } : {}),
          }),
        );
      } catch (e) {
        const n = errorName(e);
        if (n === 'PreconditionFailedException' || n === 'ResourceConflictException' || httpStatus(e) === 412 || httpStatus(e) === 409)
          continue;
        throw e;
      }
      await waitUpdated(deps, name, { deadlineMs });
      return;
    }
  } catch (e) {
    deps.log.warning(`${name}: could not mark its undo record as left on purpose (${safeMessage(e)}); a later run will restore it first`);
  }
}
