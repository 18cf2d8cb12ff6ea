/** queryReports with a mocked Logs client and a fake clock (the emulator e2e covers the real protocol). */
import { CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand, StopQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { InsightsQueries, LogGroupNotFoundError, queryReports } from '../../src/logs/insights.js';

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

describe("the query window is on AWS's clock", () => {
  it('a machine 10 minutes behind still asks for the minutes Lambda wrote its REPORT lines in (awsNow), while deadlines use its own clock', async () => {
    const local = clock(1_700_000_000_000 - 600_000);
    const aws = () => local.now() + 600_000;
    logsMock.on(StartQueryCommand).resolves({ queryId: 'q1' });
    logsMock.on(GetQueryResultsCommand).resolves({ status: 'Complete', results: [report('a', 10)] });
    const q = new InsightsQueries({
      logs: new CloudWatchLogsClient({ region: 'us-east-1' }),
      startTimeMs: aws(),
      awsNow: aws,
      ...local,
    });
    const found = await q.request('/aws/lambda/f', ['a'], 30);
    expect(found.get('a')?.initDurationMs).toBe(10);
    const start = logsMock.commandCalls(StartQueryCommand)[0]!.args[0].input;
    expect(start.startTime).toBe(1_700_000_000 - 120);
    // the end is AWS's now (+ margin), not the local clock's: a local end would lie before the start
    expect(start.endTime).toBeGreaterThanOrEqual(1_700_000_000);
    expect(start.endTime! - start.startTime!).toBeLessThan(600);
  });
});

describe('InsightsQueries (run-wide manners)', () => {
  const notFound = () =>
    Object.assign(new Error('The specified log group does not exist.'), {
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 400 },
    });

  it('a log group that does not exist is said at once, by name (not after the query timeout)', async () => {
    const c = clock();
    logsMock.on(StartQueryCommand).rejects(notFound());
    const q = new InsightsQueries({ logs: new CloudWatchLogsClient({ region: 'us-east-1', maxAttempts: 1 }), startTimeMs: c.now(), ...c });
    const err = await q.request('/aws/lambda/gone', ['a'], 120).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LogGroupNotFoundError);
    expect((err as Error).message).toMatch(/^log group \/aws\/lambda\/gone does not exist/);
    expect((err as Error).cause).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(c.now() - 1_700_000_000_000).toBeLessThan(2_000);
  });

  it('in a shared query, the missing log group is found alone and named; the other is answered', async () => {
    const c = clock();
    logsMock.on(StartQueryCommand).callsFake((input: { logGroupName?: string; logGroupNames?: string[] }) => {
      const groups = input.logGroupNames ?? [input.logGroupName];
      if (groups.includes('/gone')) throw notFound();
      return { queryId: `q-${groups.join(',')}` };
    });
    logsMock.on(GetQueryResultsCommand).resolves({ status: 'Complete', results: [report('a', 10)] });
    const q = new InsightsQueries({
      logs: new CloudWatchLogsClient({ region: 'us-east-1', maxAttempts: 1 }),
      startTimeMs: c.now(),
      maxInFlight: 1,
      ...c,
    });
    const first = q.request('/busy', ['x'], 0); // takes the only slot, so the next two wait together
    const ok = q.request('/here', ['a'], 60);
    const gone = q.request('/gone', ['b'], 60).catch((e: unknown) => e);
    await first;
    expect([...(await ok).keys()]).toEqual(['a']);
    expect(((await gone) as Error).message).toMatch(/^log group \/gone does not exist/);
    const groups = logsMock.commandCalls(StartQueryCommand).map((x) => x.args[0].input.logGroupNames ?? [x.args[0].input.logGroupName]);
    expect(groups).toContainEqual(['/here', '/gone']); // they shared one query first
    expect(groups).toContainEqual(['/gone']);
  });

  it('functions finishing together share one query (logGroupNames), at most maxInFlight queries at once', async () => {
    const c = clock();
    let running = 0;
    let most = 0;
    let n = 0;
    logsMock.on(StartQueryCommand).callsFake(() => {
      most = Math.max(most, ++running);
      return { queryId: `q${++n}` };
    });
    logsMock.on(GetQueryResultsCommand).callsFake(() => {
      running--;
      return { status: 'Complete', results: [report('a1', 1), report('b1', 2), report('c1', 3), report('d1', 4), report('e1', 5)] };
    });
    const q = new InsightsQueries({
      logs: new CloudWatchLogsClient({ region: 'us-east-1' }),
      startTimeMs: c.now(),
      maxInFlight: 2,
      ...c,
    });
    const found = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((g) => q.request(`/aws/lambda/${g}`, [`${g}1`], 60)));
    expect(found.map((m) => [...m.keys()])).toEqual([['a1'], ['b1'], ['c1'], ['d1'], ['e1']]);
    expect(most).toBeLessThanOrEqual(2);
    const starts = logsMock.commandCalls(StartQueryCommand).map((x) => x.args[0].input);
    expect(starts.length).toBeLessThan(5);
    expect(starts.some((s) => (s.logGroupNames?.length ?? 0) > 1)).toBe(true);
  });

  it('a completed query that misses ids is re-run with back-off growing from 1 s to 5 s, never in a tight loop', async () => {
    const c = clock();
    const at: number[] = [];
    logsMock.on(StartQueryCommand).callsFake(() => {
      at.push(c.now());
      return { queryId: 'q' };
    });
    logsMock.on(GetQueryResultsCommand).resolves({ status: 'Complete', results: [] });
    const q = new InsightsQueries({ logs: new CloudWatchLogsClient({ region: 'us-east-1' }), startTimeMs: c.now(), pollMs: 1000, ...c });
    const m = await q.request('g', ['never'], 30);
    expect(m.size).toBe(0);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    // each gap: the back-off plus the first poll (500 ms)
    expect(gaps.slice(0, 5)).toEqual([1500, 2000, 2750, 3875, 5500]);
    expect(Math.max(...gaps)).toBe(5500);
    expect(at.length).toBeLessThanOrEqual(9);
  });

  it('a cancelled run: a running query is stopped, none is started again, the request resolves with what was found', async () => {
    const c = clock();
    const cancel = new AbortController();
    let polls = 0;
    logsMock.on(StartQueryCommand).resolves({ queryId: 'q1' });
    logsMock.on(GetQueryResultsCommand).callsFake(() => {
      if (++polls === 2) cancel.abort(); // the run is cancelled while the query is still running
      return { status: 'Running', results: [report('a', 10)] };
    });
    logsMock.on(StopQueryCommand).resolves({ success: true });
    const q = new InsightsQueries({
      logs: new CloudWatchLogsClient({ region: 'us-east-1' }),
      startTimeMs: c.now(),
      signal: cancel.signal,
      ...c,
    });
    const m = await q.request('g', ['a', 'never'], 120);
    expect([...m.keys()]).toEqual(['a']);
    expect(logsMock.commandCalls(StartQueryCommand)).toHaveLength(1);
    expect(logsMock.commandCalls(StopQueryCommand)).toHaveLength(1);
    expect(c.now() - 1_700_000_000_000).toBeLessThan(5_000); // not the 120 s query timeout
  });
});
