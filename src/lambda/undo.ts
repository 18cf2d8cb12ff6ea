/**
 * undo: remove COLDSTART_NONCE and put memory back — only our own change, so whatever someone else changed
 * during the run is kept. Idempotent: a function already clean is left alone. Used when a function is done and
 * by the post step (from the saved UndoState).
 */
import {
  UpdateFunctionConfigurationCommand,
  type UpdateFunctionConfigurationCommandInput,
  type FunctionConfiguration,
} from '@aws-sdk/client-lambda';
import { errorName, httpStatus, safeMessage } from './errors.js';
import { getConfig, waitUpdated } from './cycle.js';
import { NONCE_VARIABLE, type EngineDeps, type UndoEntry, type UndoState } from './types.js';

type UndoDeps = Pick<EngineDeps, 'lambda' | 'log' | 'now' | 'sleep'>;

/** The update that undoes our change, or undefined when there is nothing to undo. PURE. */
export function buildUndo(entry: UndoEntry, c: FunctionConfiguration): UpdateFunctionConfigurationCommandInput | undefined {
  const vars = c.Environment?.Variables ?? {};
  const hasNonce = Object.prototype.hasOwnProperty.call(vars, NONCE_VARIABLE);
  const ours = new Set([...(entry.setMemories ?? []), ...(entry.lastSetMemory !== undefined ? [entry.lastSetMemory] : [])]);
  // Memory goes back to what it was before we changed it: the original, or what someone else set during the run.
  const memory = entry.outsideMemory ?? entry.originalMemory;
  const memoryIsOurs = c.MemorySize !== undefined && c.MemorySize !== memory && ours.has(c.MemorySize);
  if (!hasNonce && !memoryIsOurs) return undefined;
  const input: UpdateFunctionConfigurationCommandInput = { FunctionName: entry.functionName };
  if (c.RevisionId) input.RevisionId = c.RevisionId;
  if (hasNonce) {
    const rest: Record<string, string> = {};
    for (const [k, v] of Object.entries(vars)) if (k !== NONCE_VARIABLE) rest[k] = v;
    // A function that had no Environment ends with an empty one (Lambda shows none).
    input.Environment = { Variables: rest };
  }
  if (memoryIsOurs) input.MemorySize = memory;
  return input;
}

/** Undo one function. Returns a description of what was done. Throws on failure. */
export async function undoOne(d: UndoDeps, entry: UndoEntry, opts: { updateTimeoutSec?: number } = {}): Promise<'restored' | 'clean'> {
  // Never abortable: an undo runs to the end even when the run was cancelled (no signal passed on).
  const deps: UndoDeps = { lambda: d.lambda, log: d.log, now: d.now, sleep: d.sleep };
  const name = entry.functionName;
  const deadlineMs = deps.now() + (opts.updateTimeoutSec ?? 120) * 1000;
  let attempts = 0;
  for (;;) {
    if (deps.now() > deadlineMs) throw new Error(`${name}: could not restore the configuration within the update timeout`);
    let c = await getConfig(deps.lambda, name);
    if (c.LastUpdateStatus === 'InProgress') c = (await waitUpdated(deps, name, { deadlineMs })).config;
    const input = buildUndo(entry, c);
    if (!input) return 'clean';
    try {
      await deps.lambda.send(new UpdateFunctionConfigurationCommand(input));
    } catch (e) {
      const n = errorName(e);
      attempts++;
      if (
        attempts < 20 &&
        (n === 'PreconditionFailedException' || n === 'ResourceConflictException' || httpStatus(e) === 412 || httpStatus(e) === 409)
      ) {
        continue; // someone changed it (re-read, re-merge) or an update is in progress (the next read waits for it)
      }
      throw new Error(`${name}: restoring the configuration failed: ${safeMessage(e, Object.values(c.Environment?.Variables ?? {}))}`);
    }
    const w = await waitUpdated(deps, name, { deadlineMs });
    // Verify: another client may have raced us between the read and the update (then loop and check again).
    if (!buildUndo(entry, w.config)) return 'restored';
  }
}

/** Undo every entry not yet done (post step). Idempotent. */
export async function undoAll(
  deps: UndoDeps,
  state: UndoState,
  opts: { updateTimeoutSec?: number } = {},
): Promise<{ restored: string[]; failed: { name: string; error: string }[] }> {
  const restored: string[] = [];
  const failed: { name: string; error: string }[] = [];
  const todo = state.entries.filter((e) => !state.done.includes(e.functionName));
  await Promise.all(
    todo.map(async (entry) => {
      try {
        const r = await undoOne(deps, entry, opts);
        restored.push(entry.functionName);
        deps.log.info(
          `${entry.functionName}: ${r === 'clean' ? 'nothing left to undo' : 'configuration restored (memory and environment)'}`,
        );
      } catch (e) {
        const error = safeMessage(e);
        failed.push({ name: entry.functionName, error });
        deps.log.warning(
          `${entry.functionName}: could not restore: ${error}. Remove ${NONCE_VARIABLE} and set memory back to ${entry.originalMemory} MB by hand.`,
        );
      }
    }),
  );
  return { restored, failed };
}
