/**
 * The measuring half of a run, shared by the action and the CLI: preflight → (put back what a dead run left) →
 * the engine → RunResults. Cancellation (SIGINT/SIGTERM) stops new samples and aborts invokes in flight; the engine
 * undoes before the process exits (interrupts.ts). The caller says how to tell the user.
 */
import type { Config } from '../config/model.js';
import { functionPairs, measuredFunctions } from '../config/pairs.js';
import type { Logger } from '../core/logger.js';
import { VERSION } from '../core/version.js';
import { defaultNonce } from '../lambda/clients.js';
import type { MeasureResult } from '../lambda/collect.js';
import { preflight } from '../lambda/preflight.js';
import { measureTargets } from '../lambda/engine.js';
import { keepRecord, type KeptFunction } from '../lambda/undo/apply.js';
import { restoreCommand } from '../lambda/undo/messages.js';
import { NONCE_VARIABLE } from '../lambda/undo/record.js';
import { restoreMemory, type UndoEntry, type UndoState } from '../lambda/undo/state.js';
import { buildResults } from '../results/build.js';
import type { RunResults, Sample } from '../results/model.js';
import { realDeps, type RealDeps } from './deps.js';
import { credentialFacts, credentialWarning, estimateLine, RunEstimate } from './estimate.js';
import { listenForInterrupts } from './interrupts.js';
import { estimateCost } from './cost-estimate.js';
import { estimateCostLine, runCostLine } from '../report/cost.js';
import type { RunCostEstimate } from '../results/cost.js';
import { putBackLeftovers } from './leftovers.js';
import { runWriter } from './run-id.js';
import { githubAccess, writerCheck } from './writer-check.js';

export interface MeasureRunOptions {
  /** AWS region (run/region.ts resolves it). */
  region: string;
  log: Logger;
  /** Called once when SIGINT or SIGTERM arrives. */
  onCancel(signal: NodeJS.Signals): void;
  onUndoState(state: UndoState): void;
  onSample?(sample: Sample): void;
  /** The GitHub run, when there is one. */
  url?: string | undefined;
  /** Who changes the functions (their undo record names it); default: from `url`, or a CLI run id and this process. */
  runId?: string;
  /** A third interrupt abandons the undo: how the process ends then (default process.exit). */
  exit?: (code: number) => void;
  /** The duration estimate (the CLI's progress bar reads it too); default: one on the real clock. */
  estimate?: RunEstimate;
}

export interface MeasuredRun {
  results: RunResults;
  /** SIGINT/SIGTERM stopped it: the functions were restored, the results are partial. */
  cancelled: boolean;
  /** Access errors that did not stop the measurement (see MeasureResult.accessErrors): publish, then fail. */
  accessErrors: string[];
  /** Functions whose undo failed (restore on): they carry their undo record; `restoreCommand` puts them back. */
  unrestored: { name: string; restoreMemory: number }[];
  /** The command that restores `unrestored` from their records. */
  restoreCommand?: string;
}

