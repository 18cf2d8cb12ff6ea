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
import type { Sample, Strategy } from '../results/model.js';
import { burstSize, readCapacity, shrinkAfterThrottle, type Capacity } from './capacity.js';
import { AbortedError, getConfig, invokeOnce, sampleFromInvoke, setConfig, waitUpdated, type InvokeResult } from './cycle.js';
import { AccessError, errorName, httpStatus, isAccessError, OwnershipError, safeMessage } from './errors.js';
import { errorSample, fmt, keysOf, openRun, plural, type MeasureResult } from './frame.js';
import { noteOurRevisions } from './marker.js';
import { sampleLine } from './measure.js';
import type { EngineDeps, MeasurePlan, Target, UndoState } from './types.js';

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
  const frame = openRun(deps, targets, plan, hooks);
  const { maxAttempts, signal, cdeps, notes } = frame;
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
    const run = frame.begin(t);
    const { name, lines } = run;
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
    const updateDurations: number[] = [];
    const onPoll = (): void => {
      stats.getFunctionPolls++;
    };
    let warmTopUps = 0;
    let throttleShrinks = 0;
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

    const push = (s: Sample): void => {
      run.samples.push(s);
      lines.push(tag(s.strategy) + sampleLine(s, plan.repetitions, maxAttempts));
      hooks.onSample?.(s);
    };
    const failed = (memory: number, slot: Slot, strategy: Strategy, error: string, at: number): Sample =>
      errorSample({ function: name, memory, sequence: slot.sequence, attempt: slot.attempt, strategy, error, at });

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
      frame.willSetMemory(run, setMemory, current);
      if (keysOf(current) !== initialKeys) run.outsideEnvChange = true;
      const deadlineMs = deps.now() + plan.updateTimeoutSec * 1000;
      const expected = updateDurations.length > 0 ? Math.min(...updateDurations.slice(-5)) : undefined;
      try {
        const s = await setConfig(cdeps, name, {
          memory: setMemory,
          originalMemory: run.entry.outsideMemory ?? run.entry.originalMemory,
          nonce: deps.nonce(),
          current,
          deadlineMs,
          expectedUpdateMs: expected,
          onPoll,
        });
        if (keysOf(s.base) !== initialKeys) run.outsideEnvChange = true;
        frame.sawMemory(run, s.base.MemorySize); // a re-read after 412/409 may show someone else's memory
        current = s.config;
        stats.updates++;
        const w = await waitUpdated(cdeps, name, { deadlineMs, ...(expected !== undefined ? { expectedMs: expected } : {}), onPoll });
        noteOurRevisions(run.entry, s.config, w.config);
        current = w.config;
        updateDurations.push(w.elapsedMs);
      } catch (e) {
        if (e instanceof AccessError || e instanceof OwnershipError) throw e;
        if (e instanceof AbortedError || signal.aborted) throw new AbortedError();
        if (isAccessError(e)) throw new AccessError(`${name}: ${safeMessage(e)}`);
        const msg = safeMessage(e);
        // The update failed: the first slot of the round takes the error (as a sequential sample would); the others stay open.
        const first = take[0]!;
        push(failed(memory, first, strategy, msg, deps.now()));
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
      const counting = { lambda: throttleCountingClient(deps.lambda, () => throttled++), now: deps.now, signal };
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
          if (o.error instanceof AccessError || o.error instanceof AbortedError) throw o.error;
          const msg = safeMessage(o.error);
          const wasThrottled = /TooManyRequests|Throttl|429|Rate exceeded/i.test(msg);
          push(failed(memory, slot, strategy, wasThrottled ? `throttled (429) after the SDK's retries: ${msg}` : msg, o.at));
          stats.errors++;
          // A throttled invoke measured nothing: its slot is topped up (it used one attempt); other failures count as the sample.
          if (!wasThrottled) done.push(slot);
          return;
        }
        // Classified exactly as in sequential mode; a cold start at another memory size is warm (topped up, never counted).
        const sample = sampleFromInvoke(o.inv, {
          function: name,
          memory,
          sequence: slot.sequence,
          attempt: slot.attempt,
          strategy,
          expectedMemory: setMemory,
        });
        frame.sawMemory(run, o.inv.report?.memorySizeMb); // a cold start at another size is someone else's change
        push(sample);
        if (sample.kind === 'warm') {
          stats.warm++;
          if (strategy === 'burst') warmTopUps++;
          return;
        }
        if (sample.kind === 'error') stats.errors++;
        else stats.cold++;
        done.push(slot);
      });
      return { done, throttled };
    };

    /** Take `count` samples (slots first..first+count−1) with rounds of at most `size` invokes. */
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
              run.exhausted++;
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
      for (const memory of frame.memoriesOf(t)) {
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
      frame.fail(run, e);
    }

    await frame.finish(run);

    stats.cold = run.samples.filter((s) => s.kind === 'cold').length;
    stats.elapsedMs = deps.now() - run.started;
    const perStrategy = mode === 'compare' ? 2 : 1;
    const planned = frame.memoriesOf(t).length * plan.repetitions * perStrategy;
    lines.push(
      `${name}: ${stats.cold}/${planned} cold samples from ${plural(stats.updates, 'update')} (bursts: ${stats.burstSizes.join(', ') || 'none'}), ` +
        `${plural(stats.warm, 'warm response')}, ${plural(stats.errors, 'error')}, ${fmt(stats.elapsedMs / 1000)} s`,
    );
    if (warmTopUps > 0) {
      notes.push(
        `${name}: ${plural(warmTopUps, 'burst invocation was', 'burst invocations were')} warm (another client's traffic or proactive initialisation took the cold start); not counted, topped up by another burst after a fresh configuration update.`,
      );
    }
    const seqWarm = run.samples.filter((s) => s.kind === 'warm' && s.strategy === 'sequential').length;
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
    hooks.onStats?.(stats);
    frame.close(run, `${name} (${t.info.runtime}, ${t.info.architecture}) · ${mode}`);
  };

  return frame.runAll(targets, runFunction);
}
