import { describe, expect, it } from 'vitest';
import { assessDrift, driftBand, judgeDrift, typicalRange, DRIFT_ALONE_K } from '../../src/history/drift.js';
import { renderTrend } from '../../src/report/trend.js';
import type { HistoryEntry, HistoryRow } from '../../src/history/model.js';
import { entry, rng, row } from '../helpers/history-fixtures.js';

/** A run whose median is p50 with an interval of ±half. */
const r = (p50: number, half: number, extra: Partial<HistoryRow> = {}) => row('api', 256, p50, { ci: [p50 - half, p50 + half], ...extra });
/** Ten noisy runs around 100 ms, intervals ±6 ms. */
const past = [97, 103, 99, 101, 104, 96, 100, 102, 98, 100].map((p, i) => entry(i, [r(p, 6)]));

/** A seeded series of `runs` scheduled runs of n = 10 whose medians drift ±5 % a day around 150 ms, times `step` from `from`. */
function series(seed: number, runs: number, step = 1, from = runs): HistoryEntry[] {
  const u = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  return Array.from({ length: runs }, (_, i) => {
    const p50 = 150 * Math.exp(0.05 * normal()) * (i >= from ? step : 1);
    return entry(i, [r(p50, p50 * 0.06)]);
  });
}

describe('judgeDrift: robust limits on the recent run medians', () => {
  it('a run inside the noise is no drift — even when its median alone is 8 % above the last run', () => {
    expect(judgeDrift(past, entry(20, [r(108, 6)]), 0.15)).toEqual({ drift: [], judged: 1, skipped: [] });
  });

  it('a run far beyond the limit is drift on its own, with the band it was judged against', () => {
    const j = judgeDrift(past, entry(20, [r(140, 8)]), 0.15);
    expect(j.drift).toHaveLength(1);
    const d = j.drift[0]!;
    expect([d.function, d.memory, d.strategy, d.p50, d.ci, d.runs, d.confirmed]).toEqual([
      'api',
      256,
      'sequential',
      140,
      [132, 148],
      10,
      false,
    ]);
    expect(d.typical).toEqual([94, 106]); // what the Trend shows beside it
    expect(d.change).toBeCloseTo(140 / 106 - 1, 10);
    expect(d.band!.center).toBeCloseTo(100, 0);
    expect(140 / d.band!.center).toBeGreaterThan(d.band!.alone);
  });

  it('the threshold is the minimum margin: +12 % is never drift at 15 %, however quiet the history', () => {
    const flat = [0, 1, 2, 3, 4, 5].map((i) => entry(i, [r(100, 1)]));
    expect(judgeDrift(flat, entry(20, [r(112, 1)]), 0.15).drift).toEqual([]);
    expect(judgeDrift(flat, entry(20, [r(112, 1)]), 0.1).drift).toHaveLength(1);
  });

  it('works at any n: a run of 5 cold starts (no interval) is judged on its median', () => {
    const small = past.map((e) => ({ ...e, rows: e.rows.map((x) => ({ ...x, n: 5, ci: null })) }));
    const j = judgeDrift(small, entry(20, [r(160, 0, { n: 5, ci: null })]), 0.15);
    expect(j.judged).toBe(1);
    expect(j.drift[0]!.ci).toEqual([160, 160]); // no interval: the median twice
  });

  it('one run above the confirmation limit is "above"; the next run confirms it (their mean excess beyond the limit)', () => {
    // threshold 0: the limits are the history's own (confirmation 1.55 s, alone 3.2 s above the centre)
    const band = driftBand(
      past.map((e) => e.rows[0]!),
      10,
      0,
    )!;
    const between = band.center * Math.sqrt(band.confirm * band.alone);
    const first = entry(20, [r(between, 6)]);
    expect(assessDrift(past, first, 0)[0]!.state).toBe('above');
    const again = assessDrift([...past, first], entry(21, [r(between, 6)]), 0)[0]!;
    expect(again.state).toBe('drift');
    expect(again.confirmed).toBe(true);
    // a run back within the limit is not drift, whatever the run before it did
    expect(assessDrift([...past, first], entry(21, [r(band.center, 6)]), 0)[0]!.state).toBe('within');
  });

  it('faster is never drift', () => {
    expect(judgeDrift(past, entry(20, [r(50, 3)]), 0).drift).toEqual([]);
  });

  it('compares only with the last 10 runs of the same series', () => {
    const old = [0, 1, 2, 3, 4].map((i) => entry(i, [r(50, 2)])); // long ago the function was much faster
    const recent = past.map((e, i) => ({ ...e, time: entry(10 + i, []).time }));
    const other = entry(30, [row('other', 256, 1, { ci: [0.9, 1.1] }), row('api', 512, 1, { ci: [0.9, 1.1] })]);
    expect(judgeDrift([...old, ...recent, other], entry(40, [r(108, 6)]), 0.15).drift).toEqual([]);
  });

  it('says why a series is not judged: too little history', () => {
    const j = judgeDrift(past.slice(0, 2), entry(20, [r(140, 8), row('tiny', 128, 300, { ci: null, n: 3 })]), 0.15);
    expect(j.judged).toBe(0);
    expect(j.drift).toEqual([]);
    expect(j.skipped).toEqual([
      'api @ 256 MB: 2 earlier run(s) with this function, memory size and strategy; 3 needed',
      'tiny @ 128 MB: 0 earlier run(s) with this function, memory size and strategy; 3 needed',
    ]);
  });

  it('burst series are their own', () => {
    const burst = past.map((e) => ({ ...e, rows: [r(e.rows[0]!.p50 * 2, 6, { strategy: 'burst' })] }));
    expect(judgeDrift(burst, entry(20, [r(140, 8)]), 0.15).skipped).toEqual([
      'api @ 256 MB: 0 earlier run(s) with this function, memory size and strategy; 3 needed',
    ]);
  });

  it('a short history widens the limits', () => {
    const rows = past.map((e) => e.rows[0]!);
    expect(driftBand(rows.slice(-3), 10, 0)!.alone).toBeGreaterThan(driftBand(rows, 10, 0)!.alone);
    expect(driftBand(rows, 10, 0)!.alone).toBeCloseTo(Math.exp(DRIFT_ALONE_K * driftBand(rows, 10, 0)!.spread), 10);
  });
});

