/**
 * Putting functions back after a run, whoever does it: the post step (from the saved state, or — without one — from the
 * records of its own run), the action's `mode: restore`, `lambda-coldstart restore`, and a new run that finds the record
 * of a run that died. `restoreFunctions` is the one entry; it answers one RestoreResult per function and never throws
 * for a single function (only refused credentials stop it, once). Idempotent: a function without our variable is left
 * as it is.
 */
import { DEFAULT_UPDATE_TIMEOUT_SEC } from '../../config/limits.js';
import { safeMessage } from '../../core/aws-errors.js';
import { rethrowCredentials } from '../../core/errors.js';
import { getConfig } from '../cycle.js';
import { undoFunction, type UndoDeps } from './apply.js';
import { restoreCommand, undoOutcomeText, type RestoreResult } from './messages.js';
import { liveWindowMs, markerState, NONCE_VARIABLE, readMarker, type UndoRecord } from './record.js';
import { restoreMemory, type UndoEntry, type UndoState } from './state.js';

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

/** Where an undo comes from. */
export type RestoreSource =
  /** The run's saved state: its functions not restored yet, as the run that saved it. */
  | { state: UndoState; updateTimeoutSec?: number }
  /** The undo records the listed functions carry. */
  | ({ functions: string[] } & RestoreOptions);

export interface RestoreReport {
  /** One per function, in the order given. */
  results: RestoreResult[];
  /** Not put back: the undo failed, or a live run's record was left alone (that run restores it itself). */
  unrestored: RestoreResult[];
}

/** The one restore entry: from the run's saved state or from the functions' records. */
export async function restoreFunctions(deps: UndoDeps, source: RestoreSource): Promise<RestoreReport> {
  const results =
    'state' in source ? await undoPending(deps, source.state, source.updateTimeoutSec) : await restoreAll(deps, source.functions, source);
  return { results, unrestored: results.filter((r) => r.outcome === 'failed' || r.outcome === 'live') };
}

/** Restore one function from its record. Never throws: the result says what happened. */
export async function restoreFromRecord(deps: UndoDeps, name: string, opts: RestoreOptions = {}): Promise<RestoreResult> {
  let record: UndoRecord | undefined;
  try {
    const c = await getConfig(deps.lambda, name);
    const marker = readMarker(c);
    if (!marker.present) return { name, outcome: 'clean' };
    record = marker.record;
    const found = record ? { record, restoreMemory: record.restoreMemory } : { bare: true };
    if (opts.owned && !(record && opts.owned(record.runId))) return { name, outcome: 'not-owned', ...found };
    if (record && !opts.owned && !opts.force) {
      const nowMs = deps.now();
      const window = liveWindowMs(opts.updateTimeoutSec ?? DEFAULT_UPDATE_TIMEOUT_SEC, c.Timeout);
      if (markerState(record, nowMs, window) === 'live') {
        return { name, outcome: 'live', ...found, ageSec: Math.max(0, Math.round((nowMs - record.updatedAt) / 1000)) };
      }
    }
    // The record's own run: should another run's record replace it meanwhile, that one is left alone.
    const outcome = await undoFunction(deps, name, undefined, { updateTimeoutSec: opts.updateTimeoutSec, runId: record?.runId });
    return { name, outcome, ...found };
  } catch (e) {
    // The record (when read) says the original memory in the line.
    return { name, outcome: 'failed', error: safeMessage(e), cause: e, ...(record ? { record, restoreMemory: record.restoreMemory } : {}) };
  }
}

/** Restore every function from its record (concurrently); throws a CredentialsError once when the credentials are refused. */
export async function restoreAll(deps: UndoDeps, names: string[], opts: RestoreOptions = {}): Promise<RestoreResult[]> {
  const results = await Promise.all(names.map((n) => restoreFromRecord(deps, n, opts)));
  for (const r of results) if (r.outcome === 'failed') rethrowCredentials(r.cause);
  return results;
}

/** Undo every entry of the saved state not yet done, as the run `state.runId`, saying what was done. */
async function undoPending(deps: UndoDeps, state: UndoState, updateTimeoutSec?: number): Promise<RestoreResult[]> {
  const todo = state.entries.filter((e) => !state.done.includes(e.functionName));
  const runId = state.runId ?? deps.runId;
  return Promise.all(todo.map((entry) => undoEntry(deps, entry, { runId, region: state.region, updateTimeoutSec })));
}

async function undoEntry(
  deps: UndoDeps,
  entry: UndoEntry,
  o: { runId: string | undefined; region: string; updateTimeoutSec: number | undefined },
): Promise<RestoreResult> {
  const name = entry.functionName;
  const memory = restoreMemory(entry);
  try {
    const outcome = await undoFunction(deps, name, entry, { updateTimeoutSec: o.updateTimeoutSec, runId: o.runId });
    deps.log.info(`${name}: ${undoOutcomeText(outcome, memory)}`);
    return { name, outcome, restoreMemory: memory };
  } catch (e) {
    const error = safeMessage(e);
    deps.log.warning(
      `${name}: could not restore: ${error}. Its original memory is ${memory} MB; ` +
        `it keeps its undo record in ${NONCE_VARIABLE}: run \`${restoreCommand([name], o.region)}\` with valid credentials.`,
    );
    return { name, outcome: 'failed', error, cause: e, restoreMemory: memory };
  }
}
