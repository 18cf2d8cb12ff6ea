/**
 * Is the run whose record is on a function still changing it? Decided from facts that do not depend on anyone's local
 * clock, in this order:
 * - `k=1`: the run left its change on purpose — kept;
 * - a run outside GitHub Actions on this machine: its process is running (live) or has ended (stale, at once);
 * - a workflow run: GitHub says the record's attempt has completed (stale, at once);
 * - otherwise (another machine's process, a workflow run in progress, no token, GitHub unreachable) the guessed window:
 *   live while the function's last update (LastModified, Lambda's clock) is more recent, by Lambda's clock, than the
 *   longest a run goes without updating it.
 * Every verdict carries the sentence that says which check decided. PURE, apart from the types of the checks.
 */
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { FUNCTION_TIMEOUT_MAX_SEC } from '../../config/limits.js';
import { parseRunId, type UndoRecord } from './record.js';

/**
 * A live run updates its functions at least once per update timeout plus the function's own timeout (the longest gap
 * between two updates: wait, then one invoke); this margin covers the SDK's retries of a throttled invoke.
 */
export const LIVE_MARGIN_SEC = 60;

/** What a look at the record's writer found (run/writer-check.ts looks). */
export type WriterStatus =
  /** Its process on this machine: running or not. */
  | { by: 'process'; pid: number; running: boolean }
  /** GitHub's answer for its workflow run: the record's attempt completed, or is still in progress. */
  | { by: 'github'; run: string; completed: boolean }
  /** No check was possible: why (a sentence fragment: "it ran on another machine"). */
  | { by: 'none'; why: string };

/** Looks at the record's writer. Never throws: a failed look is `{ by: 'none', why }`. */
export type CheckWriter = (record: UndoRecord) => Promise<WriterStatus>;

/** The writer of a record cannot be checked (the default where nothing is wired: tests, benchmarks). */
export const NO_CHECK: CheckWriter = async () => ({ by: 'none', why: 'no check of the run was set up' });

export interface Liveness {
  state: 'live' | 'stale' | 'kept';
  /** Which check decided, as a clause: "its process 4242 on this machine has ended". */
  reason: string;
  /** Seconds since the function's last update by Lambda's clock, when known. */
  ageSec?: number;
}

/** How long after its last update a record counts as belonging to a live run (ms). */
export function liveWindowMs(updateTimeoutSec: number, functionTimeoutSec: number | undefined): number {
  return (updateTimeoutSec + (functionTimeoutSec ?? FUNCTION_TIMEOUT_MAX_SEC) + LIVE_MARGIN_SEC) * 1000;
}

/** Lambda's LastModified (`2024-05-01T12:00:00.123+0000`) in epoch ms, or undefined when it is not in that form. PURE. */
export function parseLastModified(value: string | undefined): number | undefined {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(?:Z|([+-])(\d\d):?(\d\d))$/.exec(value ?? '');
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, sign, oh, om] = m;
  const ms = Number(`0.${frac ?? '0'}`) * 1000;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Math.floor(ms));
  const offsetMin = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  return Number.isFinite(utc) ? utc - offsetMin * 60_000 : undefined;
}

/**
 * When the function was last updated by Lambda's clock: its LastModified (set by Lambda on every update, ours or
 * anyone's), else the record's own time (Lambda's clock as its writer knew it). PURE.
 */
export function lastUpdateMs(c: Pick<FunctionConfiguration, 'LastModified'>, record: UndoRecord): number {
  return parseLastModified(c.LastModified) ?? record.updatedAt;
}

/** The run named as a clause: "workflow run 4242 (attempt 1)" / "the run cli:laptop:a1b2c3". PURE. */
export function runName(record: UndoRecord): string {
  const ref = parseRunId(record.runId);
  return ref?.kind === 'github' ? `workflow run ${ref.runId} (attempt ${ref.attempt})` : `run ${record.runId}`;
}

/**
 * The verdict. `ageMs`: Lambda's now minus the function's last update (lastUpdateMs); `windowMs`: liveWindowMs of the
 * function. PURE.
 */
export function judgeLiveness(record: UndoRecord, status: WriterStatus, ageMs: number, windowMs: number): Liveness {
  const ageSec = Math.max(0, Math.round(ageMs / 1000));
  if (record.kept) return { state: 'kept', reason: 'its run left it on purpose (restore: false)', ageSec };
  if (status.by === 'process') {
    return status.running
      ? { state: 'live', reason: `its process ${status.pid} on this machine is running`, ageSec }
      : { state: 'stale', reason: `its process ${status.pid} on this machine has ended`, ageSec };
  }
  if (status.by === 'github' && status.completed) {
    return { state: 'stale', reason: `GitHub says ${status.run} has completed`, ageSec };
  }
  const why = status.by === 'github' ? `GitHub says ${status.run} is still in progress` : `could not check the run: ${status.why}`;
  const window = Math.round(windowMs / 1000);
  return ageMs <= windowMs
    ? {
        state: 'live',
        reason: `${why}, and its last update was ${ageSec} s ago by Lambda's clock (a run may go ${window} s between updates)`,
        ageSec,
      }
    : {
        state: 'stale',
        reason: `${why}, and nothing has updated the function for ${ageSec} s by Lambda's clock (more than the ${window} s a run goes between updates)`,
        ageSec,
      };
}

/** Check the writer and judge: the one path from a record to a verdict (preflight and restore use it). */
export async function liveness(
  record: UndoRecord,
  c: Pick<FunctionConfiguration, 'LastModified' | 'Timeout'>,
  o: { check: CheckWriter; lambdaNowMs: number; updateTimeoutSec: number },
): Promise<Liveness> {
  const status = record.kept ? ({ by: 'none', why: 'kept' } as const) : await o.check(record);
  return judgeLiveness(record, status, o.lambdaNowMs - lastUpdateMs(c, record), liveWindowMs(o.updateTimeoutSec, c.Timeout));
}
