/**
 * Restore from the undo record a function carries (marker.ts), when no saved state exists: the `restore` command and
 * the action's `mode: restore`, a new run that finds the record of a run that died, the post step without state.
 * Idempotent: a function without our variable is left as it is.
 */
import { conditionalUpdate, getConfig, waitUpdated } from './cycle.js';
import { rethrowCredentials } from '../core/errors.js';
import { safeMessage } from '../core/aws-errors.js';
import { DEFAULT_UPDATE_TIMEOUT_SEC } from '../config/limits.js';
import { encodeMarker, liveWindowMs, markerState, readMarker, type MarkerRecord } from './marker.js';
import { NONCE_VARIABLE, type EngineDeps } from './types.js';
import { undoFunction, type UndoOutcome } from './undo.js';

type RestoreDeps = Pick<EngineDeps, 'lambda' | 'log' | 'now' | 'sleep'>;

export interface RestoreResult {
  name: string;
  /** live: the record's run updated the function recently and may still be changing it: left alone (unless forced). */
  outcome: UndoOutcome | 'failed' | 'not-owned' | 'live';
  /** The record the function carried. */
  record?: MarkerRecord;
  /** Our variable without a record (an older version's): only the variable could be removed. */
  bare?: boolean;
  error?: string;
  /** The error itself (its cause kept), for classification. */
  cause?: unknown;
  /** Seconds since the record's last update (a live record). */
  ageSec?: number;
}

export interface RestoreOptions {
  updateTimeoutSec?: number;
  /**
   * Restore only records of these runs (the post step: its own run, whose main step is over by definition: restored
   * whatever their age); default: any record. A bare marker (no record) is no run's: left alone when set.
   */
  owned?: (runId: string) => boolean;
  /** Restore a record whose run may still be changing the function (updated within the live window) too. */
  force?: boolean;
}

/** Restore one function from its record. Never throws: the result says what happened. */
export async function restoreFromRecord(deps: RestoreDeps, name: string, opts: RestoreOptions = {}): Promise<RestoreResult> {
  let record: MarkerRecord | undefined;
  try {
    const c = await getConfig(deps.lambda, name);
    const marker = readMarker(c);
    if (!marker.present) return { name, outcome: 'clean' };
    record = marker.record;
    if (opts.owned && !(record && opts.owned(record.runId)))
      return { name, outcome: 'not-owned', ...(record ? { record } : { bare: true }) };
    if (record && !opts.owned && !opts.force) {
      const nowMs = deps.now();
      const window = liveWindowMs(opts.updateTimeoutSec ?? DEFAULT_UPDATE_TIMEOUT_SEC, c.Timeout);
      if (markerState(record, nowMs, window) === 'live') {
        return { name, outcome: 'live', record, ageSec: Math.max(0, Math.round((nowMs - record.updatedAt) / 1000)) };
      }
    }
    // The record's own run: should another run's record replace it meanwhile, that one is left alone.
    const outcome = await undoFunction(deps, name, undefined, {
      ...(opts.updateTimeoutSec === undefined ? {} : { updateTimeoutSec: opts.updateTimeoutSec }),
      runId: record?.runId,
    });
    return { name, outcome, ...(record ? { record } : { bare: true }) };
  } catch (e) {
    // The record (when read) says the original memory in the line.
    return { name, outcome: 'failed', error: safeMessage(e), cause: e, ...(record ? { record } : {}) };
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
      return r.bare
        ? `${r.name}: carries ${NONCE_VARIABLE} without an undo record (not this run's); left alone`
        : `${r.name}: carries the undo record of ${run}, not this run's; left alone`;
    case 'live':
      return (
        `${r.name}: ${run} is still changing it (its last update ${r.ageSec ?? 0} s ago); left alone: wait for that run to finish ` +
        '(it restores the function itself), or force the restore with `lambda-coldstart restore --force`'
      );
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
    const r = await conditionalUpdate<undefined>(deps, name, {
      deadlineMs,
      build: (c) => {
        const record = readMarker(c).record;
        if (!record || record.runId !== runId || record.kept) return { done: undefined };
        const vars = {
          ...(c.Environment?.Variables ?? {}),
          [NONCE_VARIABLE]: encodeMarker({ ...record, kept: true, updatedAt: deps.now() }),
        };
        return { FunctionName: name, Environment: { Variables: vars }, ...(c.RevisionId ? { RevisionId: c.RevisionId } : {}) };
      },
      failed: (e, c) => new Error(safeMessage(e, Object.values(c.Environment?.Variables ?? {})), { cause: e }),
    });
    if (r.sent) await waitUpdated(deps, name, { deadlineMs });
  } catch (e) {
    deps.log.warning(`${name}: could not mark its undo record as left on purpose (${safeMessage(e)}); a later run will restore it first`);
  }
}
