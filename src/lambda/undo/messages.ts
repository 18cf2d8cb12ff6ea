/** What an undo did, and the sentences that say it — to the log, the step's failure, the terminal. PURE. */
import { NONCE_VARIABLE, type UndoRecord } from './record.js';

/** What undoing one function did. */
export type UndoOutcome = 'restored' | 'clean' | 'kept-theirs' | 'other-run';

export interface RestoreResult {
  name: string;
  /** live: the record's run updated the function recently and may still be changing it: left alone (unless forced). */
  outcome: UndoOutcome | 'failed' | 'not-owned' | 'live';
  /** The memory an undo puts back (from the run's saved state, or the record), when known. */
  restoreMemory?: number;
  /** The record the function carried (restored from its record). */
  record?: UndoRecord;
  /** Our variable without a record (an older version's): only the variable could be removed. */
  bare?: boolean;
  error?: string;
  /** The error itself (its cause kept), for classification. */
  cause?: unknown;
  /** Seconds since the record's last update (a live record). */
  ageSec?: number;
}

/** The one sentence for "another run is changing this function" (preflight and the engine say it alike). */
export function ownershipMessage(name: string, record: UndoRecord, nowMs: number): string {
  const ago = Math.max(0, Math.round((nowMs - record.updatedAt) / 1000));
  return (
    `${name}: run ${record.runId} is changing this function (its last update ${ago} s ago), so this run left it alone; ` +
    'give the workflows that measure it one concurrency group (`concurrency:` in the workflow), or wait until that run has finished ' +
    `(if it died, \`${restoreCommand([name])}\` puts the function back now)`
  );
}

/**
 * The one sentence for "a run left this function changed on purpose (restore: false)": its record holds the true original,
 * which measuring would overwrite (and our undo then delete).
 */
export function keptRecordMessage(name: string, record: UndoRecord): string {
  return (
    `${name}: carries the undo record run ${record.runId} left on purpose (restore: false), which holds its original memory ` +
    `(${record.restoreMemory} MB): run \`lambda-coldstart restore --functions ${name}\` (or the action with mode: restore) first, ` +
    `or measure it as it is by removing ${NONCE_VARIABLE} from its environment variables`
  );
}

/** What an undo did, as a sentence. */
export function undoOutcomeText(r: UndoOutcome, memory: number | undefined): string {
  switch (r) {
    case 'clean':
      return 'nothing left to undo';
    case 'other-run':
      return 'carries the undo record of another run now; left alone';
    case 'kept-theirs':
      return `${NONCE_VARIABLE} removed; its memory was changed by someone else after the run and is kept`;
    case 'restored':
      return `configuration restored (memory ${memory ?? 'unchanged'}${memory === undefined ? '' : ' MB'}, ${NONCE_VARIABLE} removed)`;
  }
}

/** One line per function restored from its record, saying what was done. */
export function restoreLine(r: RestoreResult): string {
  const run = r.record ? `run ${r.record.runId}` : 'an earlier run';
  const memory = r.restoreMemory;
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
 * The exact command that puts the functions back from their undo records. Said only by a run that knows the run whose
 * records they are is over (its own undo failed or was abandoned, a dead main step): `--force`, since those records were
 * updated moments ago and `restore` would otherwise take them for a live run's.
 */
export function restoreCommand(names: string[], region?: string): string {
  return `lambda-coldstart restore --functions ${names.join(',')}${region ? ` --region ${region}` : ''} --force`;
}

/** The post step's failure: what could not be restored, and how to put it back. */
export function unrestoredSentence(failed: RestoreResult[], region: string): string {
  return `${failed.map(restoreLine).join('; ')}; each keeps its undo record: run \`${restoreCommand(
    failed.map((f) => f.name),
    region,
  )}\` with valid credentials, or the action with mode: restore`;
}
