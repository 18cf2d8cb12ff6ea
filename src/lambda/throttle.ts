/** Counting throttled attempts, including those the SDK's retries hide (core/aws-errors.ts isThrottle says which). */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { FinalizeRequestMiddleware } from '@smithy/types';
import { isThrottle } from '../core/aws-errors.js';

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
