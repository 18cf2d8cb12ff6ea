import {
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetQueryResultsCommand,
  LimitExceededException,
  MalformedQueryException,
  ResourceNotFoundException,
  StartQueryCommand,
  StopQueryCommand,
  DeleteLogStreamCommand,
  type CloudWatchLogsClient,
  type ResultField,
} from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EmulatorConfig } from '../../emulator/index.js';
import { SYN, clients, until } from './helpers.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(extra: Partial<EmulatorConfig> = {}): Promise<{ emu: Emulator; lambda: LambdaClient; logs: CloudWatchLogsClient }> {
  emu = await startEmulator({
    seed: 7,
    latency: { updateMs: 20, invokeOverheadMs: 1, ingestionMs: 30, queryMs: 60 },
    functions: [
      { name: 'txt', runtime: 'nodejs20.x', memory: 512, synthetic: { ...SYN, maxMemoryMb: 77 } },
      { name: 'js', runtime: 'python3.12', logFormat: 'JSON', logGroup: '/custom/js-logs', synthetic: SYN },
    ],
    ...extra,
  });
  return { emu, ...clients(emu) };
}

const REPORT_QUERY = (ids: string[]): string =>
  [
    'fields @timestamp, @message, @logStream',
    '| filter @message like "REPORT RequestId:" or @message like "platform.report"',
    `| filter ${ids.map((id) => `@message like "${id}"`).join(' or ')}`,
    '| sort @timestamp asc',
    '| limit 10000',
  ].join('\n');

const asObj = (row: ResultField[]): Record<string, string> => Object.fromEntries(row.map((f) => [f.field ?? '', f.value ?? '']));
const nowSec = (): number => Math.floor(Date.now() / 1000);

async function runQuery(
  logs: CloudWatchLogsClient,
  input: { logGroupNames?: string[]; logGroupName?: string; logGroupIdentifiers?: string[]; queryString: string },
) {
  const { queryId } = await logs.send(new StartQueryCommand({ startTime: nowSec() - 60, endTime: nowSec() + 1, ...input }));
  return until(async () => {
    const r = await logs.send(new GetQueryResultsCommand({ queryId }));
    return r.status === 'Complete' ? r : undefined;
  });
}

async function invokeN(lambda: LambdaClient, name: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await lambda.send(new InvokeCommand({ FunctionName: name }));
}