describe('judgeDrift on seeded series (±5 % day-to-day drift, n = 10)', () => {
  it('stays quiet on drift: no alert in 40 scheduled runs of an unchanged series', () => {
    const runs = series(11, 50);
    const alerts = runs.slice(10).filter((e, i) => judgeDrift(runs.slice(0, 10 + i), e, 0.15).drift.length > 0);
    expect(alerts).toEqual([]);
  });

  it('fires on a +50 % step by the second run after it, and keeps firing while it lasts', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const runs = series(seed, 14, 1.5, 10);
      const fired = [10, 11, 12, 13].map((i) => judgeDrift(runs.slice(0, i), runs[i]!, 0.15).drift.length > 0);
      expect(fired[0] || fired[1]).toBe(true);
      expect(fired.slice(1).every(Boolean)).toBe(true);
    }
  });
});

describe('typicalRange', () => {
  it('medians of the interval bounds (a run without one counts with its median), kept in the `drift` output', () => {
    expect(typicalRange([r(100, 4), r(110, 6), row('api', 256, 90, { ci: null })])).toEqual([96, 104]);
    const current = entry(20, [r(140, 5)]);
    const judged = judgeDrift(past, current, 0).drift[0]!;
    expect(judged.typical).toEqual(typicalRange(past.map((e) => e.rows[0]!)));
    // the Trend says the rule's state, with the figures it rests on
    expect(renderTrend({ history: past, current }).text).toMatch(/▲ drift \(\+\d+\.\d% vs the centre; limit \+\d+\.\d%\)/);
  });
});
