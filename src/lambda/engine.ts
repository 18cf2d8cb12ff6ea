/**
 * The one sampling engine. Per function (at most plan.concurrency at once), per memory size, one loop:
 * set → wait → invoke k → classify → top up or give up. A sequential sample is a burst of one; `compare` interleaves
 * k = 1 and k = n (the first half of the sequential samples, the bursts, the second half). One policy for all:
 * - a cold start (Init / Restore Duration) or a function error closes its slot;
 * - a warm response (foreign traffic, proactive initialisation, someone else's memory) is retried from the function's
 *   warm-retry budget, shared by all its samples and proportional to what was asked; when the budget is spent the
 *   function stops with one clear message;
 * - a 429 that outlasts the SDK's retries (update or invoke) is an error sample whose slot is topped up (and the next
 *   bursts are smaller); any other failed call is an error sample that closes its slot;
 * - a round that got no response at all (its update failed, or every invoke failed) is a failure: 3 in a row give up
 *   the function.
 * Then the function is finished (finish.ts: Logs Insights query and undo) as soon as its samples are in.
 */
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { setMaxListeners } from 'node:events';
import type { Sample, SampleStrategy } from '../results/model.js';
import { InsightsQueries } from '../logs/insights.js';
import { MAX_BURST_SIZE } from '../config/limits.js';
import { burstSize, readUnreserved, shrinkAfterThrottle, type Reserved } from './capacity.js';
import { Collector, type FunctionRun, type MeasureResult } from './collect.js';
import { CancelledError, ColdstartError, AccessError, OwnershipError, isAccessError } from '../core/errors.js';
import { getConfig, invokeOnce, readFunction, sampleFromInvoke, setConfig, waitUpdated, type InvokeResult } from './cycle.js';
import { safeMessage, isThrottle } from '../core/aws-errors.js';
import { rawMarker } from './undo/record.js';
import { lambdaNow } from './server-time.js';
import { finishFunction, type FinishContext } from './finish.js';
import { fmt, plural, sampleLine } from './format.js';
import { createPacing, pace } from './pacing.js';
import { throttleCountingClient } from './throttle.js';
import { UndoTracker, variablesOf } from './undo/tracker.js';
import { warmCauses, warmNote, type RoundResponse, type WarmCause } from './warm-cause.js';
import type { EngineDeps, MeasurePlan, Target } from './types.js';
import { unitsOf } from './units.js';
import { restoreMemory, type UndoState } from './undo/state.js';

export type { MeasureResult } from './collect.js';

/** Counters per function (benchmarks, tests). */
export interface FunctionStats {
  function: string;
  /** Configuration updates sent (one per round). */
  updates: number;
  /** Sizes of the bursts sent, in order (k = 1 rounds are not listed). */
  burstSizes: number[];
  invokes: number;
  cold: number;
  warm: number;
  errors: number;
  /** Cold starts whose init failed or timed out (counted apart, never retried). */
  initFailed: number;
  /** Invoke attempts answered 429 (including those the SDK retried successfully). */
  throttled: number;
  getFunctionPolls: number;
  conflicts: number;
  preconditionFailures: number;
  elapsedMs: number;
}

export interface EngineHooks {
  onUndoState(s: UndoState): void;
  /** Every sample as it is taken (the CLI's progress bar). */
  onSample?(s: Sample): void;
  onStats?(s: FunctionStats): void;
  /** A round finished (one configuration update and its invokes): the duration estimate's measure of pace. */
  onRound?(functionName: string): void;
}

/** Warm responses a function may retry in all, at least this many. */
export const MIN_WARM_RETRIES = 5;
/** Rounds in a row without any response before a function is given up. */
export const MAX_CONSECUTIVE_FAILURES = 3;

/** The warm-retry budget of one function: as many as the samples it was asked for, at least MIN_WARM_RETRIES. PURE. */
export function warmRetryBudget(plan: Pick<MeasurePlan, 'repetitions' | 'memory' | 'strategy' | 'warmRetries'>): number {
  if (plan.warmRetries !== undefined) return Math.max(0, plan.warmRetries);
  return Math.max(MIN_WARM_RETRIES, plan.repetitions * Math.max(1, plan.memory.length) * (plan.strategy === 'compare' ? 2 : 1));
}

