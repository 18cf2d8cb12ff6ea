import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionCommand, GetFunctionConfigurationCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { accessKeyIdOf, formatAmzDate, parseAmzDate, skewRejection } from '../../emulator/clock.js';
import { startEmulator, type Emulator, type EmulatorConfig } from '../../emulator/index.js';
import { SYN, until } from './helpers.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const TEN_MIN = 10 * 60_000;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const lastModifiedMs = (s: string | undefined): number => Date.parse((s ?? '').replace('+0000', 'Z'));

function sdk(e: Emulator, accessKeyId: string, maxAttempts: number): { lambda: LambdaClient; logs: CloudWatchLogsClient } {
  const o = { endpoint: e.url, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey: 'emulator-secret' }, maxAttempts };
  return { lambda: new LambdaClient(o), logs: new CloudWatchLogsClient(o) };
}

async function start(clock: NonNullable<EmulatorConfig['clock']>): Promise<Emulator> {
  emu = await startEmulator({
    seed: 4,
    clock,
    latency: { updateMs: 20, invokeOverheadMs: 1, ingestionMs: 0, queryMs: 0 },
    functions: [{ name: 'fn', runtime: 'nodejs22.x', synthetic: SYN }],
  });
  return emu;
}

/** The error a promise rejects with. */
async function failure(p: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { $metadata?: { httpStatusCode?: number } };
  }
  throw new Error('expected a failure');
}

describe('emulator: SigV4 request time (pure)', () => {
  it('reads and writes X-Amz-Date and finds the access key id of an Authorization header', () => {
    const t = Date.UTC(2024, 4, 1, 12, 0, 0);
    expect(formatAmzDate(t)).toBe('20240501T120000Z');
    expect(parseAmzDate('20240501T120000Z')).toBe(t);
    expect(parseAmzDate('2024-05-01T12:00:00Z')).toBeUndefined();
    expect(
      accessKeyIdOf('AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240501/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=x'),
    ).toBe('AKIDEXAMPLE');
    expect(accessKeyIdOf(undefined)).toBeUndefined();
  });

  it('answers as AWS does beyond 5 minutes either way: Lambda 403, Logs 400, with AWS messages', () => {
    const now = Date.UTC(2024, 4, 1, 12, 0, 0);
    expect(skewRejection('lambda', now - 6 * 60_000, now)).toEqual({
      status: 403,
      type: 'InvalidSignatureException',
      message: 'Signature expired: 20240501T115400Z is now earlier than 20240501T115500Z (20240501T120000Z - 5 min.)',
    });
    expect(skewRejection('logs', now + 6 * 60_000, now)).toEqual({
      status: 400,
      type: 'InvalidSignatureException',
      message: 'Signature not yet current: 20240501T120600Z is still later than 20240501T120500Z (20240501T120000Z + 5 min.)',
    });
    expect(skewRejection('lambda', now - 5 * 60_000, now)).toBeUndefined();
    expect(skewRejection('logs', now + 5 * 60_000, now)).toBeUndefined();
  });
});

