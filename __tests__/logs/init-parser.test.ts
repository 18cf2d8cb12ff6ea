/**
 * INIT_START / INIT_REPORT, text and JSON, as Lambda prints them.
 *
 * Field names and spellings checked against AWS's documentation:
 * - Telemetry API Event schema reference (https://docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html):
 *   `platform.initStart` record {initializationType, phase, runtimeVersion?, runtimeVersionArn?}; `platform.initReport`
 *   record {initializationType, phase, metrics: {durationMs}}; InitPhase `init` | `invoke` — "in some error cases, Lambda
 *   may re-run the function initialization code during the invoke phase (this is called a suppressed init)"; InitType
 *   `on-demand` | `provisioned-concurrency`. JSON log records carry `status` (and `errorType`) as well, and initStart
 *   `functionName` / `functionVersion`, as the logged lines below show.
 * - Lambda execution environment, "Failures during the Init phase"
 *   (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html#runtimes-lifecycle-init-errors):
 *   `INIT_REPORT Init Duration: 1236.04 ms Phase: init Status: timeout` and
 *   `INIT_REPORT Init Duration: 1236.04 ms Phase: init Status: error Error Type: Extension.Crash`; a successful init prints
 *   no INIT_REPORT (text) unless SnapStart or provisioned concurrency is on.
 * The other lines are as CloudWatch Logs holds them in public logs (tabs between fields, the old space before a tab).
 */
import { describe, expect, it } from 'vitest';
import { parseInitReportLine, parseInitStartLine } from '../../src/logs/init-parser.js';

const ARN = 'arn:aws:lambda:us-east-1::runtime:da57c20c4b965d5b75540f6865a35fc8030358e33ec44ecfed33e90901a27a72';

describe('parseInitStartLine', () => {
  it('parses the text line (tab-separated)', () => {
    expect(parseInitStartLine(`INIT_START Runtime Version: nodejs:20.v22\tRuntime Version ARN: ${ARN}\n`)).toEqual({
      runtimeVersion: 'nodejs:20.v22',
      runtimeVersionArn: ARN,
      format: 'text',
    });
  });

  it('parses versions with dots and words, space-separated lines and a trailing tab', () => {
    const line =
      'INIT_START Runtime Version: python:3.12.mainlinev2.v7   Runtime Version ARN: arn:aws:lambda:us-east-1::runtime:e4ab553846c4e081013ff7d1d608a5358d5b956bb5b81c83c66d2a31da8f6244\t';
    expect(parseInitStartLine(line)).toEqual({
      runtimeVersion: 'python:3.12.mainlinev2.v7',
      runtimeVersionArn: 'arn:aws:lambda:us-east-1::runtime:e4ab553846c4e081013ff7d1d608a5358d5b956bb5b81c83c66d2a31da8f6244',
      format: 'text',
    });
    expect(parseInitStartLine('INIT_START Runtime Version: java:21.v20')).toEqual({ runtimeVersion: 'java:21.v20', format: 'text' });
  });

  it('parses the platform.initStart record', () => {
    const line = JSON.stringify({
      time: '2024-04-25T17:35:59.944Z',
      type: 'platform.initStart',
      record: {
        initializationType: 'on-demand',
        phase: 'init',
        runtimeVersion: 'nodejs:20.v22',
        runtimeVersionArn: ARN,
        functionName: 'hello-world',
        functionVersion: '$LATEST',
      },
    });
    expect(parseInitStartLine(line)).toEqual({
      runtimeVersion: 'nodejs:20.v22',
      runtimeVersionArn: ARN,
      initializationType: 'on-demand',
      phase: 'init',
      functionName: 'hello-world',
      functionVersion: '$LATEST',
      format: 'json',
    });
  });

  it('a record without a runtime version still is an init start', () => {
    const line =
      '{"time":"2022-10-19T13:52:15.636Z","type":"platform.initStart","record":{"initializationType":"on-demand","phase":"init"}}';
    expect(parseInitStartLine(line)).toEqual({ initializationType: 'on-demand', phase: 'init', format: 'json' });
  });

  it('rejects other lines', () => {
    expect(parseInitStartLine('START RequestId: abc Version: $LATEST')).toBeUndefined();
    expect(parseInitStartLine('INIT_START')).toBeUndefined();
    expect(parseInitStartLine('[INFO] my INIT_START Runtime Version: fake')).toBeUndefined();
    expect(parseInitStartLine('{"type":"platform.initStart", broken')).toBeUndefined();
    expect(parseInitStartLine(JSON.stringify({ type: 'platform.start', record: { requestId: 'x' } }))).toBeUndefined();
  });
});

