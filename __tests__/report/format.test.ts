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
