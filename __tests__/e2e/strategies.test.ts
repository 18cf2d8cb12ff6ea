/**
 * strategy: burst and strategy: compare through the bundled action (inputs → engine → results.json → report),
 * against the emulator: every sample says which strategy produced it, and the report says so too.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/index.js';
import type { Emulator, FunctionSpec } from '../../emulator/types.js';
import type { RunResults } from '../../src/results/model.js';
import { annotations, createJob, runMain } from '../../scripts/local-runner.js';
import { expectValidResults } from '../helpers/validate-results.js';

const fns: FunctionSpec[] = [
  { name: 'api-node', runtime: 'nodejs20.x', memory: 128, synthetic: { initMs: { mean: 170, sd: 6 }, durationMs: { mean: 3, sd: 0.3 } } },
  { name: 'api-go', runtime: 'provided.al2023', memory: 128, synthetic: { initMs: { mean: 50, sd: 3 }, durationMs: { mean: 1, sd: 0.1 } } },
];

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function run(inputs: Record<string, string>, invokeOverheadMs = 100): Promise<{ results: RunResults; report: string }> {
  // Invokes that take 100 ms (or more): a burst's six requests overlap, so none can land in an environment another just left.
  emu = await startEmulator({
    seed: 21,
    latency: { updateMs: 40, invokeOverheadMs, ingestionMs: 0, queryMs: 30 },
    functions: structuredClone(fns),
  });
  const job = createJob({
    inputs: { functions: 'api-node,api-go', memory: '256', 'artifact-name': '', comment: 'false', ...inputs },
    env: { AWS_ENDPOINT_URL: emu.url },
  });
  const step = await runMain(job);
  expect(annotations(step.stdout, 'error')).toEqual([]);
  expect(step.code).toBe(0);
  const results = JSON.parse(readFileSync(step.outputs['json']!, 'utf8')) as RunResults;
  expectValidResults(results);
  for (const spec of fns) {
    expect(emu.state().functions[spec.name]!.MemorySize).toBe(spec.memory);
    expect(emu.state().functions[spec.name]!.Environment?.Variables ?? {}).toEqual({});
  }
  return { results, report: readFileSync(step.outputs['report']!, 'utf8') };
}

describe('strategies through the bundled action', () => {
  it('burst: one update per burst, every sample labelled burst, the report says how it sampled', async () => {
    // 500 ms invokes: even on a busy machine the six requests of a burst are all in flight before the first returns
    const { results, report } = await run({ strategy: 'burst', repetitions: '6' }, 500);
    const cold = results.samples.filter((s) => s.kind === 'cold');
    expect(results.samples.filter((s) => s.kind !== 'cold')).toEqual([]);
    expect(cold).toHaveLength(12);
    expect(new Set(results.samples.map((s) => s.strategy))).toEqual(new Set(['burst']));
    expect(results.run.inputs.strategy).toBe('burst');
    const truth = emu!.state().invocations.filter((i) => !i.foreign && i.cold);
    expect(cold.map((s) => s.requestId).sort()).toEqual(truth.map((i) => i.requestId).sort());
    // one update per function for the burst, plus the undo
    const updates = emu!.state().calls.filter((c) => c.operation === 'UpdateFunctionConfiguration' && c.status === 200);
    expect(updates).toHaveLength(4);
    expect(report).toMatch(/_Burst sampling: k concurrent invokes after one configuration update/);
  });

  it('compare: both strategies interleaved, and the burst-vs-sequential table', async () => {
    const { results, report } = await run({ strategy: 'compare', repetitions: '6' });
    const count = (strategy: string): number => results.samples.filter((s) => s.kind === 'cold' && s.strategy === strategy).length;
    expect(count('sequential')).toBe(12);
    expect(count('burst')).toBe(12);
    expect(results.statistics.map((s) => `${s.function}/${s.strategy}`).sort()).toEqual([
      'api-go/burst',
      'api-go/sequential',
      'api-node/burst',
      'api-node/sequential',
    ]);
    expect(report).toMatch(/### Burst vs sequential/);
    expect(report).toMatch(/\| api-node \| 256 MB \|/);
    expect(report).toMatch(/_Sampled both ways/);
  });
});
