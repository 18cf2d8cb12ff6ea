/**
 * How long a run takes: one model for the line printed before the run, the refined line once the first configuration
 * updates are measured, and the time left on the CLI's progress bar. Before any update is measured it assumes Lambda's
 * typical update time and says so; then it extrapolates the run's own pace. Also: whether the run may outlast its
 * credentials (an undo with expired credentials fails, so that is said before anything is changed). PURE, apart from
 * reading the credentials' expiry.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { MAX_BURST_SIZE } from '../config/limits.js';
import type { Config } from '../config/model.js';
import { measuredFunctions } from '../config/pairs.js';

/**
 * Seconds one sample cycle (a configuration update, the wait for it and the invokes) is assumed to take on Lambda
 * before the run has measured one: typically 2–10 s; the upper end, so that the credentials warning errs on the safe side.
 */
export const SECONDS_PER_UPDATE = 8;
/**
 * Seconds from a function's last invoke until its REPORT lines are found by Logs Insights (ingestion, then the query):
 * typically a few; the run's end waits for the last function's. The undo runs meanwhile.
 */
export const QUERY_SECONDS = 5;
/** How long credentials from an assumed role last by default (aws-actions/configure-aws-credentials: 1 h). */
export const ASSUMED_ROLE_SECONDS = 3600;

type PlanInputs = Pick<Config, 'functions' | 'memory' | 'repetitions' | 'strategy' | 'burstSize' | 'concurrency'> &
  Partial<Pick<Config, 'reportSource' | 'baselineFunctions'>>;

/** Configuration updates per function a run plans (each costs about SECONDS_PER_UPDATE). */
export function plannedUpdates(config: Pick<Config, 'memory' | 'repetitions' | 'strategy' | 'burstSize'>): number {
  const sizes = Math.max(1, config.memory.length);
  const sequential = sizes * config.repetitions;
  const burst = sizes * Math.ceil(config.repetitions / Math.min(config.burstSize ?? config.repetitions, MAX_BURST_SIZE));
  return config.strategy === 'sequential' ? sequential : config.strategy === 'burst' ? burst : sequential + burst;
}

/** Estimated seconds of measuring before anything is measured (functions in waves of `concurrency`). */
export function estimateRunSec(config: PlanInputs): number {
  return estimateDuration(config).totalSec;
}

/** How many samples a run plans (for a progress bar): compare takes each one both ways. */
export function plannedSamples(
  config: Pick<Config, 'functions' | 'memory' | 'repetitions' | 'strategy'> & Partial<Pick<Config, 'baselineFunctions'>>,
): number {
  return (
    measuredFunctions(config).length * Math.max(1, config.memory.length) * config.repetitions * (config.strategy === 'compare' ? 2 : 1)
  );
}

/** What has been measured so far: time since measuring began, configuration updates finished (all functions). */
export interface Measured {
  elapsedMs: number;
  updates: number;
  /** When the last planned update finished (ms into the run): from then on only the end is left, and the pace is fixed. */
  updatesDoneMs?: number;
}

export interface DurationEstimate {
  totalSec: number;
  leftSec: number;
  /** One function's seconds per update cycle: assumed (SECONDS_PER_UPDATE) or measured. */
  secPerUpdate: number;
  /** False while no update has been measured (the figure is SECONDS_PER_UPDATE, an assumption). */
  measured: boolean;
  /** Updates per function the run plans. */
  updatesPerFunction: number;
  /** Functions measured at the same time. */
  parallel: number;
  /** Seconds assumed for Logs Insights at the end (0 with report-source tail). */
  querySec: number;
}

/**
 * The run's duration: waves of `concurrency` functions, each doing its planned updates one after another, then the end
 * of the last one: its undo (one more update) while Logs Insights finds its REPORT lines (QUERY_SECONDS, with
 * report-source insights). Before any update: SECONDS_PER_UPDATE each. After: the pace so far — `parallel` functions
 * finished `updates` cycles in `elapsedMs`, so one cycle takes elapsed × parallel / updates. PURE.
 */
export function estimateDuration(config: PlanInputs, measured?: Measured): DurationEstimate {
  const n = Math.max(1, measuredFunctions(config).length); // A/B pairs: the bases are measured too
  const parallel = Math.max(1, Math.min(config.concurrency, n));
  const waves = Math.ceil(n / parallel);
  const updatesPerFunction = plannedUpdates(config);
  const isMeasured = measured !== undefined && measured.updates > 0;
  const elapsedSec = (measured?.elapsedMs ?? 0) / 1000;
  const doneSec = measured?.updatesDoneMs === undefined ? undefined : measured.updatesDoneMs / 1000;
  const secPerUpdate = isMeasured ? ((doneSec ?? elapsedSec) * parallel) / measured.updates : SECONDS_PER_UPDATE;
  const querySec = config.reportSource === 'insights' ? QUERY_SECONDS : 0;
  const end = Math.max(secPerUpdate, querySec);
  const totalSec = Math.max(elapsedSec, (doneSec ?? waves * updatesPerFunction * secPerUpdate) + end);
  return { totalSec, leftSec: totalSec - elapsedSec, secPerUpdate, measured: isMeasured, updatesPerFunction, parallel, querySec };
}

