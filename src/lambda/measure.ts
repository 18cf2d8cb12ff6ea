/**
 * The sequential strategy: per function (at most plan.concurrency at once), for each memory size and repetition:
 * set → wait → invoke → classify (warm → retry with a new nonce). Then, per function as soon as it is done:
 * Logs Insights query (insights mode) and undo, concurrently.
 */
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { FunctionInfo, ReportLine, Sample } from '../results/model.js';
import { queryReports } from '../logs/insights.js';
import { AbortedError, getConfig, invokeOnce, sampleFromInvoke, setConfig, waitUpdated, type InvokeResult } from './cycle.js';
import { AccessError, isAccessError, safeMessage, UpdateError } from './errors.js';
import { applyInsights } from './reconcile.js';
import { undoOne } from './undo.js';
import { NONCE_VARIABLE, type EngineDeps, type MeasurePlan, type Target, type UndoEntry, type UndoState } from './types.js';

export interface MeasureResult {
  samples: Sample[];
  /** `failure` set on those that failed. */
  functions: FunctionInfo[];
  notes: string[];
}

/** Counters a benchmark or a report may want (optional extra, via hooks.onStats). */
export interface FunctionRunStats {
  function: string;
  updates: number;
  getFunctionPolls: number;
  warmRetries: number;
  errors: number;
  cold: number;
  conflicts: number;
  preconditionFailures: number;
  elapsedMs: number;
}

export interface MeasureHooks {
  onUndoState(s: UndoState): void;
  /** Every sample as it is taken (the CLI's progress bar). */
  onSample?(s: Sample): void;
  onStats?(s: FunctionRunStats): void;
}

const fmt = (n: number): string => (Math.round(n * 10) / 10).toFixed(1);
const plural = (n: number, one: string, many = one + 's'): string => `${n} ${n === 1 ? one : many}`;

/** A progress line for one sample. PURE. */
export function sampleLine(s: Sample, total: number, maxAttempts: number): string {
  const head = `${s.function} · ${s.memory} MB · ${s.sequence}/${total}`;
  switch (s.kind) {
    case 'cold':
      return s.restore !== null && s.init === null
        ? `${head} · cold (SnapStart restore) · restore ${fmt(s.restore)} ms`
        : `${head} · cold · init ${fmt(s.init ?? 0)} ms${s.attempt > 1 ? ` (attempt ${s.attempt})` : ''}`;
    case 'warm':
      return `${head} · warm (attempt ${s.attempt} of ${maxAttempts})${s.attempt < maxAttempts ? ' · retrying with a new configuration' : ' · giving up on this sample'}${s.error ? ` · ${s.error}` : ''}`;
    case 'error':
      return `${head} · error · ${s.error ?? 'unknown error'}`;
  }
}

function keysOf(c: FunctionConfiguration): string {
  return Object.keys(c.Environment?.Variables ?? {})
    .filter((k) => k !== NONCE_VARIABLE)
    .sort()
    .join(',');
}

async function pool<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
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

