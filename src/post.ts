/**
 * The post step (runs.post, post-if: always()): undo what the main step left changed — when it failed, was
 * cancelled or killed. Idempotent; does nothing when main restored every function or when `restore` is false.
 */
import * as core from '@actions/core';
import { createClients, realSleep } from './lambda/clients.js';
import { undoAll } from './lambda/undo.js';
import { actionsLogger } from './github/logger.js';
import { loadUndoState } from './github/state.js';
import { describeError } from './errors.js';

async function post(): Promise<void> {
  const state = loadUndoState();
  const pending = state?.entries.filter((e) => !state.done.includes(e.functionName)) ?? [];
  if (state === undefined || pending.length === 0) {
    core.info('lambda-coldstart: nothing to undo (the main step restored every function it changed, or changed none)');
    return;
  }
  core.info(`lambda-coldstart: the main step did not finish its undo; restoring ${pending.map((e) => e.functionName).join(', ')}`);
  const { lambda } = createClients(state.region === '' ? {} : { region: state.region });
  const result = await undoAll({ lambda, log: actionsLogger, now: () => Date.now(), sleep: realSleep }, { ...state, entries: pending });
  for (const name of result.restored) core.info(`restored ${name}`);
  if (result.failed.length > 0) {
    core.setFailed(
      `could not restore ${result.failed.map((f) => `${f.name} (${f.error})`).join(', ')}: remove COLDSTART_NONCE and reset the memory by hand`,
    );
  }
}

/** The post entry point (same shape as main.ts's `run`): src/post-entry.ts calls it; @github/local-action imports it. */
export async function run(): Promise<void> {
  try {
    await post();
  } catch (e) {
    const { message, stack } = describeError(e);
    if (stack !== undefined) core.debug(stack);
    core.setFailed(`lambda-coldstart post step: ${message}`);
  }
}
