/**
 * The engine's one policy for failures, throttling and warm responses, checked once for each strategy (sequential and
 * burst go through the same loop), against the emulator with the real SDK. Also: whose change is it (RevisionIds).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/index.js';
import { engineDepsFor } from '../helpers/engine-deps.js';
import type { Emulator, EmulatorConfig, FunctionSpec } from '../../emulator/types.js';
import type { Strategy } from '../../src/config/model.js';
import { measureTargets, type FunctionStats, type MeasureResult } from '../../src/lambda/engine.js';
import { preflight } from '../../src/lambda/preflight.js';
import type { EngineDeps, MeasurePlan } from '../../src/lambda/types.js';
import type { UndoState } from '../../src/lambda/undo/state.js';
import { assertGroundTruth } from '../helpers/ground-truth.js';
import { CONTROL_RATE } from '../../src/config/limits.js';

const synth = { initMs: { mean: 150, sd: 20 }, durationMs: { mean: 3, sd: 1 }, maxMemoryMb: 60 };
const ENV = { STAGE: 'test' };
const fn: FunctionSpec = { name: 'pol-fn', runtime: 'nodejs20.x', memory: 128, environment: ENV, synthetic: synth };

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

interface Harness {
  deps: EngineDeps;
  lines: string[];
  states: UndoState[];
  stats: FunctionStats[];
  emu: Emulator;
}

async function harness(config: Partial<EmulatorConfig>, opts: { maxAttempts?: number } = {}): Promise<Harness> {
  const e = await startEmulator({
    seed: 5,
    latency: { updateMs: 60, invokeOverheadMs: 20, ingestionMs: 0, queryMs: 30 },
    functions: [fn],
    ...config,
  });
  emu = e;
  const { deps, lines } = engineDepsFor(e, opts);
  return { deps, lines, states: [], stats: [], emu: e };
}

const plan: MeasurePlan = {
  memory: [256],
  repetitions: 3,
  payload: '{}',
  reportSource: 'tail',
  strategy: 'sequential',
  burstSize: null,
  apiRate: CONTROL_RATE,
  concurrency: 1,
  updateTimeoutSec: 30,
  queryTimeoutSec: 20,
  restore: true,
};

async function run(h: Harness, mode: Strategy, p: MeasurePlan = plan): Promise<MeasureResult> {
  const targets = await preflight(h.deps.lambda, [fn.name]);
  return measureTargets(
    h.deps,
    targets,
    { ...p, strategy: mode, burstSize: null },
    {
      onUndoState: (s) => h.states.push(s),
      onStats: (s) => h.stats.push(s),
    },
  );
}

function assertRestored(h: Harness, memory = 128): void {
  const c = h.emu.state().functions[fn.name]!;
  expect(c.MemorySize).toBe(memory);
  expect(c.Environment?.Variables).toEqual(ENV);
  expect(h.states.at(-1)?.done).toEqual([fn.name]);
}

const cold = (r: MeasureResult): number => r.samples.filter((s) => s.kind === 'cold').length;

describe.each(['sequential', 'burst'] as const)('one policy, strategy %s', (mode) => {
  it('failures: update and invoke failures count alike — 3 rounds in a row without a response give the function up', async () => {
    // Two updates fail (each closes one slot with its error), then every invoke of the third round fails
    // (k = 1 sequential; burst: the 3 slots still open).
    const k = mode === 'sequential' ? 1 : 3;
    const h = await harness(
      {
        faults: {
          failNext: {
            UpdateFunctionConfiguration: { count: 2, status: 500, type: 'ServiceException' },
            Invoke: { count: k, status: 500, type: 'ServiceException' },
          },
        },
      },
      { maxAttempts: 1 },
    );
    const r = await run(h, mode, { ...plan, repetitions: 5 });
    expect(r.functions[0]?.failure).toMatch(/^3 failures in a row, the last: .*ServiceException/);
    expect(r.samples.filter((s) => s.kind === 'error')).toHaveLength(2 + k);
    expect(cold(r)).toBe(0);
    assertRestored(h);
  });

  it('throttling: a 429 (update or invoke) that outlasts the SDK retries is an error sample whose slot is topped up', async () => {
    const h = await harness(
      {
        faults: {
          failNext: {
            UpdateFunctionConfiguration: { count: 1, status: 429, retryAfterSec: 0 },
            Invoke: { count: 1, status: 429, retryAfterSec: 0 },
          },
        },
      },
      { maxAttempts: 1 },
    );
    const r = await run(h, mode);
    const errors = r.samples.filter((s) => s.kind === 'error');
    expect(errors).toHaveLength(2); // the update's 429, then an invoke's
    for (const e of errors) expect(e.error).toMatch(/^throttled \(429\) after the SDK's retries: .*TooManyRequestsException/);
    expect(cold(r)).toBe(3); // every requested sample, in both strategies
    expect(r.functions[0]?.failure).toBeUndefined();
    assertGroundTruth(h.emu, r.samples);
    assertRestored(h);
  });

  it('warm responses: with 20 % of cold starts stolen, every requested sample is measured', async () => {
    const h = await harness({ seed: 20, faults: { proactiveInitRate: 0.2 } });
    const r = await run(h, mode, { ...plan, memory: [256, 512], repetitions: 6 });
    const warm = r.samples.filter((s) => s.kind === 'warm').length;
    expect(warm).toBeGreaterThan(0);
    expect(cold(r)).toBe(12);
    expect(r.notes.some((n) => n.startsWith(`pol-fn: ${warm} invocation`) && n.includes('not counted'))).toBe(true);
    assertGroundTruth(h.emu, r.samples);
    assertRestored(h);
  });

  it('warm responses: a function that stays warm stops when its budget is spent, with one message', async () => {
    const h = await harness({ faults: { proactiveInitRate: 1 } });
    const r = await run(h, mode, { ...plan, repetitions: 2, warmRetries: 3 });
    expect(r.samples.filter((s) => s.kind === 'warm')).toHaveLength(4); // the budget's 3 retries + the one that spent it
    expect(r.samples.filter((s) => s.kind === 'cold')).toHaveLength(0);
    expect(r.notes.filter((n) => n.includes('warm'))).toEqual([expect.stringMatching(/^pol-fn: stopped early: 4 responses were warm/)]);
    expect(h.lines.filter((l) => l.startsWith('WARNING pol-fn: stopped early'))).toHaveLength(1);
    expect(r.functions[0]?.failure).toBeUndefined();
    assertRestored(h);
  });
});

describe('whose change is it', () => {
  it('someone sets the memory to a size the run also uses: theirs is kept at the end, and every report agrees', async () => {
    const h = await harness({});
    let invokes = 0;
    h.deps.lambda.middlewareStack.add(
      (next, ctx) => async (args) => {
        const out = await next(args);
        // the first invoke at 512 MB: a person sets 256 MB, one of the run's own sizes
        if (ctx.commandName === 'InvokeCommand' && ++invokes === 3) h.emu.control.outsideChange(fn.name, { memory: 256 });
        return out;
      },
      { step: 'initialize', name: 'person' },
    );
    const r = await run(h, 'sequential', { ...plan, memory: [256, 512], repetitions: 2 });
    expect(r.samples.filter((s) => s.kind === 'cold').map((s) => s.memory)).toEqual([256, 256, 512, 512]);
    assertGroundTruth(h.emu, r.samples);
    // final state: theirs
    assertRestored(h, 256);
    // progress line, note and undo state agree
    expect(h.lines).toContain('pol-fn · memory set to 256 MB by someone else: theirs is kept at the end; measuring at ours again');
    expect(r.notes.some((n) => n.includes('(to 256 MB)') && n.includes('set it back to their 256 MB'))).toBe(true);
    const last = h.states.at(-1)!.entries[0]!;
    expect(last.outsideMemory).toBe(256);
    // our revisions: every update of ours, none of theirs
    const theirs = h.emu.state().calls.filter((c) => c.foreign && c.operation === 'UpdateFunctionConfiguration');
    expect(theirs).toHaveLength(1);
    expect(last.ourRevisions?.length).toBeGreaterThanOrEqual(4);
  });

  it('RevisionIds of our own updates are recorded before the undo, most recent last', async () => {
    const h = await harness({});
    await run(h, 'burst', { ...plan, repetitions: 2 });
    const withRevisions = h.states.filter((s) => (s.entries[0]!.ourRevisions ?? []).length > 0);
    expect(withRevisions.length).toBeGreaterThan(0);
    const before = withRevisions.filter((s) => s.done.length === 0).at(-1)!;
    const revs = before.entries[0]!.ourRevisions!;
    expect(new Set(revs).size).toBe(revs.length);
    // the most recent is the configuration the invokes ran
    const ran = h.emu.state().invocations.filter((i) => !i.foreign);
    expect(revs).toContain(ran.at(-1)!.revisionId);
  });
});

describe('Logs Insights at the end of a function', () => {
  it('a log group that does not exist is named at once, not after the query timeout; the tails keep the numbers', async () => {
    const h = await harness({});
    const [t] = await preflight(h.deps.lambda, [fn.name]);
    t!.info.logGroup = '/aws/lambda/not-there';
    const started = Date.now();
    const r = await measureTargets(
      h.deps,
      [t!],
      { ...plan, reportSource: 'insights', queryTimeoutSec: 120, strategy: 'burst' },
      { onUndoState: (s) => h.states.push(s) },
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.notes).toContainEqual(
      expect.stringMatching(/^pol-fn: Logs Insights query failed \(log group \/aws\/lambda\/not-there does not exist/),
    );
    expect(cold(r)).toBe(3);
    expect(r.samples.every((s) => s.source === 'tail')).toBe(true);
    assertRestored(h);
  });
});
