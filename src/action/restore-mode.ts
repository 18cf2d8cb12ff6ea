/**
 * The action's `mode: restore`: puts back every listed function that carries an undo record (after a run that was
 * killed, or whose undo failed), from that record. Idempotent; one line per function; fails the step when one could
 * not be restored.
 */
import * as core from '@actions/core';
import type { Config } from '../config/model.js';
import { measuredFunctions } from '../config/pairs.js';
import { describeError } from '../core/errors.js';
import { restoreLine } from '../lambda/undo/messages.js';
import { restoreFunctions } from '../lambda/undo/restore.js';
import { realDeps } from '../run/deps.js';
import { ACTION_REGION, resolveRegion } from '../run/region.js';
import { actionsLogger } from './logger.js';

export async function restoreMode(config: Config): Promise<void> {
  try {
    const region = await resolveRegion({ ...ACTION_REGION, value: config.awsRegion });
    const report = await restoreFunctions(realDeps({ region, log: actionsLogger }), { functions: measuredFunctions(config) });
    for (const r of report.results) core.info(restoreLine(r));
    // A live run's record is left alone (that run restores the function itself); the step fails so nobody takes it as done.
    if (report.unrestored.length > 0) core.setFailed(report.unrestored.map(restoreLine).join('; '));
  } catch (e) {
    core.setFailed(describeError(e).message);
  }
}