/** An estimate in words, as coarse as an estimate is: "8 s", "45 s", "2 min 30 s", "25 min", "1.5 h". */
export function roughly(sec: number): string {
  if (sec >= 5400) return `${(sec / 3600).toFixed(1)} h`;
  if (sec >= 600) return `${Math.round(sec / 60)} min`;
  if (sec >= 90) {
    const half = Math.round(sec / 30) / 2;
    return Number.isInteger(half) ? `${half} min` : `${Math.floor(half)} min 30 s`;
  }
  if (sec >= 30) return `${Math.round(sec / 5) * 5} s`;
  return `${Math.max(1, Math.round(sec))} s`;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const seconds = (s: number): string => `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;

/** The line before the run (an assumption, said as one) or once the first updates are in (measured). */
export function estimateLine(e: DurationEstimate): string {
  const updates = plural(e.updatesPerFunction, 'configuration update');
  const at = e.parallel > 1 ? `, ${e.parallel} functions at a time` : '';
  const query = e.querySec > 0 ? `, then ~${e.querySec} s for Logs Insights` : '';
  if (!e.measured) {
    return (
      `Estimated duration: about ${roughly(e.totalSec)} (${updates} per function${at}, assuming ~${SECONDS_PER_UPDATE} s each, ` +
      `Lambda's typical update time${query}); refined once the first updates are measured`
    );
  }
  return (
    `Estimated duration, measured: about ${roughly(e.totalSec)} in all, ${roughly(e.leftSec)} left ` +
    `(${updates} per function${at}, ${seconds(e.secPerUpdate)} each so far${query})`
  );
}

/**
 * The estimate as a run goes: started when measuring begins, told of every finished update, asked at any time (the
 * progress bar redraws with it). `refined` is the first measured estimate, once every function of the first wave has
 * finished an update (or, with fewer updates planned, the first one): the moment a log line can say it.
 */
export class RunEstimate {
  private started: number | undefined;
  private updates = 0;
  private updatesDoneMs: number | undefined;
  private refinedSaid = false;

  constructor(
    private readonly config: PlanInputs,
    private readonly now: () => number,
  ) {}

  start(): void {
    this.started ??= this.now();
  }

  /** The estimate now. */
  current(): DurationEstimate {
    if (this.started === undefined) return estimateDuration(this.config);
    const measured = { elapsedMs: this.now() - this.started, updates: this.updates };
    return estimateDuration(this.config, this.updatesDoneMs === undefined ? measured : { ...measured, updatesDoneMs: this.updatesDoneMs });
  }

  /** An update finished; returns the refined estimate once, when enough updates are in to trust the pace. */
  updated(): DurationEstimate | undefined {
    this.start();
    this.updates++;
    const all = measuredFunctions(this.config).length * plannedUpdates(this.config);
    // the last planned one: what is left is the end (Logs Insights, the undo), however long it takes from here
    if (this.updates === all) this.updatesDoneMs = this.now() - this.started!;
    const e = this.current();
    if (this.refinedSaid || this.updates < Math.min(e.parallel, all)) return undefined;
    this.refinedSaid = true;
    return e;
  }
}

export const minutes = (sec: number): string => (sec >= 5400 ? `${(sec / 3600).toFixed(1)} h` : `${Math.max(1, Math.round(sec / 60))} min`);

/**
 * The warning when a run may outlast its credentials, or undefined. `expiresInSec`: when the credentials expire (known
 * from the provider), else undefined; `temporary`: session credentials (assumed role, 1 h by default).
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

/** When the client's credentials expire, and whether they are a session's. */
export async function credentialFacts(lambda: LambdaClient): Promise<{ expiresInSec?: number; temporary: boolean }> {
  try {
    const c = await lambda.config.credentials();
    const temporary = c.sessionToken !== undefined && c.sessionToken !== '';
    return c.expiration ? { expiresInSec: (c.expiration.getTime() - Date.now()) / 1000, temporary } : { temporary };
  } catch {
    return { temporary: false }; // preflight has said what is wrong with them
  }
}
