/**
 * The frame every strategy (sequential, burst, compare) shares: the undo state (saved before the first change and after
 * every undo), the run-wide abort, functions measured concurrently in a pool, and the end of each function — its Logs
 * Insights query and its undo, concurrently, as soon as its samples are taken.
 */
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { FunctionInfo, ReportLine, Sample, Strategy } from '../results/model.js';
import { queryReports } from '../logs/insights.js';
import { AbortedError } from './cycle.js';
import { AccessError, CredentialsError, isAccessError, safeMessage } from './errors.js';
import { applyInsights } from './reconcile.js';
import { undoOne, undoOutcomeText } from './undo.js';
import { NONCE_VARIABLE, type EngineDeps, type MeasurePlan, type Target, type UndoEntry, type UndoState } from './types.js';

export interface MeasureResult {
  samples: Sample[];
  /** `failure` set on those that failed. */
  functions: FunctionInfo[];
  notes: string[];
  /**
   * Access errors that did not stop the measurement (a denied Logs Insights query: the tails have the numbers): the
   * caller publishes the results, then fails the run with them.
   */
  accessErrors?: string[];
}

export const fmt = (n: number): string => (Math.round(n * 10) / 10).toFixed(1);
export const plural = (n: number, one: string, many = one + 's'): string => `${n} ${n === 1 ? one : many}`;

/** The names of the function's own variables (ours left out): a change means someone else edited them. */
export function keysOf(c: FunctionConfiguration): string {
  return Object.keys(c.Environment?.Variables ?? {})
    .filter((k) => k !== NONCE_VARIABLE)
    .sort()
    .join(',');
}

/** Runs `fn` over `items`, at most `limit` at a time. */
export async function pool<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

function anySignal(signals: (AbortSignal | undefined)[]): AbortSignal {
  const c = new AbortController();
  for (const s of signals) {
    if (!s) continue;
    if (s.aborted) c.abort();
    else s.addEventListener('abort', () => c.abort(), { once: true });
  }
  return c.signal;
}

/** A sample that measured nothing: the update or the invoke failed. */
export function errorSample(f: {
  function: string;
  memory: number;
  sequence: number;
  attempt: number;
  strategy: Strategy;
  error: string;
  at: number;
  requestId?: string;
}): Sample {
  return {
    function: f.function,
    memory: f.memory,
    sequence: f.sequence,
    attempt: f.attempt,
    requestId: f.requestId ?? '',
    kind: 'error',
    init: null,
    restore: null,
    duration: null,
    billed: null,
    maxMemory: null,
    source: 'tail',
    timestamp: new Date(f.at).toISOString(),
    strategy: f.strategy,
    error: f.error,
  };
}

/** One function's part of a run: what the strategy fills in while it measures, read by finishFunction. */
export interface FunctionRun {
  target: Target;
  name: string;
  info: FunctionInfo;
  entry: UndoEntry;
  /** Progress lines, emitted as one group when the function is done. */
  lines: string[];
  samples: Sample[];
  started: number;
  outsideEnvChange: boolean;
  outsideMemoryChange: boolean;
  /** Samples that stayed warm through every attempt. */
  exhausted: number;
}

export interface RunFrame {
  deps: EngineDeps;
  plan: MeasurePlan;
  runStart: number;
  maxAttempts: number;
  /** Aborts on the caller's signal and on an access error of any function. */
  signal: AbortSignal;
  /** What set/wait need: the client, the clock and the run-wide signal. */
  cdeps: Pick<EngineDeps, 'lambda' | 'now' | 'sleep' | 'runId'> & { signal: AbortSignal };
  notes: string[];
  memoriesOf(t: Target): number[];
  /** Starts a function's part: its undo entry, and the SnapStart note where it applies. */
  begin(t: Target): FunctionRun;
  /**
   * Before an update to `setMemory`: records it in the undo state (saved before the update is sent), after checking the
   * memory of the latest configuration read (`current`) for someone else's change.
   */
  willSetMemory(run: FunctionRun, setMemory: number | undefined, current: FunctionConfiguration): void;
  /**
   * A memory size read from Lambda (a fresh configuration, or the REPORT of an invoke): when it is neither the original
   * nor one we set, someone else changed it — remembered (and saved) so the undo restores theirs.
   */
  sawMemory(run: FunctionRun, memory: number | undefined): void;
  /** A function's failure: an access error stops the whole run (after every undo); others only this function. */
  fail(run: FunctionRun, e: unknown): void;
  /** Insights query and undo (concurrently), then the Insights numbers applied to the samples. */
  finish(run: FunctionRun): Promise<void>;
  /** The notes every strategy writes the same way (what the samples alone cannot tell), the progress group, the result. */
  close(run: FunctionRun, title: string): void;
  /** Measures every target with `measureOne` (at most plan.concurrency at once) and returns the result. */
  runAll(targets: Target[], measureOne: (t: Target) => Promise<void>): Promise<MeasureResult>;
}

