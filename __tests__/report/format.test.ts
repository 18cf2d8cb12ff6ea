import { describe, expect, it } from 'vitest';
import { sampleLine } from '../../src/lambda/format.js';
import { decimal, ms, ratioText, round } from '../../src/report/format.js';
import { coldSamples, fnInfo, makeResults } from '../helpers/results-fixtures.js';
import { renderReport } from '../../src/report/markdown.js';

describe('one rounding for every number a user reads', () => {
  it('rounds the decimal as printed, half away from zero (toFixed alone gives 209.3 for 209.35)', () => {
    expect((209.35).toFixed(1)).toBe('209.3'); // the double is 209.34999…: why a bare toFixed is not enough
    expect([decimal(209.35), decimal(56.80500000000001), decimal(0.05), decimal(-1.25), ms(null), ratioText(3.285)]).toEqual([
      '209.4',
      '56.8',
      '0.1',
      '-1.3',
      '–',
      '3.29×',
    ]);
    expect(round(56.805, 2)).toBe(56.81);
    expect(round(1e-9, 1)).toBe(0);
  });

  it('the log line of a sample and the report show the same value the same way', () => {
    const [s] = coldSamples('hello-node', 128, [209.35]);
    expect(sampleLine(s!, 1)).toBe('hello-node · 128 MB · 1/1 · cold · init 209.4 ms');
    const md = renderReport(makeResults([fnInfo('hello-node')], [s!]));
    expect(md).toContain('**hello-node** cold-starts in 209.4 ms at 128 MB (median init of 1 cold start).');
  });
});

describe('numbers that never contradict the verdict beside them', () => {
  it('p-values: as many digits as it takes to stay on the verdict’s side of 0.05, never "0.050" unless it is', async () => {
    const { pText } = await import('../../src/report/format.js');
    expect(pText(0.0499)).toBe('0.0499'); // three decimals would print 0.050 beside "significant"
    expect(pText(0.04999)).toBe('0.04999');
    expect(pText(0.0504)).toBe('0.0504'); // not significant, but not "0.050" either
    expect(pText(0.05)).toBe('0.050');
    expect(pText(0.0496)).toBe('0.0496');
    expect(pText(0.0123)).toBe('0.012');
    expect(pText(0.0009)).toBe('< 0.001');
    expect(pText(Number.NaN)).toBe('–');
  });

  it('interval bounds round outward, and an interval that excludes 1 never prints a bound of 1.00', async () => {
    const { ciText, ciPctText } = await import('../../src/report/format.js');
    expect(ciText([3.125, 3.335])).toBe('3.12–3.34'); // half-up rounding would print 3.13–3.34, inside the interval
    expect(ciText([1.004, 1.2])).toBe('1.004–1.20');
    expect(ciText([0.8, 0.9961])).toBe('0.80–0.997');
    expect(ciText([0.99, 1.01])).toBe('0.99–1.01');
    expect(ciText([1.15, 1.34])).toBe('1.15–1.34'); // exact decimals are not pushed outward
    expect(ciPctText([1.0004, 1.128])).toBe('+0.04% to +12.8%');
    expect(ciPctText([0.953, 0.9995])).toBe('−4.7% to −0.05%');
    expect(ciPctText([0.9, 1.1])).toBe('−10.0% to +10.0%');
  });
});
