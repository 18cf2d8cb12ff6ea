/**
 * What the post step needs to undo a run, kept in the action's state (GITHUB_STATE). Saved before the first change
 * and after every function is restored; holds names and memory sizes only, never environment values.
 */
import * as core from '@actions/core';
import type { UndoState } from '../lambda/undo/state.js';

const UNDO = 'undo';
const RESTORE = 'restore';

export function saveUndoState(state: UndoState, restore: boolean): void {
  core.saveState(UNDO, JSON.stringify(state));
  core.saveState(RESTORE, String(restore));
}

/** The last undo state main saved, or undefined when main changed nothing (or restore is off). */
export function loadUndoState(): UndoState | undefined {
  if (core.getState(RESTORE) === 'false') return undefined;
  const raw = core.getState(UNDO);
  if (raw === '') return undefined;
  const state = JSON.parse(raw) as UndoState;
  return state.version === 1 && Array.isArray(state.entries) ? state : undefined;
}
