/**
 * The action's `mode: restore`: puts back every listed function that carries an undo record (after a run that was
 * killed, or whose undo failed), from that record. Idempotent; one line per function; fails the step when one could
 * not be restored.
 */
import * as core from '@actions/core';
import type { Config } from '../config/model.js';
import { measuredFunctions } from '../config/pairs.js';
import { describeError } from '../core/errors.js';
import { restoreLine, unrestoredSentence } from '../lambda/undo/messages.js';
import { restoreFunctions } from '../lambda/undo/restore.js';
import { realDeps } from '../run/deps.js';
import { ACTION_REGION, resolveRegion } from '../run/region.js';
import { githubAccess, writerCheck } from '../run/writer-check.js';
import { actionsLogger } from './logger.js';

export async function restoreMode(config: Config): Promise<void> {
  try {
    const region = await resolveRegion({ ...ACTION_REGION, value: config.awsRegion });
    const checkWriter = writerCheck({ github: githubAccess(config.githubToken) });
    const report = await restoreFunctions(realDeps({ region, log: actionsLogger }), {
      functions: measuredFunctions(config),
      checkWriter,
      region,
      updateTimeoutSec: config.updateTimeoutSec,
    });
    // One message per function: what was done as a line, what was not (a failure, a live run's record left alone, a
    // value that is no record) once, as the step's failure, so nobody takes it as done.
    for (const r of report.results) if (!report.unrestored.includes(r)) actionsLogger.info(restoreLine(r, region));
    if (report.unrestored.length > 0) core.setFailed(unrestoredSentence(report.unrestored, region));
  } catch (e) {
    core.setFailed(describeError(e).message);
  }
}