describe('emulator: CloudWatch Logs', () => {
  it('text logs: the engine query finds REPORT lines by request id; discovered fields match ground truth', async () => {
    const { emu, lambda, logs } = await start();
    await invokeN(lambda, 'txt', 3);
    const inv = emu.state().invocations;
    const ids = [inv[0]?.requestId ?? '', inv[2]?.requestId ?? ''];
    const r = await until(async () => {
      const res = await runQuery(logs, { logGroupNames: ['/aws/lambda/txt'], queryString: REPORT_QUERY(ids) });
      return res.results?.length === 2 ? res : undefined;
    });
    const rows = (r.results ?? []).map(asObj);
    expect(rows.map((x) => Object.keys(x))).toEqual([
      ['@timestamp', '@message', '@logStream', '@ptr'],
      ['@timestamp', '@message', '@logStream', '@ptr'],
    ]);
    expect(rows[0]?.['@message']).toBe(inv[0]?.reportMessage);
    expect(rows[1]?.['@message']).toBe(inv[2]?.reportMessage);
    expect(rows[0]?.['@logStream']).toBe(inv[0]?.logStream);
    expect(rows[0]?.['@timestamp']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/);
    expect(r.statistics?.recordsMatched).toBe(2);

    const d = await runQuery(logs, {
      logGroupName: '/aws/lambda/txt',
      queryString: `fields @requestId, @type, @duration, @billedDuration, @initDuration, @memorySize, @maxMemoryUsed | filter @type = "REPORT" and @requestId = "${inv[0]?.requestId}"`,
    });
    expect(d.results?.map(asObj)[0]).toEqual({
      '@requestId': inv[0]?.requestId,
      '@type': 'REPORT',
      '@duration': String(inv[0]?.durationMs),
      '@billedDuration': String(inv[0]?.billedMs),
      '@initDuration': String(inv[0]?.initMs),
      '@memorySize': '512000000',
      '@maxMemoryUsed': '77000000',
      '@ptr': expect.any(String) as string,
    });
    // warm REPORTs have no @initDuration
    const cold = await runQuery(logs, {
      logGroupName: '/aws/lambda/txt',
      queryString: 'filter @type = "REPORT" and ispresent(@initDuration) | fields @requestId',
    });
    expect(cold.results?.map((x) => asObj(x)['@requestId'])).toEqual([inv[0]?.requestId]);
  });

  it('JSON logs in a custom group: platform.report found by @message, no discovered @ fields, JSON keys flattened', async () => {
    const { emu, lambda, logs } = await start();
    await invokeN(lambda, 'js', 2);
    const inv = emu.state().invocations;
    const r = await until(async () => {
      const res = await runQuery(logs, {
        logGroupIdentifiers: ['/custom/js-logs'],
        queryString: REPORT_QUERY(inv.map((i) => i.requestId)),
      });
      return res.results?.length === 2 ? res : undefined;
    });
    const msgs = (r.results ?? []).map(
      (x) => JSON.parse(asObj(x)['@message'] ?? '') as { type: string; record: { requestId: string; metrics: Record<string, number> } },
    );
    expect(msgs.map((m) => m.type)).toEqual(['platform.report', 'platform.report']);
    expect(msgs[0]?.record.metrics.initDurationMs).toBe(inv[0]?.initMs);
    expect(msgs[1]?.record.metrics.initDurationMs).toBeUndefined();
    const none = await runQuery(logs, {
      logGroupName: '/custom/js-logs',
      queryString: 'fields @initDuration, @type | filter ispresent(@initDuration) or ispresent(@type)',
    });
    expect(none.results).toEqual([]);
    const flat = await runQuery(logs, {
      logGroupName: '/custom/js-logs',
      queryString:
        'filter type = "platform.report" and ispresent(record.metrics.initDurationMs) | fields record.requestId, record.metrics.initDurationMs',
    });
    expect(flat.results?.map(asObj)).toEqual([
      {
        'record.requestId': inv[0]?.requestId,
        'record.metrics.initDurationMs': String(inv[0]?.initMs),
        '@ptr': expect.any(String) as string,
      },
    ]);
    // the ARN form of a log group identifier works too
    const arn = await runQuery(logs, {
      logGroupIdentifiers: ['arn:aws:logs:us-east-1:123456789012:log-group:/custom/js-logs:*'],
      queryString: 'filter @message like "platform.report"',
    });
    expect(arn.results).toHaveLength(2);
    expect(
      emu
        .state()
        .logGroups.map((g) => g.name)
        .sort(),
    ).toEqual(['/custom/js-logs']);
  });

  it('events become visible only after the ingestion delay; query goes Scheduled → Running → Complete', async () => {
    // ingestion well beyond the query's own latency: a busy machine's pauses cannot make "not yet visible" visible
    const { emu, lambda, logs } = await start({ latency: { updateMs: 10, invokeOverheadMs: 1, ingestionMs: 1500, queryMs: 500 } });
    await invokeN(lambda, 'txt', 1);
    const id = emu.state().invocations[0]?.requestId ?? '';
    const fle = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/txt' }));
    expect(fle.events ?? []).toHaveLength(0);
    const early = await logs.send(
      new StartQueryCommand({
        logGroupName: '/aws/lambda/txt',
        startTime: nowSec() - 60,
        endTime: nowSec() + 1,
        queryString: REPORT_QUERY([id]),
      }),
    );
    const first = await logs.send(new GetQueryResultsCommand({ queryId: early.queryId }));
    expect(first.status).toBe('Scheduled');
    expect(first.results).toEqual([]);
    const statuses = new Set<string>();
    const done = await until(async () => {
      const r = await logs.send(new GetQueryResultsCommand({ queryId: early.queryId }));
      statuses.add(r.status ?? '');
      return r.status === 'Complete' ? r : undefined;
    });
    expect(statuses.has('Running')).toBe(true);
    expect(done.results).toEqual([]); // started before ingestion: nothing to find
    // later: found
    await until(
      async () => {
        const r = await runQuery(logs, { logGroupName: '/aws/lambda/txt', queryString: REPORT_QUERY([id]) });
        return r.results?.length === 1 ? r : undefined;
      },
      5000,
      50,
    );
    const after = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/txt', filterPattern: '"REPORT RequestId"' }));
    expect(after.events?.map((e) => e.message)).toEqual([emu.state().invocations[0]?.reportMessage]);
  });

  it('Running returns partial results; StopQuery cancels', async () => {
    const { lambda, logs } = await start({ latency: { updateMs: 10, invokeOverheadMs: 1, ingestionMs: 0, queryMs: 400 } });
    await invokeN(lambda, 'txt', 6);
    const { queryId } = await logs.send(
      new StartQueryCommand({
        logGroupName: '/aws/lambda/txt',
        startTime: nowSec() - 60,
        endTime: nowSec() + 1,
        queryString: 'filter @type = "REPORT"',
      }),
    );
    const partial = await until(async () => {
      const r = await logs.send(new GetQueryResultsCommand({ queryId }));
      return r.status === 'Running' && (r.results?.length ?? 0) > 0 ? r : undefined;
    });
    expect(partial.results?.length).toBeLessThan(6);
    const stop = await logs.send(new StopQueryCommand({ queryId }));
    expect(stop.success).toBe(true);
    expect((await logs.send(new GetQueryResultsCommand({ queryId }))).status).toBe('Cancelled');
  });

  it('time range is in epoch seconds: a millisecond range finds nothing', async () => {
    const { lambda, logs } = await start({ latency: { updateMs: 10, invokeOverheadMs: 1, ingestionMs: 0, queryMs: 0 } });
    await invokeN(lambda, 'txt', 1);
    const ms = Date.now();
    const { queryId } = await logs.send(
      new StartQueryCommand({
        logGroupName: '/aws/lambda/txt',
        startTime: ms - 60_000,
        endTime: ms + 1000,
        queryString: 'filter @type = "REPORT"',
      }),
    );
    expect((await logs.send(new GetQueryResultsCommand({ queryId }))).results).toEqual([]);
    const ok = await runQuery(logs, { logGroupName: '/aws/lambda/txt', queryString: 'filter @type = "REPORT"' });
    expect(ok.results).toHaveLength(1);
  });

  it('errors: MalformedQueryException, injected LimitExceededException, unknown group', async () => {
    const { emu, lambda, logs } = await start();
    await invokeN(lambda, 'txt', 1);
    const base = { logGroupName: '/aws/lambda/txt', startTime: nowSec() - 60, endTime: nowSec() };
    for (const q of [
      'stats count(*) by bin(5m)',
      'fields @message | filter @message likes "x"',
      'filter (@message like "x"',
      'dedup @requestId',
      '',
    ]) {
      await expect(logs.send(new StartQueryCommand({ ...base, queryString: q }))).rejects.toBeInstanceOf(MalformedQueryException);
    }
    emu.control.setFaults({ failNext: { StartQuery: { count: 1, status: 400, type: 'LimitExceededException' } } });
    await expect(logs.send(new StartQueryCommand({ ...base, queryString: 'fields @message' }))).rejects.toBeInstanceOf(
      LimitExceededException,
    );
    await expect(logs.send(new StartQueryCommand({ ...base, queryString: 'fields @message' }))).resolves.toHaveProperty('queryId');
    await expect(
      logs.send(new StartQueryCommand({ ...base, logGroupName: '/aws/lambda/nope', queryString: 'fields @message' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    const calls = emu
      .state()
      .calls.filter((c) => c.service === 'logs')
      .map((c) => `${c.operation}:${c.errorType ?? c.status}`);
    expect(calls.slice(-3)).toEqual(['StartQuery:LimitExceededException', 'StartQuery:200', 'StartQuery:ResourceNotFoundException']);
  });

  it('DescribeLogStreams lists one stream per environment named like Lambda; deletions are recorded, never applied', async () => {
    const { emu, lambda, logs } = await start({ latency: { updateMs: 10, invokeOverheadMs: 30, ingestionMs: 0, queryMs: 10 } });
    await Promise.all([1, 2].map(() => lambda.send(new InvokeCommand({ FunctionName: 'txt' }))));
    const d = await logs.send(
      new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/txt', orderBy: 'LastEventTime', descending: true }),
    );
    expect(d.logStreams).toHaveLength(2);
    for (const s of d.logStreams ?? []) expect(s.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(new Set(d.logStreams?.map((s) => s.logStreamName))).toEqual(new Set(emu.state().invocations.map((i) => i.logStream)));
    const name = d.logStreams?.[0]?.logStreamName;
    await logs.send(new DeleteLogStreamCommand({ logGroupName: '/aws/lambda/txt', logStreamName: name }));
    const st = emu.state();
    expect(st.logDeletions).toEqual([
      { operation: 'DeleteLogStream', logGroupName: '/aws/lambda/txt', logStreamName: name, time: expect.any(Number) as number },
    ]);
    expect(st.logGroups[0]?.streams).toHaveLength(2);
    // each stream: INIT_START, START, END, REPORT
    expect(st.logGroups[0]?.streams[0]?.events.map((e) => e.message.split(' ')[0])).toEqual(['INIT_START', 'START', 'END', 'REPORT']);
  });
});
