/** Account quotas (off by default): Lambda answers 429 TooManyRequestsException, Logs LimitExceededException, as AWS does. */
import { StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionCommand, GetFunctionConfigurationCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { clients, SYN } from './helpers.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const fn = { name: 'q-fn', runtime: 'nodejs20.x', synthetic: SYN };

describe('emulator quotas', () => {
  it('control plane: beyond the per-second quota → 429 TooManyRequestsException with Retry-After; Invoke is not counted', async () => {
    emu = await startEmulator({ functions: [fn], quotas: { controlPlanePerSec: 3 } });
    const { lambda } = clients(emu);
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'q-fn' }))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as Error);
    expect(refused).toHaveLength(3);
    for (const e of refused) {
      expect(e.name).toBe('TooManyRequestsException');
      expect((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(429);
      expect((e as { Reason?: string }).Reason).toBe('CallerRateLimitExceeded');
    }
    // GetFunction has its own quota (none set here), Invoke none at all
    await lambda.send(new GetFunctionCommand({ FunctionName: 'q-fn' }));
    await lambda.send(new InvokeCommand({ FunctionName: 'q-fn' }));
    expect(emu.state().throttles).toEqual({ controlPlane: 3, getFunction: 0, queries: 0 });
    // The wire shape of a refusal: the 4th call within one second is one, whichever second this is (a busy machine may
    // have moved on to the next one since the calls above)
    let raw = await fetch(`${emu.url}/2015-03-31/functions/q-fn/configuration`);
    for (let i = 0; i < 3 && raw.status !== 429; i++) raw = await fetch(`${emu.url}/2015-03-31/functions/q-fn/configuration`);
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('1');
    expect(raw.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
  });

  it('GetFunction has its own quota; off by default', async () => {
    emu = await startEmulator({ functions: [fn] });
    const { lambda } = clients(emu);
    await Promise.all(Array.from({ length: 30 }, () => lambda.send(new GetFunctionCommand({ FunctionName: 'q-fn' }))));
    emu.control.setQuotas({ getFunctionPerSec: 5 });
    const r = await Promise.allSettled(Array.from({ length: 8 }, () => lambda.send(new GetFunctionCommand({ FunctionName: 'q-fn' }))));
    expect(r.filter((x) => x.status === 'rejected')).toHaveLength(3);
    expect(emu.state().throttles.getFunction).toBe(3);
  });

  it('Logs Insights: StartQuery beyond the concurrent-query quota → LimitExceededException', async () => {
    emu = await startEmulator({ functions: [fn], latency: { queryMs: 60_000 }, quotas: { concurrentQueries: 1 } });
    const { lambda, logs } = clients(emu);
    await lambda.send(new InvokeCommand({ FunctionName: 'q-fn' })); // creates the log group
    const q = { logGroupName: '/aws/lambda/q-fn', startTime: 0, endTime: 2_000_000_000, queryString: 'fields @message' };
    await logs.send(new StartQueryCommand(q));
    const err = await logs.send(new StartQueryCommand(q)).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('LimitExceededException');
    expect(emu.state().throttles.queries).toBe(1);
  });
});
