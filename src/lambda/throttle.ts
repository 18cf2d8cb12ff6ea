/**
 * Throttling, recognised by type as the SDK's own retry strategy does (@smithy's isThrottlingError: HTTP 429, a
 * throttling error code, or the `$retryable.throttling` trait) — never by message. Errors wrapped by the engine keep
 * the SDK error as `cause`, which is followed.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { FinalizeRequestMiddleware } from '@smithy/types';

/** The SDK's throttling error codes (@smithy/service-error-classification THROTTLING_ERROR_CODES). */
const THROTTLING_NAMES = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);

function isThrottleItself(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as { name?: unknown; $metadata?: { httpStatusCode?: unknown }; $retryable?: { throttling?: unknown } };
  return (
    o.$metadata?.httpStatusCode === 429 || (typeof o.name === 'string' && THROTTLING_NAMES.has(o.name)) || o.$retryable?.throttling === true
  );
}

/** A throttling error (429), itself or anywhere along its `cause` chain. */
export function isThrottle(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur !== undefined && cur !== null && depth < 5; depth++) {
    if (isThrottleItself(cur)) return true;
    cur = cur instanceof Error ? cur.cause : undefined;
  }
  return false;
}

/**
 * A view of `lambda` whose `send` counts every 429 attempt of the command — also those the SDK's retry hides —
 * with a per-command middleware placed inside the retry loop (finalizeRequest, low priority; retry is high).
 * Only `send` is used by invokeOnce.
 */
export function throttleCountingClient(lambda: LambdaClient, onThrottle: () => void): LambdaClient {
  const mw: FinalizeRequestMiddleware<object, object> = (next) => async (args) => {
    try {
      return await next(args);
    } catch (e) {
      if (isThrottle(e)) onThrottle();
      throw e;
    }
  };
  const options = { step: 'finalizeRequest', priority: 'low', name: 'coldstartThrottleCounter', override: true } as const;
  const send = (command: { middlewareStack: { add(m: unknown, o: unknown): void } }, ...rest: unknown[]): Promise<unknown> => {
    command.middlewareStack.add(mw, options);
    return (lambda.send as (...a: unknown[]) => Promise<unknown>).call(lambda, command, ...rest);
  };
  return { send } as unknown as LambdaClient;
}
