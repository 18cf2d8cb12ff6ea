import { describe, expect, it } from 'vitest';
import { syntheticInit, takeInitFailure } from '../../emulator/init.js';
import { initReportLine, initStartLine, platformErrorLines, tail } from '../../emulator/log-lines.js';
import { Prng } from '../../emulator/prng.js';
import { runtimeVersionArn, runtimeVersionName } from '../../emulator/runtime-version.js';
import type { Faults } from '../../emulator/types.js';

const T = Date.UTC(2024, 7, 18, 11, 4, 11, 750);

describe('emulator: platform log lines (pure)', () => {
  it('writes INIT_REPORT exactly as Lambda does (lines seen in real CloudWatch logs)', () => {
    expect(initReportLine('Text', T, { phase: 'init', status: 'error', errorType: 'Runtime.Unknown', durationMs: 1670.77 })).toBe(
      'INIT_REPORT Init Duration: 1670.77 ms\tPhase: init\tStatus: error\tError Type: Runtime.Unknown',
    );
    expect(initReportLine('Text', T, { phase: 'invoke', status: 'error', errorType: 'Runtime.ExitError', durationMs: 4.87 })).toBe(
      'INIT_REPORT Init Duration: 4.87 ms\tPhase: invoke\tStatus: error\tError Type: Runtime.ExitError',
    );
    expect(initReportLine('Text', T, { phase: 'init', status: 'timeout', durationMs: 10000 })).toBe(
      'INIT_REPORT Init Duration: 10000.00 ms\tPhase: init\tStatus: timeout',
    );
  });

  it('writes platform.initReport as the Telemetry API schema has it (errorType only on errors)', () => {
    expect(JSON.parse(initReportLine('JSON', T, { phase: 'init', status: 'timeout', durationMs: 9999.79 }))).toEqual({
      time: '2024-08-18T11:04:11.750Z',
      type: 'platform.initReport',
      record: { initializationType: 'on-demand', phase: 'init', status: 'timeout', metrics: { durationMs: 9999.79 } },
    });
    expect(
      JSON.parse(initReportLine('JSON', T, { phase: 'invoke', status: 'error', errorType: 'Runtime.ExitError', durationMs: 5 })).record,
    ).toEqual({
      initializationType: 'on-demand',
      phase: 'invoke',
      status: 'error',
      metrics: { durationMs: 5 },
      errorType: 'Runtime.ExitError',
    });
  });

  it('INIT_START names the runtime version and its ARN; a version has one ARN per region', () => {
    const arn = runtimeVersionArn('us-east-1', 'python3.11', 39);
    expect(arn).toMatch(/^arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}$/);
    expect(runtimeVersionArn('us-east-1', 'python3.11', 39)).toBe(arn);
    expect(runtimeVersionArn('us-east-1', 'python3.11', 40)).not.toBe(arn);
    expect(runtimeVersionArn('eu-west-1', 'python3.11', 39)).not.toBe(arn);
    expect(
      initStartLine('Text', T, {
        runtimeVersion: runtimeVersionName('python3.11', 39),
        runtimeVersionArn: arn,
        functionName: 'f',
        initializationType: 'on-demand',
      }),
    ).toBe(`INIT_START Runtime Version: python:3.11.v39\tRuntime Version ARN: ${arn}`);
    expect(runtimeVersionName('nodejs20.x', 32)).toBe('nodejs:20.v32');
    expect(runtimeVersionName('provided.al2023', 7)).toBe('provided:al2023.v7');
  });

  it('Lambda writes its own error lines in text only; the tail keeps the last 4 KB', () => {
    expect(platformErrorLines('Text', T, 'r1', 'Runtime.ExitError', 'Runtime exited with error: exit status 1')).toEqual([
      'RequestId: r1 Error: Runtime exited with error: exit status 1',
      'Runtime.ExitError',
    ]);
    expect(platformErrorLines('Text', T, 'r1', 'Sandbox.Timedout', 'Task timed out after 3.00 seconds')).toEqual([
      '2024-08-18T11:04:11.750Z r1 Task timed out after 3.00 seconds',
    ]);
    expect(platformErrorLines('JSON', T, 'r1', 'Runtime.ExitError', 'x')).toEqual([]);
    const decoded = Buffer.from(tail(['a'.repeat(5000), 'END']), 'base64').toString();
    expect(decoded).toHaveLength(4096);
    expect(decoded.endsWith('a\nEND\n')).toBe(true);
  });
});

describe('emulator: init outcomes (pure)', () => {
  const draws = (...xs: number[]): (() => number) => {
    const q = [...xs];
    return () => q.shift() ?? NaN;
  };

  it('a fast init is a cold start; a slow one times out at the limit and re-runs within the function timeout', () => {
    expect(syntheticInit(draws(150), 200, 3000, undefined)).toEqual({ initMs: 150, reports: [], rerunInitMs: null });
    expect(syntheticInit(draws(250, 240), 200, 3000, undefined)).toEqual({
      initMs: null,
      reports: [{ phase: 'init', status: 'timeout', durationMs: 200 }],
      rerunInitMs: 240,
    });
    const stuck = syntheticInit(draws(250, 4000), 200, 3000, undefined);
    expect(stuck.reports.at(-1)).toEqual({ phase: 'invoke', status: 'timeout', durationMs: 3000 });
    expect(stuck.failure).toEqual({ status: 'timeout', errorType: 'Sandbox.Timedout', message: 'Task timed out after 3.00 seconds' });
  });

  it('forced failures: a crash part-way with its error type; a crash again in the re-run fails the invoke', () => {
    const out = syntheticInit(draws(80, 60), 200, 3000, { init: 'error', rerun: 'error', errorType: 'Runtime.ExitError' });
    expect(out.reports).toEqual([
      { phase: 'init', status: 'error', errorType: 'Runtime.ExitError', durationMs: 80 },
      { phase: 'invoke', status: 'error', errorType: 'Runtime.ExitError', durationMs: 60 },
    ]);
    expect(out.failure).toEqual({ status: 'error', errorType: 'Runtime.ExitError', message: 'Runtime exited with error: exit status 1' });
  });

  it('takeInitFailure: failNextInit first (consumed), then the spec for all or a seeded share of environments', () => {
    const faults: Faults = { failNextInit: { f: { init: 'error', count: 1 } } };
    const spec = { name: 'f', runtime: 'python3.12', initFailure: { init: 'timeout' as const } };
    expect(takeInitFailure('f', spec, faults, new Prng(1))).toMatchObject({ init: 'error' });
    expect(takeInitFailure('f', spec, faults, new Prng(1))).toMatchObject({ init: 'timeout' });
    expect(takeInitFailure('f', { name: 'f', runtime: 'python3.12' }, faults, new Prng(1))).toBeUndefined();
    const share = { name: 'f', runtime: 'python3.12', initFailure: { init: 'timeout' as const, rate: 0.25 } };
    const chance = new Prng(3);
    const n = Array.from({ length: 400 }, () => takeInitFailure('f', share, {}, chance)).filter(Boolean).length;
    expect(n).toBeGreaterThan(60);
    expect(n).toBeLessThan(140);
  });
});
