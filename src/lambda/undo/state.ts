/**
 * The run's saved state of its undo: per function, the original memory, someone else's memory set during the run, and
 * which revisions are ours. Saved (GITHUB_STATE, via the engine's hook) before the first change and after every change,
 * so the post step can undo what a dead main step left; the function's own record (record.ts) is the second copy.
 */
import type { NONCE_VARIABLE } from './record.js';

/** One function of the run's saved state: what an undo needs to put it back — never environment values. */
export interface UndoEntry {
  functionName: string;
  /** Its memory size before the run. */
  originalMemory: number;
  hadEnvironment: boolean;
  /**
   * The memory size our latest accepted update left on the function — a size the run set, known to be its own since no
   * one else changed memory after it. Absent: the run has set none (or someone else set theirs after it).
   */
  ourMemory?: number;
  /** The memory size of an update sent (or about to be) whose outcome is not known yet: it may be on the function. */
  pendingMemory?: number;
  /** The memory someone else set during the run (we then measured at ours again): undo restores theirs, not the original. */
  outsideMemory?: number;
  /**
   * The RevisionIds our own UpdateFunctionConfiguration calls produced (the response's, and the one of the configuration
   * we waited for when it still shows what we wrote), most recent last (the engine's UndoTracker fills it): a current
   * revision among them means nobody changed the function since our last update.
   */
  ourRevisions?: string[];
}

export interface UndoState {
  version: 1;
  region: string;
  variable: typeof NONCE_VARIABLE;
  entries: UndoEntry[];
  /** Function names already restored. */
  done: string[];
  /** The run whose undo records the functions carry (EngineDeps.runId). */
  runId?: string;
}

/** The memory an undo puts back: the size someone else set during the run (theirs is kept), else the original. */
export function restoreMemory(entry: Pick<UndoEntry, 'originalMemory' | 'outsideMemory'>): number {
  return entry.outsideMemory ?? entry.originalMemory;
}
