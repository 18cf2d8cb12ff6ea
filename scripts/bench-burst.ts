/**
 * Benchmark: the burst strategy against the sequential one on the same scenario, against the local emulator.
 * Scenario: 4 functions × 2 memory sizes × 10 repetitions, synthetic runtimes; latency: update 1 s, invoke overhead 30 ms,
 * ingestion 1.5 s, Logs Insights query 0.5 s. Prints wall time, cold samples per second, configuration updates per cold
 * sample (undo included) and the ratio burst / sequential of cold samples per second (target ≥ 5×).
 *
 * Run: npx tsx scripts/bench-burst.ts   (about 35 s)
 */
import { startEmulator } from '../emulator/index.js';
import type { EmulatorConfig } from '../emulator/types.js';
import { engineDepsFor, planWith } from '../__tests__/helpers/engine-deps.js';
import { preflight } from '../src/lambda/preflight.js';
import { measureTargets } from '../src/lambda/engine.js';

const FUNCTIONS = ['bench-node', 'bench-python', 'bench-provided', 'bench-java'];
const INIT_MEAN: Record<string, number> = { 'bench-node': 170, 'bench-python': 120, 'bench-provided': 50, 'bench-java': 400 };
const REPETITIONS = 10;
const MEMORY = [512, 1024];

function scenario(): EmulatorConfig {
  return {
    seed: 42,
    latency: { updateMs: 1000, invokeOverheadMs: 30, ingestionMs: 1500, queryMs: 500 },
    functions: FUNCTIONS.map((name) => ({
      name,
      runtime:
        name === 'bench-java'
          ? 'java21'
          : name === 'bench-python'
            ? 'python3.12'
            : name === 'bench-provided'
              ? 'provided.al2023'
              : 'nodejs22.x',
      memory: 128,
      environment: { STAGE: 'bench' },
      synthetic: { initMs: { mean: INIT_MEAN[name] ?? 100, sd: 15 }, durationMs: { mean: 3, sd: 1 }, maxMemoryMb: 64 },
    })),
  };
}

interface Row {
  strategy: string;
  wallSec: number;
  cold: number;
  coldPerSec: number;
  updates: number;
  updatesPerCold: number;
  invokes: number;
  groundTruthOk: boolean;
}

async function runOnce(strategy: 'sequential' | 'burst'): Promise<Row> {
  const emu = await startEmulator(scenario());
  try {
    const { deps } = engineDepsFor(emu, { quiet: true });
    const plan = planWith({
      memory: MEMORY,
      repetitions: REPETITIONS,
      concurrency: FUNCTIONS.length,
      updateTimeoutSec: 60,
      queryTimeoutSec: 60,
    });
    const targets = await preflight(deps.lambda, FUNCTIONS);
    const started = Date.now();
    const r = await measureTargets(deps, targets, { ...plan, strategy, burstSize: null }, { onUndoState: () => undefined });
    const wallSec = (Date.now() - started) / 1000;
    const st = emu.state();
    const cold = r.samples.filter((s) => s.kind === 'cold').length;
    const truth = new Map(st.invocations.map((i) => [i.requestId, i]));
    const groundTruthOk =
      cold === FUNCTIONS.length * MEMORY.length * REPETITIONS &&
      r.samples
        .filter((s) => s.kind === 'cold')
        .every((s) => truth.get(s.requestId)?.cold === true && truth.get(s.requestId)?.initMs === s.init);
    const updates = st.calls.filter((c) => c.operation === 'UpdateFunctionConfiguration' && c.status === 200 && !c.foreign).length;
    const invokes = st.calls.filter((c) => c.operation === 'Invoke' && !c.foreign).length;
    deps.lambda.destroy();
    deps.logs.destroy();
    return {
      strategy,
      wallSec,
      cold,
      coldPerSec: cold / wallSec,
      updates,
      updatesPerCold: updates / Math.max(1, cold),
      invokes,
      groundTruthOk,
    };
  } finally {
    await emu.close();
  }
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

async function main(): Promise<void> {
  console.log(
    `Scenario: ${FUNCTIONS.length} functions × ${MEMORY.length} memory sizes × ${REPETITIONS} repetitions (emulator: update 1 s, invoke +30 ms, ingestion 1.5 s, query 0.5 s)`,
  );
  const rows: Row[] = [];
  for (const strategy of ['sequential', 'burst'] as const) {
    process.stdout.write(`running ${strategy}… `);
    const row = await runOnce(strategy);
    console.log(`${row.wallSec.toFixed(1)} s`);
    rows.push(row);
  }
  const header = ['strategy', 'wall (s)', 'cold', 'cold/s', 'updates', 'updates/cold', 'invokes', 'ground truth'];
  const widths = [12, 10, 6, 8, 9, 14, 9, 12];
  console.log('');
  console.log(header.map((h, i) => pad(h, widths[i]!)).join(''));
  for (const r of rows) {
    const cells = [
      r.strategy,
      r.wallSec.toFixed(1),
      String(r.cold),
      r.coldPerSec.toFixed(2),
      String(r.updates),
      r.updatesPerCold.toFixed(3),
      String(r.invokes),
      r.groundTruthOk ? 'ok' : 'MISMATCH',
    ];
    console.log(cells.map((c, i) => pad(c, widths[i]!)).join(''));
  }
  const seq = rows[0]!;
  const burst = rows[1]!;
  const ratio = burst.coldPerSec / seq.coldPerSec;
  console.log('');
  console.log(`burst / sequential cold samples per second: ${ratio.toFixed(1)}× (target ≥ 5×) ${ratio >= 5 ? 'PASS' : 'BELOW TARGET'}`);
  console.log('(updates include the undo at the end of each function)');
  if (!seq.groundTruthOk || !burst.groundTruthOk) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
