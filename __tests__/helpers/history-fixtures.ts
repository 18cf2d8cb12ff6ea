/** Generated histories for tests and the dashboard screenshot (seeded: the same every time). Plain data: no vitest here. */
import type { History, HistoryEntry, HistoryRow } from '../../src/history/model.js';

/** mulberry32: a small seeded PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const r2 = (v: number) => Math.round(v * 100) / 100;

export function row(fn: string, memory: number, p50: number, extra: Partial<HistoryRow> = {}): HistoryRow {
  return {
    function: fn,
    memory,
    n: 10,
    p50,
    p90: r2(p50 * 1.08),
    ci: [r2(p50 * 0.95), r2(p50 * 1.05)],
    mean: r2(p50 * 1.01),
    coldP50: 2.5,
    billedP50: r2(p50 + 3),
    ...extra,
  };
}

export function entry(i: number, rows: HistoryRow[], extra: Partial<HistoryEntry> = {}): HistoryEntry {
  const time = new Date(Date.UTC(2026, 9, 1, 3, 17) + i * 86_400_000).toISOString();
  return {
    time,
    commit: (i + 1).toString(16).padStart(7, '0').padEnd(40, 'a'),
    branch: 'main',
    event: 'schedule',
    runUrl: `https://github.com/octo-org/hello-lambdas/actions/runs/${1000 + i}`,
    region: 'eu-central-1',
    functions: Object.fromEntries(rows.map((r) => [r.function, { runtime: RUNTIMES[r.function] ?? 'nodejs20.x', architecture: 'x86_64' }])),
    rows,
    ...extra,
  };
}

export const DASHBOARD_FUNCTIONS = [
  { name: 'hello-node', runtime: 'nodejs20.x', base: 170 },
  { name: 'hello-py311', runtime: 'python3.11', base: 120 },
  { name: 'hello-runtime-al2', runtime: 'provided.al2', base: 50 },
] as const;
const RUNTIMES: Record<string, string> = Object.fromEntries(DASHBOARD_FUNCTIONS.map((f) => [f.name, f.runtime]));
export const DASHBOARD_MEMORY = [128, 1024] as const;

/** functions × memory × runs nightly runs; hello-node drifts up by 25 % over the last third (a visible trend). */
export function generatedHistory(runs = 30, seed = 13): History {
  const next = rng(seed);
  const entries: HistoryEntry[] = [];
  for (let i = 0; i < runs; i++) {
    const rows = DASHBOARD_FUNCTIONS.flatMap((f) =>
      DASHBOARD_MEMORY.map((m) => {
        const drift = f.name === 'hello-node' && i >= (runs * 2) / 3 ? 1.25 : 1;
        const p50 = r2(f.base * (m === 1024 ? 0.85 : 1) * drift * (1 + (next() - 0.5) * 0.08));
        const half = p50 * (0.03 + next() * 0.03);
        return row(f.name, m, p50, { n: 20, ci: [r2(p50 - half), r2(p50 + half)], p90: r2(p50 * (1.1 + next() * 0.05)) });
      }),
    );
    entries.push(entry(i, rows));
  }
  return { schemaVersion: 1, name: 'nightly', repository: 'https://github.com/octo-org/hello-lambdas', entries };
}
