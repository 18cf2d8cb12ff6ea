import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderExamples } from '../../scripts/render-examples.js';

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');

describe('examples/', () => {
  it('report.md and boxplot.svg are what scripts/render-examples.ts renders from the seed data (run it after changes)', async () => {
    const { report, svg } = await renderExamples();
    expect(read('examples/report.md')).toBe(report);
    expect(read('examples/boxplot.svg')).toBe(svg);
  });

  it('plot.R reads speed.csv the study’s way and maps Init to the init its ggplot uses', () => {
    const r = read('examples/plot.R');
    expect(r).toContain('read.csv(file, sep = ";", header = TRUE)');
    expect(r).toMatch(/init = as\.numeric\(Init\)/);
    expect(r).toContain('ggplot(speed, aes(y = init, x = Name)) + geom_boxplot()');
    expect(r).toContain('ylim(0, NA)');
  });
});
