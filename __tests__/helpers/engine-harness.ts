/**
 * What the engine's end-to-end suites share (engine*.e2e.test.ts, split so that they run side by side): an emulator per
 * test with the real SDK over HTTP, the plan, and the checks — every reported cold sample is a genuine cold start equal
 * to the emulator's ground truth; every function ends as it was (plus outside changes); nothing deleted; no environment
 * value printed.
 */
import { expect } from 'vitest';
import { startEmulator } from '../../emulator/index.js';
import { engineDepsFor, planWith } from './engine-deps.js';
import { assertGroundTruth as assertSamplesTrue } from './ground-truth.js';
import type { Emulator, EmulatorConfig, FunctionSpec } from '../../emulator/types.js';
import { measureTargets, type MeasureResult } from '../../src/lambda/engine.js';
import { preflight } from '../../src/lambda/preflight.js';
import type { EngineDeps, MeasurePlan } from '../../src/lambda/types.js';
import type { UndoState } from '../../src/lambda/undo/state.js';
import { restoreFunctions } from '../../src/lambda/undo/restore.js';

export const SECRETS = { DB_PASSWORD: 'S3cr3t-Value-Alpha', API_TOKEN: 'tok-Beta-99887766' };
export const synth = { initMs: { mean: 150, sd: 20 }, durationMs: { mean: 3, sd: 1 }, maxMemoryMb: 60 };

let emu: Emulator | undefined;
/** For afterEach: closes the emulator the test started. */
export async function closeEmulator(): Promise<void> {
  await emu?.close();
  emu = undefined;
}

export interface Harness {
  deps: EngineDeps;
  lines: string[];
  states: UndoState[];
  emu: Emulator;
}

export async function harness(config: EmulatorConfig, opts: { signal?: AbortSignal; maxAttempts?: number } = {}): Promise<Harness> {
  // Logs at once (no ingestion delay) unless a test is about it: a query that misses a line is re-run a second later.
  const e = await startEmulator({ seed: 7, ...config, latency: { ingestionMs: 0, ...config.latency } });
  emu = e;
  const { deps, lines } = engineDepsFor(e, opts);
  return { deps, lines, states: [], emu: e };
}

export const basePlan: MeasurePlan = planWith({
  memory: [256, 512],
  repetitions: 2,
  updateTimeoutSec: 30,
  queryTimeoutSec: 20,
});

export async function run(h: Harness, names: string[], plan: MeasurePlan): Promise<MeasureResult> {
  const targets = await preflight(h.deps.lambda, names);
  return measureTargets(h.deps, targets, { ...plan, strategy: 'sequential' }, { onUndoState: (s) => h.states.push(s) });
}

/** The post step's undo from saved state, summed up as restored and failed functions. */
export async function undoAll(deps: EngineDeps, state: UndoState, opts: { updateTimeoutSec: number }) {
  const { results } = await restoreFunctions(deps, { state, ...opts });
  return {
    restored: results.filter((r) => r.outcome !== 'failed').map((r) => r.name),
    failed: results.filter((r) => r.outcome === 'failed').map((r) => ({ name: r.name, error: r.error })),
  };
}

/** Cold samples equal the ground truth; warm samples were really warm; errors are not cold. */
export function assertGroundTruth(h: Harness, r: MeasureResult): void {
  assertSamplesTrue(h.emu, r.samples);
}

export function assertRestored(
  h: Harness,
  specs: FunctionSpec[],
  extra: Record<string, { memory?: number; env?: Record<string, string> }> = {},
): void {
  const st = h.emu.state();
  for (const f of specs) {
    const c = st.functions[f.name]!;
    expect(c.MemorySize, f.name).toBe(extra[f.name]?.memory ?? f.memory ?? 128);
    const want = extra[f.name]?.env ?? f.environment;
    if (want === undefined) expect(Object.keys(c.Environment?.Variables ?? {})).toEqual([]);
    else expect(c.Environment?.Variables).toEqual(want);
    expect(c.LastUpdateStatus).toBe('Successful');
  }
  expect(st.logDeletions).toEqual([]);
  expect(h.states[0]?.done).toEqual([]);
  expect(h.states.at(-1)?.done.sort()).toEqual(specs.map((s) => s.name).sort());
}

export function assertNoSecrets(h: Harness, r: MeasureResult): void {
  const text = [...h.lines, ...r.notes, JSON.stringify(r), JSON.stringify(h.states)].join('\n');
  for (const v of Object.values(SECRETS)) expect(text).not.toContain(v);
}

export const specs: FunctionSpec[] = [
  { name: 'text-fn', runtime: 'nodejs20.x', memory: 128, environment: { ...SECRETS }, synthetic: synth },
  {
    name: 'json-fn',
    runtime: 'python3.11',
    memory: 1024,
    logFormat: 'JSON',
    environment: { API_TOKEN: SECRETS.API_TOKEN },
    synthetic: synth,
  },
  { name: 'custom-group-fn', runtime: 'provided.al2023', memory: 256, logGroup: '/custom/coldstart', synthetic: synth },
  { name: 'no-env-fn', runtime: 'nodejs20.x', memory: 128, synthetic: synth },
];
