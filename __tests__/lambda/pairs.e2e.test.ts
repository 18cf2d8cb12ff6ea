/**
 * A/B pairs in the engine, in-process against the emulator: head and base go round by round in lockstep — both updated
 * (and waited for) before either is invoked, both invoked before the next round — and a warm sample is retried by its
 * side alone. Both functions end as they were.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/index.js';
import type { Emulator, EmulatorConfig, FunctionSpec } from '../../emulator/types.js';
import { CONTROL_RATE } from '../../src/config/limits.js';
import { measureTargets, pool, type MeasureResult } from '../../src/lambda/engine.js';
import { preflight } from '../../src/lambda/preflight.js';
import type { MeasurePlan } from '../../src/lambda/types.js';
import type { UndoState } from '../../src/lambda/undo/state.js';
import { comparePairSamples } from '../../src/results/pair-results.js';
import { engineDepsFor } from '../helpers/engine-deps.js';
import { assertGroundTruth } from '../helpers/ground-truth.js';

const synth = { initMs: { mean: 150, sd: 20 }, durationMs: { mean: 3, sd: 1 }, maxMemoryMb: 60 };
const specs: FunctionSpec[] = [
  { name: 'pr-fn', runtime: 'nodejs20.x', memory: 128, environment: { STAGE: 'pr-12' }, synthetic: synth },
  { name: 'main-fn', runtime: 'nodejs20.x', memory: 128, environment: { STAGE: 'main' }, synthetic: synth },
];
const plan: MeasurePlan = {
  memory: [256, 512],
  repetitions: 3,
  payload: '{}',
  reportSource: 'tail',
  strategy: 'sequential',
  burstSize: null,
  apiRate: CONTROL_RATE,
  concurrency: 1, // counts functions; a pair is still measured side by side
  updateTimeoutSec: 30,
  queryTimeoutSec: 20,
  restore: true,
  pairs: [{ head: 'pr-fn', base: 'main-fn' }],
};

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function measure(
  faults: NonNullable<EmulatorConfig['faults']>,
  p: MeasurePlan,
): Promise<{ r: MeasureResult; states: UndoState[]; e: Emulator }> {
  // Invokes of 150 ms: the requests of a burst all overlap (with 2 ms, one that left a moment late could land in an
  // environment another had just freed, and be warm).
  const e = await startEmulator({ seed: 3, latency: { updateMs: 30, invokeOverheadMs: 150 }, functions: structuredClone(specs), faults });
  emu = e;
  const { deps } = engineDepsFor(e, { quiet: true });
  const states: UndoState[] = [];
  const targets = await preflight(deps.lambda, ['pr-fn', 'main-fn']);
  const r = await measureTargets(deps, targets, p, { onUndoState: (s) => states.push(s) });
  return { r, states, e };
}

/**
 * The rounds, from the order our requests arrived in: a round is the configuration updates, then the invokes, up to
 * the next update; each round as "functions updated | functions invoked" (the undos after the last invoke left out).
 */
function rounds(e: Emulator): string[] {
  const calls = e.state().calls.filter((c) => !c.foreign && (c.operation === 'UpdateFunctionConfiguration' || c.operation === 'Invoke'));
  const lastInvoke = calls.map((c) => c.operation).lastIndexOf('Invoke');
  const out: { updated: string[]; invoked: string[] }[] = [];
  for (const c of calls.slice(0, lastInvoke + 1)) {
    const fn = c.functionName === 'pr-fn' ? 'head' : 'base';
    if (c.operation === 'UpdateFunctionConfiguration') {
      if (out.length === 0 || out.at(-1)!.invoked.length > 0) out.push({ updated: [], invoked: [] });
      out.at(-1)!.updated.push(fn);
    } else out.at(-1)!.invoked.push(fn);
  }
  return out.map((r) => `${r.updated.sort().join('+')} | ${r.invoked.sort().join('+')}`);
}

function expectRestored(e: Emulator, states: UndoState[]): void {
  for (const f of specs) {
    const c = e.state().functions[f.name]!;
    expect([f.name, c.MemorySize, c.Environment?.Variables]).toEqual([f.name, 128, f.environment]);
  }
  expect(states.at(-1)?.done.sort()).toEqual(['main-fn', 'pr-fn']);
}

describe('a baseline-functions pair in the engine', () => {
  it('sequential: head and base in lockstep, one round per sequence number; a warm head is retried alone', async () => {
    const { r, states, e } = await measure({ foreignTrafficAfterUpdate: { 'pr-fn': 1 } }, plan);
    const pair = 'base+head | base+head';
    expect(rounds(e)).toEqual([pair, 'head | head', pair, pair, pair, pair, pair]);
    const cold = (fn: string) =>
      r.samples.filter((s) => s.function === fn && s.kind === 'cold').map((s) => `${s.memory}/${s.sequence}/${s.attempt}`);
    expect(cold('pr-fn')).toEqual(['256/1/2', '256/2/1', '256/3/1', '512/1/1', '512/2/1', '512/3/1']);
    expect(cold('main-fn')).toEqual(['256/1/1', '256/2/1', '256/3/1', '512/1/1', '512/2/1', '512/3/1']);
    expect(r.samples.filter((s) => s.kind === 'warm').map((s) => [s.function, s.sequence])).toEqual([['pr-fn', 1]]);
    assertGroundTruth(e, r.samples);
    expectRestored(e, states);
  });

  it('burst: both sides invoke k together after both updates; a warm base slot is retried by the base alone', async () => {
    const { r, states, e } = await measure({ foreignTrafficAfterUpdate: { 'main-fn': 1 } }, { ...plan, strategy: 'burst', memory: [256] });
    expect(rounds(e)).toEqual(['base+head | base+base+base+head+head+head', 'base | base']);
    expect(r.samples.filter((s) => s.kind === 'cold')).toHaveLength(6);
    assertGroundTruth(e, r.samples);
    expectRestored(e, states);
  });
});

describe('strategy compare with a pair', () => {
  it('is supported: both sides take the sequential, burst, sequential fills together, and each strategy is compared', async () => {
    const { r, states, e } = await measure({}, { ...plan, strategy: 'compare', memory: [256], repetitions: 2 });
    const one = 'base+head | base+head';
    expect(rounds(e)).toEqual([one, 'base+head | base+base+head+head', one]);
    expect(comparePairSamples(r.samples, [{ head: 'pr-fn', base: 'main-fn' }]).map((p) => [p.strategy, p.pairs])).toEqual([
      ['sequential', 2],
      ['burst', 2],
    ]);
    expectRestored(e, states);
  });
});

describe('pool', () => {
  it('counts a pair as two against the limit, and runs a pair alone when the limit is one', async () => {
    const running: string[] = [];
    let most = 0;
    const run = (limit: number, items: string[][]) =>
      pool(
        items,
        limit,
        async (u) => {
          running.push(...u);
          most = Math.max(most, running.length);
          await new Promise((r) => setImmediate(r));
          for (const x of u) running.splice(running.indexOf(x), 1);
        },
        (u) => u.length,
      );
    await run(3, [['a', 'b'], ['c'], ['d', 'e'], ['f']]);
    expect(most).toBe(3);
    most = 0;
    await run(1, [['a', 'b'], ['c']]);
    expect(most).toBe(2);
  });
});
