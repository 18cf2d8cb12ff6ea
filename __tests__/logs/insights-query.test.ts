/** queryReports with a mocked Logs client and a fake clock (the emulator e2e covers the real protocol). */
import { CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand, StopQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { queryReports } from '../../src/logs/insights.js';

const logsMock = mockClient(CloudWatchLogsClient);
beforeEach(() => logsMock.reset());

const report = (id: string, init: number) => [
  {
    field: '@message',
    value: `REPORT RequestId: ${id}\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 20 MB\tInit Duration: ${init} ms\t`,
  },
];

function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

describe('queryReports', () => {
  it('re-runs for the missing ids until all are found, with the window in epoch seconds', async () => {
    const c = clock();
    let run = 0;
    logsMock.on(StartQueryCommand).callsFake(() => ({ queryId: `q${++run}` }));
    logsMock
      .on(GetQueryResultsCommand)
      .callsFake((input: { queryId: string }) =>
        input.queryId === 'q1'
          ? { status: 'Complete', results: [report('a', 10)] }
          : { status: 'Complete', results: [report('b', 20), report('zzz', 1)] },
      );
    const m = await queryReports(new CloudWatchLogsClient({ region: 'us-east-1' }), {
      logGroup: '/aws/lambda/f',
      requestIds: ['a', 'b'],
      startTimeMs: 1_700_000_000_000,
      timeoutSec: 30,
      ...c,
    });
    expect([...m.keys()].sort()).toEqual(['a', 'b']);
    expect(m.get('b')?.initDurationMs).toBe(20);
    const starts = logsMock.commandCalls(StartQueryCommand).map((x) => x.args[0].input);
    expect(starts).toHaveLength(2);
    expect(starts[0]?.startTime).toBe(1_700_000_000 - 120);
    expect(starts[0]?.endTime).toBeLessThan(1e11); // seconds, not milliseconds
    expect(starts[1]?.queryString).toContain('@message like "b"');
    expect(starts[1]?.queryString).not.toContain('@message like "a"');
  });

  it('retries LimitExceededException later and stops at the deadline with what it found', async () => {
    const c = clock();
    let n = 0;
    logsMock.on(StartQueryCommand).callsFake(() => {
      if (++n <= 2) throw Object.assign(new Error('too many queries'), { name: 'LimitExceededException' });
      return { queryId: `q${n}` };
    });
    logsMock.on(GetQueryResultsCommand).resolves({ status: 'Running', results: [report('a', 10)] });
    logsMock.on(StopQueryCommand).resolves({ success: true });
    const m = await queryReports(new CloudWatchLogsClient({ region: 'us-east-1', maxAttempts: 1 }), {
      logGroup: 'g',
      requestIds: ['a', 'never'],
      startTimeMs: c.now(),
      timeoutSec: 10,
      ...c,
    });
    expect([...m.keys()]).toEqual(['a']);
    expect(c.now() - 1_700_000_000_000).toBeGreaterThanOrEqual(10_000);
    expect(c.now() - 1_700_000_000_000).toBeLessThan(12_000);
    expect(logsMock.commandCalls(StopQueryCommand).length).toBeGreaterThanOrEqual(1);
  });

  it('throws on other errors (e.g. access denied)', async () => {
    logsMock.on(StartQueryCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(
      queryReports(new CloudWatchLogsClient({ region: 'us-east-1', maxAttempts: 1 }), {
        logGroup: 'g',
        requestIds: ['a'],
        startTimeMs: 0,
        timeoutSec: 5,
        ...clock(),
      }),
    ).rejects.toThrow('denied');
  });
});
