/**
 * Pacing: the account's Lambda quotas are shared by everything in the account (deploys, other tools), and a 429 costs
 * the SDK's back-off, so every call waits for its turn here first — waiting for the limiter is cheap, a 429 is not.
 * - control plane (UpdateFunctionConfiguration, GetFunctionConfiguration, GetAccountSettings, GetFunctionConcurrency …):
 *   CONTROL_PLANE_QUOTA per account and region for all of them together; default CONTROL_RATE (a safe share; input
 *   `api-rate`);
 * - GetFunction (the waiter's polls, configuration reads): GET_FUNCTION_QUOTA; default POLL_RATE.
 * Invoke is the data plane (its own concurrency limits) and is not paced.
 *
 * The limiters are plain token buckets on an injected clock and sleep (tests never wait real time), attached to a
 * LambdaClient as one middleware at the `build` step (once per logical call, before the SDK's retry loop), keyed by the
 * command name. A client is paced once: every user of it (updates, the waiter's polls, undo) shares its limiters.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { BuildHandlerArguments, BuildHandlerOptions, BuildMiddleware, HandlerExecutionContext } from '@smithy/types';
import { CONTROL_RATE, POLL_RATE } from '../config/limits.js';
import type { Clock } from '../core/clock.js';

/**
 * A token bucket: `ratePerSec` tokens a second, at most `burst` saved up. `take()` resolves when the caller may go;
 * callers are served in order. PURE apart from the injected clock.
 */
export class RateLimiter {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();
  /** Calls that had to wait, and how long in all (ms). */
  waited = 0;
  waitedMs = 0;
  taken = 0;

  constructor(
    readonly ratePerSec: number,
    private readonly clock: Clock,
    readonly burst = 1,
  ) {
    if (!(ratePerSec > 0)) throw new RangeError(`rate must be positive, got ${ratePerSec}`);
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Waits for a token (in order of arrival). */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.acquire());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private refill(): void {
    const t = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSec);
    this.last = t;
  }

  private async acquire(): Promise<void> {
    this.refill();
    if (this.tokens < 1) {
      const ms = Math.ceil(((1 - this.tokens) / this.ratePerSec) * 1000);
      this.waited++;
      this.waitedMs += ms;
      await this.clock.sleep(ms);
      this.refill();
    }
    this.tokens = Math.max(0, this.tokens - 1);
    this.taken++;
  }
}

export interface Pacing {
  control: RateLimiter;
  polls: RateLimiter;
}

export interface PacingOptions {
  /** Control-plane calls per second (default CONTROL_RATE). */
  controlRate?: number;
  /** GetFunction calls per second (default POLL_RATE). */
  pollRate?: number;
}

export function createPacing(clock: Clock, o: PacingOptions = {}): Pacing {
  return { control: new RateLimiter(o.controlRate ?? CONTROL_RATE, clock), polls: new RateLimiter(o.pollRate ?? POLL_RATE, clock) };
}

/** The limiter a Lambda command waits for (undefined = not paced: the data plane). PURE. */
export function limiterFor(pacing: Pacing, commandName: string): RateLimiter | undefined {
  if (commandName === 'InvokeCommand' || commandName === 'InvokeWithResponseStreamCommand' || commandName === 'InvokeAsyncCommand') {
    return undefined;
  }
  return commandName === 'GetFunctionCommand' ? pacing.polls : pacing.control;
}

const paced = new WeakMap<LambdaClient, Pacing>();
const MIDDLEWARE_NAME = 'coldstartPacing';

/**
 * Paces every call `client` sends (including those of the SDK's waiters). A client already paced keeps its limiters
 * (one set per client, so per account and region) and those are returned.
 */
export function pace(client: LambdaClient, pacing: Pacing): Pacing {
  const existing = paced.get(client);
  if (existing) return existing;
  const mw: BuildMiddleware<object, object> = (next, context: HandlerExecutionContext) => async (args: BuildHandlerArguments<object>) => {
    await limiterFor(pacing, context.commandName ?? '')?.take();
    return next(args);
  };
  const options: BuildHandlerOptions & { override: boolean } = { step: 'build', name: MIDDLEWARE_NAME, override: true };
  (client.middlewareStack as unknown as { add(m: BuildMiddleware<object, object>, o: typeof options): void }).add(mw, options);
  paced.set(client, pacing);
  return pacing;
}

/** The limiters of a paced client, if any. */
export function pacingOf(client: LambdaClient): Pacing | undefined {
  return paced.get(client);
}