export function openRun(deps: EngineDeps, targets: Target[], plan: MeasurePlan, hooks: { onUndoState(s: UndoState): void }): RunFrame {
  const runStart = deps.now();
  const undoState: UndoState = {
    version: 1,
    region: targets.find((t) => t.info.region)?.info.region ?? '',
    variable: NONCE_VARIABLE,
    entries: targets.map((t) => ({ functionName: t.info.name, originalMemory: t.info.originalMemory, hadEnvironment: t.hadEnvironment })),
    done: [],
  };
  const emitUndo = (): void => hooks.onUndoState(structuredClone(undoState));
  emitUndo(); // before the first change

  const internal = new AbortController();
  const signal = anySignal([deps.signal, internal.signal]);
  let accessError: AccessError | undefined;
  const queryDenied = new Set<string>();
  const notes: string[] = [];
  const samples: Sample[] = [];
  const functions: FunctionInfo[] = [];

  const frame: RunFrame = {
    deps,
    plan,
    runStart,
    maxAttempts: 1 + (plan.maxWarmRetries ?? 3),
    signal,
    cdeps: { lambda: deps.lambda, now: deps.now, sleep: deps.sleep, signal, ...(deps.runId === undefined ? {} : { runId: deps.runId }) },
    notes,
    memoriesOf: (t) => (plan.memory.length > 0 ? plan.memory : [t.info.originalMemory]),

    begin(t) {
      const name = t.info.name;
      if (t.info.snapStart) {
        notes.push(
          `${name}: SnapStart is on, but it applies to published versions only; these $LATEST invocations are ordinary cold starts (Init Duration).`,
        );
      }
      return {
        target: t,
        name,
        info: { ...t.info },
        entry: undoState.entries.find((e) => e.functionName === name) as UndoEntry,
        lines: [],
        samples: [],
        started: deps.now(),
        outsideEnvChange: false,
        outsideMemoryChange: false,
        exhausted: 0,
      };
    },

    willSetMemory(run, setMemory, current) {
      const entry = run.entry;
      if (setMemory === undefined || entry.lastSetMemory === setMemory) return;
      frame.sawMemory(run, current.MemorySize);
      entry.lastSetMemory = setMemory;
      entry.setMemories = [...new Set([...(entry.setMemories ?? []), setMemory])];
      emitUndo(); // before the update that changes memory
    },

    sawMemory(run, memory) {
      const entry = run.entry;
      if (memory === undefined || memory === (entry.outsideMemory ?? entry.originalMemory) || entry.setMemories?.includes(memory)) return;
      run.outsideMemoryChange = true;
      entry.outsideMemory = memory;
      emitUndo();
    },

    fail(run, e) {
      if (e instanceof AccessError) {
        accessError ??= e;
        internal.abort();
        if (!(e instanceof CredentialsError)) run.info.failure = e.message; // the credentials: said once, by the run's error
      } else if (!(e instanceof AbortedError) && !signal.aborted) {
        run.info.failure = safeMessage(e);
      }
      if (run.info.failure) run.lines.push(`${run.name} · failed · ${run.info.failure}`);
    },

    async finish(run) {
      const { name, info, lines } = run;
      const tasks: Promise<void>[] = [];
      const ids = run.samples.filter((s) => s.requestId).map((s) => s.requestId);
      let found: Map<string, ReportLine> | undefined;
      if (plan.reportSource === 'insights' && run.target.reportsInLogs === false) {
        notes.push(
          `${name}: JSON logs at system log level WARN: Lambda writes no platform.report record to CloudWatch Logs, so its numbers come from the invoke log tail (set SystemLogLevel to INFO to have Logs Insights confirm them).`,
        );
      } else if (plan.reportSource === 'insights' && ids.length > 0 && !signal.aborted) {
        tasks.push(
          queryReports(deps.logs, {
            logGroup: info.logGroup,
            requestIds: ids,
            startTimeMs: runStart,
            timeoutSec: plan.queryTimeoutSec,
            now: deps.now,
            sleep: (ms) => deps.sleep(ms),
          }).then(
            (m) => {
              found = m;
            },
            (e: unknown) => {
              deps.log.warning(`${name}: the Logs Insights query failed (${safeMessage(e)}); using the invoke log tails`);
              notes.push(`${name}: Logs Insights query failed (${safeMessage(e)}); all numbers come from the invoke log tails.`);
              // Denied: the measurement is kept (the tails hold the same REPORT lines), but the run must fail.
              if (isAccessError(e)) {
                queryDenied.add(
                  `logs:StartQuery / logs:GetQueryResults was denied on ${info.logGroup} (${safeMessage(e)}); grant them (see the README's IAM policy) or use report-source: tail`,
                );
              }
            },
          ),
        );
      }
      if (plan.restore) {
        tasks.push(
          undoOne(deps, run.entry, { updateTimeoutSec: Math.max(plan.updateTimeoutSec, 30) }).then(
            (r) => {
              undoState.done.push(name);
              emitUndo();
              lines.push(`${name} · ${undoOutcomeText(r, run.entry.outsideMemory ?? info.originalMemory)}`);
            },
            (e: unknown) => {
              const msg = safeMessage(e);
              deps.log.warning(`${name}: could not restore the configuration: ${msg}`);
              notes.push(
                `${name}: could not be restored (${msg}); its undo record stays on it (see "What the run changes on your functions" in the README).`,
              );
              lines.push(`${name} · restore failed · ${msg}`);
            },
          ),
        );
      }
      await Promise.all(tasks);

      if (found) {
        // Samples Insights did not return keep the tail's numbers (source "tail"); buildResults notes them.
        const { missing } = applyInsights(run.samples, found, (m) => deps.log.warning(m));
        if (missing > 0) {
          deps.log.warning(
            `${name}: ${plural(missing, 'REPORT line')} not found in Logs Insights within ${plan.queryTimeoutSec} s; using the invoke log tail for ${missing === 1 ? 'it' : 'them'}`,
          );
        }
        lines.push(`${name} · Logs Insights: ${ids.length - missing}/${ids.length} request ids found`);
      } else if (plan.reportSource === 'insights' && signal.aborted && ids.length > 0) {
        notes.push(`${name}: the run was stopped; Logs Insights was not queried, numbers come from the invoke log tails.`);
      }
    },

    close(run, title) {
      const { name, info } = run;
      if (info.failure) deps.log.warning(`${name}: could not be measured: ${info.failure}`);
      if (run.exhausted > 0) {
        deps.log.warning(
          `${name}: ${plural(run.exhausted, 'sample')} stayed warm after ${frame.maxAttempts} attempts (see the report's notes)`,
        );
        notes.push(
          `${name}: ${plural(run.exhausted, 'sample')} stayed warm after ${frame.maxAttempts} attempts and ${run.exhausted === 1 ? 'was' : 'were'} skipped.`,
        );
      }
      if (run.outsideEnvChange) {
        notes.push(`${name}: its environment variables were changed by someone else during the run; their change was kept.`);
      }
      if (run.outsideMemoryChange) {
        const theirs = run.entry.outsideMemory;
        notes.push(
          `${name}: its memory was changed by someone else during the run${theirs !== undefined ? ` (to ${theirs} MB)` : ''}; the run set its own memory size again for the next samples, did not count samples that ran at another size` +
            `${theirs !== undefined && plan.restore ? `, and set it back to their ${theirs} MB at the end` : ''}.`,
        );
      }
      // Errors and failures are noted by buildResults from the samples and FunctionInfo.failure (one note per fact).
      deps.log.group(title, run.lines);
      samples.push(...run.samples);
      functions.push(info);
    },

    async runAll(targetList, measureOne) {
      await pool(targetList, plan.concurrency, measureOne);
      if (accessError) throw accessError;
      if (deps.signal?.aborted) {
        notes.push(
          `The run was stopped before it finished; ${plural(samples.filter((s) => s.kind === 'cold').length, 'cold sample')} had been measured.`,
        );
      }
      // Keep the order of the targets.
      const order = new Map(targetList.map((t, i) => [t.info.name, i]));
      functions.sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
      samples.sort((a, b) => (order.get(a.function) ?? 0) - (order.get(b.function) ?? 0));
      return { samples, functions, notes, accessErrors: [...queryDenied] };
    },
  };
  return frame;
}
