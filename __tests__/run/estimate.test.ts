/**
 * The duration estimate: an assumption said as one before anything is measured, then the run's own pace — one model for
 * the log lines and the progress bar's time left (injected clock: nothing waits).
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/cli/progress.js';
import { estimateDuration, estimateLine, RunEstimate, roughly, SECONDS_PER_UPDATE } from '../../src/run/estimate.js';
import { coldSamples } from '../helpers/results-fixtures.js';

/** The demo's plan: 3 functions × 2 memory sizes × 5 repetitions, all at once. */
const demo = {
  functions: ['node', 'py', 'provided'],
  memory: [128, 1024],
  repetitions: 5,
  strategy: 'sequential' as const,
  burstSize: null,
  concurrency: 4,
  reportSource: 'insights' as const,
};

describe('before any update is measured', () => {
  it('says what it assumes (Lambda’s typical update time) and that it will be refined', () => {
    const e = estimateDuration(demo);
    expect(e).toMatchObject({ measured: false, updatesPerFunction: 10, parallel: 3, secPerUpdate: SECONDS_PER_UPDATE });
    expect(estimateLine(e)).toBe(
      "Estimated duration: about 90 s (10 configuration updates per function, 3 functions at a time, assuming ~8 s each, Lambda's typical update time, then ~5 s for Logs Insights); refined once the first updates are measured",
    );
  });

  it('counts in words that agree with the number: 1 configuration update, waves of functions', () => {
    const one = estimateDuration({ ...demo, functions: ['f'], memory: [128], repetitions: 1 });
    expect(estimateLine(one)).toMatch(/\(1 configuration update per function, assuming/);
    // 5 functions two at a time: three waves of 10 updates each, then the last undo (Logs Insights: 5 s, within it)
    expect(estimateDuration({ ...demo, functions: ['a', 'b', 'c', 'd', 'e'], concurrency: 2 }).totalSec).toBe(31 * SECONDS_PER_UPDATE);
    expect(estimateDuration({ ...demo, reportSource: 'tail' }).querySec).toBe(0);
    // a burst of 5 per update: 2 updates per memory size
    expect(estimateDuration({ ...demo, strategy: 'burst', burstSize: 3 }).updatesPerFunction).toBe(4);
  });
});

describe('once the first updates are in', () => {
  it('extrapolates the measured pace: the 10 s demo is estimated at about 10 s, not minutes', () => {
    let now = 50_000;
    const run = new RunEstimate(demo, () => now);
    run.start();
    now += 1_000;
    expect(run.updated()).toBeUndefined(); // one function of three: not yet
    now += 100;
    expect(run.updated()).toBeUndefined();
    now += 100;
    const refined = run.updated()!; // every function of the first wave finished an update: 1.2 s for 3 updates at once
    expect(refined).toMatchObject({ measured: true, secPerUpdate: 1.2 });
    expect(refined.totalSec).toBeCloseTo(10 * 1.2 + 5, 9); // then Logs Insights
    expect(estimateLine(refined)).toBe(
      'Estimated duration, measured: about 17 s in all, 16 s left (10 configuration updates per function, 3 functions at a time, 1.2 s each so far, then ~5 s for Logs Insights)',
    );
    now += 1_000;
    expect(run.updated()).toBeUndefined(); // said once
  });

  it('once every planned update is done, only the end is left: the wait for Logs Insights counts down, the pace stays', () => {
    let now = 0;
    const run = new RunEstimate({ ...demo, functions: ['f'], memory: [128], repetitions: 2 }, () => now);
    run.start();
    now += 1_000;
    run.updated();
    now += 1_000;
    run.updated(); // the last planned update, 2 s in: 1 s each; then ~5 s for Logs Insights
    expect(run.current()).toMatchObject({ totalSec: 7, leftSec: 5, secPerUpdate: 1 });
    now += 4_000; // waiting on Logs Insights does not slow the pace
    expect(run.current()).toMatchObject({ totalSec: 7, leftSec: 1, secPerUpdate: 1 });
    now += 3_000;
    expect(run.current()).toMatchObject({ totalSec: 9, leftSec: 0 });
  });

  it('never says less than the time already spent, nor a negative time left (warm retries add updates)', () => {
    const e = estimateDuration({ ...demo, functions: ['f'], memory: [128], repetitions: 2 }, { elapsedMs: 9_000, updates: 5 });
    expect(e.totalSec).toBe(9);
    expect(e.leftSec).toBe(0);
  });

  it('the progress bar’s time left is the same model’s, at the same moment', () => {
    let now = 0;
    const run = new RunEstimate({ ...demo, functions: ['hello-node'], memory: [128], reportSource: 'tail' }, () => now);
    const out = terminal();
    const p = createProgress(
      out.stream,
      5,
      () => now,
      () => run.current(),
    );
    run.start();
    now += 4_000;
    const refined = run.updated()!;
    const [sample] = coldSamples('hello-node', 128, [171.2]);
    p.tick(sample!);
    p.stop();
    // 1 of 5 updates in 4 s: 20 s, and the undo, in all: 20 s left — the log line and the bar say the same
    expect(estimateLine(refined)).toContain('about 24 s in all, 20 s left');
    expect(out.text()).toMatch(/1\/5 cold starts \| 4 s elapsed, about 20 s left \| hello-node · 128 MB · init 171\.2 ms/);
  });
});

describe('roughly', () => {
  it('is as coarse as an estimate is', () => {
    expect([0.2, 3.4, 12, 44, 80, 100, 150, 1_400, 6_000].map(roughly)).toEqual([
      '1 s',
      '3 s',
      '12 s',
      '45 s',
      '80 s',
      '1 min 30 s',
      '2 min 30 s',
      '23 min',
      '1.7 h',
    ]);
  });
});

/** A stream that says it is a terminal (cli-progress draws only there) and keeps what was written. */
function terminal(): { stream: NodeJS.WriteStream; text(): string } {
  const s = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough;
  let out = '';
  s.on('data', (d: Buffer) => (out += d.toString()));
  Object.assign(s, { isTTY: true, columns: 140, rows: 40, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  return { stream: s, text: () => out };
}
