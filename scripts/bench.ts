/**
 * Benchmark of the measurement engine against the emulator (synthetic runtimes):
 * 4 functions × 2 memory sizes × 3 repetitions; update 1 s, invoke overhead 30 ms, ingestion 1.5 s, query 0.5 s.
 * Compares with the original study's way (one function after another, two updates per memory size, 1 s fixed polls,
 * a 10 s sleep before the query, 2 s query polls). Run: npx tsx scripts/bench.ts [--skip-study]
 */
import { GetQueryResultsCommand, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionConfigurationCommand, InvokeCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { startEmulator } from '../emulator/index.js';
import type { EmulatorConfig, Emulator } from '../emulator/types.js';
import { engineDepsFor, planWith } from '../__tests__/helpers/engine-deps.js';
import { createClients } from '../src/lambda/clients.js';
import { measureTargets, type FunctionStats } from '../src/lambda/engine.js';
import { preflight } from '../src/lambda/preflight.js';

const LATENCY = { updateMs: 1000, invokeOverheadMs: 30, ingestionMs: 1500, queryMs: 500 };
const MEMORY = [512, 1024];
const REPS = 3;
const NAMES = ['bench-node', 'bench-python', 'bench-provided', 'bench-java'];
const RUNTIMES = ['nodejs20.x', 'python3.11', 'provided.al2', 'java21'];

const config = (): EmulatorConfig => ({
  seed: 42,
  latency: LATENCY,
  functions: NAMES.map((name, i) => ({
    name,
    runtime: RUNTIMES[i]!,
    memory: 128,
    environment: { STAGE: 'bench' },
    synthetic: { initMs: { mean: [170, 120, 50, 400][i]!, sd: 10 }, durationMs: { mean: 3, sd: 1 }, maxMemoryMb: 60 },
  })),
});

const clients = (emu: Emulator) =>
  createClients({ region: 'us-east-1', endpoint: emu.url, credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'x' } });

interface Figures {
  wallMs: number;
  cold: number;
  calls: number;
  updates: number;
  getFunctionCalls: number;
  pollsPerUpdate: number;
}

async function ours(): Promise<Figures & { lbMs: number }> {
  const emu = await startEmulator(config());
  try {
    const { deps } = engineDepsFor(emu, { quiet: true });
    const stats: FunctionStats[] = [];
    const plan = planWith({
      memory: MEMORY,
      repetitions: REPS,
      updateTimeoutSec: 60,
      queryTimeoutSec: 60,
    });
    const t0 = Date.now();
    const targets = await preflight(deps.lambda, NAMES);
    const r = await measureTargets(
      deps,
      targets,
      { ...plan, strategy: 'sequential' },
      { onUndoState: () => undefined, onStats: (s) => stats.push(s) },
    );
    const wallMs = Date.now() - t0;
    const st = emu.state();
    const mine = st.calls.filter((c) => !c.foreign);
    const invocationMs = new Map<string, number>();
    // LB per function: Σ over its updates of (update latency + invocation time) + one undo + one ingestion + query.
    for (const s of stats) {
      const invs = st.invocations.filter((i) => i.functionName === s.function && !i.foreign);
      invocationMs.set(s.function, invs.length * LATENCY.invokeOverheadMs);
    }
    const lbMs = Math.max(
      ...stats.map(
        (s) =>
          s.updates * LATENCY.updateMs + (invocationMs.get(s.function) ?? 0) + LATENCY.updateMs + LATENCY.ingestionMs + LATENCY.queryMs,
      ),
    );
    const updates = stats.reduce((a, s) => a + s.updates, 0);
    return {
      wallMs,
      lbMs,
      cold: r.samples.filter((s) => s.kind === 'cold').length,
      calls: mine.length,
      updates,
      getFunctionCalls: mine.filter((c) => c.operation === 'GetFunction').length,
      pollsPerUpdate: stats.reduce((a, s) => a + s.getFunctionPolls, 0) / Math.max(1, updates),
    };
  } finally {
    await emu.close();
  }
}

