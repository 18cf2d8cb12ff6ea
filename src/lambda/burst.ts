/**
 * The burst strategy (issue 8): one configuration update (set → wait), then k invokes released together — each gets
 * its own new execution environment, so one update yields up to k cold starts. Every response is classified exactly
 * as in sequential mode (cycle.ts classify): cold = Init/Restore Duration; warm responses (foreign traffic, proactive
 * initialisation) are never counted: their slots are topped up by another burst after a fresh update, each slot with
 * the same retry budget as a sequential sample (1 + maxWarmRetries attempts).
 *
 * `compare` mode measures each function both ways in one run, per memory size interleaved: the first half of the
 * sequential samples (one update per sample = a burst of one), then the burst(s), then the second half.
 *
 * Burst size: capacity.ts (reserved / unreserved concurrency, a margin for production traffic); a 429 halves the next
 * burst. Insights query and undo as in measure.ts (reused: queryReports, undoOne).
 */
import type { FunctionConfiguration, LambdaClient } from '@aws-sdk/client-lambda';
import type { FinalizeRequestMiddleware } from '@smithy/types';
import type { FunctionInfo, ReportLine, Sample, SampleKind, Strategy } from '../results/model.js';
import { queryReports } from '../logs/insights.js';
import { burstSize, readCapacity, shrinkAfterThrottle, type Capacity } from './capacity.js';
import { AbortedError, classify, classifyReport, getConfig, invokeOnce, setConfig, waitUpdated, type InvokeResult } from './cycle.js';
import { AccessError, errorName, httpStatus, isAccessError, safeMessage, UpdateError } from './errors.js';
import { sampleLine, type MeasureResult } from './measure.js';
import { undoOne } from './undo.js';
import { NONCE_VARIABLE, type EngineDeps, type MeasurePlan, type Target, type UndoEntry, type UndoState } from './types.js';

export interface BurstOptions {
  /** The `burst-size` input; null = repetitions (at most 50), then capped by concurrency limits. */
  burstSize: number | null;
  /** `burst` (default): burst samples only; `compare`: sequential and burst samples interleaved. */
  mode?: 'burst' | 'compare';
}

/** Counters per function (benchmark, tests). */
export interface BurstRunStats {
  function: string;
  /** Configuration updates sent (one per burst, one per sequential sample). */
  updates: number;
  /** Sizes of the bursts sent, in order (sequential samples of `compare` mode are not listed). */
  burstSizes: number[];
  invokes: number;
  cold: number;
  warm: number;
  errors: number;
  /** Invoke attempts answered 429 (including those the SDK retried successfully). */
  throttled: number;
  getFunctionPolls: number;
  elapsedMs: number;
}

export interface BurstHooks {
  onUndoState(s: UndoState): void;
  onSample?(s: Sample): void;
  onStats?(s: BurstRunStats): void;
}

const fmt = (n: number): string => (Math.round(n * 10) / 10).toFixed(1);
const plural = (n: number, one: string, many = one + 's'): string => `${n} ${n === 1 ? one : many}`;

function keysOf(c: FunctionConfiguration): string {
  return Object.keys(c.Environment?.Variables ?? {})
    .filter((k) => k !== NONCE_VARIABLE)
    .sort()
    .join(',');
}

async function pool<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!);
    }
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

/** A 429 / throttling error of the SDK. */
export function isThrottle(e: unknown): boolean {
  const n = errorName(e);
  return n === 'TooManyRequestsException' || n === 'ThrottlingException' || httpStatus(e) === 429;
}

/**
 * A view of `lambda` whose `send` counts every 429 attempt of the command — also those the SDK's retry hides —
 * with a per-command middleware placed inside the retry loop (finalizeRequest, low priority; retry is high).
 * Only `send` is used by invokeOnce.
 */
export function throttleCountingClient(lambda: LambdaClient, onThrottle: () => void): LambdaClient {
  const mw: FinalizeRequestMiddleware<object, object> = (next) => async (args) => {
    try {
      return await next(args);
    } catch (e) {
      if (isThrottle(e)) onThrottle();
      throw e;
    }
  };
  const options = {
    step: 'finalizeRequest',
    priority: 'low',
    name: 'coldstartThrottleCounter',
    override: true,
  } as const;
  const send = (command: { middlewareStack: { add(m: unknown, o: unknown): void } }, ...rest: unknown[]): Promise<unknown> => {
    command.middlewareStack.add(mw, options);
    return (lambda.send as (...a: unknown[]) => Promise<unknown>).call(lambda, command, ...rest);
  };
  return { send } as unknown as LambdaClient;
}

