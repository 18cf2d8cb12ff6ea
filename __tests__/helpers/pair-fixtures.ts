/** RunResults of an A/B run (baseline-functions) for tests: pure data, through buildResults as a run makes them. */
import { buildResults } from '../../src/results/build.js';
import type { RunResults, Sample } from '../../src/results/model.js';
import { coldSamples, fnInfo } from './results-fixtures.js';

/** Ten rounds of a base, a platform that slows 3 % a round while the job runs, and a noise both sides do not share. */
export const BASE_INITS = [150, 162, 141, 155, 148, 170, 139, 151, 158, 146].map((v, i) => v * 1.03 ** i);
const NOISE = [1.02, 0.97, 1.05, 0.99, 1.01, 0.96, 1.04, 1.0, 0.98, 1.03];

/** `factor` × the base, round by round (sequence i of both sides measured in round i). */
export function headInits(factor: number, n = 10): number[] {
  return BASE_INITS.slice(0, n).map((v, i) => Math.round(v * factor * NOISE[i]! * 10) / 10);
}

/**
 * A run of pairs: each [head, base, factor, n] measured at `memory` (n rounds; the base's inits are BASE_INITS), with
 * `functions` = the heads and `baseline-functions` = the bases, as the configuration gives them.
 */
export function pairRun(pairs: [string, string, number, number][], memory = 128): RunResults {
  const samples: Sample[] = pairs.flatMap(([head, base, factor, n]) => [
    ...coldSamples(head, memory, headInits(factor, n)),
    ...coldSamples(
      base,
      memory,
      BASE_INITS.slice(0, n).map((v) => Math.round(v * 10) / 10),
    ),
  ]);
  return buildResults({
    version: '1.0.0',
    startedAt: '2026-03-02T09:00:00.000Z',
    endedAt: '2026-03-02T09:05:00.000Z',
    region: 'eu-west-1',
    inputs: {
      functions: pairs.map((p) => p[0]),
      baselineFunctions: pairs.map((p) => `arn:aws:lambda:eu-west-1:123456789012:function:${p[1]}`),
      memory: [memory],
      repetitions: 10,
      reportSource: 'insights',
      strategy: 'sequential',
      concurrency: 4,
    },
    functions: pairs.flatMap(([head, base]) => [fnInfo(head), fnInfo(base)]),
    samples,
  });
}