/** The original study's way, written out: sequential, two updates per memory size, fixed 1 s polls, 10 s sleep, 2 s query polls. */
async function study(): Promise<Figures> {
  const emu = await startEmulator(config());
  try {
    const { lambda, logs } = clients(emu);
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const waitFixed = async (name: string): Promise<number> => {
      let polls = 0;
      for (;;) {
        await sleep(1000);
        polls++;
        const c = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
        if (c.LastUpdateStatus !== 'InProgress') return polls;
      }
    };
    const t0 = Date.now();
    const ids = new Map<string, string[]>();
    let polls = 0;
    let updates = 0;
    for (const name of NAMES) {
      ids.set(name, []);
      for (const memory of MEMORY) {
        await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, MemorySize: memory }));
        updates++;
        polls += await waitFixed(name);
        for (let i = 0; i < REPS; i++) {
          await lambda.send(
            new UpdateFunctionConfigurationCommand({
              FunctionName: name,
              Environment: { Variables: { STAGE: 'bench', RUN: `${memory}-${i}-${Date.now()}` } },
            }),
          );
          updates++;
          polls += await waitFixed(name);
          const res = await lambda.send(new InvokeCommand({ FunctionName: name, LogType: 'Tail', Payload: Buffer.from('{}') }));
          ids.get(name)!.push(res.$metadata.requestId ?? '');
        }
      }
    }
    await sleep(10_000);
    for (const name of NAMES) {
      const q = await logs.send(
        new StartQueryCommand({
          logGroupName: `/aws/lambda/${name}`,
          startTime: Math.floor(t0 / 1000) - 60,
          endTime: Math.ceil(Date.now() / 1000) + 60,
          queryString: 'fields @timestamp, @message\n| filter @message like "REPORT RequestId:"\n| limit 10000',
        }),
      );
      for (;;) {
        await sleep(2000);
        const r = await logs.send(new GetQueryResultsCommand({ queryId: q.queryId }));
        if (r.status === 'Complete') break;
      }
    }
    const wallMs = Date.now() - t0;
    const st = emu.state();
    const mine = st.calls.filter((c) => !c.foreign);
    const cold = st.invocations.filter((i) => !i.foreign && i.cold).length;
    return { wallMs, cold, calls: mine.length, updates, getFunctionCalls: polls, pollsPerUpdate: polls / updates };
  } finally {
    await emu.close();
  }
}

function table(rows: string[][]): string {
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ')).join('\n');
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
console.log(
  `Scenario: ${NAMES.length} functions × ${MEMORY.length} memory sizes × ${REPS} repetitions; emulator latency update ${LATENCY.updateMs} ms, invoke ${LATENCY.invokeOverheadMs} ms, ingestion ${LATENCY.ingestionMs} ms, query ${LATENCY.queryMs} ms`,
);
const a = await ours();
const skipStudy = process.argv.includes('--skip-study');
const b = skipStudy ? undefined : await study();
const rows = [
  ['', 'lambda-coldstart', ...(b ? ["study's way"] : [])],
  ['wall time', s(a.wallMs), ...(b ? [s(b.wallMs)] : [])],
  ['lower bound (LB)', s(a.lbMs), ...(b ? [''] : [])],
  ['wall / LB', (a.wallMs / a.lbMs).toFixed(3), ...(b ? [(b.wallMs / a.lbMs).toFixed(3)] : [])],
  ['cold samples', String(a.cold), ...(b ? [String(b.cold)] : [])],
  ['updates', String(a.updates), ...(b ? [String(b.updates)] : [])],
  ['status polls per update', a.pollsPerUpdate.toFixed(2), ...(b ? [b.pollsPerUpdate.toFixed(2)] : [])],
  ['API calls per cold sample', (a.calls / a.cold).toFixed(2), ...(b ? [(b.calls / Math.max(1, b.cold)).toFixed(2)] : [])],
];
console.log(table(rows));
const ok1 = a.wallMs / a.lbMs <= 1.1;
console.log(`target wall/LB ≤ 1.10: ${ok1 ? 'met' : 'MISSED'} (${(a.wallMs / a.lbMs).toFixed(3)})`);
if (b)
  console.log(
    `target ≥ 3× faster than the study's way: ${b.wallMs / a.wallMs >= 3 ? 'met' : 'MISSED'} (${(b.wallMs / a.wallMs).toFixed(1)}×)`,
  );
