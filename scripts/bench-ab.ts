/**
 * Benchmark of an A/B run (baseline-functions) against the emulator: 2 pairs (4 functions) × 2 memory sizes × 6
 * repetitions, sequential, each head beside its base in lockstep; one head's first sample is taken by foreign traffic,
 * so that head retries a round alone. Latencies as scripts/bench.ts: update 1 s, invoke overhead 30 ms, ingestion
 * 1.5 s, query 0.5 s. The lower bound (LB) is bench.ts's: the max over functions of Σ(update latency + invocation time),
 * plus one undo, one ingestion delay and one query. Target: wall / LB ≤ 1.15. Run: npx tsx scripts/bench-ab.ts
 */
import { startEmulator } from '../emulator/index.js';
import type { EmulatorConfig } from '../emulator/types.js';
import { engineDepsFor, planWith } from '../__tests__/helpers/engine-deps.js';
import { measureTargets, type FunctionStats } from '../src/lambda/engine.js';
import { preflight } from '../src/lambda/preflight.js';
import { comparePairSamples } from '../src/results/pair-results.js';

const LATENCY = { updateMs: 1000, invokeOverheadMs: 30, ingestionMs: 1500, queryMs: 500 };
const MEMORY = [512, 1024];
const REPS = 6;
const PAIRS = [
  { head: 'pr-api', base: 'main-api', initMs: 170 },
  { head: 'pr-worker', base: 'main-worker', initMs: 120 },
];
const TARGET = 1.15;

const config = (): EmulatorConfig => ({
  seed: 42,
  latency: LATENCY,
  faults: { foreignTrafficAfterUpdate: { 'pr-api': 1 } },
  functions: PAIRS.flatMap((p) =>
    [p.head, p.base].map((name) => ({
      name,
      runtime: 'nodejs20.x',
      memory: 128,
      environment: { STAGE: 'bench' },
      synthetic: { initMs: { mean: p.initMs, sd: 10 }, durationMs: { mean: 3, sd: 1 }, maxMemoryMb: 60 },
    })),
  ),
});

const emu = await startEmulator(config());
try {
  const { deps } = engineDepsFor(emu, { quiet: true });
  const stats: FunctionStats[] = [];
  const plan = planWith({
    memory: MEMORY,
    repetitions: REPS,
    updateTimeoutSec: 60,
    queryTimeoutSec: 60,
    pairs: PAIRS.map(({ head, base }) => ({ head, base })),
  });
  const t0 = Date.now();
  const targets = await preflight(
    deps.lambda,
    PAIRS.flatMap((p) => [p.head, p.base]),
  );
  const r = await measureTargets(deps, targets, plan, { onUndoState: () => undefined, onStats: (s) => stats.push(s) });
  const wallMs = Date.now() - t0;
  const invocations = emu.state().invocations;
  const lbOf = (s: FunctionStats): number => {
    const invs = invocations.filter((i) => i.functionName === s.function && !i.foreign).length;
    return s.updates * LATENCY.updateMs + invs * LATENCY.invokeOverheadMs + LATENCY.updateMs + LATENCY.ingestionMs + LATENCY.queryMs;
  };
  const lbMs = Math.max(...stats.map(lbOf));
  const rows = comparePairSamples(r.samples, plan.pairs ?? []);
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `A/B scenario: ${PAIRS.length} pairs (${PAIRS.length * 2} functions) × ${MEMORY.length} memory sizes × ${REPS} repetitions, sequential, ` +
      `one warm retry; emulator latency update ${LATENCY.updateMs} ms, invoke ${LATENCY.invokeOverheadMs} ms, ingestion ${LATENCY.ingestionMs} ms, query ${LATENCY.queryMs} ms`,
  );
  console.log(`updates per function: ${stats.map((x) => `${x.function} ${x.updates}`).join(', ')}`);
  console.log(
    `cold samples: ${r.samples.filter((x) => x.kind === 'cold').length}; pairs compared: ${rows.map((x) => `${x.head}@${x.memory} ${x.method} (${x.pairs})`).join(', ')}`,
  );
  console.log(`wall time ${s(wallMs)}; lower bound (LB) ${s(lbMs)}; wall / LB ${(wallMs / lbMs).toFixed(3)}`);
  console.log(`target A/B wall/LB ≤ ${TARGET.toFixed(2)}: ${wallMs / lbMs <= TARGET ? 'met' : 'MISSED'} (${(wallMs / lbMs).toFixed(3)})`);
} finally {
  await emu.close();
}
