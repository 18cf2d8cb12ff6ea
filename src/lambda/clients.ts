import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { randomBytes } from 'node:crypto';

export interface ClientOptions {
  region?: string;
  /** Tests/emulator only; otherwise the SDK honours AWS_ENDPOINT_URL(_LAMBDA / _CLOUDWATCH_LOGS) by itself. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Default 8: throttling (429 with Retry-After) and 5xx are retried by the SDK with adaptive rate limiting. */
  maxAttempts?: number;
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
  return { lambda: new LambdaClient(config), logs: new CloudWatchLogsClient(config) };
}

/** Real sleep that resolves early when `signal` aborts. */
export function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, Math.max(0, ms));
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** 20 characters, unique per call: short, because it counts against the 4 KB environment limit. */
export function defaultNonce(): string {
  return Date.now().toString(36) + '-' + randomBytes(6).toString('hex');
}
