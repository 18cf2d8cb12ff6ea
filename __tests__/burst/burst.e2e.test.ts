/**
 * The burst strategy end to end against the emulator (real SDK over HTTP): exactly the requested number of genuine
 * cold samples (= ground truth), invokes of one burst in flight together, top-ups after warm responses, reserved
 * concurrency caps the burst, a 429 that outlasts the retries, every function restored, no secret printed. These need
 * a burst's invokes to overlap in time (a late one would land on a freed environment and change the burst sizes), so
 * this file runs alone (unit-timing); burst-policies.e2e.test.ts has the ones that hold under any scheduling.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { measureTargets } from '../../src/lambda/engine.js';
import { preflight } from '../../src/lambda/preflight.js';
import {
  assertGroundTruth,
  assertNoSecretsLogged,
  assertRestored,
  basePlan,
  cold,
  groundTruthCold,
  harness,
  runBurst,
  SECRETS,
  synth,
  type Harness,
} from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.emu.close();
  h = undefined;
});

/** Non-foreign invocations per RevisionId (one configuration = one burst) of a function. */
function byRevision(hh: Harness, fn: string) {
  const m = new Map<string, ReturnType<Harness['emu']['state']>['invocations']>();
  for (const i of hh.emu.state().invocations) {
    if (i.functionName !== fn || i.foreign) continue;
    const l = m.get(i.revisionId) ?? [];
    l.push(i);
    m.set(i.revisionId, l);
  }
  return m;
}

