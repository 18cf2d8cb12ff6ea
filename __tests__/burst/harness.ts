/** Shared set-up of the burst tests: the emulator, real SDK clients pointed at it, and ground-truth checks. */
import { expect } from 'vitest';
import { startEmulator } from '../../emulator/index.js';
import { engineDepsFor, planWith } from '../helpers/engine-deps.js';
import { assertGroundTruth as assertSamplesTrue } from '../helpers/ground-truth.js';
import type { Emulator, EmulatorConfig } from '../../emulator/types.js';
import { measureTargets, type FunctionStats, type MeasureResult } from '../../src/lambda/engine.js';
import { preflight } from '../../src/lambda/preflight.js';
import type { EngineDeps, MeasurePlan } from '../../src/lambda/types.js';
import type { UndoState } from '../../src/lambda/undo/state.js';
import type { Sample } from '../../src/results/model.js';

export const SECRETS = { DB_PASSWORD: 'S3cr3t-Value-Alpha', API_TOKEN: 'tok-Beta-99887766' };
export const synth = { initMs: { mean: 150, sd: 20 }, durationMs: { mean: 3, sd: 1 }, maxMemoryMb: 60 };

export interface Harness {
  deps: EngineDeps;
  lines: string[];
  states: UndoState[];
  stats: FunctionStats[];
  sampled: Sample[];
  emu: Emulator;
}

export async function harness(config: EmulatorConfig, opts: { maxAttempts?: number } = {}): Promise<Harness> {
  const e = await startEmulator({ seed: 11, latency: { updateMs: 60, invokeOverheadMs: 40, ingestionMs: 0, queryMs: 30 }, ...config });
  const { deps, lines } = engineDepsFor(e, opts);
  return { deps, lines, states: [], stats: [], sampled: [], emu: e };
}

export const basePlan: MeasurePlan = planWith({
  memory: [256, 512],
  repetitions: 5,
  updateTimeoutSec: 30,
  queryTimeoutSec: 20,
});

export interface BurstOptions {
  burstSize: number | null;
  mode?: 'burst' | 'compare';
}

export async function runBurst(h: Harness, names: string[], plan: MeasurePlan, options: BurstOptions): Promise<MeasureResult> {
  const targets = await preflight(h.deps.lambda, names);
  return measureTargets(
    h.deps,
    targets,
    { ...plan, strategy: options.mode ?? 'burst', burstSize: options.burstSize },
    {
      onUndoState: (s) => h.states.push(s),
      onSample: (s) => h.sampled.push(s),
      onStats: (s) => h.stats.push(s),
    },
  );
}

/** Every cold sample equals the emulator's ground truth; warm ones were really warm; none came from foreign traffic. */
export function assertGroundTruth(h: Harness, r: MeasureResult): void {
  assertSamplesTrue(h.emu, r.samples);
}

/** Cold, non-foreign invocations the emulator served for a function at a memory size. */
export function groundTruthCold(h: Harness, fn: string, memory: number): number {
  return h.emu.state().invocations.filter((i) => i.functionName === fn && !i.foreign && i.cold && i.memorySizeMb === memory).length;
}

/** The function ends with its original memory and environment (no COLDSTART_NONCE). */
export function assertRestored(h: Harness, fn: string, memory: number, env: Record<string, string> | undefined): void {
  const c = h.emu.state().functions[fn]!;
  expect(c.MemorySize).toBe(memory);
  const vars = c.Environment?.Variables ?? {};
  expect(vars).toEqual(env ?? {});
}

export function assertNoSecretsLogged(h: Harness, r: MeasureResult): void {
  const text = JSON.stringify({ lines: h.lines, r, states: h.states });
  for (const v of Object.values(SECRETS)) expect(text).not.toContain(v);
}

/** The cold samples of one function at one memory size, taken with one strategy (burst unless said). */
export const cold = (r: MeasureResult, fn: string, memory: number, strategy: Sample['strategy'] = 'burst'): Sample[] =>
  r.samples.filter((s) => s.function === fn && s.memory === memory && s.kind === 'cold' && s.strategy === strategy);