export async function measure(deps: EngineDeps, targets: Target[], plan: MeasurePlan, hooks: MeasureHooks): Promise<MeasureResult> {
  const runStart = deps.now();
  const maxAttempts = 1 + (plan.maxWarmRetries ?? 3);
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
  const cdeps = { lambda: deps.lambda, now: deps.now, sleep: deps.sleep, signal };
  let accessError: AccessError | undefined;
  const notes: string[] = [];
  const samples: Sample[] = [];
  const functions: FunctionInfo[] = [];
  const memoriesOf = (t: Target): number[] => (plan.memory.length > 0 ? plan.memory : [t.info.originalMemory]);

  deps.log.info(
    `Measuring ${plural(targets.length, 'function')} × ${plural(plan.memory.length || 1, 'memory size')} × ${plural(plan.repetitions, 'repetition')}` +
      ` (${Math.min(plan.concurrency, targets.length)} at a time, report source: ${plan.reportSource})`,
  );

  const runFunction = async (t: Target): Promise<void> => {
    const name = t.info.name;
    const info: FunctionInfo = { ...t.info };
    const entry = undoState.entries.find((e) => e.functionName === name) as UndoEntry;
    const lines: string[] = [];
    const mine: Sample[] = [];
    const stats: FunctionRunStats = {
      function: name,
      updates: 0,
      getFunctionPolls: 0,
      warmRetries: 0,
      errors: 0,
      cold: 0,
      conflicts: 0,
      preconditionFailures: 0,
      elapsedMs: 0,
    };
    const started = deps.now();
    const updateDurations: number[] = [];
    const onPoll = (): void => {
      stats.getFunctionPolls++;
    };
    let exhausted = 0;
    let outsideEnvChange = false;
    let outsideMemoryChange = false;

    if (info.snapStart) {
      notes.push(
        `${name}: SnapStart is on, but it applies to published versions only; these $LATEST invocations are ordinary cold starts (Init Duration).`,
      );
    }

    const push = (s: Sample): void => {
      mine.push(s);
      lines.push(sampleLine(s, plan.repetitions, maxAttempts));
      hooks.onSample?.(s);
    };
    const failedSample = (memory: number, sequence: number, attempt: number, error: string): Sample => ({
      function: name,
      memory,
      sequence,
      attempt,
      requestId: '',
      kind: 'error',
      init: null,
      restore: null,
      duration: null,
      billed: null,
      maxMemory: null,
      source: 'tail',
      timestamp: new Date(deps.now()).toISOString(),
      strategy: 'sequential',
      error,
    });

    try {
      let current = await getConfig(deps.lambda, name);
      const initialKeys = keysOf(current);
      let consecutiveFailures = 0;
      outer: for (const memory of memoriesOf(t)) {
        const setMemory = plan.memory.length > 0 ? memory : undefined;
        for (let seq = 1; seq <= plan.repetitions; seq++) {
          for (let attempt = 1; attempt <= maxAttempts; attempt++) {
            if (signal.aborted) break outer;
            if (setMemory !== undefined && entry.lastSetMemory !== setMemory) {
              if (entry.lastSetMemory !== undefined && current.MemorySize !== entry.lastSetMemory) outsideMemoryChange = true;
              entry.lastSetMemory = setMemory;
              entry.setMemories = [...new Set([...(entry.setMemories ?? []), setMemory])];
              emitUndo(); // before the update that changes memory
            }
            if (keysOf(current) !== initialKeys) outsideEnvChange = true;
            const deadlineMs = deps.now() + plan.updateTimeoutSec * 1000;
            const expected = updateDurations.length > 0 ? Math.min(...updateDurations.slice(-5)) : undefined;
            let inv: InvokeResult;
            try {
              const s = await setConfig(cdeps, name, {
                memory: setMemory,
                nonce: deps.nonce(),
                current,
                deadlineMs,
                expectedUpdateMs: expected,
                onPoll,
              });
              stats.conflicts += s.conflicts;
              stats.preconditionFailures += s.preconditionFailures;
              if (keysOf(s.base) !== initialKeys) outsideEnvChange = true;
              if (s.base.MemorySize !== current.MemorySize) outsideMemoryChange = true; // re-read after 412/409 shows another memory
              current = s.config;
              stats.updates++;
              const w = await waitUpdated(cdeps, name, { deadlineMs, ...(expected !== undefined ? { expectedMs: expected } : {}), onPoll });
              current = w.config;
              updateDurations.push(w.elapsedMs);
              inv = await invokeOnce(deps, name, plan.payload);
            } catch (e) {
              if (e instanceof AccessError) throw e;
              if (e instanceof AbortedError || signal.aborted) break outer;
              if (isAccessError(e)) throw new AccessError(`${name}: ${safeMessage(e)}`);
              const msg = safeMessage(e);
              push(failedSample(memory, seq, attempt, e instanceof UpdateError ? msg : msg));
              stats.errors++;
              consecutiveFailures++;
              if (consecutiveFailures >= 3) throw new Error(`3 failures in a row, the last: ${msg}`);
              try {
                current = await getConfig(deps.lambda, name); // do not merge into a stale copy
              } catch (e2) {
                if (isAccessError(e2)) throw new AccessError(`${name}: ${safeMessage(e2)}`);
              }
              break; // next sample
            }
            consecutiveFailures = 0;
            const sample = sampleFromInvoke(inv, {
              function: name,
              memory,
              sequence: seq,
              attempt,
              strategy: 'sequential',
              expectedMemory: setMemory,
            });
            const kind = sample.kind;
            if (sample.error?.startsWith('ran at ')) outsideMemoryChange = true;
            push(sample);
            if (kind === 'warm') {
              stats.warmRetries++;
              if (attempt === maxAttempts) exhausted++;
              continue;
            }
            if (kind === 'error') stats.errors++;
            if (kind === 'cold') stats.cold++;
            break;
          }
        }
      }
    } catch (e) {
      if (e instanceof AccessError) {
        accessError ??= e;
        internal.abort();
        info.failure = e.message;
      } else {
        info.failure = safeMessage(e);
      }
      lines.push(`${name} · failed · ${info.failure}`);
    }

    // Query (insights) and undo run together, as soon as this function is done.
    const tasks: Promise<void>[] = [];
    const ids = mine.filter((s) => s.requestId).map((s) => s.requestId);
    let found: Map<string, ReportLine> | undefined;
    if (plan.reportSource === 'insights' && ids.length > 0 && !signal.aborted) {
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
          },
        ),
      );
    }
    if (plan.restore) {
      tasks.push(
        undoOne(deps, entry, { updateTimeoutSec: Math.max(plan.updateTimeoutSec, 30) }).then(
          (r) => {
            undoState.done.push(name);
            emitUndo();
            lines.push(
              `${name} · ${r === 'restored' ? `restored (memory ${info.originalMemory} MB, ${NONCE_VARIABLE} removed)` : 'nothing to restore'}`,
            );
          },
          (e: unknown) => {
            const msg = safeMessage(e);
            deps.log.warning(`${name}: could not restore the configuration: ${msg}`);
            notes.push(`${name}: could not be restored (${msg}); the post step will try again.`);
            lines.push(`${name} · restore failed · ${msg}`);
          },
        ),
      );
    }
    await Promise.all(tasks);

    if (found) {
      const { missing } = applyInsights(mine, found, (m) => deps.log.warning(m));
      if (missing > 0) {
        notes.push(
          `${name}: ${plural(missing, 'invocation')} not found in Logs Insights within ${plan.queryTimeoutSec} s; their numbers come from the invoke log tail (source "tail").`,
        );
      }
      lines.push(`${name} · Logs Insights: ${ids.length - missing}/${ids.length} request ids found`);
    } else if (plan.reportSource === 'insights' && signal.aborted && ids.length > 0) {
      notes.push(`${name}: the run was stopped; Logs Insights was not queried, numbers come from the invoke log tails.`);
    }

    stats.cold = mine.filter((s) => s.kind === 'cold').length;
    stats.elapsedMs = deps.now() - started;
    const planned = memoriesOf(t).length * plan.repetitions;
    lines.push(
      `${name}: ${stats.cold}/${planned} cold samples, ${plural(stats.warmRetries, 'warm retry', 'warm retries')}, ${plural(stats.errors, 'error')}, ${fmt(stats.elapsedMs / 1000)} s`,
    );
    if (stats.warmRetries > 0) {
      notes.push(
        `${name}: ${plural(stats.warmRetries, 'invocation was', 'invocations were')} warm (another client's traffic or proactive initialisation took the cold start, or the memory was changed by someone else); retried with a new configuration and not counted.`,
      );
    }
    if (exhausted > 0)
      notes.push(
        `${name}: ${plural(exhausted, 'sample')} stayed warm after ${maxAttempts} attempts and ${exhausted === 1 ? 'was' : 'were'} skipped.`,
      );
    const errs = mine.filter((s) => s.kind === 'error').length;
    if (errs > 0) notes.push(`${name}: ${plural(errs, 'sample')} failed (function or update error); not counted as cold starts.`);
    if (outsideEnvChange)
      notes.push(`${name}: its environment variables were changed by someone else during the run; their change was kept.`);
    if (outsideMemoryChange) {
      notes.push(
        `${name}: its memory was changed by someone else during the run; the run set its own memory size again for the next samples, and samples that ran at another memory size were not counted.`,
      );
    }
    if (info.failure) notes.push(`${name}: could not be measured: ${info.failure}`);

    deps.log.group(`${name} (${t.info.runtime}, ${t.info.architecture})`, lines);
    hooks.onStats?.(stats);
    samples.push(...mine);
    functions.push(info);
  };

  await pool(targets, plan.concurrency, runFunction);

  if (accessError) throw accessError;
  if (deps.signal?.aborted) {
    notes.push(
      `The run was stopped before it finished; ${plural(samples.filter((s) => s.kind === 'cold').length, 'cold sample')} had been measured.`,
    );
  }
  // Keep the order of the targets.
  const order = new Map(targets.map((t, i) => [t.info.name, i]));
  functions.sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
  samples.sort((a, b) => (order.get(a.function) ?? 0) - (order.get(b.function) ?? 0));
  return { samples, functions, notes };
}
