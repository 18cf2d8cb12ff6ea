/**
 * What undoing a run's change means for a configuration, field by field. PURE.
 *
 * - Our variable: removed when it holds a record of this run (or, restoring from the record alone, of the run named);
 *   another run's record, or a value that is not a record of this tool, is left alone.
 * - Memory: put back when it is ours — with the run's own knowledge (its saved state), when the function still has the
 *   size the run's latest update left (or the size of an update whose outcome it does not know): nobody changed memory
 *   since, whether or not our record survived (another tool may have replaced the variables wholesale). From the record
 *   alone, when the function still has the size that record says its run set. Any other size is someone else's: kept.
 * - Someone else's variables are never touched: the update names Environment only when our variable goes.
 */
import type { FunctionConfiguration, UpdateFunctionConfigurationCommandInput } from '@aws-sdk/client-lambda';
import { NONCE_VARIABLE, readMarker, type UndoRecord } from './record.js';
import { restoreMemory, type UndoEntry } from './state.js';

/** What else an undo found on the function, besides what it changed back. */
export interface UndoFacts {
  /** Someone else's memory size is on the function and is kept. */
  keptTheirs: boolean;
  /** The run's record is gone: someone else's change replaced the variables after the run's last update. */
  recordRemoved: boolean;
  /** Our variable holds a value that is not a record of this tool: left alone (its text is never printed). */
  notARecord: boolean;
}

export type UndoDecision =
  /** Another run's record is on it: left alone. */
  | { kind: 'other-run'; record: UndoRecord }
  /** `input` undefined: nothing to change. `memory`: the size put back. */
  | ({ kind: 'undo'; input?: UpdateFunctionConfigurationCommandInput; memory?: number } & UndoFacts);

/** The memory is the run's own (see the module comment). PURE. */
function memoryIsOurs(entry: UndoEntry | undefined, c: FunctionConfiguration, record: UndoRecord | undefined): boolean {
  const size = c.MemorySize;
  if (size === undefined) return false;
  if (entry) return size === entry.ourMemory || size === entry.pendingMemory;
  return record?.setMemory !== undefined && size === record.setMemory;
}

/** The run changed memory at all (so a size other than ours is someone else's, kept). */
function runSetMemory(entry: UndoEntry | undefined, record: UndoRecord | undefined): boolean {
  if (entry) return entry.ourMemory !== undefined || entry.pendingMemory !== undefined || entry.outsideMemory !== undefined;
  return record?.setMemory !== undefined;
}

/**
 * `entry`: the run's saved state (undefined: restore from the record alone); `runId`: the run undoing (undefined: the
 * record's own run — the `restore` command).
 */
export function decideUndo(entry: UndoEntry | undefined, c: FunctionConfiguration, runId?: string): UndoDecision {
  const marker = readMarker(c);
  const record = marker.present && 'record' in marker ? marker.record : undefined;
  if (record && runId !== undefined && record.runId !== runId) return { kind: 'other-run', record };
  const notARecord = marker.present && record === undefined;
  const target = entry ? restoreMemory(entry) : record?.restoreMemory;
  const ours = memoryIsOurs(entry, c, record);
  const setMemory = ours && target !== undefined && c.MemorySize !== target;
  const revisionOurs = c.RevisionId !== undefined && (entry?.ourRevisions ?? []).includes(c.RevisionId);
  const facts: UndoFacts = {
    keptTheirs: !ours && runSetMemory(entry, record) && c.MemorySize !== target,
    // The run made an update (it has revisions), yet its record is gone under someone else's revision.
    recordRemoved: entry !== undefined && !marker.present && (entry.ourRevisions?.length ?? 0) > 0 && !revisionOurs,
    notARecord,
  };
  if (!record && !setMemory) return { kind: 'undo', ...facts };
  const input: UpdateFunctionConfigurationCommandInput = { FunctionName: entry?.functionName ?? c.FunctionName ?? '' };
  if (c.RevisionId) input.RevisionId = c.RevisionId;
  if (record) {
    const rest: Record<string, string> = {};
    for (const [k, v] of Object.entries(c.Environment?.Variables ?? {})) if (k !== NONCE_VARIABLE) rest[k] = v;
    // `{Variables: {}}` is Lambda's way to remove the last variable: it then shows no Environment at all, as a function
    // created without variables does (`Environment: {}` would leave the variables as they are).
    input.Environment = { Variables: rest };
  }
  if (setMemory) input.MemorySize = target;
  return { kind: 'undo', input, ...(setMemory ? { memory: target } : {}), ...facts };
}

/** The update that undoes our change, or undefined when there is nothing (of ours) to undo. */
export function buildUndo(entry: UndoEntry, c: FunctionConfiguration, runId?: string): UpdateFunctionConfigurationCommandInput | undefined {
  const d = decideUndo(entry, c, runId);
  return d.kind === 'undo' ? d.input : undefined;
}