/**
 * Runs `fn` over `items` in order, at most `limit` weight at a time (an item weighs `weight(item)`, 1 by default; one
 * heavier than `limit` runs alone).
 */
export async function pool<T>(items: T[], limit: number, fn: (t: T) => Promise<void>, weight: (t: T) => number = () => 1): Promise<void> {
  const total = Math.max(1, limit);
  let free = total;
  let wake: (() => void) | undefined;
  const running: Promise<void>[] = [];
  for (const item of items) {
    const w = Math.min(total, Math.max(1, weight(item)));
    while (free < w) await new Promise<void>((r) => (wake = r));
    free -= w;
    const done = fn(item).finally(() => {
      free += w;
      wake?.();
      wake = undefined;
    });
    done.catch(() => undefined); // handled by Promise.all below; not an unhandled rejection while others wait
    running.push(done);
  }
  await Promise.all(running);
}

/** A sample that measured nothing: the update or the invoke failed. */
export function errorSample(f: {
  function: string;
  memory: number;
  sequence: number;
  attempt: number;
  strategy: SampleStrategy;
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

/** What the whole run shares. */
interface RunContext extends FinishContext {
  hooks: EngineHooks;
  /** Aborts on the caller's signal and on an access error of any function. */
  internal: AbortController;
  concurrentFunctions: number;
  unreserved: Promise<number | 'unknown'>;
}

/** The function's warm-retry budget is spent: it stops, with one message. */
class WarmBudgetSpent extends ColdstartError {
  override name = 'WarmBudgetSpent';
  constructor() {
    super('warm-retry budget spent');
  }
}

interface Slot {
  sequence: number;
  attempt: number;
}

/** How a round left a slot: closed, or open again (warm from the budget, or throttled). */
type Verdict = 'done' | 'again';

interface RoundResult {
  verdicts: Map<Slot, Verdict>;
  /** No response at all: the update failed, or every invoke did. */
  failed?: unknown;
  /** Invoke attempts answered 429 in this round (SDK retries included). */
  throttled: number;
}

/** One function's measurement: its configuration as last read, its budget, its counters. */
class FunctionMeasurement {
  current!: FunctionConfiguration;
  consecutiveFailures = 0;
  warmLeft: number;
  size = 1;
  warmStopped = false;
  throttleShrinks = 0;
  readonly updateDurations: number[] = [];
  readonly stats: FunctionStats;
  /** Warm responses by what made them warm (the note names only these). */
  readonly warmBy: Record<WarmCause, number> = { 'own-burst': 0, elsewhere: 0, memory: 0 };

  constructor(
    readonly ctx: RunContext,
    readonly run: FunctionRun,
  ) {
    this.warmLeft = warmRetryBudget(ctx.plan);
    this.stats = {
      function: run.name,
      updates: 0,
      burstSizes: [],
      invokes: 0,
      cold: 0,
      warm: 0,
      errors: 0,
      initFailed: 0,
      throttled: 0,
      getFunctionPolls: 0,
      conflicts: 0,
      preconditionFailures: 0,
      elapsedMs: 0,
    };
  }

  get name(): string {
    return this.run.name;
  }

  push(s: Sample, retrying = true): void {
    this.run.samples.push(s);
    const tag = this.ctx.plan.strategy === 'compare' ? `[${s.strategy}] ` : '';
    this.run.lines.push(tag + sampleLine(s, this.ctx.plan.repetitions, retrying));
    if (s.kind === 'cold') this.stats.cold++;
    else if (s.kind === 'warm') this.stats.warm++;
    else if (s.kind === 'init-failed') this.stats.initFailed++;
    else this.stats.errors++;
    this.ctx.hooks.onSample?.(s);
  }

  /** A configuration read: someone else's change is kept, said on the progress line and in the notes. */
  observe(c: FunctionConfiguration): void {
    const change = this.ctx.tracker.observe(this.name, c);
    if (!change) return;
    if (change.environment && !this.run.outsideEnvChange) {
      this.run.outsideEnvChange = true;
      this.run.lines.push(`${this.name} · its environment variables were changed by someone else: kept`);
    }
    if (change.memory !== undefined) this.theirMemory(change.memory);
  }

  theirMemory(memory: number): void {
    this.run.outsideMemoryChange = true;
    const ours = this.ctx.plan.memory.length > 0;
    this.run.lines.push(
      `${this.name} · memory set to ${memory} MB by someone else: theirs is kept${this.ctx.plan.restore ? ' at the end' : ''}${ours ? '; measuring at ours again' : ''}`,
    );
  }

  /** Re-read after a failure: never merge into a stale copy. */
  async reread(): Promise<void> {
    try {
      this.current = await getConfig(this.ctx.deps.lambda, this.name);
      this.observe(this.current);
    } catch (e) {
      if (e instanceof AccessError) throw e; // getConfig names the denied action
      // Otherwise keep the copy we have: a stale one is answered 412, and setConfig re-reads then.
    }
  }

  /** set → wait (fresh nonce; memory when it differs), recording whose revisions are ours. */
  private async update(setMemory: number | undefined): Promise<void> {
    const { deps, plan, signal, tracker } = this.ctx;
    this.observe(this.current); // before willSet: what we are about to set is not "expected" yet
    tracker.willSet(this.name, setMemory);
    const deadlineMs = deps.now() + plan.updateTimeoutSec * 1000;
    const expected = this.updateDurations.length > 0 ? Math.min(...this.updateDurations.slice(-5)) : undefined;
    const onPoll = (): void => {
      this.stats.getFunctionPolls++;
    };
    const cdeps = {
      lambda: deps.lambda,
      now: deps.now,
      sleep: deps.sleep,
      signal,
      ...(deps.runId === undefined ? {} : { runId: deps.runId }),
      writerProcess: deps.writerProcess,
      region: deps.region,
    };
    const s = await setConfig(cdeps, this.name, {
      memory: setMemory,
      nonce: deps.nonce(),
      // From the configuration the update is based on: a 412 re-read may show someone else's memory, which the record
      // must then hold (a kill right after our update restores theirs).
      restoreMemory: (base) => {
        this.observe(base);
        return restoreMemory(tracker.entry(this.name));
      },
      current: this.current,
      deadlineMs,
      expectedUpdateMs: expected,
      onPoll,
    });
    this.stats.conflicts += s.conflicts;
    this.stats.preconditionFailures += s.preconditionFailures;
    this.observe(s.base); // a re-read after 412/409 may show someone else's change
    tracker.accepted(this.name, s.base, setMemory, s.config.RevisionId);
    this.current = s.config;
    this.stats.updates++;
    const w = await waitUpdated(cdeps, this.name, { deadlineMs, ...(expected !== undefined ? { expectedMs: expected } : {}), onPoll });
    // The configuration we waited for is ours when it still shows what our update wrote (our marker value, the memory
    // it set or left, the variables it merged); otherwise someone changed it since.
    const mine =
      rawMarker(w.config) === rawMarker(s.config) &&
      w.config.MemorySize === (setMemory ?? s.base.MemorySize) &&
      variablesOf(w.config) === variablesOf(s.base);
    if (mine) tracker.confirmed(this.name, w.config);
    else this.observe(w.config);
    this.current = w.config;
    this.updateDurations.push(w.elapsedMs);
  }

  /**
   * The first half of a round: update and wait. Null when the function is ready to be invoked; the round's result when
   * the update failed (the first slot takes the error, a 429 leaving it open; the others stay untouched).
   */
  async prepare(memory: number, setMemory: number | undefined, take: Slot[], strategy: SampleStrategy): Promise<RoundResult | null> {
    const { deps, signal } = this.ctx;
    try {
      await this.update(setMemory);
      return null;
    } catch (e) {
      if (e instanceof AccessError || e instanceof OwnershipError) throw e;
      if (e instanceof CancelledError || signal.aborted) throw new CancelledError();
      if (isAccessError(e)) throw new AccessError(`${this.name}: ${safeMessage(e)}`);
      const first = take[0]!;
      const throttled = isThrottle(e);
      const error = throttled ? `throttled (429) after the SDK's retries: ${safeMessage(e)}` : safeMessage(e);
      this.push(
        errorSample({ function: this.name, memory, sequence: first.sequence, attempt: first.attempt, strategy, error, at: deps.now() }),
      );
      await this.reread();
      return { verdicts: new Map([[first, throttled ? 'again' : 'done']]), failed: e, throttled: 0 };
    }
  }

  /** The second half of a round: the slots' invokes released together; each response classified. */
  async release(memory: number, setMemory: number | undefined, take: Slot[], strategy: SampleStrategy): Promise<RoundResult> {
    const { deps, plan, signal } = this.ctx;
    const failed = (slot: Slot, error: string, at: number): Sample =>
      errorSample({ function: this.name, memory, sequence: slot.sequence, attempt: slot.attempt, strategy, error, at });
    // The barrier: every promise is created here, synchronously, so all k requests are in flight together.
    let throttled = 0;
    const counting = { lambda: throttleCountingClient(deps.lambda, () => throttled++), now: deps.now, signal };
    if (strategy === 'burst') this.stats.burstSizes.push(take.length);
    type Outcome = { ok: true; inv: InvokeResult } | { ok: false; error: unknown; at: number };
    const outcomes: Outcome[] = await Promise.all(
      take.map(() =>
        invokeOnce(counting, this.name, plan.payload).then(
          (inv): Outcome => ({ ok: true, inv }),
          (error: unknown): Outcome => ({ ok: false, error, at: deps.now() }),
        ),
      ),
    );
    this.stats.invokes += take.length;
    this.stats.throttled += throttled;

    const verdicts = new Map<Slot, Verdict>();
    const answered: RoundResponse[] = [];
    let lastError: unknown;
    let responses = 0;
    outcomes.forEach((o, i) => {
      const slot = take[i]!;
      if (!o.ok) {
        if (o.error instanceof AccessError || o.error instanceof CancelledError) throw o.error;
        lastError = o.error;
        const msg = safeMessage(o.error);
        const wasThrottled = isThrottle(o.error);
        this.push(failed(slot, wasThrottled ? `throttled (429) after the SDK's retries: ${msg}` : msg, o.at));
        // A throttled invoke measured nothing: its slot is topped up; another failure is the sample's result.
        verdicts.set(slot, wasThrottled ? 'again' : 'done');
        return;
      }
      responses++;
      // A cold start at another memory size is someone else's change: warm (retried, never counted), and kept.
      const sample = sampleFromInvoke(o.inv, {
        function: this.name,
        memory,
        sequence: slot.sequence,
        attempt: slot.attempt,
        strategy,
        expectedMemory: setMemory,
      });
      const theirs = this.ctx.tracker.observeReport(this.name, o.inv.report?.memorySizeMb, setMemory);
      if (theirs !== undefined) this.theirMemory(theirs);
      const ranAt = o.inv.report?.memorySizeMb;
      answered.push({
        kind: sample.kind,
        at: o.inv.at,
        durationMs: sample.duration,
        otherMemory: setMemory !== undefined && ranAt !== undefined && ranAt !== setMemory,
      });
      if (sample.kind !== 'warm') {
        this.push(sample);
        verdicts.set(slot, 'done');
        return;
      }
      const retry = this.warmLeft > 0;
      this.push(sample, retry);
      if (retry) this.warmLeft--;
      else this.warmStopped = true;
      verdicts.set(slot, 'again');
    });
    for (const cause of warmCauses(strategy, answered)) this.warmBy[cause]++;
    return responses === 0 ? { verdicts, failed: lastError, throttled } : { verdicts, throttled };
  }

  /** The first read of the function (the original as the run found it), then its burst size. */
  async start(): Promise<void> {
    const { deps, tracker } = this.ctx;
    const first = await readFunction(deps.lambda, this.name); // denied and bad credentials are said as such
    this.current = first.config;
    tracker.begin(this.name, first.config);
    // The original as the run found it (a deploy may have changed it since preflight): the report and the size kept.
    this.run.info.originalMemory = tracker.entry(this.name).originalMemory;
    await sizeBursts(this, first.reserved);
  }

  /** The memory sizes this function is measured at: the plan's, or the size it has. */
  get memories(): number[] {
    return this.ctx.plan.memory.length > 0 ? this.ctx.plan.memory : [this.run.info.originalMemory];
  }

  /**
   * What stays open of `open` after a round that took `take`: failures in a row give up the function, a spent warm
   * budget stops it, a throttled burst makes the next ones smaller.
   */
  settle(open: Slot[], take: Slot[], r: RoundResult): Slot[] {
    if (r.failed !== undefined) {
      if (++this.consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
        throw new Error(`${MAX_CONSECUTIVE_FAILURES} failures in a row, the last: ${safeMessage(r.failed)}`, { cause: r.failed });
      }
    } else {
      this.consecutiveFailures = 0;
    }
    if (this.warmStopped) throw new WarmBudgetSpent();
    const next: Slot[] = [];
    for (const s of open) {
      const v = r.verdicts.get(s);
      if (v === 'done') continue;
      next.push(v === 'again' ? { sequence: s.sequence, attempt: s.attempt + 1 } : s);
    }
    const k = take.length;
    if (r.throttled > 0 && k > 1) {
      const smaller = shrinkAfterThrottle(k, r.throttled);
      if (smaller < this.size) {
        this.run.lines.push(
          `${this.name} · ${plural(r.throttled, 'invoke')} of a burst of ${k} throttled (429): next bursts at most ${smaller}`,
        );
        this.size = smaller;
        this.throttleShrinks++;
      }
    }
    return next.sort((a, b) => a.sequence - b.sequence);
  }
}

/** One function of a unit in one fill: the memory size its samples are at, and the size to set (undefined: leave it). */
interface Side {
  fm: FunctionMeasurement;
  memory: number;
  setMemory: number | undefined;
}

/** A function of a unit stopped (`cause`): the unit's other function stops with it. */
class SideFailure extends ColdstartError {
  override name = 'SideFailure';
  constructor(
    readonly fm: FunctionMeasurement,
    override readonly cause: unknown,
  ) {
    super(`${fm.name} stopped`, { cause });
  }
}

/** `fn` on every function of a unit at once; the first that failed is thrown once all have settled. */
async function eachSide<T>(fms: readonly FunctionMeasurement[], fn: (fm: FunctionMeasurement, i: number) => Promise<T>): Promise<T[]> {
  const settled = await Promise.allSettled(fms.map(fn));
  return settled.map((r, i) => {
    if (r.status === 'rejected') throw new SideFailure(fms[i]!, r.reason);
    return r.value;
  });
}

/**
 * Take `count` samples (sequences firstSeq…) on every side of a unit, in rounds of at most k invokes a side, topping up
 * what stayed open. The sides of a pair go in lockstep: a round takes the k lowest sequence numbers still open on either
 * side, and each side its own open slots among them — so a new sequence number is sampled by both sides in the same
 * round (updated together, waited for together, invoked together), and a warm retry only by the side that needs it.
 * Alone, a function takes its k lowest open slots, as ever.
 */
async function fill(sides: readonly Side[], strategy: SampleStrategy, firstSeq: number, count: number): Promise<void> {
  const open = sides.map(() => Array.from({ length: count }, (_, i): Slot => ({ sequence: firstSeq + i, attempt: 1 })));
  const { signal } = sides[0]!.fm.ctx;
  while (open.some((o) => o.length > 0)) {
    if (signal.aborted) throw new CancelledError();
    const k = strategy === 'sequential' ? 1 : Math.min(...sides.map((s) => s.fm.size));
    const sequences = [...new Set(open.flatMap((o) => o.map((slot) => slot.sequence)))].sort((a, b) => a - b);
    const block = new Set(sequences.slice(0, k));
    const takes = open.map((o) => o.filter((slot) => block.has(slot.sequence)));
    const fms = sides.map((s) => s.fm);
    const args = (i: number) => [sides[i]!.memory, sides[i]!.setMemory, takes[i]!, strategy] as const;
    // Every side is updated and waited for before any is invoked: the invokes of a round leave together.
    const prepared = await eachSide(fms, (fm, i) => (takes[i]!.length === 0 ? Promise.resolve(undefined) : fm.prepare(...args(i))));
    const results = await eachSide(fms, (fm, i) => (prepared[i] === null ? fm.release(...args(i)) : Promise.resolve(prepared[i])));
    results.forEach((r, i) => {
      if (r === undefined) return;
      fms[i]!.ctx.hooks.onRound?.(fms[i]!.name);
      try {
        open[i] = sides[i]!.fm.settle(open[i]!, takes[i]!, r);
      } catch (e) {
        throw new SideFailure(sides[i]!.fm, e);
      }
    });
  }
}

async function sizeBursts(fm: FunctionMeasurement, reserved: Reserved): Promise<void> {
  const { ctx, run } = fm;
  if (ctx.plan.strategy === 'sequential') return;
  const sized = burstSize({
    function: run.name,
    repetitions: ctx.plan.repetitions,
    requested: ctx.plan.burstSize,
    reserved,
    unreserved: reserved === null ? await ctx.unreserved : 'unknown',
    concurrentFunctions: ctx.concurrentFunctions,
  });
  for (const r of sized.reasons) {
    ctx.collector.notes.push(r);
    run.lines.push(r);
  }
  if (sized.size <= 0) throw new Error(sized.reasons.join(' ') || 'burst size 0');
  fm.size = sized.size;
}

/**
 * One unit of work: a function alone, or a head and its base side by side (a pair: both functions fill every memory
 * size and strategy together, round by round). Each function is finished (query, undo) and reported on its own.
 */
async function measureUnit(ctx: RunContext, unit: readonly Target[]): Promise<void> {
  const { plan, collector, tracker } = ctx;
  const mode = plan.strategy;
  const fms = unit.map((t) => new FunctionMeasurement(ctx, collector.begin(t, tracker.entry(t.info.name))));
  try {
    await eachSide(fms, (fm) => fm.start());
    for (let j = 0; j < fms[0]!.memories.length; j++) {
      const sides = fms.map((fm) => ({ fm, memory: fm.memories[j]!, setMemory: plan.memory[j] }));
      if (mode === 'compare') {
        const firstHalf = Math.ceil(plan.repetitions / 2);
        await fill(sides, 'sequential', 1, firstHalf);
        await fill(sides, 'burst', 1, plan.repetitions);
        await fill(sides, 'sequential', firstHalf + 1, plan.repetitions - firstHalf);
      } else {
        await fill(sides, mode, 1, plan.repetitions);
      }
    }
  } catch (e) {
    const culprit = e instanceof SideFailure ? e.fm : undefined;
    const cause = e instanceof SideFailure ? e.cause : e;
    for (const fm of fms) {
      if (culprit === undefined || fm === culprit) stopped(ctx, fm, cause);
      else if (!ctx.signal.aborted) {
        const note = `${fm.name}: stopped with ${culprit.name}, the other function of its pair; the pair is compared on the rounds both completed.`;
        collector.notes.push(note);
        fm.run.lines.push(note);
      }
    }
  }
  await Promise.all(fms.map((fm) => finishFunction(ctx, fm.run)));
  for (const fm of fms) closeFunction(ctx, fm, fms.find((other) => other !== fm)?.name);
}

/** Why a function stopped early: its warm-retry budget, or a failure (an access error stops the whole run). */
function stopped(ctx: RunContext, fm: FunctionMeasurement, e: unknown): void {
  const { deps, plan, collector } = ctx;
  if (e instanceof WarmBudgetSpent) {
    const budget = warmRetryBudget(plan);
    const msg = `${fm.name}: stopped early: ${plural(fm.stats.warm, 'response was', 'responses were')} warm, spending its warm-retry budget (${budget}); something keeps its environments warm (steady traffic, provisioned concurrency or proactive initialisation). ${fm.stats.cold} cold ${fm.stats.cold === 1 ? 'sample was' : 'samples were'} measured.`;
    deps.log.warning(msg);
    collector.notes.push(msg);
  } else if (collector.fail(fm.run, e, ctx.signal.aborted)) {
    ctx.internal.abort();
  }
}

/** A function's summary line, its notes, its counters and its progress group (`partner`: the other function of its pair). */
function closeFunction(ctx: RunContext, fm: FunctionMeasurement, partner: string | undefined): void {
  const { deps, plan, collector } = ctx;
  const { name, lines, info } = fm.run;
  const mode = plan.strategy;
  const stats = fm.stats;
  stats.elapsedMs = deps.now() - fm.run.started;
  const planned = fm.memories.length * plan.repetitions * (mode === 'compare' ? 2 : 1);
  lines.push(
    `${name}: ${stats.cold}/${planned} cold samples from ${plural(stats.updates, 'update')}${mode === 'sequential' ? '' : ` (bursts: ${stats.burstSizes.join(', ') || 'none'})`}, ` +
      `${plural(stats.warm, 'warm response')}, ${plural(stats.errors, 'error')}${stats.initFailed > 0 ? `, ${plural(stats.initFailed, 'failed init')}` : ''}, ${fmt(stats.elapsedMs / 1000)} s`,
  );
  if (stats.warm > 0 && !fm.warmStopped) collector.notes.push(warmNote(name, fm.warmBy));
  if (stats.throttled > 0) {
    collector.notes.push(
      `${name}: ${plural(stats.throttled, 'invoke attempt was', 'invoke attempts were')} throttled (429)` +
        `${fm.throttleShrinks > 0 ? `; the next bursts were made smaller (down to ${fm.size})` : ''}.`,
    );
  }
  ctx.hooks.onStats?.(stats);
  const how = `${mode === 'sequential' ? '' : ` · ${mode}`}${partner === undefined ? '' : ` · side by side with ${partner}`}`;
  collector.close(fm.run, `${name} (${info.runtime}, ${info.architecture})${how}`, plan.restore);
}

/**
 * Measures every target with the chosen strategy. Samples, functions (failure set on those that failed), notes;
 * hooks.onUndoState before the first change, before each memory change, after each of our updates and each undo.
 */
export async function measureTargets(deps: EngineDeps, targets: Target[], plan: MeasurePlan, hooks: EngineHooks): Promise<MeasureResult> {
  const internal = new AbortController();
  const signal = AbortSignal.any([internal.signal, ...(deps.signal ? [deps.signal] : [])]);
  // Every function measured at once waits on it (the SDK waiter adds a listener per wait) and so does every invoke in
  // flight (a burst of up to MAX_BURST_SIZE each, so that cancelling aborts them): not a leak.
  const units = unitsOf(targets, plan.pairs);
  const pairs = units.filter((u) => u.length > 1).length;
  // `concurrency` counts functions; a pair is measured side by side even at concurrency 1
  const concurrentFunctions = Math.max(1, Math.min(plan.concurrency, targets.length), pairs > 0 ? 2 : 1);
  setMaxListeners((MAX_BURST_SIZE + 4) * concurrentFunctions, signal);
  // Every call of this client waits for the account's limiters (a client paced already keeps its own).
  const clock = { now: deps.now, sleep: (ms: number) => deps.sleep(ms) };
  pace(deps.lambda, createPacing(clock, { controlRate: plan.apiRate }));
  const collector = new Collector(deps);
  let unreserved: Promise<number | 'unknown'> | undefined;
  const ctx: RunContext = {
    deps,
    plan,
    signal,
    hooks,
    internal,
    concurrentFunctions,
    tracker: new UndoTracker(targets, hooks.onUndoState),
    collector,
    queries: new InsightsQueries({
      logs: deps.logs,
      now: deps.now,
      sleep: (ms) => deps.sleep(ms, signal),
      // the query window is on Lambda's clock (the Date of its responses), whatever this machine's clock says
      startTimeMs: lambdaNow(deps.lambda, deps.now),
      awsNow: () => lambdaNow(deps.lambda, deps.now),
      signal,
    }),
    // Read once, when the first function without a reservation needs it.
    get unreserved() {
      unreserved ??= readUnreserved(deps.lambda).then((u) => {
        for (const n of u.notes) {
          deps.log.notice(n);
          collector.notes.push(n);
        }
        return u.unreserved;
      });
      return unreserved;
    },
  };
  const how =
    plan.strategy === 'sequential'
      ? ''
      : ` with the ${plan.strategy === 'compare' ? 'burst and sequential strategies interleaved' : 'burst strategy'}`;
  deps.log.info(
    `Measuring ${plural(targets.length, 'function')} × ${plural(plan.memory.length || 1, 'memory size')} × ${plural(plan.repetitions, 'repetition')}` +
      `${how}${pairs > 0 ? `, ${plural(pairs, 'pair')} side by side` : ''} (${concurrentFunctions} at a time, report source: ${plan.reportSource})`,
  );
  await pool(
    units,
    plan.concurrency,
    (u) => measureUnit(ctx, u),
    (u) => u.length,
  );
  return collector.result(targets, deps.signal?.aborted === true);
}
