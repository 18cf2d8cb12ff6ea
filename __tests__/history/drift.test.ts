import { describe, expect, it } from 'vitest';
import { judgeDrift, typicalRange } from '../../src/history/drift.js';
import { renderTrend } from '../../src/report/trend.js';
import type { HistoryRow } from '../../src/history/model.js';
import { entry, row } from '../helpers/history-fixtures.js';

/** A run whose median is p50 with an interval of ±half. */
const r = (p50: number, half: number, extra: Partial<HistoryRow> = {}) => row('api', 256, p50, { ci: [p50 - half, p50 + half], ...extra });
/** Ten noisy runs around 100 ms, intervals ±6 ms: typical range about [94, 106]. */
const past = [97, 103, 99, 101, 104, 96, 100, 102, 98, 100].map((p, i) => entry(i, [r(p, 6)]));

describe('judgeDrift', () => {
  it('a run inside the noise is no drift — even when its median alone is 8 % above the last run', () => {
    const j = judgeDrift(past, entry(20, [r(108, 6)]), 0.15);
    expect(j).toEqual({ drift: [], judged: 1, skipped: [] });
  });

  it('a run whose whole interval lies beyond the typical range by more than the threshold is drift', () => {
    const j = judgeDrift(past, entry(20, [r(140, 8)]), 0.15);
    expect(j.drift).toHaveLength(1);
    const d = j.drift[0]!;
    expect([d.function, d.memory, d.strategy, d.p50, d.ci, d.runs]).toEqual(['api', 256, 'sequential', 140, [132, 148], 10]);
    expect(d.typical).toEqual([94, 106]);
    expect(d.change).toBeCloseTo(132 / 106 - 1, 10);
  });

  it('the threshold is applied to the interval, not to the median: +25 % median with a wide interval is not drift at 15 %', () => {
    // median 125, but the interval reaches down to 115: only 8.5 % above the typical upper end 106
    expect(judgeDrift(past, entry(20, [r(125, 10)]), 0.15).drift).toEqual([]);
    // with no threshold (fail-on-regression empty) the same run is drift: its whole interval is above the range
    expect(judgeDrift(past, entry(20, [r(125, 10)]), 0).drift).toHaveLength(1);
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

  it('says why a series is not judged: no interval in this run, too little history', () => {
    const j = judgeDrift(past.slice(0, 2), entry(20, [r(140, 8), row('tiny', 128, 300, { ci: null, n: 3 })]), 0.15);
    expect(j.judged).toBe(0);
    expect(j.drift).toEqual([]);
    expect(j.skipped).toEqual([
      'api @ 256 MB: 2 earlier run(s), 3 needed',
      'tiny @ 128 MB: this run has no interval (fewer than 6 cold starts)',
    ]);
  });

  it('burst series are their own', () => {
    const burst = past.map((e) => ({ ...e, rows: [r(e.rows[0]!.p50 * 2, 6, { strategy: 'burst' })] }));
    const j = judgeDrift(burst, entry(20, [r(140, 8)]), 0.15);
    expect(j.skipped).toEqual(['api @ 256 MB: 0 earlier run(s), 3 needed']);
  });
});

describe('typicalRange', () => {
  it('medians of the interval bounds (a run without one counts with its median); the Trend shows the range drift uses', () => {
    expect(typicalRange([r(100, 4), r(110, 6), row('api', 256, 90, { ci: null })])).toEqual([96, 104]);
    const current = entry(20, [r(140, 5)]);
    const judged = judgeDrift(past, current, 0).drift[0]!;
    expect(judged.typical).toEqual(typicalRange(past.map((e) => e.rows[0]!)));
    const [low, high] = judged.typical.map((v) => v.toFixed(1));
    expect(renderTrend({ history: past, current }).text).toContain(`▲ above (${low}–${high})`);
  });
});
