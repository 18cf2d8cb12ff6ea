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
  /** The memory size of the latest update we sent (or were about to send). */
  lastSetMemory?: number;
  /**
   * Every memory size we may have set. Only a bare COLDSTART_NONCE (no record, no revisions) is judged by it: undo
   * restores memory when the current one is among them.
   */
  setMemories?: number[];
  /** The memory someone else set during the run (we then measured at ours again): undo restores theirs, not the original. */
  outsideMemory?: number;
  /**
   * The RevisionIds our own UpdateFunctionConfiguration calls produced (the response's, and the one of the configuration
   * we waited for when it still shows what we wrote), most recent last (the engine's UndoTracker fills it). Undo restores
   * memory only when the function's current RevisionId is one of them, or when the function still carries our record and
   * the memory our last update set (record.ts); any other change is someone else's and is kept.
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
