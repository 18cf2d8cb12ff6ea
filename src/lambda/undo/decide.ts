/**
 * Whose change is on the function, and what undoing ours means. PURE.
 *
 * The memory is ours when the function's current RevisionId is one our updates produced (UndoEntry.ourRevisions), or
 * when it still carries our record and the memory our last update set (a change by anyone else either replaced our
 * record's revision or shows another size). Otherwise someone changed it after us: their memory and variables are kept,
 * only our variable is removed.
 */
import type { FunctionConfiguration, UpdateFunctionConfigurationCommandInput } from '@aws-sdk/client-lambda';
import { NONCE_VARIABLE, readMarker, type UndoRecord } from './record.js';
import { restoreMemory, type UndoEntry } from './state.js';

export type UndoDecision =
  /** Nothing of ours is on the function. */
  | { kind: 'clean' }
  /** Another run's record is on it: left alone. */
  | { kind: 'other-run'; record: UndoRecord }
  /** `memory` is set when the memory is ours and goes back; `keptTheirs` when someone else's memory is kept. */
  | { kind: 'update'; input: UpdateFunctionConfigurationCommandInput; memory?: number; keptTheirs: boolean };

/**
 * What undoing means for this configuration. `entry`: the run's saved state (undefined: restore from the record alone);
 * `runId`: the run undoing (undefined: any run's record is restored — the `restore` command).
 */
export function decideUndo(entry: UndoEntry | undefined, c: FunctionConfiguration, runId?: string): UndoDecision {
  const marker = readMarker(c);
  const record = marker.record;
  if (record && runId !== undefined && record.runId !== runId) return { kind: 'other-run', record };
  const revisionOurs = c.RevisionId !== undefined && (entry?.ourRevisions?.includes(c.RevisionId) ?? false);
  const recordOurs = record?.setMemory !== undefined && c.MemorySize === record.setMemory;
  // A bare COLDSTART_NONCE (no record) and no revisions to go by: the sizes the run set decide. Kept because the saved
  // state of such a run still says which sizes were ours (tests hold the post step to it).
  const bareOurs =
    marker.present &&
    !record &&
    entry?.ourRevisions === undefined &&
    c.MemorySize !== undefined &&
    (entry?.setMemories ?? []).includes(c.MemorySize);
  const target = entry ? restoreMemory(entry) : record?.restoreMemory;
  const memoryOurs = revisionOurs || recordOurs || bareOurs;
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

/** The update that undoes our change, or undefined when there is nothing (of ours) to undo. */
export function buildUndo(entry: UndoEntry, c: FunctionConfiguration, runId?: string): UpdateFunctionConfigurationCommandInput | undefined {
  const d = decideUndo(entry, c, runId);
  return d.kind === 'update' ? d.input : undefined;
}
