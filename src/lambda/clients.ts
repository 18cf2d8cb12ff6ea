import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { randomBytes } from 'node:crypto';
import { MAX_BURST_SIZE, MAX_CONCURRENCY } from '../config/limits.js';
import { realClock } from '../core/clock.js';
import { createPacing, pace, type PacingOptions } from './pacing.js';
import { serverTime } from './server-time.js';

/** Invokes in flight at most: a full burst for each of the most functions measured at once, and their polls. */
const MAX_IN_FLIGHT = (MAX_BURST_SIZE + 1) * MAX_CONCURRENCY;

export interface ClientOptions {
  region?: string;
  /** Tests/emulator only; otherwise the SDK honours AWS_ENDPOINT_URL(_LAMBDA / _CLOUDWATCH_LOGS) by itself. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Default 8: throttling (429 with Retry-After) and 5xx are retried by the SDK with adaptive rate limiting. */
  maxAttempts?: number;
  /**
   * The Lambda client's pacing (pacing.ts), on the real clock: every control-plane call and GetFunction poll of whoever
   * uses the client — preflight, the engine, the post step, `restore` — waits for the shared limiters. `false` leaves the
   * client unpaced for a caller that paces it with its own clock (the engine's tests).
   */
  pacing?: PacingOptions | false;
}

/** Lambda and Logs clients with adaptive retry (client-side rate limiting on throttling). */
export function createClients(opts: ClientOptions = {}): { lambda: LambdaClient; logs: CloudWatchLogsClient } {
  const config = {
    retryMode: 'adaptive',
    maxAttempts: opts.maxAttempts ?? 8,
    ...(opts.region ? { region: opts.region } : {}),
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
  };
  // A burst sends up to MAX_BURST_SIZE invokes together per function, for up to MAX_CONCURRENCY functions at once: with
  // the SDK's default of 50 sockets the rest would queue and reach Lambda late — into environments already warm.
  const sockets = { maxSockets: MAX_IN_FLIGHT };
  const lambda = new LambdaClient({ ...config, requestHandler: { httpAgent: sockets, httpsAgent: sockets } });
  if (opts.pacing !== false) pace(lambda, createPacing(realClock, opts.pacing ?? {}));
  serverTime(lambda); // Lambda's clock from every response's Date header: records and liveness are judged by it

  return { lambda, logs: new CloudWatchLogsClient(config) };
}

/** 20 characters, unique per call: short, because it counts against the 4 KB environment limit. */
export function defaultNonce(): string {
  return Date.now().toString(36) + '-' + randomBytes(6).toString('hex');
}
