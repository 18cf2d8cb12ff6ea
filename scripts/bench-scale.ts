/**
 * Benchmark: manners at scale. 40 functions × 1 memory size × 4 repetitions, concurrency 40, against an
 * emulator that enforces the account's quotas (control plane 15/s, GetFunction 100/s, 30 concurrent Insights queries);
 * latency: update 1 s, invoke +30 ms, ingestion 1.5 s, query 0.5 s.
 * Prints wall time, the quota bound LB = successful updates ÷ 15/s + one update latency + one ingestion + one query,
 * wall/LB and the share of control-plane calls that were throttled (targets: wall/LB ≤ 1.15, ≤ 2 % throttled).
 *
 * Run: npx tsx scripts/bench-scale.ts [--strategy sequential|burst] [--api-rate N]   (default: both strategies, api-rate 15)
 */
import { parseArgs } from 'node:util';
import { startEmulator } from '../emulator/index.js';
import type { EmulatorConfig } from '../emulator/types.js';
import { engineDepsFor, planWith } from '../__tests__/helpers/engine-deps.js';
import type { Strategy } from '../src/config/model.js';
import { measureTargets } from '../src/lambda/engine.js';
import { CONTROL_PLANE_QUOTA } from '../src/config/limits.js';
import { preflight } from '../src/lambda/preflight.js';

const N = 40;
const REPETITIONS = 4;
const MEMORY = [512];
const LATENCY = { updateMs: 1000, invokeOverheadMs: 30, ingestionMs: 1500, queryMs: 500 };
const NAMES = Array.from({ length: N }, (_, i) => `scale-${String(i + 1).padStart(2, '0')}`);

function scenario(): EmulatorConfig {
  return {
    seed: 12,
    latency: LATENCY,
    quotas: { controlPlanePerSec: CONTROL_PLANE_QUOTA, getFunctionPerSec: 100, concurrentQueries: 30 },
    functions: NAMES.map((name) => ({
      name,
      runtime: 'nodejs22.x',
      memory: 128,
      environment: { STAGE: 'bench' },
      synthetic: { initMs: { mean: 150, sd: 15 }, durationMs: { mean: 3, sd: 1 }, maxMemoryMb: 64 },
    })),
  };
}

interface Row {
  mode: Strategy;
  apiRate: number;
  wallSec: number;
  lbSec: number;
  cold: number;
  updates: number;
  controlCalls: number;
  throttled: number;
  getFunctionThrottled: number;
  startQueries: number;
}

async function runOnce(mode: Strategy, apiRate: number): Promise<Row> {
  const emu = await startEmulator(scenario());
  try {
    const { deps } = engineDepsFor(emu, { quiet: true });
    const plan = planWith({
      memory: MEMORY,
      repetitions: REPETITIONS,
      concurrency: N,
      updateTimeoutSec: 120,
      queryTimeoutSec: 60,
      apiRate,
    });
    const started = Date.now();
    const targets = await preflight(deps.lambda, NAMES);
    const r = await measureTargets(deps, targets, { ...plan, strategy: mode, burstSize: null }, { onUndoState: () => undefined });
    const wallSec = (Date.now() - started) / 1000;
    const st = emu.state();
    const mine = st.calls.filter((c) => c.service === 'lambda' && !c.foreign);
    const control = mine.filter((c) => c.operation !== 'Invoke' && c.operation !== 'GetFunction');
    const updates = control.filter((c) => c.operation === 'UpdateFunctionConfiguration' && c.status === 200).length;
    const lbSec = updates / CONTROL_PLANE_QUOTA + (LATENCY.updateMs + LATENCY.ingestionMs + LATENCY.queryMs) / 1000;
    deps.lambda.destroy();
    deps.logs.destroy();
    return {
      mode,
      apiRate,
      wallSec,
      lbSec,
      cold: r.samples.filter((s) => s.kind === 'cold').length,
      updates,
      controlCalls: control.length,
      throttled: control.filter((c) => c.status === 429).length,
      getFunctionThrottled: st.throttles.getFunction,
      startQueries: st.calls.filter((c) => c.operation === 'StartQuery').length,
    };
  } finally {
    await emu.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { strategy: { type: 'string' }, 'api-rate': { type: 'string' } } });
  const modes: Strategy[] = values.strategy ? [values.strategy as Strategy] : ['sequential', 'burst'];
  const apiRate = Number(values['api-rate'] ?? CONTROL_PLANE_QUOTA);
  console.log(
    `Scenario: ${N} functions × ${MEMORY.length} memory size × ${REPETITIONS} repetitions, concurrency ${N}; quotas: control plane ${CONTROL_PLANE_QUOTA}/s, GetFunction 100/s, 30 queries; api-rate ${apiRate}/s`,
  );
  let ok = true;
  for (const mode of modes) {
    const r = await runOnce(mode, apiRate);
    const ratio = r.wallSec / r.lbSec;
    const share = r.throttled / Math.max(1, r.controlCalls);
    const met = ratio <= 1.15 && share <= 0.02 && r.cold === N * MEMORY.length * REPETITIONS;
    ok &&= met;
    console.log(
      `${mode.padEnd(10)} wall ${r.wallSec.toFixed(1)} s · LB ${r.lbSec.toFixed(1)} s · wall/LB ${ratio.toFixed(3)} · ` +
        `throttled ${(share * 100).toFixed(1)} % (${r.throttled}/${r.controlCalls} control-plane calls; GetFunction ${r.getFunctionThrottled}) · ` +
        `cold ${r.cold} · updates ${r.updates} · StartQuery ${r.startQueries} · targets (wall/LB ≤ 1.15, ≤ 2 %) ${met ? 'met' : 'MISSED'}`,
    );
  }
  if (!ok) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
