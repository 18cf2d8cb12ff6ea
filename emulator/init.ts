/**
 * Init phases of new execution environments, including Lambda's "suppressed init": an on-demand init that outlasts
 * the init limit (10 s) or crashes ends with `INIT_REPORT … Phase: init Status: timeout|error`; Lambda then re-runs
 * init inside the first invoke under the function timeout. That invoke's Duration includes the re-run and its REPORT
 * has no Init Duration; a re-run that fails too ends with `INIT_REPORT … Phase: invoke …` and fails the invoke.
 * (AWS docs "Failures during the Init phase"; Telemetry API `InitPhase`: init | invoke.)
 */
import type { InitReport } from './log-lines.js';
import type { Prng } from './prng.js';
import type { Faults, FunctionSpec, InitFailure } from './types.js';

/** Error Type Lambda reports for a runtime process that exits during init. */
export const INIT_CRASH_ERROR_TYPE = 'Runtime.ExitError';

/** How the invoke fails when the re-run init failed too (the handler never runs). */
export interface InitRerunFailure {
  status: 'error' | 'timeout';
  errorType: string;
  /** Lambda's error message (payload `errorMessage` after `RequestId: <id> Error: `). */
  message: string;
}

/** The outcome of a fresh environment's init, synthetic or real. */
export interface InitOutcome {
  /** Init Duration printed on the REPORT line: a successful init in the init phase; null otherwise. */
  initMs: number | null;
  /** Failed attempts in order (each one an INIT_REPORT line). */
  reports: InitReport[];
  /** The re-run inside the invoke (ms), part of the invoke's Duration; null without a suppressed init. */
  rerunInitMs: number | null;
  failure?: InitRerunFailure;
}

const round2 = (x: number): number => Number(x.toFixed(2));

/**
 * The failure forced on a new environment of this function, if any: the next one of `faults.failNextInit` (consumed),
 * else the spec's `initFailure` for every environment or, with `rate`, a seeded share of them.
 */
export function takeInitFailure(fnName: string, spec: FunctionSpec, faults: Faults, chance: Prng): InitFailure | undefined {
  const next = faults.failNextInit?.[fnName];
  if (next && next.count > 0) {
    next.count--;
    return next;
  }
  const always = spec.initFailure;
  if (!always) return undefined;
  if (always.rate === undefined) return always;
  return always.rate > 0 && chance.next() < always.rate ? always : undefined;
}

/** The failure of a re-run that did not succeed. */
export function rerunFailure(status: 'error' | 'timeout', errorType: string, timeoutMs: number): InitRerunFailure {
  return status === 'timeout'
    ? { status, errorType: 'Sandbox.Timedout', message: `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds` }
    : {
        status,
        errorType,
        message: errorType === INIT_CRASH_ERROR_TYPE ? 'Runtime exited with error: exit status 1' : 'Runtime failed during init',
      };
}

/**
 * A synthetic init: `draw()` gives an init time from the function's distribution. An init that outlasts `limitMs`
 * times out (as a forced `timeout` does); a forced `error` crashes part-way. The re-run is bounded by `timeoutMs`.
 */
export function syntheticInit(draw: () => number, limitMs: number, timeoutMs: number, forced: InitFailure | undefined): InitOutcome {
  const errorType = forced?.errorType ?? INIT_CRASH_ERROR_TYPE;
  const first = forced?.init === 'timeout' ? Infinity : draw();
  if (forced?.init !== 'error' && first <= limitMs) return { initMs: round2(first), reports: [], rerunInitMs: null };
  const reports: InitReport[] = [
    forced?.init === 'error'
      ? { phase: 'init', status: 'error', errorType, durationMs: round2(Math.min(first, limitMs)) }
      : { phase: 'init', status: 'timeout', durationMs: round2(limitMs) },
  ];
  const rerun = forced?.rerun ?? 'success';
  const again = rerun === 'timeout' ? Infinity : draw();
  if (rerun === 'error') {
    const durationMs = round2(Math.min(again, timeoutMs));
    reports.push({ phase: 'invoke', status: 'error', errorType, durationMs });
    return { initMs: null, reports, rerunInitMs: durationMs, failure: rerunFailure('error', errorType, timeoutMs) };
  }
  if (again > timeoutMs) {
    reports.push({ phase: 'invoke', status: 'timeout', durationMs: round2(timeoutMs) });
    return { initMs: null, reports, rerunInitMs: round2(timeoutMs), failure: rerunFailure('timeout', errorType, timeoutMs) };
  }
  return { initMs: null, reports, rerunInitMs: round2(again) };
}
