/** Small RunResults builders for tests (pure data). */
import { buildResults } from '../../src/results/build.js';
import type { FunctionInfo, RunResults, Sample, SampleStrategy } from '../../src/results/model.js';

export function fnInfo(name: string, extra: Partial<FunctionInfo> = {}): FunctionInfo {
  return {
    name,
    arn: `arn:aws:lambda:eu-west-1:123456789012:function:${name}`,
    runtime: 'nodejs20.x',
    architecture: 'x86_64',
    packageType: 'Zip',
    logFormat: 'Text',
    logGroup: `/aws/lambda/${name}`,
    snapStart: false,
    originalMemory: 128,
    ...extra,
  };
}

export function coldSamples(
  fn: string,
  memory: number,
  inits: number[],
  extra: Partial<Sample> & { strategy?: SampleStrategy } = {},
): Sample[] {
  return inits.map((init, i) => ({
    function: fn,
    memory,
    sequence: i + 1,
    attempt: 1,
    requestId: `${fn.replace(/[^a-z0-9-]/gi, 'x')}-${memory}-${String(i).padStart(4, '0')}-0000-0000-000000000000`,
    kind: 'cold' as const,
    init,
    restore: null,
    duration: 2.5,
    billed: 3,
    maxMemory: 64,
    source: 'insights' as const,
    timestamp: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`,
    strategy: 'sequential' as const,
    ...extra,
  }));
}

export function makeResults(functions: FunctionInfo[], samples: Sample[], notes: string[] = []): RunResults {
  return buildResults({
    version: '0.1.0',
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:05:00.000Z',
    region: 'eu-west-1',
    inputs: {
      functions: functions.map((f) => f.name),
      memory: [...new Set(samples.map((s) => s.memory))].sort((a, b) => a - b),
      repetitions: 10,
      reportSource: 'insights',
      strategy: 'sequential',
      concurrency: 2,
    },
    url: 'https://github.com/o/r/actions/runs/1',
    functions,
    samples,
    notes,
  });
}
