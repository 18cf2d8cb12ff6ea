/**
 * Finishing a function as soon as its samples are in: its Logs Insights query (through the run's shared query slots)
 * and its undo, concurrently; then Insights' numbers applied to the samples.
 */
import type { FoundLogs, InsightsQueries } from '../logs/insights.js';
import type { Collector, FunctionRun } from './collect.js';
import { isAccessError } from '../core/errors.js';
import { safeMessage } from '../core/aws-errors.js';
import { plural } from './format.js';
import { applyInsights } from './reconcile.js';
import { undoOne } from './undo/apply.js';
import { undoOutcomeText } from './undo/messages.js';
import type { UndoTracker } from './undo/tracker.js';
import type { EngineDeps, MeasurePlan } from './types.js';

export interface FinishContext {
  deps: EngineDeps;
  plan: MeasurePlan;
  signal: AbortSignal;
  queries: InsightsQueries;
  tracker: UndoTracker;
  collector: Collector;
}

async function query(ctx: FinishContext, run: FunctionRun, ids: string[]): Promise<FoundLogs | undefined> {
  const { deps, plan, collector } = ctx;
  const { name, info } = run;
  try {
    return await ctx.queries.requestLogs(info.logGroup, ids, plan.queryTimeoutSec);
  } catch (e) {
    deps.log.warning(`${name}: the Logs Insights query failed (${safeMessage(e)}); using the invoke log tails`);
    collector.notes.push(`${name}: Logs Insights query failed (${safeMessage(e)}); all numbers come from the invoke log tails.`);
    // Denied: the measurement is kept (the tails hold the same REPORT lines), but the run must fail.
    if (isAccessError(e)) {
      collector.queryDenied.add(
        `logs:StartQuery / logs:GetQueryResults was denied on ${info.logGroup} (${safeMessage(e)}); grant them (see the README's IAM policy) or use report-source: tail`,
      );
    }
    return undefined;
  }
}

async function undo(ctx: FinishContext, run: FunctionRun): Promise<void> {
  const { deps, plan, collector, tracker, signal } = ctx;
  const { name, lines } = run;
  try {
    const r = await undoOne(deps, run.entry, { updateTimeoutSec: Math.max(plan.updateTimeoutSec, 30) });
    tracker.done(name);
    const text = `${name}: ${undoOutcomeText(r)}`;
    // Said on its own line (not only in the function's group): a removed record or a value that is no record of this
    // tool is news to whoever reads the log, and after an interrupt the user waits to hear what was put back.
    if (r.recordRemoved || r.kind === 'not-a-record') {
      deps.log.notice(text);
      collector.notes.push(`${text}.`);
    } else if (signal.aborted) deps.log.info(text);
    else lines.push(`${name} · ${undoOutcomeText(r)}`);
  } catch (e) {
    const msg = safeMessage(e);
    deps.log.warning(`${name}: could not restore the configuration: ${msg}`);
    collector.notes.push(
      `${name}: could not be restored (${msg}); its undo record stays on it (see "What the run changes on your functions" in the README).`,
    );
    lines.push(`${name} · restore failed · ${msg}`);
  }
}

export async function finishFunction(ctx: FinishContext, run: FunctionRun): Promise<void> {
  const { deps, plan, signal, collector } = ctx;
  const { name, lines } = run;
  const ids = run.samples.filter((s) => s.requestId).map((s) => s.requestId);
  const insights = plan.reportSource === 'insights';
  let found: Promise<FoundLogs | undefined> = Promise.resolve(undefined);
  if (insights && run.target.reportsInLogs === false) {
    collector.notes.push(
      `${name}: JSON logs at system log level WARN: Lambda writes no platform.report record to CloudWatch Logs, so its numbers come from the invoke log tail (set SystemLogLevel to INFO to have Logs Insights confirm them).`,
    );
  } else if (insights && ids.length > 0 && !signal.aborted) {
    found = query(ctx, run, ids);
  }
  const [logs] = await Promise.all([found, plan.restore ? undo(ctx, run) : Promise.resolve()]);

  if (logs) {
    // Samples Insights did not return keep the tail's numbers (source "tail"); buildResults notes them.
    const { missing } = applyInsights(run.samples, logs.reports, (m) => deps.log.warning(m), logs.events);
    if (missing > 0) {
      deps.log.warning(
        `${name}: ${plural(missing, 'REPORT line')} not found in Logs Insights within ${plan.queryTimeoutSec} s; using the invoke log tail for ${missing === 1 ? 'it' : 'them'}`,
      );
    }
    lines.push(`${name} · Logs Insights: ${ids.length - missing}/${ids.length} request ids found`);
  } else if (insights && signal.aborted && ids.length > 0) {
    collector.notes.push(`${name}: the run was stopped; Logs Insights was not queried, numbers come from the invoke log tails.`);
  }
}
