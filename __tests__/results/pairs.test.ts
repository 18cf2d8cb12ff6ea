import { describe, expect, it } from 'vitest';
import { balancedBlockOrder, comparePairs, pairUp, sequencedInits, type SequencedValue } from '../../src/results/pairs.js';
import { rng } from '../helpers/history-fixtures.js';
import { coldSamples } from '../helpers/results-fixtures.js';

const seq = (values: number[]): SequencedValue[] => values.map((value, i) => ({ sequence: i + 1, value }));
/** A job whose platform slows down 3 % a round while it runs: both sides see the same factor. */
const trend = (values: number[]) => values.map((v, i) => v * 1.03 ** (5 * i));
const base = [150, 162, 141, 155, 148, 170, 139, 151, 158, 146];
const noise = [1.02, 0.97, 1.05, 0.99, 1.01, 0.96, 1.04, 1.0, 0.98, 1.03];

describe('comparePairs', () => {
  it('a +30 % head is slower even while the platform trends; the unpaired view of the same data sees nothing', () => {
    const b = trend(base);
    const h = trend(base.map((v, i) => v * 1.3 * noise[i]!));
    const c = comparePairs(seq(h), seq(b));
    expect(c.method).toBe('paired');
    expect(c.pairs).toBe(10);
    expect(c.verdict).toBe('slower');
    expect(c.ratio).toBeCloseTo(1.3, 1);
    expect(c.ratioCi![0]).toBeGreaterThan(1.2);
    expect(c.logSe).toBeGreaterThan(0);
  });

  it('an unchanged head is no change, and one wild pair (a doubled sample) does not decide', () => {
    const b = trend(base);
    const h = trend(base.map((v, i) => v * noise[i]! * (i === 4 ? 2 : 1)));
    const c = comparePairs(seq(h), seq(b));
    expect(c.verdict).toBe('no significant change');
    expect(c.ratioCi![0]).toBeLessThan(1);
    expect(c.ratioCi![1]).toBeGreaterThan(1);
  });

  it('pairs by sequence number; below 6 complete pairs it falls back to the unpaired comparison', () => {
    expect(
      pairUp(seq([1, 2, 3]), [
        { sequence: 3, value: 30 },
        { sequence: 1, value: 10 },
      ]),
    ).toEqual([
      [1, 10],
      [3, 30],
    ]);
    const h = seq([300, 310, 305, 320, 315]);
    const c = comparePairs(h, seq([100, 101, 102, 103, 104]));
    expect(c.method).toBe('unpaired');
    expect(c.verdict).toBe('slower'); // 5 against 5, fully apart: exact Mann–Whitney p = 0.008
    expect(comparePairs(seq([3, 2]), seq([1, 1.5])).verdict).toBe('too few to tell');
  });

  it('reads the sequence numbers of cold samples', () => {
    const s = coldSamples('f', 128, [100, 110]);
    expect(sequencedInits(s)).toEqual([
      { sequence: 1, value: 100 },
      { sequence: 2, value: 110 },
    ]);
  });
});

describe('balancedBlockOrder', () => {
  it('every block of two rounds has one head-first and one base-first round, in random order', () => {
    const order = balancedBlockOrder(20, rng(7));
    for (let i = 0; i < 20; i += 2) expect(order[i]).toBe(!order[i + 1]);
    expect(new Set(order.filter((_, i) => i % 2 === 0)).size).toBe(2); // both orders open a block somewhere
    expect(balancedBlockOrder(5, rng(1))).toHaveLength(5);
  });
});