interface Slot {
  sequence: number;
  attempt: number;
}

/** Copy Insights numbers onto the samples (as measure.ts does). Returns the number of request ids not found. */
function applyInsights(name: string, mine: Sample[], found: Map<string, ReportLine>, warn: (m: string) => void): number {
  let missing = 0;
  for (const s of mine) {
    if (!s.requestId) continue;
    const ins = found.get(s.requestId);
    if (!ins) {
      missing++;
      continue;
    }
    const diffs: string[] = [];
    const cmp = (label: string, a: number | null, b: number | undefined | null): void => {
      const bb = b ?? null;
      if (a !== bb) diffs.push(`${label} ${a ?? '—'} vs ${bb ?? '—'}`);
    };
    const insKind = s.kind === 'error' ? 'error' : classifyReport(ins);
    const keepWarm = s.kind === 'warm'; // already topped up: never turned into a cold sample afterwards
    if (!keepWarm) {
      cmp('init', s.init, ins.initDurationMs);
      cmp('restore', s.restore, ins.restoreDurationMs);
    }
    cmp('duration', s.duration, ins.durationMs);
    cmp('billed', s.billed, ins.billedDurationMs);
    cmp('max memory', s.maxMemory, ins.maxMemoryUsedMb);
    if (!keepWarm && insKind !== s.kind) diffs.push(`kind ${s.kind} vs ${insKind}`);
    if (diffs.length > 0) {
      warn(`${name}: Logs Insights differs from the log tail for ${s.requestId} (tail vs Insights: ${diffs.join(', ')}); using Insights`);
    }
    if (!keepWarm) {
      s.init = ins.initDurationMs ?? null;
      s.restore = ins.restoreDurationMs ?? null;
      if (insKind !== s.kind && s.kind !== 'error') s.kind = insKind;
    }
    s.duration = ins.durationMs;
    s.billed = ins.billedDurationMs;
    s.maxMemory = ins.maxMemoryUsedMb;
    s.source = 'insights';
  }
  return missing;
}

type InvokeOutcome = { ok: true; inv: InvokeResult } | { ok: false; error: unknown; at: number };

/**
 * Burst (and compare) measurement. Same contract as measure(): samples, functions (failure set on those that
 * failed), notes; hooks.onUndoState before the first change, before each memory change and after each undo.
 */
