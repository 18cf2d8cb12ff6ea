/**
 * Applying an undo: remove COLDSTART_NONCE and put memory back — only our own change (decide.ts), so whatever someone
 * else changed during the run is kept. Idempotent: a function already clean is left alone. Every update is conditional
 * (RevisionId); on 412 the function is read again and the decision made again, and after our update the function is
 * read once more in case another client raced us.
 */
import { safeMessage } from '../../core/aws-errors.js';
import { UpdateError } from '../../core/errors.js';
import { conditionalUpdate, waitUpdated } from '../cycle.js';
import type { EngineDeps } from '../types.js';
import { decideUndo } from './decide.js';
import type { UndoOutcome } from './messages.js';
import { encodeMarker, NONCE_VARIABLE, readMarker } from './record.js';
import type { UndoEntry } from './state.js';

/** What an undo needs: the Lambda client, the log and the clock — never the run's signal (an undo is not cancelled). */
export type UndoDeps = Pick<EngineDeps, 'lambda' | 'log' | 'now' | 'sleep'> & { runId?: string | undefined };

/** How long one undo may take when the caller names no update timeout. */
export const UNDO_TIMEOUT_SEC = 120;
/** How long marking a record as left on purpose may take. */
const KEEP_RECORD_TIMEOUT_SEC = 60;

/**
 * Undo one function: from `entry` (the run's state), or — `entry` undefined — from the record the function carries.
 * Throws on failure (the error keeps its cause). `runId`: whose record may be undone (undefined: any).
 */
export async function undoFunction(
  d: UndoDeps,
  name: string,
  entry: UndoEntry | undefined,
  opts: { updateTimeoutSec?: number | undefined; runId?: string | undefined } = {},
): Promise<UndoOutcome> {
  // Never abortable: an undo runs to the end even when the run was cancelled (no signal passed on).
  const deps: UndoDeps = { lambda: d.lambda, log: d.log, now: d.now, sleep: d.sleep };
  const deadlineMs = deps.now() + (opts.updateTimeoutSec ?? UNDO_TIMEOUT_SEC) * 1000;
  let keptTheirs = false;
  let changed = false;
  for (;;) {
    // 412 → re-read and decide again (someone changed it); 409 → wait for the other update (conditionalUpdate).
    const r = await conditionalUpdate<'clean' | 'other-run'>(deps, name, {
      deadlineMs,
      build: (c) => {
        const decision = decideUndo(entry, c, opts.runId);
        if (decision.kind !== 'update') return { done: decision.kind };
        keptTheirs = decision.keptTheirs;
        return decision.input;
      },
      failed: (e, c) =>
        new UpdateError(
          `${name}: restoring the configuration failed: ${safeMessage(e, Object.values(c.Environment?.Variables ?? {}))}`,
          false,
          {
            cause: e,
          },
        ),
    }).catch((e: unknown) => {
      if (e instanceof UpdateError && e.timedOut) {
        throw new UpdateError(`${name}: could not restore the configuration within the update timeout`, true, { cause: e });
      }
      throw e;
    });
    if (!r.sent) {
      if (r.done === 'other-run') return changed ? 'restored' : 'other-run';
      return changed ? (keptTheirs ? 'kept-theirs' : 'restored') : 'clean';
    }
    changed = true;
    // Verify on the next pass: another client may have raced us between the read and the update.
    await waitUpdated(deps, name, { deadlineMs });
  }
}

/** Undo one function of the run's state, as the run `d.runId` (the engine, when a function is done). Throws on failure. */
export async function undoOne(d: UndoDeps, entry: UndoEntry, opts: { updateTimeoutSec?: number } = {}): Promise<UndoOutcome> {
  return undoFunction(d, entry.functionName, entry, { ...opts, runId: d.runId });
}

/**
 * `restore: false`: the run leaves its change on purpose. Its record is marked so (`k=1`): no later run takes it for a
 * live run or for a dead run's leftover, and `lambda-coldstart restore` can still put the original back. Conditional on
 * RevisionId; a record that is not this run's is left alone. Never throws (a warning says what failed).
 */
export async function keepRecord(deps: UndoDeps, name: string, runId: string): Promise<void> {
  const deadlineMs = deps.now() + KEEP_RECORD_TIMEOUT_SEC * 1000;
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
      failed: (e, c) => new UpdateError(safeMessage(e, Object.values(c.Environment?.Variables ?? {})), false, { cause: e }),
    });
    if (r.sent) await waitUpdated(deps, name, { deadlineMs });
  } catch (e) {
    deps.log.warning(`${name}: could not mark its undo record as left on purpose (${safeMessage(e)}); a later run will restore it first`);
  }
}
