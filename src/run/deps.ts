/**
 * The real dependencies of a run, made in one place: the AWS clients for a region (the Lambda client paced, so every
 * user of it shares the account's limiters), the logger, and the real clock. Tests pass fakes instead.
 */
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { realClock, type Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { createClients } from '../lambda/clients.js';

export interface RealDeps extends Clock {
  lambda: LambdaClient;
  logs: CloudWatchLogsClient;
  log: Logger;
}

export function realDeps(o: { region: string; log: Logger; apiRate?: number }): RealDeps {
  const { lambda, logs } = createClients({ region: o.region, ...(o.apiRate === undefined ? {} : { pacing: { controlRate: o.apiRate } }) });
  return { lambda, logs, log: o.log, ...realClock };
}
