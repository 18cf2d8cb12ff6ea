/** The shared rate limiters: token buckets on a fake clock (no real waiting), attached to a real LambdaClient. */
import { GetFunctionCommand, GetFunctionConfigurationCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { createClients } from '../../src/lambda/clients.js';
import { CONTROL_RATE, POLL_RATE } from '../../src/config/limits.js';
import { createPacing, limiterFor, pace, pacingOf, RateLimiter } from '../../src/lambda/pacing.js';

function fakeClock(start = 1_000_000) {
  let t = start;
  return { now: () => t, sleep: async (ms: number) => void (t += ms), elapsed: () => t - start };
}

/** A client whose every request is answered at once (no network), recording when each was sent (fake clock). */
function clientAt(clock: { now(): number }, sent: { op: string; at: number }[]): LambdaClient {
  return new LambdaClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (req: { path: string; method: string }) => {
        sent.push({ op: `${req.method} ${req.path}`, at: clock.now() });
        return { response: { statusCode: 200, headers: {}, body: new TextEncoder().encode('{}') } };
      },
    } as never,
  });
}

describe('RateLimiter', () => {
  it('lets calls go at the rate, in order, waiting on the injected clock', async () => {
    const c = fakeClock();
    const l = new RateLimiter(10, c);
    const at: number[] = [];
    await Promise.all(Array.from({ length: 5 }, () => l.take().then(() => at.push(c.elapsed()))));
    expect(at).toEqual([0, 100, 200, 300, 400]);
    expect(l.taken).toBe(5);
    expect(l.waited).toBe(4);
  });

  it('saves up no more than its burst', async () => {
    const c = fakeClock();
    const l = new RateLimiter(10, c, 2);
    await c.sleep(10_000);
    const start = c.elapsed();
    for (let i = 0; i < 4; i++) await l.take();
    expect(c.elapsed() - start).toBe(200); // two saved, then one per 100 ms
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new RateLimiter(0, fakeClock())).toThrow(RangeError);
  });
});

describe('pace', () => {
  it('control-plane calls share one limiter, GetFunction another, Invoke none', () => {
    const p = createPacing(fakeClock());
    expect(p.control.ratePerSec).toBe(CONTROL_RATE);
    expect(p.polls.ratePerSec).toBe(POLL_RATE);
    expect(limiterFor(p, 'UpdateFunctionConfigurationCommand')).toBe(p.control);
    expect(limiterFor(p, 'GetAccountSettingsCommand')).toBe(p.control);
    expect(limiterFor(p, 'GetFunctionCommand')).toBe(p.polls);
    expect(limiterFor(p, 'InvokeCommand')).toBeUndefined();
  });

  it('every call of a paced client waits for its limiter; a client is paced once', async () => {
    const c = fakeClock();
    const sent: { op: string; at: number }[] = [];
    const lambda = clientAt(c, sent);
    const p = pace(lambda, createPacing(c, { controlRate: 2, pollRate: 4 }));
    expect(pace(lambda, createPacing(c))).toBe(p);
    expect(pacingOf(lambda)).toBe(p);
    // (one kind at a time: the fake clock is shared, so one kind's waiting would refill the other's bucket)
    await Promise.all([
      ...Array.from({ length: 3 }, () => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'f' }))),
      lambda.send(new InvokeCommand({ FunctionName: 'f' })),
    ]);
    await Promise.all(Array.from({ length: 3 }, () => lambda.send(new GetFunctionCommand({ FunctionName: 'f' }))));
    expect(sent).toHaveLength(7);
    // 3 configuration reads at 2/s: two waited 500 ms each; 3 GetFunction at 4/s: two waited 250 ms; Invoke not paced
    expect([p.control.taken, p.control.waited, p.control.waitedMs]).toEqual([3, 2, 1000]);
    expect([p.polls.taken, p.polls.waited, p.polls.waitedMs]).toEqual([3, 2, 500]);
  });
});

describe('createClients', () => {
  it('paces the Lambda client of every caller (preflight, post step, restore) unless told the caller paces it itself', () => {
    const paced = createClients({ region: 'us-east-1', pacing: { controlRate: 4 } }).lambda;
    const limiters = pacingOf(paced);
    expect(limiters).toBeDefined();
    expect(limiters!.control.ratePerSec).toBe(4);
    expect(limiters!.polls.ratePerSec).toBe(POLL_RATE);
    // the engine's pace() keeps the limiters the client already has (one set per client)
    expect(pace(paced, createPacing({ now: () => 0, sleep: async () => undefined }))).toBe(limiters);
    expect(pacingOf(createClients({ region: 'us-east-1' }).lambda)?.control.ratePerSec).toBe(CONTROL_RATE);
    expect(pacingOf(createClients({ region: 'us-east-1', pacing: false }).lambda)).toBeUndefined();
  });
});
