/**
 * Functions a dead run left changed (preflight found its stale record): put back from their records before measuring,
 * a notice naming the run, then read again — so the run measures, and later restores, the true original.
 */
import { UserError } from '../core/errors.js';
import { preflight, type PreflightOptions } from '../lambda/preflight.js';
import type { Target } from '../lambda/types.js';
import type { UndoDeps } from '../lambda/undo/apply.js';
import { restoreCommand, restoreLine } from '../lambda/undo/messages.js';
import { restoreFunctions } from '../lambda/undo/restore.js';

export async function putBackLeftovers(
  targets: Target[],
  d: { deps: UndoDeps; functions: string[]; check: PreflightOptions & { updateTimeoutSec: number }; region: string },
): Promise<Target[]> {
  const leftovers = targets.filter((t) => t.leftover !== undefined);
  if (leftovers.length === 0) return targets;
  for (const t of leftovers) {
    const r = t.leftover!;
    const why = t.leftoverReason ?? 'this run had left it';
    d.deps.log.notice(
      `${t.info.name}: carries the undo record of run ${r.runId}, which ended without undoing its change (${why}); ` +
        `restoring it first (memory ${r.restoreMemory} MB), then measuring`,
    );
  }
  const report = await restoreFunctions(d.deps, {
    functions: leftovers.map((t) => t.info.name),
    updateTimeoutSec: d.check.updateTimeoutSec,
    // preflight has judged these records stale (their runs are over): no second judgement with another clock reading
    force: true,
  });
  const failed = report.unrestored;
  for (const r of report.results) if (!failed.includes(r)) d.deps.log.info(restoreLine(r, d.region));
  if (failed.length > 0) {
    // One message: what could not be put back, why, and the command that does it once the cause is fixed.
    throw new UserError(
      `could not put back what an earlier run left, so nothing was measured: ${failed.map((r) => restoreLine(r, d.region)).join('; ')}. ` +
        `Run \`${restoreCommand(
          failed.map((r) => r.name),
          d.region,
        )}\` once the cause is fixed`,
    );
  }
  return preflight(d.deps.lambda, d.functions, d.check);
}