describe('burst strategy', () => {
  it('yields exactly `repetitions` genuine cold samples per memory size from one update each, and restores', async () => {
    h = await harness({
      functions: [
        { name: 'burst-text', runtime: 'nodejs20.x', memory: 128, environment: SECRETS, synthetic: synth },
        { name: 'burst-json', runtime: 'python3.11', memory: 1024, logFormat: 'JSON', synthetic: synth },
      ],
    });
    const r = await runBurst(h, ['burst-text', 'burst-json'], basePlan, { burstSize: null });

    for (const fn of ['burst-text', 'burst-json']) {
      for (const m of [256, 512]) {
        expect(cold(r, fn, m)).toHaveLength(5);
        expect(groundTruthCold(h, fn, m)).toBe(5);
      }
      const st = h.stats.find((s) => s.function === fn)!;
      expect(st.updates).toBe(2); // one update per memory size
      expect(st.burstSizes).toEqual([5, 5]);
      expect(st.warm).toBe(0);
      expect(st.throttled).toBe(0);
    }
    expect(r.samples.every((s) => s.strategy === 'burst')).toBe(true);
    expect(r.samples.every((s) => s.source === 'insights')).toBe(true);
    expect(r.functions.map((f) => f.failure)).toEqual([undefined, undefined]);
    // sequences 1..5 per memory, each once
    expect(
      cold(r, 'burst-text', 256)
        .map((s) => s.sequence)
        .sort(),
    ).toEqual([1, 2, 3, 4, 5]);
    assertGroundTruth(h, r);
    assertRestored(h, 'burst-text', 128, SECRETS);
    assertRestored(h, 'burst-json', 1024, undefined);
    assertNoSecretsLogged(h, r);
    // onSample for every sample; undo state before the first change and after each undo
    expect(h.sampled).toHaveLength(r.samples.length);
    expect(h.states[0]!.done).toEqual([]);
    const firstUpdate = h.emu.state().calls.find((c) => c.operation === 'UpdateFunctionConfiguration')!;
    expect(firstUpdate).toBeDefined();
    expect(h.states.at(-1)!.done.sort()).toEqual(['burst-json', 'burst-text']);
    expect(h.emu.state().logDeletions).toEqual([]);
  });

  it('releases the k invokes of one burst together (each its own environment, overlapping in time)', async () => {
    h = await harness({
      latency: { invokeOverheadMs: 150 },
      functions: [{ name: 'together', runtime: 'nodejs20.x', memory: 128, synthetic: synth }],
    });
    const plan = { ...basePlan, memory: [256], repetitions: 8, reportSource: 'tail' as const };
    const t0 = Date.now();
    const r = await runBurst(h, ['together'], plan, { burstSize: null });
    const elapsed = Date.now() - t0;
    expect(cold(r, 'together', 256)).toHaveLength(8);
    const groups = [...byRevision(h, 'together').values()];
    expect(groups).toHaveLength(1);
    const burst = groups[0]!;
    expect(burst).toHaveLength(8);
    expect(new Set(burst.map((i) => i.environmentId)).size).toBe(8);
    const starts = burst.map((i) => i.timestamp);
    // all 8 started before the first one (150 ms long) could have finished: they were in flight together
    expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(150);
    // and 8 sequential invokes of 150 ms alone would take 1.2 s
    expect(elapsed).toBeLessThan(1200);
  });

  it('more than 50 invokes in flight (two functions, bursts of 40): none waits for a socket, every one is a cold start', async () => {
    h = await harness({
      latency: { invokeOverheadMs: 300 },
      accountConcurrency: 1000,
      functions: ['wide-a', 'wide-b'].map((name) => ({ name, runtime: 'nodejs20.x', memory: 128, synthetic: synth })),
    });
    const plan = { ...basePlan, memory: [256], repetitions: 40, concurrency: 2, reportSource: 'tail' as const };
    const r = await runBurst(h, ['wide-a', 'wide-b'], plan, { burstSize: 40 });
    expect(cold(r, 'wide-a', 256)).toHaveLength(40);
    expect(cold(r, 'wide-b', 256)).toHaveLength(40);
    expect(h.stats.map((s) => s.updates)).toEqual([1, 1]); // no top-up: nothing arrived late into a warm environment
    const ours = h.emu.state().invocations.filter((i) => !i.foreign);
    const starts = ours.map((i) => i.timestamp);
    // With the SDK's default 50 sockets, 30 of the 80 would start only after the first ones returned (300 ms later).
    expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(250);
  });

  it('tops up warm responses (foreign traffic, proactive initialisation) with another burst after a fresh update', async () => {
    h = await harness({
      faults: { foreignTrafficAfterUpdate: { stolen: 1 }, proactiveInitRate: 0.3 },
      functions: [{ name: 'stolen', runtime: 'nodejs20.x', memory: 128, environment: SECRETS, synthetic: synth }],
    });
    const plan = { ...basePlan, memory: [256], repetitions: 10 };
    const r = await runBurst(h, ['stolen'], plan, { burstSize: null });
    expect(cold(r, 'stolen', 256)).toHaveLength(10);
    expect(groundTruthCold(h, 'stolen', 256)).toBe(10);
    const warm = r.samples.filter((s) => s.kind === 'warm');
    expect(warm.length).toBeGreaterThanOrEqual(1);
    const st = h.stats[0]!;
    expect(st.updates).toBeGreaterThanOrEqual(2); // a top-up burst after a fresh update
    expect(st.burstSizes[0]).toBe(10);
    expect(st.burstSizes.slice(1).reduce((a, b) => a + b, 0)).toBe(st.warm); // each top-up asks exactly for the missing ones
    // the foreign invoke took one cold start: one of ours was warm in the first burst
    const gt = h.emu.state().invocations;
    expect(gt.filter((i) => i.foreign)).toHaveLength(1);
    expect(gt.filter((i) => i.proactiveInit && !i.foreign).length + 1).toBe(warm.length);
    // warm slots were retried: their sequence number reappears as cold with a higher attempt
    for (const w of warm) {
      expect(r.samples.some((s) => s.sequence === w.sequence && s.kind === 'cold' && s.attempt > w.attempt)).toBe(true);
    }
    expect(r.notes.join('\n')).toMatch(/invocations? (was|were) warm .*retried after a fresh configuration update and not counted/);
    expect(r.notes.join('\n')).not.toMatch(/its memory was changed by someone else/);
    assertGroundTruth(h, r);
    assertRestored(h, 'stolen', 128, SECRETS);
    assertNoSecretsLogged(h, r);
  });

  it('caps the burst by reserved concurrency (leaving room for production) and never throttles', async () => {
    h = await harness({ functions: [{ name: 'reserved', runtime: 'nodejs20.x', memory: 128, reservedConcurrency: 5, synthetic: synth }] });
    const plan = { ...basePlan, memory: [256], repetitions: 10 };
    const r = await runBurst(h, ['reserved'], plan, { burstSize: null });
    expect(cold(r, 'reserved', 256)).toHaveLength(10);
    const st = h.stats[0]!;
    expect(st.burstSizes).toEqual([4, 4, 2]); // 5 reserved − 1 kept free
    expect(st.throttled).toBe(0);
    expect(h.emu.state().calls.filter((c) => c.operation === 'Invoke' && c.status === 429)).toEqual([]);
    expect(r.notes.join('\n')).toMatch(/capped at 4 by its reserved concurrency \(5/);
    assertGroundTruth(h, r);
    assertRestored(h, 'reserved', 128, undefined);
  });

  it("caps the burst by the account's unreserved concurrency, shared by functions measured at once", async () => {
    h = await harness({
      accountConcurrency: 12,
      functions: [
        { name: 'acct-a', runtime: 'nodejs20.x', memory: 128, synthetic: synth },
        { name: 'acct-b', runtime: 'nodejs20.x', memory: 128, synthetic: synth },
      ],
    });
    const plan = { ...basePlan, memory: [256], repetitions: 6, reportSource: 'tail' as const };
    const r = await runBurst(h, ['acct-a', 'acct-b'], plan, { burstSize: null });
    for (const fn of ['acct-a', 'acct-b']) {
      expect(cold(r, fn, 256)).toHaveLength(6);
      expect(h.stats.find((s) => s.function === fn)!.burstSizes).toEqual([3, 3]); // ⌊12 × ½ / 2⌋
    }
    expect(r.notes.join('\n')).toMatch(/unreserved concurrency \(12/);
  });

  it('a 429 that outlasts the SDK retries is an error sample, its slot topped up in a smaller burst', async () => {
    h = await harness(
      {
        faults: { failNext: { Invoke: { count: 2, status: 429, type: 'TooManyRequestsException', retryAfterSec: 0 } } },
        functions: [{ name: 'hard-throttled', runtime: 'nodejs20.x', memory: 128, synthetic: synth }],
      },
      { maxAttempts: 1 },
    );
    const plan = { ...basePlan, memory: [256], repetitions: 6, reportSource: 'tail' as const };
    const r = await runBurst(h, ['hard-throttled'], plan, { burstSize: null });
    const st = h.stats[0]!;
    // the 2 throttled slots are topped up in a burst of 2 (≤ the shrunk size 3). After a throttle the SDK's adaptive
    // client-side rate limiter may space the next requests out, so one of them can land on the other's environment
    // (warm): it is then topped up again, never counted.
    expect(st.burstSizes.slice(0, 2)).toEqual([6, 2]);
    for (const k of st.burstSizes.slice(2)) expect(k).toBeLessThanOrEqual(2);
    const errs = r.samples.filter((s) => s.kind === 'error');
    expect(errs).toHaveLength(2);
    for (const e of errs) expect(e.error).toMatch(/throttled \(429\)/);
    expect(cold(r, 'hard-throttled', 256)).toHaveLength(6);
    assertGroundTruth(h, r);
  });

  it('GetAccountSettings denied → a clear notice and a conservative cap; the run goes on', async () => {
    h = await harness({
      faults: { failNext: { GetAccountSettings: { count: 1, status: 403, type: 'AccessDeniedException' } } },
      functions: [{ name: 'denied', runtime: 'nodejs20.x', memory: 128, synthetic: synth }],
    });
    const plan = { ...basePlan, memory: [256], repetitions: 12, reportSource: 'tail' as const };
    const r = await runBurst(h, ['denied'], plan, { burstSize: null });
    expect(h.stats[0]!.burstSizes).toEqual([10, 2]);
    expect(cold(r, 'denied', 256)).toHaveLength(12);
    expect(h.lines.some((l) => l.startsWith('NOTICE') && /GetAccountSettings was denied/.test(l))).toBe(true);
    expect(r.notes.join('\n')).toMatch(/capped at 10/);
  });

  it('an explicit burst-size smaller than repetitions takes several bursts', async () => {
    h = await harness({ functions: [{ name: 'small', runtime: 'nodejs20.x', memory: 128, synthetic: synth }] });
    const plan = { ...basePlan, memory: [], repetitions: 7, reportSource: 'tail' as const };
    const r = await runBurst(h, ['small'], plan, { burstSize: 3 });
    expect(h.stats[0]!.burstSizes).toEqual([3, 3, 1]);
    expect(cold(r, 'small', 128)).toHaveLength(7);
    assertRestored(h, 'small', 128, undefined);
  });
});

describe('burst: stop and unmeasurable functions', () => {
  it('abort mid-run: no new burst starts, the function is restored, what was measured is returned', async () => {
    h = await harness({ functions: [{ name: 'stopme', runtime: 'nodejs20.x', memory: 128, environment: SECRETS, synthetic: synth }] });
    const controller = new AbortController();
    h.deps.signal = controller.signal;
    const targets = await preflight(h.deps.lambda, ['stopme']);
    const plan = { ...basePlan, memory: [256, 512], repetitions: 4 };
    const r = await measureTargets(
      h.deps,
      targets,
      { ...plan, strategy: 'burst', burstSize: null },
      {
        onUndoState: (s) => h!.states.push(s),
        onSample: () => controller.abort(), // stop after the first burst
      },
    );
    expect(r.samples.filter((s) => s.memory === 256 && s.kind === 'cold')).toHaveLength(4);
    expect(r.samples.filter((s) => s.memory === 512)).toHaveLength(0);
    expect(r.functions[0]!.failure).toBeUndefined();
    expect(r.notes.join('\n')).toMatch(/stopped before it finished/);
    assertRestored(h, 'stopme', 128, SECRETS);
    expect(h.states.at(-1)!.done).toEqual(['stopme']);
  });
});
