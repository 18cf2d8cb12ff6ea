import { describe, expect, it } from 'vitest';
import { probit } from 'simple-statistics';
import { normalCdf, normalQuantile, normalTwoSidedP } from '../../src/results/normal.js';
import { studentTCdf, studentTQuantile } from '../../src/results/student.js';

describe('normalQuantile (AS 241)', () => {
  it('matches the known quantiles to 1e-12 (R qnorm / scipy.stats.norm.ppf)', () => {
    const known: [number, number][] = [
      [0.5, 0],
      [0.8, 0.8416212335729143],
      [0.9, 1.2815515655446004],
      [0.95, 1.6448536269514722],
      [0.975, 1.959963984540054],
      [0.99, 2.3263478740408408],
      [0.999, 3.090232306167813],
      [0.025, -1.9599639845400545],
      [1e-6, -4.753424308822899],
      [1e-10, -6.361340902404056],
    ];
    for (const [p, z] of known) expect(Math.abs(normalQuantile(p) - z)).toBeLessThan(1e-12);
    // the approximation it replaces is off in the third decimal where every interval is built
    expect(Math.abs(probit(0.975) - 1.959963984540054)).toBeGreaterThan(1e-3);
  });

  it('is the inverse of normalCdf and says plainly what is out of range', () => {
    for (const p of [1e-200, 1e-20, 0.001, 0.3, 0.7, 0.999999]) expect(normalCdf(normalQuantile(p)) / p).toBeCloseTo(1, 7);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
  });
});

describe('normalCdf (Hart 5666)', () => {
  it('matches scipy.stats.norm.cdf, tails included', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 14);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316300946, 15);
    expect(normalCdf(-10) / 7.61985302416047e-24).toBeCloseTo(1, 7);
    expect(normalTwoSidedP(1.959963984540054)).toBeCloseTo(0.05, 14);
  });
});

describe("Student's t", () => {
  it('matches scipy.stats.t (ppf and cdf), fractional degrees of freedom included', () => {
    expect(studentTQuantile(0.975, 5)).toBeCloseTo(2.5705818356363146, 9);
    expect(studentTQuantile(0.975, 3)).toBeCloseTo(3.182446305284263, 9);
    expect(studentTQuantile(0.7, 17.3)).toBeCloseTo(0.534202049936495, 9);
    expect(studentTQuantile(0.025, 9)).toBeCloseTo(-2.2621571627409915, 9);
    expect(studentTCdf(-2.5, 4.5)).toBeCloseTo(0.029952843251100272, 12);
    expect(studentTQuantile(0.975, Infinity)).toBe(normalQuantile(0.975));
  });
});
