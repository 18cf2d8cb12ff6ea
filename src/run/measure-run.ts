/**
 * The measuring half of a run, shared by the action and the CLI: preflight → (put back what a dead run left) →
 * the chosen strategy → RunResults. Cancellation (SIGINT/SIGTERM) stops new samples and aborts invokes in flight; the
 * engine undoes before the process exits. A second interrupt does not abandon the undo; a third does, after saying what
 * is left changed and how to put it back. The caller says how to tell the user.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Config } from '../config/model.js';
import { MAX_BURST_SIZE } from '../config/limits.js';
import { defaultNonce } from '../lambda/clients.js';
import { realDeps } from './deps.js';
import { preflight } from '../lambda/preflight.js';
import { keepRecord, restoreAll, restoreLine } from '../lambda/restore.js';
import { measureWithStrategy } from '../lambda/strategy.js';
import type { Logger } from '../core/logger.js';
import type { Target, UndoState } from '../lambda/types.js';
import { restoreCommand } from '../lambda/undo.js';
import { buildResults } from '../results/build.js';
import type { RunResults, Sample } from '../results/model.js';
import { VERSION } from '../core/version.js';

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
  /** Who changes the functions (their undo record names it); default: from `url`, or a CLI run id. */
  runId?: string;
  /** A third interrupt abandons the undo: how the process ends then (default process.exit). */
  exit?: (code: number) => void;
}

/** The GitHub run (with its attempt) and this job's own suffix — matrix jobs of one run share the URL. */
export function githubRunId(url: string, env: NodeJS.ProcessEnv = process.env): string {
  return `${githubRunPrefix(url, env)}#${randomBytes(3).toString('hex')}`;
}

/** What every run id of this workflow run attempt starts with (the post step's own records). */
export function githubRunPrefix(url: string, env: NodeJS.ProcessEnv = process.env): string {
  return `${url}/attempts/${env['GITHUB_RUN_ATTEMPT'] || '1'}`;
}

/** A CLI run: the machine and a random part (never a secret). */
export function cliRunId(): string {
  return `cli:${hostname() || 'localhost'}:${randomBytes(3).toString('hex')}`;
}

/** Seconds one configuration update, the wait for it and an invoke take on Lambda, as an estimate (typically 2–10 s). */
export const SECONDS_PER_UPDATE = 8;
/** How long credentials from an assumed role last by default (aws-actions/configure-aws-credentials: 1 h). */
export const ASSUMED_ROLE_SECONDS = 3600;

/** Configuration updates per function a run plans (each costs about SECONDS_PER_UPDATE). PURE. */
export function plannedUpdates(config: Pick<Config, 'memory' | 'repetitions' | 'strategy' | 'burstSize'>): number {
  const sizes = Math.max(1, config.memory.length);
  const sequential = sizes * config.repetitions;
  const burst = sizes * Math.ceil(config.repetitions / Math.min(config.burstSize ?? config.repetitions, MAX_BURST_SIZE));
  return config.strategy === 'sequential' ? sequential : config.strategy === 'burst' ? burst : sequential + burst;
}

/** Estimated seconds of measuring (functions in waves of `concurrency`). PURE. */
export function estimateRunSec(
  config: Pick<Config, 'functions' | 'memory' | 'repetitions' | 'strategy' | 'burstSize' | 'concurrency'>,
): number {
  const waves = Math.ceil(config.functions.length / Math.max(1, config.concurrency));
  return waves * plannedUpdates(config) * SECONDS_PER_UPDATE;
}

const minutes = (sec: number): string => (sec >= 5400 ? `${(sec / 3600).toFixed(1)} h` : `${Math.max(1, Math.round(sec / 60))} min`);

/**
 * The warning when a run may outlast its credentials, or undefined. `expiresInSec`: when the credentials expire (known
 * from the provider), else undefined; `temporary`: session credentials (assumed role, 1 h by default). PURE.
 */
