/**
 * undo: remove COLDSTART_NONCE and put memory back — only our own change, so whatever someone else changed during the
 * run is kept. Idempotent: a function already clean is left alone. Used when a function is done, by the post step (from
 * the saved UndoState), and — when no saved state exists — from the undo record the function carries (restore.ts).
 *
 * Whose memory is it? Ours when the function's current RevisionId is one our updates produced (UndoEntry.ourRevisions),
 * or when it still carries our record and the memory our last update set (marker.ts: a change by anyone else either
 * replaced our record's revision or shows another size). Otherwise someone changed it after us: their memory and
 * variables are kept, only our variable is removed. Every update is conditional (RevisionId); on 412 the function is
 * read again and the decision made again.
 */
import type { UpdateFunctionConfigurationCommandInput, FunctionConfiguration } from '@aws-sdk/client-lambda';
import { safeMessage } from '../core/aws-errors.js';
import { UpdateError } from '../core/errors.js';
import { conditionalUpdate, waitUpdated } from './cycle.js';
import { readMarker, type MarkerRecord } from './marker.js';
import { NONCE_VARIABLE, type EngineDeps, type UndoEntry, type UndoState } from './types.js';

type UndoDeps = Pick<EngineDeps, 'lambda' | 'log' | 'now' | 'sleep'> & { runId?: string | undefined };

export type UndoDecision =
  /** Nothing of ours is on the function. */
  | { kind: 'clean' }
  /** Another run's record is on it: left alone. */
  | { kind: 'other-run'; record: MarkerRecord }
  /** `memory` is set when the memory is ours and goes back; `keptTheirs` when someone else's memory is kept. */
  | { kind: 'update'; input: UpdateFunctionConfigurationCommandInput; memory?: number; keptTheirs: boolean };

/**
 * What undoing means for this configuration. `entry`: the run's saved state (undefined: restore from the record alone);
 * `runId`: the run undoing (undefined: any run's record is restored — the `restore` command). PURE.
 */
export function decideUndo(entry: UndoEntry | undefined, c: FunctionConfiguration, runId?: string): UndoDecision {
  const marker = readMarker(c);
  const record = marker.record;
  if (record && runId !== undefined && record.runId !== runId) return { kind: 'other-run', record };
  const revisionOurs = c.RevisionId !== undefined && (entry?.ourRevisions?.includes(c.RevisionId) ?? false);
  const recordOurs = record?.setMemory !== undefined && c.MemorySize === record.setMemory;
  // A marker without a record (an older version's) and no revisions to go by: the sizes the run set decide.
  const legacyOurs =
    marker.present &&
    !record &&
    entry?.ourRevisions === undefined &&
    c.MemorySize !== undefined &&
    (entry?.setMemories ?? []).includes(c.MemorySize);
  const target = entry ? (entry.outsideMemory ?? entry.originalMemory) : record?.originalMemory;
  const memoryOurs = revisionOurs || recordOurs || legacyOurs;
  const setMemory = memoryOurs && target !== undefined && c.MemorySize !== target;
  if (!marker.present && !setMemory) return { kind: 'clean' };
  const input: UpdateFunctionConfigurationCommandInput = { FunctionName: entry?.functionName ?? c.FunctionName ?? '' };
  if (c.RevisionId) input.RevisionId = c.RevisionId;
  if (marker.present) {
    const rest: Record<string, string> = {};
    for (const [k, v] of Object.entries(c.Environment?.Variables ?? {})) if (k !== NONCE_VARIABLE) rest[k] = v;
    // A function that had no Environment ends with an empty one (Lambda shows none).
    input.Environment = { Variables: rest };
  }
  if (setMemory) input.MemorySize = target;
  const keptTheirs = !memoryOurs && (record?.setMemory ?? entry?.lastSetMemory) !== undefined && c.MemorySize !== target;
  return { kind: 'update', input, ...(setMemory ? { memory: target } : {}), keptTheirs };
}

