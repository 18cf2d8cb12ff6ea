/**
 * The sequential strategy: per function (at most plan.concurrency at once), for each memory size and repetition:
 * set → wait → invoke → classify (warm → retry with a new nonce). Then, per function as soon as it is done:
 * Logs Insights query (insights mode) and undo, concurrently (frame.ts).
 */
import type { Sample } from '../results/model.js';
import { AbortedError, getConfig, invokeOnce, sampleFromInvoke, setConfig, waitUpdated, type InvokeResult } from './cycle.js';
import { AccessError, isAccessError, OwnershipError, safeMessage } from './errors.js';
import { errorSample, fmt, keysOf, openRun, plural, type MeasureResult } from './frame.js';
import { noteOurRevisions } from './marker.js';
import type { EngineDeps, MeasurePlan, Target, UndoState } from './types.js';

export type { MeasureResult } from './frame.js';

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

export async function measure(deps: EngineDeps, targets: Target[], plan: MeasurePlan, hooks: MeasureHooks): Promise<MeasureResult> {
  const frame = openRun(deps, targets, plan, hooks);
  const { maxAttempts, signal, cdeps } = frame;

  deps.log.info(
    `Measuring ${plural(targets.length, 'function')} × ${plural(plan.memory.length || 1, 'memory size')} × ${plural(plan.repetitions, 'repetition')}` +
      ` (${Math.min(plan.concurrency, targets.length)} at a time, report source: ${plan.reportSource})`,
  );

  const runFunction = async (t: Target): Promise<void> => {
    const run = frame.begin(t);
    const { name } = run;
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
    const updateDurations: number[] = [];
    const onPoll = (): void => {
      stats.getFunctionPolls++;
    };
    const push = (s: Sample): void => {
      run.samples.push(s);
      run.lines.push(sampleLine(s, plan.repetitions, maxAttempts));
      hooks.onSample?.(s);
    };

    try {
      let current = await getConfig(deps.lambda, name);
      const initialKeys = keysOf(current);
      let consecutiveFailures = 0;
      outer: for (const memory of frame.memoriesOf(t)) {
        const setMemory = plan.memory.length > 0 ? memory : undefined;
        for (let seq = 1; seq <= plan.repetitions; seq++) {
          for (let attempt = 1; attempt <= maxAttempts; attempt++) {
            if (signal.aborted) break outer;
            frame.willSetMemory(run, setMemory, current);
            if (keysOf(current) !== initialKeys) run.outsideEnvChange = true;
            const deadlineMs = deps.now() + plan.updateTimeoutSec * 1000;
            const expected = updateDurations.length > 0 ? Math.min(...updateDurations.slice(-5)) : undefined;
            let inv: InvokeResult;
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
              stats.conflicts += s.conflicts;
              stats.preconditionFailures += s.preconditionFailures;
              if (keysOf(s.base) !== initialKeys) run.outsideEnvChange = true;
              frame.sawMemory(run, s.base.MemorySize); // a re-read after 412/409 may show someone else's memory
              current = s.config;
              stats.updates++;
              const w = await waitUpdated(cdeps, name, { deadlineMs, ...(expected !== undefined ? { expectedMs: expected } : {}), onPoll });
              noteOurRevisions(run.entry, s.config, w.config);
              current = w.config;
              updateDurations.push(w.elapsedMs);
              inv = await invokeOnce(deps, name, plan.payload);
            } catch (e) {
              if (e instanceof AccessError || e instanceof OwnershipError) throw e;
              if (e instanceof AbortedError || signal.aborted) break outer;
              if (isAccessError(e)) throw new AccessError(`${name}: ${safeMessage(e)}`);
              const msg = safeMessage(e);
              push(errorSample({ function: name, memory, sequence: seq, attempt, strategy: 'sequential', error: msg, at: deps.now() }));
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
            frame.sawMemory(run, inv.report?.memorySizeMb); // a cold start at another size is someone else's change
            push(sample);
            if (sample.kind === 'warm') {
              stats.warmRetries++;
              if (attempt === maxAttempts) run.exhausted++;
              continue;
            }
            if (sample.kind === 'error') stats.errors++;
            break;
          }
        }
      }
    } catch (e) {
      frame.fail(run, e);
    }

    await frame.finish(run);

    stats.cold = run.samples.filter((s) => s.kind === 'cold').length;
    stats.elapsedMs = deps.now() - run.started;
    const planned = frame.memoriesOf(t).length * plan.repetitions;
    run.lines.push(
      `${name}: ${stats.cold}/${planned} cold samples, ${plural(stats.warmRetries, 'warm retry', 'warm retries')}, ${plural(stats.errors, 'error')}, ${fmt(stats.elapsedMs / 1000)} s`,
    );
    if (stats.warmRetries > 0) {
      frame.notes.push(
        `${name}: ${plural(stats.warmRetries, 'invocation was', 'invocations were')} warm (another client's traffic or proactive initialisation took the cold start, or the memory was changed by someone else); retried with a new configuration and not counted.`,
      );
    }
    hooks.onStats?.(stats);
    frame.close(run, `${name} (${t.info.runtime}, ${t.info.architecture})`);
  };

  return frame.runAll(targets, runFunction);
}
