/**
 * What an undo did, and the sentences that say it — to the log, the step's failure, the terminal. PURE.
 *
 * Everything a sentence says of a record comes from its strictly parsed fields (record.ts: a run id of a known form,
 * numbers): the raw value of COLDSTART_NONCE is never printed. Every command a sentence suggests runs as printed.
 */
import type { Liveness } from './liveness.js';
import { NONCE_VARIABLE, type UndoRecord } from './record.js';

/**
 * What undoing one function did: restored (memory and/or our variable put back), clean (nothing of ours), kept-theirs
 * (someone else's memory kept), other-run (another run's record: left alone), not-a-record (our variable holds a value
 * that is not a record of this tool: left alone).
 */
export type UndoKind = 'restored' | 'clean' | 'kept-theirs' | 'other-run' | 'not-a-record';

export interface UndoOutcome {
  kind: UndoKind;
  /** The memory size put back (absent: memory left as it was). */
  memory?: number;
  /** Someone else's change had removed the run's record (their variables are kept). */
  recordRemoved?: boolean;
}

export interface RestoreResult {
  name: string;
  /** live: the record's run may still be changing the function: left alone (unless forced). */
  outcome: UndoKind | 'failed' | 'not-owned' | 'live';
  /** The memory put back (restored), when it was. */
  memory?: number;
  /** The memory an undo puts back (from the run's saved state, or the record), when known: said when it failed. */
  restoreMemory?: number;
  /** The record the function carried (restored from its record). */
  record?: UndoRecord;
  /** Which check judged the record's run (live or stale), as a clause. */
  liveness?: Liveness;
  recordRemoved?: boolean;
  error?: string;
  /** The error itself (its cause kept), for classification. */
  cause?: unknown;
}

/**
 * The exact command that puts the functions back from their undo records, as it runs when printed. `force`: for records
 * whose run may look live (a run that knows the run is over: its own undo failed or was abandoned).
 */
export function restoreCommand(names: string[], region?: string, force = true): string {
  return `lambda-coldstart restore --functions ${names.join(',')}${region ? ` --region ${region}` : ''}${force ? ' --force' : ''}`;
}

const NOT_A_RECORD = `its ${NONCE_VARIABLE} variable holds a value that is not an undo record of lambda-coldstart (not shown), so this tool leaves it alone`;

/** The one sentence for "our variable holds something else": said once per function. */
export function notARecordMessage(name: string): string {
  return `${name}: ${NOT_A_RECORD}; check the function's variables and remove ${NONCE_VARIABLE} if nobody needs it, then run again`;
}

/** The one sentence for "another run is changing this function" (preflight and the engine say it alike). */
export function ownershipMessage(name: string, record: UndoRecord, reason: string, region?: string): string {
  return (
    `${name}: run ${record.runId} is changing this function (${reason}), so this run left it alone; ` +
    'give the workflows that measure it one concurrency group (`concurrency:` in the workflow), or wait until that run has finished ' +
    `(if it died, \`${restoreCommand([name], region)}\` puts the function back now)`
  );
}

/**
 * The one sentence for "a run left this function changed on purpose (restore: false)": its record holds the true original,
 * which measuring would overwrite (and our undo then delete).
 */
export function keptRecordMessage(name: string, record: UndoRecord, region?: string): string {
  return (
    `${name}: carries the undo record run ${record.runId} left on purpose (restore: false), which holds its original memory ` +
    `(${record.restoreMemory} MB): run \`${restoreCommand([name], region, false)}\` (or the action with mode: restore) first, ` +
    `or measure it as it is by removing ${NONCE_VARIABLE} from its environment variables`
  );
}

const REMOVED = `someone else's change had replaced its environment variables, removing the undo record (${NONCE_VARIABLE}); their variables are kept`;

/** What an undo did, as a clause after the function's name. */
export function undoOutcomeText(o: UndoOutcome): string {
  const memory = o.memory === undefined ? 'memory left as it was' : `memory back to ${o.memory} MB`;
  const removed = o.recordRemoved ? `; ${REMOVED}` : '';
  switch (o.kind) {
    case 'clean':
      return o.recordRemoved ? `nothing of this run's left to undo${removed}` : 'nothing left to undo';
    case 'other-run':
      return 'carries the undo record of another run now; left alone';
    case 'not-a-record':
      return `${NOT_A_RECORD}; ${memory}${removed}`;
    case 'kept-theirs':
      return `${o.recordRemoved ? '' : `${NONCE_VARIABLE} removed; `}its memory was changed by someone else after the run and is kept${removed}`;
    case 'restored':
      return `configuration restored (${memory}${o.recordRemoved ? '' : `, ${NONCE_VARIABLE} removed`})${removed}`;
  }
}

/** One line per function restored from its record, saying what was done. `region`: for the commands it suggests. */
export function restoreLine(r: RestoreResult, region?: string): string {
  const run = r.record ? `run ${r.record.runId}` : 'an earlier run';
  switch (r.outcome) {
    case 'clean':
      return `${r.name}: carries no undo record (${NONCE_VARIABLE}); nothing to restore`;
    case 'not-owned':
      return `${r.name}: carries the undo record of ${run}, not this run's; left alone`;
    case 'not-a-record':
      return `${r.name}: ${NOT_A_RECORD}; check the function's variables and remove ${NONCE_VARIABLE} if nobody needs it`;
    case 'live':
      return (
        `${r.name}: ${run} may still be changing it (${r.liveness?.reason ?? 'recently updated'}); left alone: wait for that run to ` +
        `finish (it restores the function itself), or force the restore with \`${restoreCommand([r.name], region)}\``
      );
    case 'other-run':
      return `${r.name}: another run's record replaced ${run}'s meanwhile; left alone`;
    case 'kept-theirs':
      return `${r.name}: ${NONCE_VARIABLE} of ${run} removed; its memory was changed by someone else after that run and is kept`;
    case 'restored': {
      const why = r.liveness && r.liveness.state === 'stale' ? ` (${r.liveness.reason})` : '';
      const memory = r.memory === undefined ? 'memory left as it was' : `memory ${r.memory} MB`;
      return `${r.name}: restored from the undo record of ${run}${why}: ${memory}, ${NONCE_VARIABLE} removed`;
    }
    case 'failed':
      return `${r.name}: could not restore: ${r.error ?? 'unknown error'}${r.restoreMemory === undefined ? '' : `; its original memory is ${r.restoreMemory} MB`}`;
  }
}

/** The failure of a step that could not put functions back: what, and the command that does it (one message). */
export function unrestoredSentence(failed: RestoreResult[], region: string): string {
  const retry = failed.filter((f) => f.outcome === 'failed');
  const hint =
    retry.length === 0
      ? ''
      : `; ${retry.length === 1 ? 'it keeps its' : 'each keeps its'} undo record: run \`${restoreCommand(
          retry.map((f) => f.name),
          region,
        )}\` with valid credentials, or the action with mode: restore`;
  return `${failed.map((f) => restoreLine(f, region)).join('; ')}${hint}`;
}
