/**
 * Lambda's clock, as the responses tell it: every response's `Date` header (RFC 7231, second precision) is compared with
 * the local clock when it arrives, so `now()` is Lambda's time even on a machine whose clock is minutes off. Records'
 * times and the liveness of another run's record are judged by it, never by the local clock alone.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { AbsoluteLocation, DeserializeHandlerOptions, DeserializeMiddleware } from '@smithy/types';

export interface ServerTime {
  /** Lambda's time now (epoch ms), or undefined before the first response with a Date header. */
  now(): number | undefined;
}

const clocks = new WeakMap<LambdaClient, ServerTime>();
const MIDDLEWARE_NAME = 'coldstartServerTime';

/** The offset of the server's clock from `local` after a response with `date` (undefined: no usable header). PURE. */
export function offsetFrom(date: string | undefined, localMs: number): number | undefined {
  if (date === undefined) return undefined;
  const server = Date.parse(date);
  return Number.isFinite(server) ? server - localMs : undefined;
}

/**
 * Lambda's clock for `client`: the first call adds a middleware that reads the Date header of every response (errors
 * included: it sits inside the deserializer, before an error is raised). Later calls answer the same clock.
 */
export function serverTime(client: LambdaClient, local: () => number = Date.now): ServerTime {
  const known = clocks.get(client);
  if (known) return known;
  let offset: number | undefined;
  const mw: DeserializeMiddleware<object, object> = (next) => async (args) => {
    const out = await next(args);
    const headers = (out.response as { headers?: Record<string, string | undefined> } | undefined)?.headers;
    offset = offsetFrom(headers?.['date'], local()) ?? offset;
    return out;
  };
  const options: DeserializeHandlerOptions & AbsoluteLocation & { name: string; override: boolean } = {
    step: 'deserialize',
    priority: 'low',
    name: MIDDLEWARE_NAME,
    override: true,
  };
  (client.middlewareStack as unknown as { add(m: DeserializeMiddleware<object, object>, o: typeof options): void }).add(mw, options);
  const clock: ServerTime = { now: () => (offset === undefined ? undefined : local() + offset) };
  clocks.set(client, clock);
  return clock;
}

/** Lambda's time now, or `fallback()` (the injected clock) before any response told it. */
export function lambdaNow(client: LambdaClient, fallback: () => number): number {
  return serverTime(client).now() ?? fallback();
}
