/**
 * Applying an undo: remove COLDSTART_NONCE and put memory back — only our own change (decide.ts), so whatever someone
 * else changed during the run is kept. Idempotent: a function already clean is left alone. Every update is conditional
 * (RevisionId); on 412 the function is read again and the decision made again, and after our update the function is
 * read once more in case another client raced us.
 */
import { safeMessage } from '../../core/aws-errors.js';
import { UpdateError } from '../../core/errors.js';
import { conditionalUpdate, waitUpdated } from '../cycle.js';
import { lambdaNow } from '../server-time.js';
import type { EngineDeps } from '../types.js';
import { decideUndo, type UndoDecision } from './decide.js';
import type { UndoOutcome } from './messages.js';
import { encodeMarker, NONCE_VARIABLE, recordOf } from './record.js';
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
  let last: UndoDecision | undefined;
  /** What the function showed before our own undo changed anything (a removed record is someone else's doing only then). */
  let before: UndoDecision | undefined;
  /** The memory the accepted undo updates put back. */
  let memory: number | undefined;
  let changed = false;
  for (;;) {
    // 412 → re-read and decide again (someone changed it); 409 → wait for the other update (conditionalUpdate).
    let building: number | undefined; // the memory of the update built last (after a 412, a new decision)
    const r = await conditionalUpdate<'nothing'>(deps, name, {
      deadlineMs,
      build: (c) => {
        last = decideUndo(entry, c, opts.runId);
        if (!changed) before = last;
        if (last.kind !== 'undo' || last.input === undefined) return { done: 'nothing' };
        building = last.memory;
        return last.input;
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
    if (!r.sent) return outcome(before, last, changed, memory);
    changed = true;
    memory = building ?? memory;
    // Verify on the next pass: another client may have raced us between the read and the update.
    await waitUpdated(deps, name, { deadlineMs });
  }
}

/** The outcome from the first decision (what the function showed), the last one (what it shows now) and what we did. */
function outcome(
  before: UndoDecision | undefined,
  last: UndoDecision | undefined,
  changed: boolean,
  memory: number | undefined,
): UndoOutcome {
  const facts = before?.kind === 'undo' ? before : undefined;
  const extra = { ...(memory === undefined ? {} : { memory }), ...(facts?.recordRemoved ? { recordRemoved: true } : {}) };
  if (last?.kind === 'other-run' && !changed) return { kind: 'other-run' };
  if (facts?.notARecord) return { kind: 'not-a-record', ...extra };
  const keptTheirs = last?.kind === 'undo' ? last.keptTheirs || (facts?.keptTheirs ?? false) : false;
  if (keptTheirs) return { kind: 'kept-theirs', ...extra };
  return { kind: changed ? 'restored' : 'clean', ...extra };
}

/** Undo one function of the run's state, as the run `d.runId` (the engine, when a function is done). Throws on failure. */
export async function undoOne(d: UndoDeps, entry: UndoEntry, opts: { updateTimeoutSec?: number } = {}): Promise<UndoOutcome> {
  return undoFunction(d, entry.functionName, entry, { ...opts, runId: d.runId });
}

/** A function a run left changed on purpose (`restore: false`), for the line that says so. */
export interface KeptFunction {
  name: string;
  /** Its memory size as the run left it. */
  memory?: number;
  /** The memory size its record puts back. */
  restoreMemory: number;
  /** The record is marked as left on purpose (false: marking failed; a warning said why). */
  marked: boolean;
}

/**
 * `restore: false`: the run leaves its change on purpose. Its record is marked so (`k=1`): no later run takes it for a
 * live run or for a dead run's leftover, and `lambda-coldstart restore` can still put the original back. Conditional on
 * RevisionId; a record that is not this run's is left alone (undefined: nothing of this run's is on the function).
 * Never throws (a warning says what failed).
 */
export async function keepRecord(deps: UndoDeps, name: string, runId: string): Promise<KeptFunction | undefined> {
  const deadlineMs = deps.now() + KEEP_RECORD_TIMEOUT_SEC * 1000;
  let kept: KeptFunction | undefined;
  try {
    const r = await conditionalUpdate<undefined>(deps, name, {
      deadlineMs,
      build: (c) => {
        const record = recordOf(c);
        if (!record || record.runId !== runId) return { done: undefined };
        kept = {
          name,
          restoreMemory: record.restoreMemory,
          marked: record.kept === true,
          ...(c.MemorySize ? { memory: c.MemorySize } : {}),
        };
        if (record.kept) return { done: undefined };
        const updatedAt = lambdaNow(deps.lambda, deps.now);
        const vars = { ...(c.Environment?.Variables ?? {}), [NONCE_VARIABLE]: encodeMarker({ ...record, kept: true, updatedAt }) };
        return { FunctionName: name, Environment: { Variables: vars }, ...(c.RevisionId ? { RevisionId: c.RevisionId } : {}) };
      },
      failed: (e, c) => new UpdateError(safeMessage(e, Object.values(c.Environment?.Variables ?? {})), false, { cause: e }),
    });
    if (r.sent) await waitUpdated(deps, name, { deadlineMs });
    if (kept) kept.marked = true;
  } catch (e) {
    deps.log.warning(`${name}: could not mark its undo record as left on purpose (${safeMessage(e)}); a later run will restore it first`);
  }
  return kept;
}
