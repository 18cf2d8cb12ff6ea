/**
 * The post step (runs.post, post-if: always()): undo what the main step left changed — when it failed, was cancelled or
 * killed. From the state main saved; without one, from the undo records the functions carry (only this run's).
 * Idempotent; does nothing when main restored every function, or when `restore` is false.
 */
import * as core from '@actions/core';
import { loadConfig } from '../config/parse.js';
import { measuredFunctions } from '../config/pairs.js';
import { describeError } from '../core/errors.js';
import { runUrl } from '../github/context.js';
import { restoreLine, unrestoredSentence } from '../lambda/undo/messages.js';
import type { UndoRecord } from '../lambda/undo/record.js';
import { restoreFunctions, type RestoreReport } from '../lambda/undo/restore.js';
import { realDeps } from '../run/deps.js';
import { githubRunPrefix } from '../run/run-id.js';
import { ACTION_REGION, resolveRegion } from '../run/region.js';
import { githubAccess, writerCheck } from '../run/writer-check.js';
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
    actionsLogger.info('lambda-coldstart: nothing to undo (restore: false)');
    return;
  }
  const state = loadUndoState();
  if (state === undefined) return fromRecords();
  const pending = state.entries.filter((e) => !state.done.includes(e.functionName));
  if (pending.length === 0) {
    actionsLogger.info('lambda-coldstart: nothing to undo (the main step restored every function it changed, or changed none)');
    return;
  }
  actionsLogger.info(`lambda-coldstart: the main step did not finish its undo; restoring ${pending.map((e) => e.functionName).join(', ')}`);
  const region = state.region !== '' ? state.region : await resolveRegion({ ...ACTION_REGION, value: '' });
  const report = await restoreFunctions(realDeps({ region, log: actionsLogger }), { state });
  failOn(report, state.region);
}

/**
 * No saved state (main saved none, or it was lost: @github/local-action keeps none between steps): the functions' own
 * undo records of this run — on a runner, those of this workflow run attempt (by run id); off a runner (no
 * GITHUB_RUN_ID), those whose writing process on this machine has ended (the main step before this one has). Says what
 * it found for every function; a restore that fails fails the step (as from saved state).
 */
async function fromRecords(): Promise<void> {
  const url = runUrl();
  let functions: string[] = [];
  let region = '';
  let token = '';
  try {
    const config = loadConfig(actionInputs);
    if (config.mode === 'measure') functions = measuredFunctions(config);
    region = config.awsRegion;
    token = config.githubToken;
  } catch {
    /* main reported the inputs already */
  }
  if (functions.length === 0) {
    actionsLogger.info('lambda-coldstart: nothing to undo (no saved state, and no functions among the inputs)');
    return;
  }
  const { owned, whose } = ownedRecords(url, token);
  actionsLogger.info(`lambda-coldstart: no saved state from the main step; looking for ${whose} on ${functions.join(', ')}`);
  let resolved = region;
  const report = await resolveRegion({ ...ACTION_REGION, value: region })
    .then((r) => restoreFunctions(realDeps({ region: (resolved = r), log: actionsLogger }), { functions, owned, region: r }))
    .catch((e: unknown): RestoreReport => {
      actionsLogger.warning(`lambda-coldstart: could not read the functions' undo records: ${describeError(e).message}`);
      return { results: [], unrestored: [] };
    });
  const failed = report.results.filter((r) => r.outcome === 'failed');
  for (const r of report.results) if (r.outcome !== 'failed') actionsLogger.info(restoreLine(r, resolved));
  if (failed.length > 0) core.setFailed(unrestoredSentence(failed, resolved));
  const restored = report.results.filter((r) => r.outcome === 'restored' || r.outcome === 'kept-theirs').length;
  actionsLogger.info(`lambda-coldstart: restored ${restored} of ${functions.length} function(s) from ${whose}`);
}

/** Which records are this run's, said as a phrase. */
function ownedRecords(url: string | undefined, token: string): { owned: (r: UndoRecord) => Promise<boolean>; whose: string } {
  if (url !== undefined) {
    const prefix = `${githubRunPrefix(url)}#`;
    return { owned: async (r) => r.runId.startsWith(prefix), whose: `the undo records of this run attempt (${githubRunPrefix(url)})` };
  }
  const check = writerCheck({ github: githubAccess(token) });
  return {
    owned: async (r) => {
      const s = await check(r);
      return s.by === 'process' && !s.running;
    },
    whose: 'undo records whose process on this machine has ended (no GITHUB_RUN_ID: not on a runner)',
  };
}

/** A function left changed fails the step, naming it and the command that puts it back (one message). */
function failOn(report: RestoreReport, region: string): void {
  if (report.unrestored.length > 0) core.setFailed(unrestoredSentence(report.unrestored, region));
}
