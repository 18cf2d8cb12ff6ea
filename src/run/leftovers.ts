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
    d.deps.log.notice(
      `${t.info.name}: carries the undo record of run ${r.runId}, which ended without undoing its change (last update ${new Date(r.updatedAt).toISOString()}); ` +
        `restoring it first (memory ${r.restoreMemory} MB), then measuring`,
    );
  }
  const report = await restoreFunctions(d.deps, {
    functions: leftovers.map((t) => t.info.name),
    updateTimeoutSec: d.check.updateTimeoutSec,
    // preflight has judged these records stale (their runs are over): no second judgement with another clock reading
    force: true,
  });
  for (const r of report.results) {
    if (r.outcome === 'failed') d.deps.log.warning(restoreLine(r));
    else d.deps.log.info(restoreLine(r));
  }
  const failed = report.unrestored.map((r) => r.name);
  if (failed.length > 0) {
    throw new UserError(
      `could not put back what an earlier run left on ${failed.join(', ')}; nothing was measured. ` +
        `Run ${restoreCommand(failed, d.region)} once the cause is fixed`,
    );
  }
  return preflight(d.deps.lambda, d.functions, d.check);
}