export async function measureRun(config: Config, opts: MeasureRunOptions): Promise<MeasuredRun> {
  // Paced from the first call (preflight's reads and restores of leftovers too) at the run's api-rate.
  const deps = realDeps({ region: opts.region, log: opts.log, apiRate: config.apiRate });
  const writer = opts.runId === undefined ? runWriter(opts.url) : { runId: opts.runId };
  const runId = writer.runId;
  const startedAt = new Date().toISOString();
  const check = preflightOptions(config, opts, deps, runId);
  // the bases of `baseline-functions` are measured functions like any other: preflight, undo record, restore, pacing
  const functions = measuredFunctions(config);
  const found = await preflight(deps.lambda, functions, check);

  const controller = new AbortController();
  let latest: UndoState | undefined;
  const pending = (): UndoEntry[] => (config.restore && latest ? latest.entries.filter((e) => !latest!.done.includes(e.functionName)) : []);
  const stopListening = listenForInterrupts({ ...opts, controller, pending, region: opts.region });
  let measured: MeasureResult;
  let costEstimate: RunCostEstimate | undefined;
  try {
    const targets = await putBackLeftovers(found, { deps, functions, check, region: opts.region });
    costEstimate = estimateCost(config, targets, opts.region);
    const estimate = opts.estimate ?? new RunEstimate(config, deps.now);
    await announce(deps, estimate, costEstimate);
    const hooks = {
      onUndoState: (s: UndoState) => opts.onUndoState((latest = { ...s, runId })),
      onRound: () => {
        const refined = estimate.updated();
        if (refined !== undefined) deps.log.info(estimateLine(refined));
      },
      ...(opts.onSample === undefined ? {} : { onSample: opts.onSample }),
    };
    const plan = { ...config, pairs: functionPairs(config) };
    const engineDeps = {
      ...deps,
      nonce: defaultNonce,
      signal: controller.signal,
      runId,
      writerProcess: writer.process,
      region: opts.region,
    };
    measured = await measureTargets(engineDeps, targets, plan, hooks);
    // restore: false — the records stay, marked as left on purpose (no live run, no leftover for the next run).
    if (!config.restore) sayKept(await Promise.all(targets.map((t) => keepRecord(deps, t.info.name, runId))), opts);
  } finally {
    stopListening();
  }
  const unrestored = pending().map((e) => ({ name: e.functionName, restoreMemory: restoreMemory(e) }));
  const results = buildResults({
    version: VERSION,
    startedAt,
    endedAt: new Date().toISOString(),
    region: opts.region,
    inputs: config,
    ...(opts.url === undefined ? {} : { url: opts.url }),
    ...measured,
    costEstimate,
  });
  if (results.cost) deps.log.info(runCostLine(results.cost));
  return {
    results,
    cancelled: controller.signal.aborted,
    accessErrors: measured.accessErrors ?? [],
    unrestored,
    ...(unrestored.length > 0
      ? {
          restoreCommand: restoreCommand(
            unrestored.map((u) => u.name),
            opts.region,
          ),
        }
      : {}),
  };
}

/** What preflight (and the put-back of leftovers) checks with: whose records are live is asked of their writers. */
function preflightOptions(config: Config, opts: Pick<MeasureRunOptions, 'region'>, deps: ReturnType<typeof realDeps>, runId: string) {
  const checkWriter = writerCheck({ github: githubAccess(config.githubToken || process.env['GITHUB_TOKEN'] || '') });
  return {
    runId,
    updateTimeoutSec: config.updateTimeoutSec,
    checkWriter,
    region: opts.region,
    log: deps.log,
    now: deps.now,
    sleep: deps.sleep,
  };
}

/** `restore: false`: what the run left changed, and the command that puts it back (it runs as printed). */
function sayKept(kept: (KeptFunction | undefined)[], opts: Pick<MeasureRunOptions, 'log' | 'region'>): void {
  const left = kept.filter((k): k is KeptFunction => k !== undefined);
  if (left.length === 0) return;
  const what = left.map((k) => `${k.name} at ${k.memory ?? '?'} MB (was ${k.restoreMemory} MB)`).join(', ');
  opts.log.notice(
    `Left changed on purpose (restore: false): ${what}, each with its undo record in ${NONCE_VARIABLE}. ` +
      `Put them back with: ${restoreCommand(
        left.map((k) => k.name),
        opts.region,
        left.some((k) => !k.marked), // an unmarked record looks live until this process has ended
      )}`,
  );
}

/** Before the first change: how long the run may take, what it may cost, and whether its credentials may expire first. */
async function announce(deps: RealDeps, estimate: RunEstimate, cost: RunCostEstimate): Promise<void> {
  estimate.start();
  const first = estimate.current();
  deps.log.info(estimateLine(first));
  deps.log.info(estimateCostLine(cost));
  const warning = credentialWarning(first.totalSec, await credentialFacts(deps.lambda));
  if (warning !== undefined) deps.log.warning(warning);
}
