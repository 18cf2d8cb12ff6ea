import { describe, expect, it } from 'vitest';
import { readSpeedCsv } from '../../src/results/csv.js';
import { readResultsJson } from '../../src/results/json.js';
import { renderOutputs } from '../../src/report/index.js';
import { coldSamples, fnInfo, makeResults } from '../helpers/results-fixtures.js';
import { expectValidResults } from '../helpers/validate-results.js';

describe('renderOutputs', () => {
  it('renders all four files, and the report rebuilds identically from results.json', async () => {
    const r = makeResults(
      [fnInfo('a'), fnInfo('b')],
      [...coldSamples('a', 128, [10, 11, 12, 13, 14, 15]), ...coldSamples('b', 128, [20, 21, 22, 23, 24, 25])],
    );
    const out = await renderOutputs(r, { runUrl: 'https://example.invalid/run' });
    expect(Object.keys(out).sort()).toEqual(['boxplot.svg', 'report.md', 'results.json', 'speed.csv']);
    expect(out['results.json'].endsWith('}\n')).toBe(true);
    const back = readResultsJson(out['results.json']);
    expectValidResults(back);
    const again = await renderOutputs(back, { runUrl: 'https://example.invalid/run' });
    expect(again['report.md']).toBe(out['report.md']);
    expect(again['speed.csv']).toBe(out['speed.csv']);
    expect(readSpeedCsv(out['speed.csv']).samples).toHaveLength(12);
    expect(out['boxplot.svg']).toMatch(/^<svg/);
  });
});
