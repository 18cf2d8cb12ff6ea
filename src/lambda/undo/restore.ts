/**
 * Putting functions back after a run, whoever does it: the post step (from the saved state, or — without one — from the
 * records of its own run), the action's `mode: restore`, `lambda-coldstart restore`, and a new run that finds the record
 * of a run that died. `restoreFunctions` is the one entry; it answers one RestoreResult per function and never throws
 * for a single function (only refused credentials stop it, once). Idempotent: a function without our variable is left
 * as it is; one whose variable holds no record of this tool is left alone and said so.
 */
import { DEFAULT_UPDATE_TIMEOUT_SEC } from '../../config/limits.js';
import { safeMessage } from '../../core/aws-errors.js';
import { rethrowCredentials } from '../../core/errors.js';
import { getConfig } from '../cycle.js';
import { lambdaNow } from '../server-time.js';
import { undoFunction, type UndoDeps } from './apply.js';
import { liveness, NO_CHECK, type CheckWriter, type Liveness } from './liveness.js';
import { undoOutcomeText, type RestoreResult } from './messages.js';
import { readMarker, type UndoRecord } from './record.js';
import { restoreMemory, type UndoEntry, type UndoState } from './state.js';

export interface RestoreOptions {
  updateTimeoutSec?: number;
  /**
   * Restore only records of these runs (the post step: its own run, whose main step is over by definition: restored
   * whatever their age); default: any record whose run is not live.
   */
  owned?: (record: UndoRecord) => boolean | Promise<boolean>;
  /** Restore a record whose run may still be changing the function too. */
  force?: boolean;
  /** Looks at a record's writer (its process, its workflow run) before the guessed window is used. */
  checkWriter?: CheckWriter;
  /** The region, for the commands the lines suggest. */
  region?: string;
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
  /** Not put back: the undo failed, a live run's record was left alone, or our variable holds no record of this tool. */
  unrestored: RestoreResult[];
}

/**
 * What is left not put back: from records, a failure, a live run's record or a value that is no record; from the run's
 * own state, a failure only (its own change is undone even when our variable now holds someone else's value).
 */
const UNRESTORED = {
  records: new Set<RestoreResult['outcome']>(['failed', 'live', 'not-a-record']),
  state: new Set<RestoreResult['outcome']>(['failed']),
};

/**
 * The one restore entry: from the run's saved state or from the functions' records. Lines for what was done go to the
 * log (from the state) or to the caller; what is left not put back is the caller's to say, once (`unrestored`).
 */
export async function restoreFunctions(deps: UndoDeps, source: RestoreSource): Promise<RestoreReport> {
  const fromState = 'state' in source;
  const results = fromState
    ? await undoPending(deps, source.state, source.updateTimeoutSec)
    : await restoreAll(deps, source.functions, source);
  const left = fromState ? UNRESTORED.state : UNRESTORED.records;
  return { results, unrestored: results.filter((r) => left.has(r.outcome)) };
}

/** Restore one function from its record. Never throws: the result says what happened. */
export async function restoreFromRecord(deps: UndoDeps, name: string, opts: RestoreOptions = {}): Promise<RestoreResult> {
  let record: UndoRecord | undefined;
  try {
    const c = await getConfig(deps.lambda, name);
    const marker = readMarker(c);
    if (!marker.present) return { name, outcome: 'clean' };
    if (!('record' in marker)) return { name, outcome: 'not-a-record' };
    record = marker.record;
    const found = { record, restoreMemory: record.restoreMemory };
    if (opts.owned && !(await opts.owned(record))) return { name, outcome: 'not-owned', ...found };
    let judged: Liveness | undefined;
    if (!opts.owned && !opts.force) {
      judged = await liveness(record, c, {
        check: opts.checkWriter ?? NO_CHECK,
        lambdaNowMs: lambdaNow(deps.lambda, deps.now),
        updateTimeoutSec: opts.updateTimeoutSec ?? DEFAULT_UPDATE_TIMEOUT_SEC,
      });
      if (judged.state === 'live') return { name, outcome: 'live', ...found, liveness: judged };
    }
    // The record's own run: should another run's record replace it meanwhile, that one is left alone.
    const o = await undoFunction(deps, name, undefined, { updateTimeoutSec: opts.updateTimeoutSec, runId: record.runId });
    return {
      name,
      outcome: o.kind,
      ...found,
      ...(o.memory === undefined ? {} : { memory: o.memory }),
      ...(judged ? { liveness: judged } : {}),
    };
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
  return Promise.all(todo.map((entry) => undoEntry(deps, entry, { runId, updateTimeoutSec })));
}

async function undoEntry(
  deps: UndoDeps,
  entry: UndoEntry,
  o: { runId: string | undefined; updateTimeoutSec: number | undefined },
): Promise<RestoreResult> {
  const name = entry.functionName;
  const memory = restoreMemory(entry);
  try {
    const outcome = await undoFunction(deps, name, entry, { updateTimeoutSec: o.updateTimeoutSec, runId: o.runId });
    const line = `${name}: ${undoOutcomeText(outcome)}`;
    if (outcome.recordRemoved || outcome.kind === 'not-a-record') deps.log.notice(line);
    else deps.log.info(line);
    return {
      name,
      outcome: outcome.kind,
      restoreMemory: memory,
      ...(outcome.memory === undefined ? {} : { memory: outcome.memory }),
      ...(outcome.recordRemoved ? { recordRemoved: true } : {}),
    };
  } catch (e) {
    // Said once, by the caller (with the command that puts it back).
    return { name, outcome: 'failed', error: safeMessage(e), cause: e, restoreMemory: memory };
  }
}