/** The update that undoes our change, or undefined when there is nothing (of ours) to undo. PURE. */
export function buildUndo(entry: UndoEntry, c: FunctionConfiguration, runId?: string): UpdateFunctionConfigurationCommandInput | undefined {
  const d = decideUndo(entry, c, runId);
  return d.kind === 'update' ? d.input : undefined;
}

export type UndoOutcome = 'restored' | 'clean' | 'kept-theirs' | 'other-run';

/**
 * Undo one function: from `entry` (the run's state), or — `entry` undefined — from the record the function carries.
 * Throws on failure (the error keeps its cause). `runId`: whose record may be undone (undefined: any).
 */
export async function undoFunction(
  d: UndoDeps,
  name: string,
  entry: UndoEntry | undefined,
  opts: { updateTimeoutSec?: number; runId?: string | undefined } = {},
): Promise<UndoOutcome> {
  // Never abortable: an undo runs to the end even when the run was cancelled (no signal passed on).
  const deps: UndoDeps = { lambda: d.lambda, log: d.log, now: d.now, sleep: d.sleep };
  const deadlineMs = deps.now() + (opts.updateTimeoutSec ?? 120) * 1000;
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
        new Error(`${name}: restoring the configuration failed: ${safeMessage(e, Object.values(c.Environment?.Variables ?? {}))}`, {
          cause: e,
        }),
    }).catch((e: unknown) => {
      if (e instanceof UpdateError && e.timedOut) {
        throw new Error(`${name}: could not restore the configuration within the update timeout`, { cause: e });
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

/** Undo one function of the run's state (as the run `d.runId`). Returns what was done (undoOutcomeText says it). Throws on failure. */
export async function undoOne(d: UndoDeps, entry: UndoEntry, opts: { updateTimeoutSec?: number } = {}): Promise<UndoOutcome> {
  return undoFunction(d, entry.functionName, entry, { ...opts, runId: d.runId });
}

/** Undo every entry not yet done (post step), as the run `state.runId`. Idempotent. */
export async function undoAll(
  deps: UndoDeps,
  state: UndoState,
  opts: { updateTimeoutSec?: number } = {},
): Promise<{ restored: string[]; failed: { name: string; error: string; originalMemory: number }[] }> {
  const restored: string[] = [];
  const failed: { name: string; error: string; originalMemory: number }[] = [];
  const todo = state.entries.filter((e) => !state.done.includes(e.functionName));
  const runId = state.runId ?? deps.runId;
  await Promise.all(
    todo.map(async (entry) => {
      try {
        const r = await undoFunction(deps, entry.functionName, entry, { ...opts, runId });
        restored.push(entry.functionName);
        deps.log.info(`${entry.functionName}: ${undoOutcomeText(r, entry.outsideMemory ?? entry.originalMemory)}`);
      } catch (e) {
        const error = safeMessage(e);
        failed.push({ name: entry.functionName, error, originalMemory: entry.outsideMemory ?? entry.originalMemory });
        deps.log.warning(
          `${entry.functionName}: could not restore: ${error}. Its original memory is ${entry.outsideMemory ?? entry.originalMemory} MB; ` +
            `it keeps its undo record in ${NONCE_VARIABLE}: run \`${restoreCommand([entry.functionName], state.region)}\` with valid credentials.`,
        );
      }
    }),
  );
  return { restored, failed };
}

/** What an undo did, as a sentence. PURE. */
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

/**
 * The exact command that puts the functions back from their undo records. Said only by a run that knows the run whose
 * records they are is over (its own undo failed or was abandoned, a dead main step): `--force`, since those records were
 * updated moments ago and `restore` would otherwise take them for a live run's. PURE.
 */
export function restoreCommand(names: string[], region?: string): string {
  return `lambda-coldstart restore --functions ${names.join(',')}${region ? ` --region ${region}` : ''} --force`;
}
