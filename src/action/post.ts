/**
 * The post step (runs.post, post-if: always()): undo what the main step left changed — when it failed, was cancelled or
 * killed. From the state main saved; without one, from the undo records the functions carry (only this run attempt's).
 * Idempotent; does nothing when main restored every function, or when `restore` is false.
 */
import * as core from '@actions/core';
import { loadConfig } from '../config/parse.js';
import { measuredFunctions } from '../config/pairs.js';
import { describeError } from '../core/errors.js';
import { runUrl } from '../github/context.js';
import { restoreLine, unrestoredSentence } from '../lambda/undo/messages.js';
import { restoreFunctions, type RestoreReport } from '../lambda/undo/restore.js';
import { realDeps } from '../run/deps.js';
import { githubRunPrefix } from '../run/run-id.js';
import { ACTION_REGION, resolveRegion } from '../run/region.js';
import { actionInputs } from './inputs.js';
import { actionsLogger } from './logger.js';
import { loadUndoState } from './state.js';

export async function run(): Promise<void> {
  try {
    await post();
  } catch (e) {
    const { message, stack } = describeError(e);
    if (stack !== undefined) core.debug(stack);
    core.setFailed(`lambda-coldstart post step: ${message}`);
  }
}

async function post(): Promise<void> {
  if (core.getState('restore') === 'false') {
    core.info('lambda-coldstart: nothing to undo (restore: false)');
    return;
  }
  const state = loadUndoState();
  if (state === undefined) return fromRecords();
  const pending = state.entries.filter((e) => !state.done.includes(e.functionName));
  if (pending.length === 0) {
    core.info('lambda-coldstart: nothing to undo (the main step restored every function it changed, or changed none)');
    return;
  }
  core.info(`lambda-coldstart: the main step did not finish its undo; restoring ${pending.map((e) => e.functionName).join(', ')}`);
  const region = state.region !== '' ? state.region : await resolveRegion({ ...ACTION_REGION, value: '' });
  const report = await restoreFunctions(realDeps({ region, log: actionsLogger }), { state });
  failOn(report, state.region);
}

/**
 * No saved state (main saved none): the functions' own undo records of this run attempt, if any. Records that cannot be
 * read only warn; a restore that fails fails the step (as from saved state).
 */
async function fromRecords(): Promise<void> {
  const url = runUrl();
  let functions: string[] = [];
  let region = '';
  try {
    const config = loadConfig(actionInputs);
    if (config.mode === 'measure') functions = measuredFunctions(config);
    region = config.awsRegion;
  } catch {
    /* main reported the inputs already */
  }
  if (functions.length === 0 || url === undefined) {
    core.info('lambda-coldstart: nothing to undo (the main step changed no function)');
    return;
  }
  const prefix = githubRunPrefix(url);
  const owned = (runId: string): boolean => runId.startsWith(`${prefix}#`);
  const report = await resolveRegion({ ...ACTION_REGION, value: region })
    .then((resolved) => restoreFunctions(realDeps({ region: resolved, log: actionsLogger }), { functions, owned }))
    .catch((e: unknown): RestoreReport => {
      core.warning(`lambda-coldstart: could not read the functions' undo records: ${describeError(e).message}`);
      return { results: [], unrestored: [] };
    });
  for (const r of report.results) if (r.outcome !== 'clean' && r.outcome !== 'not-owned') core.info(restoreLine(r));
  failOn(report, region);
  if (report.results.every((r) => r.outcome === 'clean' || r.outcome === 'not-owned')) {
    core.info('lambda-coldstart: nothing to undo (no function carries an undo record of this run)');
  }
}

/** A function left changed fails the step, naming it and the command that puts it back. */
function failOn(report: RestoreReport, region: string): void {
  if (report.unrestored.length > 0) core.setFailed(unrestoredSentence(report.unrestored, region));
}
