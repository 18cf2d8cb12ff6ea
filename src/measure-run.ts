/**
 * The measuring half of a run, shared by the action and the CLI: preflight → the chosen strategy → RunResults.
 * Cancellation (SIGINT/SIGTERM) stops new samples and lets the engine undo before the process exits; the caller
 * says how to tell the user.
 */
import type { Config } from './config.js';
import { createClients, defaultNonce, realSleep } from './lambda/clients.js';
import { preflight } from './lambda/preflight.js';
import { measureWithStrategy } from './lambda/strategy.js';
import type { Logger, UndoState } from './lambda/types.js';
import { buildResults } from './results/build.js';
import type { RunResults, Sample } from './results/model.js';
import { VERSION } from './version.js';

export interface MeasureRunOptions {
  /** AWS region; undefined = the SDK's default chain (AWS_REGION, the profile). */
  region: string | undefined;
  log: Logger;
  /** Called once when SIGINT or SIGTERM arrives. */
  onCancel(signal: NodeJS.Signals): void;
  onUndoState(state: UndoState): void;
  onSample?(sample: Sample): void;
  /** The GitHub run, when there is one. */
  url?: string | undefined;
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
}

export async function measureRun(config: Config, opts: MeasureRunOptions): Promise<MeasuredRun> {
  const { lambda, logs } = createClients(opts.region === undefined ? {} : { region: opts.region });
  const region = opts.region ?? ((await lambda.config.region()) || 'unknown');
  const startedAt = new Date().toISOString();
  const targets = await preflight(lambda, config.functions);

  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    opts.onCancel(signal);
    controller.abort();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  let measured;
  try {
    measured = await measureWithStrategy(
      { lambda, logs, now: () => Date.now(), sleep: realSleep, nonce: defaultNonce, log: opts.log, signal: controller.signal },
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
      { onUndoState: opts.onUndoState, ...(opts.onSample === undefined ? {} : { onSample: opts.onSample }) },
    );
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }

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
  return { results, cancelled: controller.signal.aborted, accessErrors: measured.accessErrors ?? [] };
}
