/**
 * What a run plans before it starts: configuration updates, samples, duration — and whether it may outlast its
 * credentials (an undo with expired credentials fails, so that is said before anything is changed). PURE, apart from
 * reading the credentials' expiry.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { MAX_BURST_SIZE } from '../config/limits.js';
import type { Config } from '../config/model.js';
import { measuredFunctions } from '../config/pairs.js';

/** Seconds one configuration update, the wait for it and an invoke take on Lambda, as an estimate (typically 2–10 s). */
export const SECONDS_PER_UPDATE = 8;
/** How long credentials from an assumed role last by default (aws-actions/configure-aws-credentials: 1 h). */
export const ASSUMED_ROLE_SECONDS = 3600;

/** Configuration updates per function a run plans (each costs about SECONDS_PER_UPDATE). */
export function plannedUpdates(config: Pick<Config, 'memory' | 'repetitions' | 'strategy' | 'burstSize'>): number {
  const sizes = Math.max(1, config.memory.length);
  const sequential = sizes * config.repetitions;
  const burst = sizes * Math.ceil(config.repetitions / Math.min(config.burstSize ?? config.repetitions, MAX_BURST_SIZE));
  return config.strategy === 'sequential' ? sequential : config.strategy === 'burst' ? burst : sequential + burst;
}

/** Estimated seconds of measuring (functions in waves of `concurrency`). */
export function estimateRunSec(
  config: Pick<Config, 'functions' | 'memory' | 'repetitions' | 'strategy' | 'burstSize' | 'concurrency'> &
    Partial<Pick<Config, 'baselineFunctions'>>,
): number {
  const waves = Math.ceil(measuredFunctions(config).length / Math.max(1, config.concurrency));
  return waves * plannedUpdates(config) * SECONDS_PER_UPDATE;
}

/** How many samples a run plans (for a progress bar): compare takes each one both ways. */
export function plannedSamples(
  config: Pick<Config, 'functions' | 'memory' | 'repetitions' | 'strategy'> & Partial<Pick<Config, 'baselineFunctions'>>,
): number {
  return (
    measuredFunctions(config).length * Math.max(1, config.memory.length) * config.repetitions * (config.strategy === 'compare' ? 2 : 1)
  );
}

export const minutes = (sec: number): string => (sec >= 5400 ? `${(sec / 3600).toFixed(1)} h` : `${Math.max(1, Math.round(sec / 60))} min`);

/** The line that says how long the run may take. */
export function estimateLine(config: Parameters<typeof estimateRunSec>[0]): string {
  return `Estimated duration: about ${minutes(estimateRunSec(config))} (${plannedUpdates(config)} configuration updates per function at ~${SECONDS_PER_UPDATE} s each)`;
}

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
