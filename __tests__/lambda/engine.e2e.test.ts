/**
 * The engine end to end against the local emulator: formats, log groups, tail mode, preflight, the post step's undo,
 * a real runtime process, error functions, abort, and changes by others during a run. (Retries: engine-retries; throttling
 * and stolen cold starts: engine-throttling — separate files so that they run side by side.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { encodeMarker } from '../../src/lambda/undo/record.js';
import { preflight } from '../../src/lambda/preflight.js';
import { EXAMPLE_FUNCTIONS } from '../../emulator/index.js';
import type { FunctionSpec } from '../../emulator/types.js';
import type { UndoState } from '../../src/lambda/undo/state.js';
import {
  assertGroundTruth,
  assertNoSecrets,
  assertRestored,
  basePlan,
  closeEmulator,
  harness,
  run,
  SECRETS,
  specs,
  synth,
  undoAll,
} from '../helpers/engine-harness.js';
afterEach(closeEmulator);

/** A clock whose sleep only moves it: a wait for a deploy that never ends takes no real time. */
function fakeClock(): { now: () => number; sleep: (ms: number) => Promise<void> } {
  let t = Date.now();
  return { now: () => t, sleep: async (ms) => void (t += ms) };
}

describe('measure against the emulator', () => {
  it('text + JSON formats, custom log group, env kept, no Environment: genuine cold starts, all restored', async () => {
    const h = await harness({ functions: specs });
    const r = await run(
      h,
      specs.map((s) => s.name),
      basePlan,
    );
    const cold = r.samples.filter((s) => s.kind === 'cold');
    expect(cold).toHaveLength(4 * 2 * 2);
    expect(r.samples.every((s) => s.source === 'insights')).toBe(true);
    for (const f of specs) {
      expect(cold.filter((s) => s.function === f.name).map((s) => [s.memory, s.sequence])).toEqual([
        [256, 1],
        [256, 2],
        [512, 1],
        [512, 2],
      ]);
    }
    expect(r.functions.map((f) => [f.name, f.logFormat, f.logGroup, f.failure])).toEqual([
      ['text-fn', 'Text', '/aws/lambda/text-fn', undefined],
      ['json-fn', 'JSON', '/aws/lambda/json-fn', undefined],
      ['custom-group-fn', 'Text', '/custom/coldstart', undefined],
      ['no-env-fn', 'Text', '/aws/lambda/no-env-fn', undefined],
    ]);
    assertGroundTruth(h, r);
    assertRestored(h, specs);
    assertNoSecrets(h, r);
    // every invoke of ours ran with the user's variables intact plus the nonce
    for (const i of h.emu.state().invocations.filter((x) => x.functionName === 'text-fn')) {
      expect(i.environment).toMatchObject(SECRETS);
      expect(i.environment).toHaveProperty('COLDSTART_NONCE');
    }
    // progress: a line per sample, grouped per function, and a final count
    expect(h.lines).toContain('[text-fn (nodejs20.x, x86_64)]');
    expect(h.lines.some((l) => /^text-fn · 256 MB · 1\/2 · cold · init \d+\.\d ms$/.test(l))).toBe(true);
    expect(h.lines).toContain(
      'text-fn: 4/4 cold samples from 4 updates, 0 warm responses, 0 errors, ' +
        h.lines.find((l) => l.startsWith('text-fn: 4/4'))!.split('errors, ')[1],
    );
    // the first change of memory and the nonce is one update per sample (not two)
    const updates = h.emu
      .state()
      .calls.filter((c) => c.operation === 'UpdateFunctionConfiguration' && c.functionName === 'text-fn' && c.status === 200);
    expect(updates).toHaveLength(4 + 1); // 4 samples + 1 undo
    // Insights: epoch seconds, the function's own (custom) log group
    const qs = h.emu.state().queries;
    expect(qs.length).toBeGreaterThanOrEqual(4);
    expect(qs.every((q) => q.startTime < 1e11 && q.endTime < 1e11 && q.startTime < q.endTime)).toBe(true);
    expect(qs.some((q) => q.logGroups.includes('/custom/coldstart'))).toBe(true);
  });

  it('tail mode skips Logs Insights', async () => {
    const h = await harness({ functions: specs.slice(0, 2) });
    const r = await run(h, ['text-fn', 'json-fn'], { ...basePlan, reportSource: 'tail', memory: [], repetitions: 2 });
    expect(r.samples.filter((s) => s.kind === 'cold')).toHaveLength(4);
    expect(r.samples.every((s) => s.source === 'tail')).toBe(true);
    expect(r.samples.filter((s) => s.function === 'json-fn').every((s) => s.memory === 1024)).toBe(true);
    expect(h.emu.state().calls.filter((c) => c.operation === 'StartQuery')).toHaveLength(0);
    assertGroundTruth(h, r);
    assertRestored(h, specs.slice(0, 2));
  });

  it('preflight rejects missing and qualified functions, naming each, and changes nothing', async () => {
    const h = await harness({
      functions: [...specs.slice(0, 1), { name: 'pending-fn', runtime: 'nodejs20.x', state: 'Pending', synthetic: synth }],
    });
    const err = await preflight(h.deps.lambda, ['text-fn', 'nope', 'text-fn:prod', 'pending-fn'], {
      updateTimeoutSec: 1,
      ...fakeClock(),
    }).then(
      () => new Error('no error'),
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err.message.split('\n').slice(1)).toEqual([
      '- nope: function not found (check the name and the region)',
      '- text-fn:prod: qualified with "prod" (a version or alias); only $LATEST can be changed: give the function name without a qualifier',
      expect.stringMatching(/^- pending-fn: a deploy was still in progress \(State Pending\) after waiting 1 s/),
    ]);
    expect(h.emu.state().calls.filter((c) => c.operation === 'UpdateFunctionConfiguration')).toHaveLength(0);
  });

  it('undoAll (post step) restores a function left changed, and is idempotent', async () => {
    const h = await harness({ functions: specs.slice(0, 1) });
    const [t] = await preflight(h.deps.lambda, ['text-fn']);
    // main "died" after setting memory 512 and its record (its last update's outcome unknown to its saved state)
    const runId = 'cli:ci-box:c0ffee';
    const record = encodeMarker({ nonce: 'n1', restoreMemory: t!.info.originalMemory, setMemory: 512, updatedAt: Date.now(), runId });
    h.emu.control.outsideChange('text-fn', { memory: 512, environment: { ...SECRETS, COLDSTART_NONCE: record } });
    const state: UndoState = {
      version: 1,
      region: 'us-east-1',
      variable: 'COLDSTART_NONCE',
      done: [],
      runId,
      entries: [{ functionName: 'text-fn', originalMemory: t!.info.originalMemory, hadEnvironment: true, pendingMemory: 512 }],
    };
    const first = await undoAll(h.deps, state, { updateTimeoutSec: 10 });
    expect(first).toEqual({ restored: ['text-fn'], failed: [] });
    const second = await undoAll(h.deps, state, { updateTimeoutSec: 10 });
    expect(second).toEqual({ restored: ['text-fn'], failed: [] });
    const c = h.emu.state().functions['text-fn']!;
    expect(c.MemorySize).toBe(128);
    expect(c.Environment?.Variables).toEqual(SECRETS);
    expect(h.emu.state().calls.filter((x) => x.operation === 'UpdateFunctionConfiguration' && !x.foreign)).toHaveLength(1);
  });

  it('real Node.js process runtime: cold starts with real init durations equal the ground truth', async () => {
    const spec: FunctionSpec = {
      name: 'hello-node',
      runtime: 'nodejs20.x',
      memory: 128,
      environment: { ...SECRETS },
      process: { dir: EXAMPLE_FUNCTIONS.node },
    };
    const h = await harness({ functions: [spec] });
    const r = await run(h, ['hello-node'], { ...basePlan, memory: [256], repetitions: 2 });
    const cold = r.samples.filter((s) => s.kind === 'cold');
    expect(cold).toHaveLength(2);
    for (const s of cold) expect(s.init).toBeGreaterThan(1);
    assertGroundTruth(h, r);
    assertRestored(h, [spec]);
    assertNoSecrets(h, r);
  });

  it('an error function gives error samples (not cold) and does not stop the others', async () => {
    const bad: FunctionSpec = {
      name: 'bad-fn',
      runtime: 'nodejs20.x',
      memory: 128,
      environment: { X: 'keep-me' },
      synthetic: { ...synth, error: true },
    };
    const h = await harness({ functions: [bad, specs[0]!] });
    const r = await run(h, ['bad-fn', 'text-fn'], { ...basePlan, memory: [256], repetitions: 2 });
    expect(r.samples.filter((s) => s.function === 'bad-fn').map((s) => s.kind)).toEqual(['error', 'error']);
    expect(r.samples.filter((s) => s.function === 'text-fn' && s.kind === 'cold')).toHaveLength(2);
    assertGroundTruth(h, r);
    assertRestored(h, [bad, specs[0]!]);
  });

  it('abort mid-run: stops starting samples, restores, returns what was measured', async () => {
    const ac = new AbortController();
    const h = await harness({ functions: specs.slice(0, 2), latency: { updateMs: 150 } }, { signal: ac.signal });
    let invokes = 0;
    h.deps.lambda.middlewareStack.add(
      (next, ctx) => async (args) => {
        const out = await next(args);
        if (ctx.commandName === 'InvokeCommand' && ++invokes === 3) ac.abort();
        return out;
      },
      { step: 'initialize', name: 'aborter' },
    );
    const r = await run(h, ['text-fn', 'json-fn'], { ...basePlan, repetitions: 5 });
    expect(r.samples.length).toBeGreaterThanOrEqual(3);
    expect(r.samples.length).toBeLessThan(2 * 2 * 5);
    assertGroundTruth(h, r);
    assertRestored(h, specs.slice(0, 2));
    expect(r.notes.some((n) => n.startsWith('The run was stopped'))).toBe(true);
  });

  it('outside changes during the run are kept (environment mid-run, memory at the end)', async () => {
    const h = await harness({ functions: specs.slice(0, 1), latency: { updateMs: 100 } });
    let invokes = 0;
    h.deps.lambda.middlewareStack.add(
      (next, ctx) => async (args) => {
        const out = await next(args);
        if (ctx.commandName === 'InvokeCommand') {
          invokes++;
          const cur = h.emu.state().functions['text-fn']!;
          if (invokes === 1)
            h.emu.control.outsideChange('text-fn', { environment: { ...cur.Environment!.Variables, ADDED_BY_OTHERS: 'yes' } });
          if (invokes === 4) h.emu.control.outsideChange('text-fn', { memory: 333 });
        }
        return out;
      },
      { step: 'initialize', name: 'outsider' },
    );
    const r = await run(h, ['text-fn'], basePlan);
    expect(r.samples.filter((s) => s.kind === 'cold')).toHaveLength(4);
    assertGroundTruth(h, r);
    assertRestored(h, specs.slice(0, 1), { 'text-fn': { memory: 333, env: { ...SECRETS, ADDED_BY_OTHERS: 'yes' } } });
    expect(r.notes.some((n) => n.includes('environment variables were changed by someone else'))).toBe(true);
  });

  it('memory changed by someone else mid-run: measured at the planned memory again, noted, and their memory restored at the end', async () => {
    const h = await harness({ functions: specs.slice(3), latency: { updateMs: 100 } });
    let invokes = 0;
    h.deps.lambda.middlewareStack.add(
      (next, ctx) => async (args) => {
        const out = await next(args);
        if (ctx.commandName === 'InvokeCommand' && ++invokes === 1) h.emu.control.outsideChange('no-env-fn', { memory: 333 });
        return out;
      },
      { step: 'initialize', name: 'outsider' },
    );
    const r = await run(h, ['no-env-fn'], { ...basePlan, memory: [256], repetitions: 3 });
    expect(r.samples.filter((s) => s.kind === 'cold').map((s) => s.memory)).toEqual([256, 256, 256]);
    assertGroundTruth(h, r);
    // Their change is kept: the undo restores their 333 MB, not the original 128 MB (the environment as it was).
    assertRestored(
      h,
      specs.slice(3).map((s) => (s.name === 'no-env-fn' ? { ...s, memory: 333 } : s)),
    );
    expect(
      r.notes.some(
        (n) => n.includes('memory was changed by someone else during the run (to 333 MB)') && n.includes('set it back to their 333 MB'),
      ),
    ).toBe(true);
  });

  it('a function whose responses are all warm stops when its warm-retry budget is spent, with one message', async () => {
    const h = await harness({ functions: specs.slice(3), faults: { proactiveInitRate: 1 } });
    const r = await run(h, ['no-env-fn'], { ...basePlan, memory: [256], repetitions: 1, warmRetries: 2 });
    expect(r.samples.map((s) => [s.kind, s.attempt])).toEqual([
      ['warm', 1],
      ['warm', 2],
      ['warm', 3],
    ]);
    assertGroundTruth(h, r);
    assertRestored(h, specs.slice(3));
    expect(r.notes.filter((n) => n.startsWith('no-env-fn: stopped early: 3 responses were warm'))).toHaveLength(1);
    expect(r.notes.some((n) => n.includes('invocations were warm'))).toBe(false);
  });
});