describe('emulator: clocks', () => {
  it('an emulator clock 10 minutes ahead: LastModified, Date, log events and Insights follow it', async () => {
    const e = await start({ offsetMs: TEN_MIN });
    const host = Date.now();
    const { lambda, logs } = sdk(e, 'AKIDNORMAL', 3);
    const c = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn' }));
    expect(lastModifiedMs(c.LastModified) - host).toBeGreaterThan(TEN_MIN - 60_000);
    const unsigned = await fetch(`${e.url}/2015-03-31/functions/fn/configuration`);
    expect(Date.parse(unsigned.headers.get('date') ?? '') - Date.now()).toBeGreaterThan(TEN_MIN - 60_000);
    expect(e.state().clock.offsetMs).toBe(TEN_MIN);

    await lambda.send(new InvokeCommand({ FunctionName: 'fn' }));
    const inv = e.state().invocations[0];
    const events = (await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/fn' }))).events ?? [];
    expect(events.every((ev) => (ev.timestamp ?? 0) >= (inv?.timestamp ?? Infinity))).toBe(true);
    expect((inv?.timestamp ?? 0) - Date.now()).toBeGreaterThan(TEN_MIN - 60_000);
    // an Insights range from the host's clock misses the events; one from Lambda's clock finds them
    const query = async (endMs: number): Promise<number> => {
      const { queryId } = await logs.send(
        new StartQueryCommand({
          logGroupName: '/aws/lambda/fn',
          startTime: Math.floor((endMs - 2 * 60_000) / 1000),
          endTime: Math.floor(endMs / 1000),
          queryString: 'filter @type = "REPORT"',
        }),
      );
      const r = await until(async () => {
        const out = await logs.send(new GetQueryResultsCommand({ queryId }));
        return out.status === 'Complete' ? out : undefined;
      });
      return r.results?.length ?? 0;
    };
    expect(await query(Date.now())).toBe(0);
    expect(await query(e.state().clock.now)).toBe(1);
  });

  it('a client 10 minutes behind Lambda gets InvalidSignatureException "Signature expired"; the SDK corrects and retries', async () => {
    const e = await start({ offsetMs: TEN_MIN });
    const once = sdk(e, 'AKIDONCE', 1);
    const err = await failure(once.lambda.send(new GetFunctionCommand({ FunctionName: 'fn' })));
    expect(err.name).toBe('InvalidSignatureException');
    expect(err.$metadata?.httpStatusCode).toBe(403);
    expect(err.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
    const logsErr = await failure(once.logs.send(new DescribeLogGroupsCommand({})));
    expect([logsErr.name, logsErr.$metadata?.httpStatusCode]).toEqual(['InvalidSignatureException', 400]);
    expect(logsErr.message).toMatch(/^Signature expired: /);

    // the SDK's default retry: it reads the emulator's clock from the Date header, re-signs and succeeds
    const retrying = sdk(e, 'AKIDRETRY', 3);
    await retrying.lambda.send(new GetFunctionCommand({ FunctionName: 'fn' }));
    expect(Math.abs((await retrying.lambda.config.systemClockOffset) - TEN_MIN)).toBeLessThan(5_000);
    await retrying.lambda.send(new GetFunctionCommand({ FunctionName: 'fn' }));
    expect(
      e
        .state()
        .calls.filter((x) => x.accessKeyId === 'AKIDRETRY')
        .map((x) => [x.status, x.errorType]),
    ).toEqual([
      [403, 'InvalidSignatureException'],
      [200, undefined],
      [200, undefined],
    ]);
  });

  it('a per-client clock error (by access key id): its first request per service is off, later ones are corrected', async () => {
    const e = await start({ clients: { AKIDSKEWED: -TEN_MIN } });
    const skewed = sdk(e, 'AKIDSKEWED', 1);
    const other = sdk(e, 'AKIDOTHER', 1);
    await other.lambda.send(new GetFunctionCommand({ FunctionName: 'fn' }));
    const err = await failure(skewed.lambda.send(new GetFunctionCommand({ FunctionName: 'fn' })));
    expect([err.name, err.message.startsWith('Signature expired: ')]).toEqual(['InvalidSignatureException', true]);
    await skewed.lambda.send(new GetFunctionCommand({ FunctionName: 'fn' }));
    await expect(skewed.logs.send(new DescribeLogGroupsCommand({}))).rejects.toThrow(/Signature expired/);
    await skewed.logs.send(new DescribeLogGroupsCommand({}));
    // with the SDK's default retry the error is invisible to the caller; re-arming makes it happen again
    e.control.setClientClockOffset('AKIDSKEWED', -TEN_MIN);
    await sdk(e, 'AKIDSKEWED', 3).lambda.send(new GetFunctionCommand({ FunctionName: 'fn' }));
    const byKey = (k: string): [string, number][] =>
      e
        .state()
        .calls.filter((x) => x.accessKeyId === k)
        .map((x) => [x.service, x.status]);
    expect(byKey('AKIDOTHER')).toEqual([['lambda', 200]]);
    expect(byKey('AKIDSKEWED')).toEqual([
      ['lambda', 403],
      ['lambda', 200],
      ['logs', 400],
      ['logs', 200],
      ['lambda', 403],
      ['lambda', 200],
    ]);
    e.control.setClientClockOffset('AKIDSKEWED', undefined);
    await skewed.lambda.send(new GetFunctionCommand({ FunctionName: 'fn' }));
  });

  it('skew-clock.mjs gives a whole process a clock 10 minutes behind: its SDK gets one 403, corrects and succeeds', async () => {
    const e = await start({});
    const script = `
      import { LambdaClient, GetFunctionCommand } from '@aws-sdk/client-lambda';
      const c = new LambdaClient({ endpoint: process.argv[1], region: 'us-east-1', credentials: { accessKeyId: 'AKIDBEHIND', secretAccessKey: 's' } });
      const r = await c.send(new GetFunctionCommand({ FunctionName: 'fn' }));
      console.log(JSON.stringify({ now: Date.now(), fresh: new Date().getTime(), offset: await c.config.systemClockOffset, lm: r.Configuration.LastModified }));
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--no-warnings', '--import', './emulator/skew-clock.mjs', '--input-type=module', '-e', script, e.url],
      { cwd: ROOT, env: { ...process.env, EMULATOR_CLOCK_SKEW_MS: String(-TEN_MIN) } },
    );
    const out = JSON.parse(stdout) as { now: number; fresh: number; offset: number; lm: string };
    const host = Date.now();
    expect(Math.abs(out.now - (host - TEN_MIN))).toBeLessThan(60_000);
    expect(Math.abs(out.fresh - out.now)).toBeLessThan(60_000);
    expect(Math.abs(out.offset - TEN_MIN)).toBeLessThan(5_000); // the SDK learned Lambda's clock from the Date header
    expect(Math.abs(lastModifiedMs(out.lm) - host)).toBeLessThan(60_000); // Lambda's times are Lambda's, not the client's
    expect(
      e
        .state()
        .calls.filter((x) => x.accessKeyId === 'AKIDBEHIND')
        .map((x) => [x.status, x.errorType]),
    ).toEqual([
      [403, 'InvalidSignatureException'],
      [200, undefined],
    ]);
  });

  it('control.setClockOffset moves the clock mid-run (LastModified of the next update follows it)', async () => {
    const e = await start({});
    const { lambda } = sdk(e, 'AKIDNORMAL', 3);
    const before = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn' }));
    e.control.setClockOffset(-TEN_MIN);
    const updated = e.control.outsideChange('fn', { memory: 256 });
    expect(lastModifiedMs(before.LastModified) - lastModifiedMs(updated.LastModified)).toBeGreaterThan(TEN_MIN - 60_000);
    expect(() => e.control.setClockOffset(Number.NaN)).toThrow(/finite/);
  });
});