describe('parseInitReportLine', () => {
  it('parses a timed-out init (tabs)', () => {
    expect(parseInitReportLine('INIT_REPORT Init Duration: 10000.21 ms\tPhase: init\tStatus: timeout')).toEqual({
      durationMs: 10000.21,
      phase: 'init',
      status: 'timeout',
      format: 'text',
    });
  });

  it('parses the documented lines (single spaces)', () => {
    expect(parseInitReportLine('INIT_REPORT Init Duration: 1236.04 ms Phase: init Status: timeout')).toMatchObject({
      durationMs: 1236.04,
      phase: 'init',
      status: 'timeout',
    });
    expect(parseInitReportLine('INIT_REPORT Init Duration: 1236.04 ms Phase: init Status: error Error Type: Extension.Crash')).toEqual({
      durationMs: 1236.04,
      phase: 'init',
      status: 'error',
      errorType: 'Extension.Crash',
      format: 'text',
    });
  });

  it('parses an init re-run inside the invoke that crashed, with the old space before a tab and a trailing tab', () => {
    expect(
      parseInitReportLine('INIT_REPORT Init Duration: 4.87 ms \tPhase: invoke \tStatus: error \tError Type: Runtime.ExitError \t\n'),
    ).toEqual({
      durationMs: 4.87,
      phase: 'invoke',
      status: 'error',
      errorType: 'Runtime.ExitError',
      format: 'text',
    });
  });

  it('a line with the duration only (SnapStart, provisioned concurrency) reads as a successful init', () => {
    expect(parseInitReportLine('INIT_REPORT Init Duration: 2345.67 ms\t')).toEqual({
      durationMs: 2345.67,
      phase: 'init',
      status: 'success',
      format: 'text',
    });
  });

  it('parses platform.initReport records: timeout, error, success', () => {
    const timeout =
      '{"time":"2024-06-17T17:48:06.348Z","type":"platform.initReport","record":{"initializationType":"on-demand","phase":"init","status":"timeout","metrics":{"durationMs":10000.487}}}';
    expect(parseInitReportLine(timeout)).toEqual({
      durationMs: 10000.487,
      phase: 'init',
      status: 'timeout',
      initializationType: 'on-demand',
      format: 'json',
    });
    const error = JSON.stringify({
      time: '2024-01-01T00:00:00.000Z',
      type: 'platform.initReport',
      record: {
        initializationType: 'on-demand',
        phase: 'invoke',
        status: 'error',
        errorType: 'Runtime.ExitError',
        metrics: { durationMs: 10000.21 },
      },
    });
    expect(parseInitReportLine(error)).toMatchObject({
      phase: 'invoke',
      status: 'error',
      errorType: 'Runtime.ExitError',
      durationMs: 10000.21,
    });
    const success =
      '{"time":"2024-05-20T16:29:45.007Z","type":"platform.initReport","record":{"initializationType":"on-demand","phase":"init","status":"success","metrics":{"durationMs":173.778}}}';
    expect(parseInitReportLine(success)).toMatchObject({ status: 'success', durationMs: 173.778 });
  });

  it('rejects other lines', () => {
    expect(
      parseInitReportLine('REPORT RequestId: a\tDuration: 1 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 1 MB'),
    ).toBeUndefined();
    expect(parseInitReportLine('INIT_REPORT Phase: init Status: timeout')).toBeUndefined();
    expect(parseInitReportLine('log: INIT_REPORT Init Duration: 1 ms PostgreSQL connection established')).toBeUndefined();
    expect(parseInitReportLine('{"type":"platform.initReport","record":{"phase":"init","status":"timeout"}}')).toBeUndefined();
    expect(parseInitReportLine('{"type":"platform.initRuntimeDone","record":{"phase":"init","status":"error"}}')).toBeUndefined();
  });
});