export function credentialWarning(
  estimateSec: number,
  creds: { expiresInSec?: number | undefined; temporary: boolean },
): string | undefined {
  const lifetime = creds.expiresInSec ?? (creds.temporary ? ASSUMED_ROLE_SECONDS : undefined);
  if (lifetime === undefined || estimateSec <= lifetime) return undefined;
  const when =
    creds.expiresInSec !== undefined
      ? `the credentials expire in ${minutes(creds.expiresInSec)}`
      : 'credentials from an assumed role last 1 h by default';
  return (
    `this run may take about ${minutes(estimateSec)} and ${when}: an undo with expired credentials fails. Raise role-duration-seconds ` +
    "of aws-actions/configure-aws-credentials (the role's maximum session duration must allow it), or measure fewer functions, memory sizes or repetitions per job"
  );
}

async function credentialFacts(lambda: LambdaClient): Promise<{ expiresInSec?: number; temporary: boolean }> {
  try {
    const c = await lambda.config.credentials();
    const temporary = c.sessionToken !== undefined && c.sessionToken !== '';
    return c.expiration ? { expiresInSec: (c.expiration.getTime() - Date.now()) / 1000, temporary } : { temporary };
  } catch {
    return { temporary: false }; // preflight has said what is wrong with them
  }
}

/** How many samples a run plans (for a progress bar): compare takes each one both ways. */
export function plannedSamples(config: Config): number {
  return config.functions.length * Math.max(1, config.memory.length) * config.repetitions * (config.strategy === 'compare' ? 2 : 1);
}

export interface MeasuredRun {
  results: RunResults;
  /** SIGINT/SIGTERM stopped it: the functions were restored, the results are partial. */
  cancelled: boolean;
  /** Access errors that did not stop the measurement (see MeasureResult.accessErrors): publish, then fail. */
  accessErrors: string[];
  /** Functions whose undo failed (restore on): they carry their undo record; `restoreCommand` puts them back. */
  unrestored: { name: string; originalMemory: number }[];
  /** The command that restores `unrestored` from their records. */
  restoreCommand?: string;
}

export async function measureRun(config: Config, opts: MeasureRunOptions): Promise<MeasuredRun> {
  // Paced from the first call (preflight's reads and restores of leftovers too) at the run's api-rate.
  const deps = realDeps({ region: opts.region, log: opts.log, apiRate: config.apiRate });
  const { lambda } = deps;
  const region = opts.region;
  const runId = opts.runId ?? (opts.url === undefined ? cliRunId() : githubRunId(opts.url));
  const startedAt = new Date().toISOString();
  const undoDeps = deps;
  const check = { runId, updateTimeoutSec: config.updateTimeoutSec };
  let targets = await preflight(lambda, config.functions, check);

  const controller = new AbortController();
  let latest: UndoState | undefined;
  const pending = (): UndoState['entries'] => (latest ? latest.entries.filter((e) => !latest!.done.includes(e.functionName)) : []);
  const stopListening = listenForInterrupts({ opts, controller, pending: () => (config.restore ? pending() : []), region: region });
  let measured;
  try {
    targets = await putBackLeftovers(targets, { config, opts, undoDeps, check, lambda, region: region });
    const estimate = estimateRunSec(config);
    opts.log.info(
      `Estimated duration: about ${minutes(estimate)} (${plannedUpdates(config)} configuration updates per function at ~${SECONDS_PER_UPDATE} s each)`,
    );
    const warning = credentialWarning(estimate, await credentialFacts(lambda));
    if (warning !== undefined) opts.log.warning(warning);
    measured = await measureWithStrategy(
      { ...deps, nonce: defaultNonce, signal: controller.signal, runId },
      targets,
      {
        memory: config.memory,
        repetitions: config.repetitions,
        payload: config.payload,
        reportSource: config.reportSource,
        concurrency: config.concurrency,
        apiRate: config.apiRate,
        updateTimeoutSec: config.updateTimeoutSec,
        queryTimeoutSec: config.queryTimeoutSec,
        restore: config.restore,
      },
      { strategy: config.strategy, burstSize: config.burstSize },
      {
        onUndoState: (s) => {
          latest = { ...s, runId };
          opts.onUndoState(latest);
        },
        ...(opts.onSample === undefined ? {} : { onSample: opts.onSample }),
      },
    );
    // restore: false — the records stay, marked as left on purpose (no live run, no leftover for the next run).
    if (!config.restore) await Promise.all(targets.map((t) => keepRecord(undoDeps, t.info.name, runId)));
  } finally {
    stopListening();
  }
  const unrestored = config.restore
    ? pending().map((e) => ({ name: e.functionName, originalMemory: e.outsideMemory ?? e.originalMemory }))
    : [];

  const results = buildResults({
    version: VERSION,
    startedAt,
    endedAt: new Date().toISOString(),
    region,
    inputs: {
      functions: config.functions,
      memory: config.memory,
      repetitions: config.repetitions,
      reportSource: config.reportSource,
      strategy: config.strategy,
      concurrency: config.concurrency,
    },
    ...(opts.url === undefined ? {} : { url: opts.url }),
    functions: measured.functions,
    samples: measured.samples,
    notes: measured.notes,
  });
  return {
    results,
    cancelled: controller.signal.aborted,
    accessErrors: measured.accessErrors ?? [],
    unrestored,
    ...(unrestored.length > 0
      ? {
          restoreCommand: restoreCommand(
            unrestored.map((u) => u.name),
            region,
          ),
        }
      : {}),
  };
}

