/** Pure: burst sizing (lambda/capacity.ts). */
import { describe, expect, it } from 'vitest';
import { MAX_BURST_SIZE } from '../../src/config/limits.js';
import { burstSize, CONSERVATIVE_BURST_SIZE, reservedMargin, shrinkAfterThrottle } from '../../src/lambda/capacity.js';

const base = { function: 'fn', repetitions: 10, requested: null, reserved: null, unreserved: 1000, concurrentFunctions: 1 } as const;

describe('burstSize', () => {
  it('defaults to repetitions, at most 50; an explicit burst-size wins', () => {
    expect(burstSize(base)).toEqual({ size: 10, reasons: [] });
    expect(burstSize({ ...base, repetitions: 80 })).toEqual({
      size: MAX_BURST_SIZE,
      reasons: ['fn: burst size capped at 50 (the maximum).'],
    });
    expect(burstSize({ ...base, requested: 4 }).size).toBe(4);
  });
  it('reserved concurrency R: at most R − max(1, ⌈0.2 R⌉)', () => {
    expect(reservedMargin(5)).toBe(1);
    expect(reservedMargin(20)).toBe(4);
    expect(reservedMargin(21)).toBe(5);
    expect(burstSize({ ...base, reserved: 5 })).toEqual({
      size: 4,
      reasons: ['fn: bursts capped at 4 by its reserved concurrency (5, keeping 1 free for production traffic).'],
    });
    expect(burstSize({ ...base, reserved: 100 })).toEqual({ size: 10, reasons: [] });
    expect(burstSize({ ...base, reserved: 1 }).size).toBe(1);
    // a reservation means the account pool does not matter
    expect(burstSize({ ...base, reserved: 100, unreserved: 2 }).size).toBe(10);
  });
  it('reserved concurrency 0: cannot be measured', () => {
    const r = burstSize({ ...base, reserved: 0 });
    expect(r.size).toBe(0);
    expect(r.reasons[0]).toMatch(/reserved concurrency is 0/);
  });
  it('no reservation: at most half the unreserved pool, shared by the functions measured at once', () => {
    expect(burstSize({ ...base, unreserved: 12, concurrentFunctions: 2 }).size).toBe(3);
    expect(burstSize({ ...base, unreserved: 10 }).reasons[0]).toBe(
      "fn: bursts capped at 5 by the account's unreserved concurrency (10; a benchmark takes at most half of it).",
    );
    expect(burstSize({ ...base, unreserved: 1, concurrentFunctions: 4 }).size).toBe(1);
  });
  it('unknown limits: a conservative cap, said', () => {
    expect(burstSize({ ...base, repetitions: 30, reserved: 'unknown' }).size).toBe(CONSERVATIVE_BURST_SIZE);
    expect(burstSize({ ...base, repetitions: 30, unreserved: 'unknown' }).size).toBe(CONSERVATIVE_BURST_SIZE);
    expect(burstSize({ ...base, repetitions: 30, unreserved: 'unknown' }).reasons[0]).toMatch(/could not be read/);
    expect(burstSize({ ...base, repetitions: 6, reserved: 'unknown' })).toEqual({ size: 6, reasons: [] });
  });

  it('unknown limits: the conservative cap is what the whole run sends at once, shared by the functions measured together', () => {
    const four = burstSize({ ...base, repetitions: 30, reserved: 'unknown', concurrentFunctions: 4 });
    expect(four.size).toBe(Math.floor(CONSERVATIVE_BURST_SIZE / 4));
    expect(four.reasons[0]).toMatch(/shared by 4 functions measured at once/);
    expect(burstSize({ ...base, repetitions: 30, unreserved: 'unknown', concurrentFunctions: 20 }).size).toBe(1);
  });
});

describe('shrinkAfterThrottle', () => {
  it('halves (or less) after a 429; never below 1; unchanged without throttling', () => {
    expect(shrinkAfterThrottle(10, 0)).toBe(10);
    expect(shrinkAfterThrottle(10, 1)).toBe(5);
    expect(shrinkAfterThrottle(10, 7)).toBe(3);
    expect(shrinkAfterThrottle(1, 1)).toBe(1);
  });
});
