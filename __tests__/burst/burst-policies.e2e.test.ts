/**
 * The burst strategy's tests that hold however the machine schedules the invokes of a burst (a late one that lands on
 * a freed environment is only a warm response, topped up): the 429 policy, compare, the sequential dispatch and the
 * preflight refusal. They run with the other in-process suites; the ones that need a burst's invokes to overlap in time
 * are in burst.e2e.test.ts (unit-timing, alone).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { measureTargets } from '../../src/lambda/engine.js';
import { compareStrategies } from '../../src/results/strategy-compare.js';
import { preflight } from '../../src/lambda/preflight.js';
import { PreflightError } from '../../src/core/errors.js';
import type { Sample } from '../../src/results/model.js';
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

describe('burst: policies that hold under any scheduling', () => {
  it('a 429 shrinks the next burst, and the slots are still filled with genuine cold starts', async () => {
    h = await harness({
      faults: { failNext: { Invoke: { count: 3, status: 429, type: 'TooManyRequestsException', retryAfterSec: 0 } } },
      functions: [{ name: 'throttled', runtime: 'nodejs20.x', memory: 128, environment: SECRETS, synthetic: synth }],
    });
    const plan = { ...basePlan, memory: [256], repetitions: 8 };
    const r = await runBurst(h, ['throttled'], plan, { burstSize: null });
    const st = h.stats[0]!;
    expect(st.throttled).toBe(3);
    expect(st.burstSizes[0]).toBe(8);
    // the SDK retried the 3 throttled invokes (after the others finished: they found warm environments or new ones);
    // whatever was warm is topped up in a burst no larger than min(8 − 3, 8 / 2) = 4
    for (const k of st.burstSizes.slice(1)) expect(k).toBeLessThanOrEqual(4);
    expect(cold(r, 'throttled', 256)).toHaveLength(8);
    expect(groundTruthCold(h, 'throttled', 256)).toBe(8);
    expect(r.notes.join('\n')).toMatch(/3 invoke attempts were throttled \(429\)/);
    assertGroundTruth(h, r);
    assertRestored(h, 'throttled', 128, SECRETS);
  });

  it('reserved concurrency 0: refused in preflight with its reason (issue 11), nothing changed', async () => {
    h = await harness({
      functions: [
        { name: 'zero', runtime: 'nodejs20.x', memory: 128, reservedConcurrency: 0, synthetic: synth },
        { name: 'fine', runtime: 'nodejs20.x', memory: 128, synthetic: synth },
      ],
    });
    const plan = { ...basePlan, memory: [256], repetitions: 3, reportSource: 'tail' as const };
    const err = await runBurst(h, ['zero', 'fine'], plan, { burstSize: null }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PreflightError);
    expect((err as PreflightError).problems).toEqual([expect.stringMatching(/^zero: its reserved concurrency is 0/)]);
    expect(h.emu.state().calls.filter((c) => c.operation === 'UpdateFunctionConfiguration')).toEqual([]);
    assertRestored(h, 'zero', 128, undefined);
  });

  it('compare measures both strategies interleaved per memory size and yields the comparison', async () => {
    h = await harness({
      functions: [
        { name: 'cmp-a', runtime: 'nodejs20.x', memory: 128, environment: SECRETS, synthetic: synth },
        { name: 'cmp-b', runtime: 'python3.11', memory: 128, synthetic: { ...synth, initMs: { mean: 90, sd: 10 } } },
      ],
    });
    const plan = { ...basePlan, memory: [256, 512], repetitions: 6 };
    const targets = await preflight(h.deps.lambda, ['cmp-a', 'cmp-b']);
    const sampled: Sample[] = [];
    const r = await measureTargets(
      h.deps,
      targets,
      { ...plan, strategy: 'compare', burstSize: null },
      {
        onUndoState: (s) => h!.states.push(s),
        onSample: (s) => sampled.push(s),
      },
    );
    expect(sampled).toHaveLength(r.samples.length);
    for (const fn of ['cmp-a', 'cmp-b']) {
      for (const m of [256, 512]) {
        expect(cold(r, fn, m, 'sequential')).toHaveLength(6);
        expect(cold(r, fn, m, 'burst')).toHaveLength(6);
        expect(groundTruthCold(h, fn, m)).toBe(12);
      }
      // interleaved: sequential 1–3, one burst of 6, sequential 4–6 (per memory size), in time order
      const at256 = r.samples.filter((s) => s.function === fn && s.memory === 256 && s.kind === 'cold');
      const order = [...at256].sort((a, b) => a.timestamp.localeCompare(b.timestamp) || (a.strategy === 'burst' ? 1 : -1));
      const seqTimes = order.filter((s) => s.strategy === 'sequential').map((s) => Date.parse(s.timestamp));
      const burstTimes = order.filter((s) => s.strategy === 'burst').map((s) => Date.parse(s.timestamp));
      expect(seqTimes.filter((t) => t < Math.min(...burstTimes))).toHaveLength(3);
      expect(seqTimes.filter((t) => t > Math.max(...burstTimes))).toHaveLength(3);
    }
    const rows = compareStrategies(r.samples);
    expect(rows.map((x) => [x.function, x.memory, x.sequentialN, x.burstN])).toEqual([
      ['cmp-a', 256, 6, 6],
      ['cmp-a', 512, 6, 6],
      ['cmp-b', 256, 6, 6],
      ['cmp-b', 512, 6, 6],
    ]);
    for (const row of rows)
      expect(row.verdict).toMatch(/^burst (matches sequential within \d+ %|reads \d+ % (lower|higher): prefer sequential)/);
    assertGroundTruth(h, r);
    assertRestored(h, 'cmp-a', 128, SECRETS);
    assertRestored(h, 'cmp-b', 128, undefined);
    assertNoSecretsLogged(h, r);
  });

  it('sequential dispatches to measure() and still reports every sample to onSample', async () => {
    h = await harness({ functions: [{ name: 'seq', runtime: 'nodejs20.x', memory: 128, synthetic: synth }] });
    const targets = await preflight(h.deps.lambda, ['seq']);
    const sampled: Sample[] = [];
    const plan = { ...basePlan, memory: [256], repetitions: 3, reportSource: 'tail' as const };
    const r = await measureTargets(
      h.deps,
      targets,
      { ...plan, strategy: 'sequential', burstSize: null },
      {
        onUndoState: (s) => h!.states.push(s),
        onSample: (s) => sampled.push(s),
      },
    );
    expect(cold(r, 'seq', 256, 'sequential')).toHaveLength(3);
    expect(r.samples.every((s) => s.strategy === 'sequential')).toBe(true);
    expect(sampled.map((s) => s.requestId).sort()).toEqual(r.samples.map((s) => s.requestId).sort());
    // one update per cold sample
    expect(h.emu.state().calls.filter((c) => c.operation === 'UpdateFunctionConfiguration' && !c.foreign && c.status === 200)).toHaveLength(
      3 + 1,
    );
  });
});