/**
 * SIGINT/SIGTERM: the first stops new samples (the engine undoes); a second does not abandon an undo in progress; a third
 * says what is left changed and how to put it back, then exits 130. Returns the function that stops listening.
 */
function listenForInterrupts(o: {
  opts: Pick<MeasureRunOptions, 'onCancel' | 'log' | 'exit'>;
  controller: AbortController;
  /** Functions not restored yet (none when the run leaves its change on purpose). */
  pending: () => UndoState['entries'];
  region: string | undefined;
}): () => void {
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupts++;
    if (interrupts === 1) {
      o.opts.onCancel(signal);
      o.controller.abort();
      return;
    }
    const left = o.pending();
    if (interrupts === 2) {
      if (left.length > 0) {
        o.opts.log.warning(
          `${signal} again: still restoring ${left.map((e) => e.functionName).join(', ')}; the undo goes on (interrupt once more to abandon it and leave them changed)`,
        );
      }
      return;
    }
    if (left.length > 0) {
      o.opts.log.warning(
        `${signal} a third time: the undo is abandoned. Left changed: ${left.map((e) => `${e.functionName} (original memory ${e.outsideMemory ?? e.originalMemory} MB)`).join(', ')}. ` +
          `Each carries its undo record; put them back with: ${restoreCommand(
            left.map((e) => e.functionName),
            o.region,
          )}`,
      );
    }
    (o.opts.exit ?? ((code: number) => process.exit(code)))(130);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
}

/** Functions a dead run left changed: put back from their records (a notice names the run), then read again. */
async function putBackLeftovers(
  list: Target[],
  d: {
    config: Config;
    opts: Pick<MeasureRunOptions, 'log'>;
    undoDeps: Parameters<typeof restoreAll>[0];
    check: Parameters<typeof preflight>[2];
    lambda: LambdaClient;
    region: string | undefined;
  },
): Promise<Target[]> {
  const leftovers = list.filter((t) => t.leftover !== undefined);
  if (leftovers.length === 0) return list;
  for (const t of leftovers) {
    const r = t.leftover!;
    d.opts.log.notice(
      `${t.info.name}: carries the undo record of run ${r.runId}, which ended without undoing its change (last update ${new Date(r.updatedAt).toISOString()}); ` +
        `restoring it first (memory ${r.originalMemory} MB), then measuring`,
    );
  }
  const restored = await restoreAll(
    d.undoDeps,
    leftovers.map((t) => t.info.name),
    // preflight has judged these records stale (their runs are over): no second judgement with another clock reading
    { updateTimeoutSec: d.config.updateTimeoutSec, force: true },
  );
  for (const r of restored) {
    if (r.outcome === 'failed') d.opts.log.warning(restoreLine(r));
    else d.opts.log.info(restoreLine(r));
  }
  const failed = restored.filter((r) => r.outcome === 'failed');
  if (failed.length > 0) {
    throw new Error(
      `could not put back what an earlier run left on ${failed.map((r) => r.name).join(', ')}; nothing was measured. ` +
        `Run ${restoreCommand(
          failed.map((r) => r.name),
          d.region,
        )} once the cause is fixed`,
    );
  }
  return preflight(d.lambda, d.config.functions, d.check);
}