export async function measureBurst(
  deps: EngineDeps,
  targets: Target[],
  plan: MeasurePlan,
  options: BurstOptions,
  hooks: BurstHooks,
): Promise<MeasureResult> {
  const mode = options.mode ?? 'burst';
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
  const concurrentFunctions = Math.max(1, Math.min(plan.concurrency, targets.length));

  const capacity: Capacity = await readCapacity(
    deps.lambda,
    targets.map((t) => t.info.name),
  );
  for (const n of capacity.notes) {
    deps.log.notice(n);
    notes.push(n);
  }

  deps.log.info(
    `Measuring ${plural(targets.length, 'function')} × ${plural(plan.memory.length || 1, 'memory size')} × ${plural(plan.repetitions, 'repetition')}` +
      ` with the ${mode === 'compare' ? 'burst and sequential strategies interleaved' : 'burst strategy'}` +
      ` (${concurrentFunctions} at a time, report source: ${plan.reportSource})`,
  );

  const runFunction = async (t: Target): Promise<void> => {
    const name = t.info.name;
    const info: FunctionInfo = { ...t.info };
    const entry = undoState.entries.find((e) => e.functionName === name) as UndoEntry;
    const lines: string[] = [];
    const mine: Sample[] = [];
    const stats: BurstRunStats = {
      function: name,
      updates: 0,
      burstSizes: [],
      invokes: 0,
      cold: 0,
      warm: 0,
      errors: 0,
      throttled: 0,
      getFunctionPolls: 0,
      elapsedMs: 0,
    };
    const started = deps.now();
    const updateDurations: number[] = [];
    const onPoll = (): void => {
      stats.getFunctionPolls++;
    };
    let exhausted = 0;
    let warmTopUps = 0;
    let throttleShrinks = 0;
    let outsideEnvChange = false;
    let outsideMemoryChange = false;
    const tag = (st: Strategy): string => (mode === 'compare' ? `[${st}] ` : '');

    const sized = burstSize({
      function: name,
      repetitions: plan.repetitions,
      requested: options.burstSize,
      reserved: capacity.reserved.has(name) ? capacity.reserved.get(name)! : 'unknown', // null = none reserved (not `??`)
      unreserved: capacity.unreserved,
      concurrentFunctions,
    });
    let size = sized.size;
    for (const r of sized.reasons) {
      notes.push(r);
      lines.push(r);
    }
    if (info.snapStart) {
      notes.push(
        `${name}: SnapStart is on, but it applies to published versions only; these $LATEST invocations are ordinary cold starts (Init Duration).`,
      );
    }

    const push = (s: Sample): void => {
      mine.push(s);
      lines.push(tag(s.strategy) + sampleLine(s, plan.repetitions, maxAttempts));
      hooks.onSample?.(s);
    };
    const errorSample = (memory: number, slot: Slot, strategy: Strategy, error: string, at: number, requestId = ''): Sample => ({
      function: name,
      memory,
      sequence: slot.sequence,
      attempt: slot.attempt,
      requestId,
      kind: 'error',
      init: null,
      restore: null,
      duration: null,
      billed: null,
      maxMemory: null,
      source: 'tail',
      timestamp: new Date(at).toISOString(),
      strategy,
      error,
    });

    let current: FunctionConfiguration | undefined;
    let initialKeys = '';
    let consecutiveFailures = 0;

    /** One round: set + wait (fresh nonce; memory on the first), then the slots' invokes released together. */
    const round = async (
      memory: number,
      setMemory: number | undefined,
      take: Slot[],
      strategy: Strategy,
    ): Promise<{ done: Slot[]; throttled: number }> => {
      if (!current) throw new Error('no configuration read');
      if (setMemory !== undefined && entry.lastSetMemory !== setMemory) {
        if (entry.lastSetMemory !== undefined && current.MemorySize !== entry.lastSetMemory) outsideMemoryChange = true;
        entry.lastSetMemory = setMemory;
        entry.setMemories = [...new Set([...(entry.setMemories ?? []), setMemory])];
        emitUndo(); // before the update that changes memory
      }
      if (keysOf(current) !== initialKeys) outsideEnvChange = true;
      const deadlineMs = deps.now() + plan.updateTimeoutSec * 1000;
      const expected = updateDurations.length > 0 ? Math.min(...updateDurations.slice(-5)) : undefined;
      try {
        const s = await setConfig(cdeps, name, {
          memory: setMemory,
          nonce: deps.nonce(),
          current,
          deadlineMs,
          expectedUpdateMs: expected,
          onPoll,
        });
        if (keysOf(s.base) !== initialKeys) outsideEnvChange = true;
        current = s.config;
        stats.updates++;
        const w = await waitUpdated(cdeps, name, { deadlineMs, ...(expected !== undefined ? { expectedMs: expected } : {}), onPoll });
        current = w.config;
        updateDurations.push(w.elapsedMs);
      } catch (e) {
        if (e instanceof AccessError) throw e;
        if (e instanceof AbortedError || signal.aborted) throw new AbortedError();
        if (isAccessError(e)) throw new AccessError(`${name}: ${safeMessage(e)}`);
        const msg = safeMessage(e);
        // The update failed: the first slot of the round takes the error (as a sequential sample would); the others stay open.
        const first = take[0]!;
        push(errorSample(memory, first, strategy, e instanceof UpdateError ? msg : msg, deps.now()));
        stats.errors++;
        consecutiveFailures++;
        if (consecutiveFailures >= 3) throw new Error(`3 failures in a row, the last: ${msg}`);
        try {
          current = await getConfig(deps.lambda, name); // never merge into a stale copy
        } catch (e2) {
          if (isAccessError(e2)) throw new AccessError(`${name}: ${safeMessage(e2)}`);
        }
        return { done: [first], throttled: 0 };
      }
      consecutiveFailures = 0;

      // The barrier: every promise is created here, synchronously, so all k requests are in flight together.
      let throttled = 0;
      const counting = { lambda: throttleCountingClient(deps.lambda, () => throttled++), now: deps.now };
      if (strategy === 'burst') stats.burstSizes.push(take.length);
      const outcomes: InvokeOutcome[] = await Promise.all(
        take.map(() =>
          invokeOnce(counting, name, plan.payload).then(
            (inv): InvokeOutcome => ({ ok: true, inv }),
            (error: unknown): InvokeOutcome => ({ ok: false, error, at: deps.now() }),
          ),
        ),
      );
      stats.invokes += take.length;
      stats.throttled += throttled;

      const done: Slot[] = [];
      outcomes.forEach((o, i) => {
        const slot = take[i]!;
        if (!o.ok) {
          if (o.error instanceof AccessError) throw o.error;
          const msg = safeMessage(o.error);
          const wasThrottled = /TooManyRequests|Throttl|429|Rate exceeded/i.test(msg);
          push(errorSample(memory, slot, strategy, wasThrottled ? `throttled (429) after the SDK's retries: ${msg}` : msg, o.at));
          stats.errors++;
          // A throttled invoke measured nothing: its slot is topped up (it used one attempt); other failures count as the sample.
          if (!wasThrottled) done.push(slot);
          return;
        }
        const inv = o.inv;
        let kind: SampleKind | 'unknown' = classify(inv);
        let error: string | undefined = inv.functionError;
        if (kind === 'unknown') {
          kind = 'error';
          error = 'no REPORT line in the log tail';
        }
        const r = inv.report;
        const ranAt = r?.memorySizeMb;
        if (kind === 'cold' && setMemory !== undefined && ranAt !== undefined && ranAt !== setMemory) {
          kind = 'warm'; // not the configuration we measure: topped up, never counted
          error = `ran at ${ranAt} MB: the memory was changed by someone else`;
          outsideMemoryChange = true;
        }
        const sample: Sample = {
          function: name,
          memory: setMemory ?? ranAt ?? memory,
          sequence: slot.sequence,
          attempt: slot.attempt,
          requestId: inv.requestId,
          kind,
          init: kind === 'warm' ? null : (r?.initDurationMs ?? null),
          restore: kind === 'warm' ? null : (r?.restoreDurationMs ?? null),
          duration: r?.durationMs ?? null,
          billed: r?.billedDurationMs ?? null,
          maxMemory: r?.maxMemoryUsedMb ?? null,
          source: 'tail',
          timestamp: new Date(inv.at).toISOString(),
          strategy,
        };
        if (error !== undefined) sample.error = error;
        push(sample);
        if (kind === 'warm') {
          stats.warm++;
          if (strategy === 'burst') warmTopUps++;
          return;
        }
        if (kind === 'error') stats.errors++;
        else stats.cold++;
        done.push(slot);
      });
      return { done, throttled };
    };

    /** Take `count` samples (slots first..first+count−1) with rounds of at most `sizeOf()` invokes. */
    const fill = async (
      memory: number,
      setMemory: number | undefined,
      strategy: Strategy,
      firstSeq: number,
      count: number,
    ): Promise<void> => {
      let open: Slot[] = Array.from({ length: count }, (_, i) => ({ sequence: firstSeq + i, attempt: 1 }));
      while (open.length > 0) {
        if (signal.aborted) throw new AbortedError();
        const k = strategy === 'sequential' ? 1 : Math.min(size, open.length);
        const take = open.slice(0, k);
        const { done, throttled } = await round(memory, setMemory, take, strategy);
        const closed = new Set(done);
        const next: Slot[] = [];
        for (const s of open) {
          if (closed.has(s)) continue;
          if (take.includes(s)) {
            if (s.attempt >= maxAttempts) {
              exhausted++;
              continue;
            }
            next.push({ sequence: s.sequence, attempt: s.attempt + 1 });
          } else {
            next.push(s);
          }
        }
        if (throttled > 0 && strategy === 'burst') {
          const smaller = shrinkAfterThrottle(k, throttled);
          if (smaller < size) {
            lines.push(`${name} · ${plural(throttled, 'invoke')} of a burst of ${k} throttled (429): next bursts at most ${smaller}`);
            size = smaller;
            throttleShrinks++;
          }
        }
        // Keep slot order: retried slots first (they are the oldest), then the untouched ones.
        open = next.sort((a, b) => a.sequence - b.sequence);
      }
    };

    try {
      if (size <= 0) throw new Error(sized.reasons.join(' ') || 'burst size 0');
      current = await getConfig(deps.lambda, name);
      initialKeys = keysOf(current);
      const memories = memoriesOf(t);
      for (const memory of memories) {
        const setMemory = plan.memory.length > 0 ? memory : undefined;
        if (mode === 'compare') {
          const firstHalf = Math.ceil(plan.repetitions / 2);
          await fill(memory, setMemory, 'sequential', 1, firstHalf);
          await fill(memory, setMemory, 'burst', 1, plan.repetitions);
          await fill(memory, setMemory, 'sequential', firstHalf + 1, plan.repetitions - firstHalf);
        } else {
          await fill(memory, setMemory, 'burst', 1, plan.repetitions);
        }
      }
    } catch (e) {
      if (e instanceof AccessError) {
        accessError ??= e;
        internal.abort();
        info.failure = e.message;
      } else if (!(e instanceof AbortedError) && !signal.aborted) {
        info.failure = safeMessage(e);
      }
      if (info.failure) lines.push(`${name} · failed · ${info.failure}`);
    }

    // Query (insights) and undo run together, as soon as this function is done (as measure.ts).
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
      const missing = applyInsights(name, mine, found, (m) => deps.log.warning(m));
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
    const perStrategy = mode === 'compare' ? 2 : 1;
    const planned = memoriesOf(t).length * plan.repetitions * perStrategy;
    lines.push(
      `${name}: ${stats.cold}/${planned} cold samples from ${plural(stats.updates, 'update')} (bursts: ${stats.burstSizes.join(', ') || 'none'}), ` +
        `${plural(stats.warm, 'warm response')}, ${plural(stats.errors, 'error')}, ${fmt(stats.elapsedMs / 1000)} s`,
    );
    if (warmTopUps > 0) {
      notes.push(
        `${name}: ${plural(warmTopUps, 'burst invocation was', 'burst invocations were')} warm (another client's traffic or proactive initialisation took the cold start); not counted, topped up by another burst after a fresh configuration update.`,
      );
    }
    const seqWarm = mine.filter((s) => s.kind === 'warm' && s.strategy === 'sequential').length;
    if (seqWarm > 0) {
      notes.push(
        `${name}: ${plural(seqWarm, 'sequential invocation was', 'sequential invocations were')} warm; retried with a new configuration and not counted.`,
      );
    }
    if (stats.throttled > 0) {
      notes.push(
        `${name}: ${plural(stats.throttled, 'invoke attempt was', 'invoke attempts were')} throttled (429)` +
          `${throttleShrinks > 0 ? `; the next bursts were made smaller (down to ${size})` : ''}.`,
      );
    }
    if (exhausted > 0)
      notes.push(
        `${name}: ${plural(exhausted, 'sample')} stayed warm after ${maxAttempts} attempts and ${exhausted === 1 ? 'was' : 'were'} skipped.`,
      );
    const errs = mine.filter((s) => s.kind === 'error').length;
    if (errs > 0)
      notes.push(`${name}: ${plural(errs, 'sample')} failed (function, update or throttling error); not counted as cold starts.`);
    if (outsideEnvChange)
      notes.push(`${name}: its environment variables were changed by someone else during the run; their change was kept.`);
    if (outsideMemoryChange)
      notes.push(`${name}: its memory was changed by someone else during the run; samples at the wrong memory size were not counted.`);
    if (info.failure) notes.push(`${name}: could not be measured: ${info.failure}`);

    deps.log.group(`${name} (${t.info.runtime}, ${t.info.architecture}) · ${mode}`, lines);
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
  const order = new Map(targets.map((t, i) => [t.info.name, i]));
  functions.sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
  samples.sort((a, b) => (order.get(a.function) ?? 0) - (order.get(b.function) ?? 0));
  return { samples, functions, notes };
}
