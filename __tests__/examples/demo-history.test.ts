/**
 * `npm run demo` ends with a dashboard: simulated nightly runs (measured for real against the emulator) and the demo's
 * own run, one night apart, in a valid history.json and its index.html. Synthetic functions here, at low latency.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/index.js';
import { AWS_TEST_ENV } from '../../scripts/local-runner.js';
import { nightlyHistory } from '../../scripts/demo-history.js';
import { parseHistory } from '../../src/history/json.js';
import { renderDashboard } from '../../src/report/dashboard.js';
import { coldSamples, fnInfo, makeResults } from '../helpers/results-fixtures.js';
import { expectValidHistory } from '../helpers/validate-history.js';

const saved = { ...process.env };
afterAll(() => {
  process.env = saved;
});

it('nightly runs and tonight’s: one entry a night, every function and memory size, and the dashboard of them', async () => {
  const synthetic = { initMs: { mean: 80, sd: 5 }, durationMs: { mean: 2, sd: 0.5 }, maxMemoryMb: 40 };
  const emu = await startEmulator({
    seed: 5,
    latency: { updateMs: 20, invokeOverheadMs: 2, ingestionMs: 0, queryMs: 20 },
    functions: ['demo-a', 'demo-b'].map((name) => ({ name, runtime: 'nodejs22.x', memory: 128, synthetic })),
  });
  Object.assign(process.env, { ...AWS_TEST_ENV, AWS_ENDPOINT_URL: emu.url });
  const dir = mkdtempSync(join(tmpdir(), 'lcs-demo-'));
  const tonight = makeResults(
    [fnInfo('demo-a'), fnInfo('demo-b')],
    [...coldSamples('demo-a', 128, [80, 81]), ...coldSamples('demo-b', 1024, [70, 71])],
  );
  try {
    const today = new Date('2026-12-03T12:00:00Z');
    const out = await nightlyHistory({
      functions: ['demo-a', 'demo-b'],
      memory: '128,1024',
      nights: 2,
      tonight,
      dir,
      region: 'us-east-1',
      today,
    });
    expect(out.runs).toBe(3);
    const text = readFileSync(out.history, 'utf8');
    const history = parseHistory(text);
    expectValidHistory(JSON.parse(text));
    expect(history.entries.map((e) => e.time)).toEqual([
      '2026-12-01T03:00:00.000Z',
      '2026-12-02T03:00:00.000Z',
      '2026-12-03T03:00:00.000Z',
    ]);
    for (const e of history.entries.slice(0, 2)) {
      expect(e.rows.map((r) => `${r.function}@${r.memory}:${r.n}`).sort()).toEqual([
        'demo-a@1024:2',
        'demo-a@128:2',
        'demo-b@1024:2',
        'demo-b@128:2',
      ]);
    }
    expect(readFileSync(out.dashboard, 'utf8')).toBe(renderDashboard(history));
    // measured for real, and every function put back as it was
    const fns = emu.state().functions;
    expect(['demo-a', 'demo-b'].map((f) => [fns[f]?.MemorySize, fns[f]?.Environment])).toEqual([
      [128, undefined],
      [128, undefined],
    ]);
    expect(emu.state().invocations.filter((i) => i.cold).length).toBe(2 * 2 * 2 * 2); // nights × functions × sizes × 2
  } finally {
    await emu.close();
  }
});
