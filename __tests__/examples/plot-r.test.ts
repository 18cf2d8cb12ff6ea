/**
 * The study's R script (examples/plot.R: read.csv(sep=";") and ggplot(aes(y=init, x=Name)) + geom_boxplot()) must read
 * our speed.csv unchanged. R is not a dependency of the project: this runs where Rscript and ggplot2 are installed
 * (Debian: apt-get install r-base-core r-cran-ggplot2) and is skipped, saying so, elsewhere.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toSpeedCsv } from '../../src/results/csv.js';
import { coldSamples, fnInfo, makeResults } from '../helpers/results-fixtures.js';

const hasR = spawnSync('Rscript', ['-e', 'suppressMessages(library(ggplot2))'], { stdio: 'ignore' }).status === 0;
if (!hasR) console.warn('plot.R test skipped: Rscript with ggplot2 is not installed here');

describe.skipIf(!hasR)('examples/plot.R (the study’s R script)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plot-r-'));
  const run = (csv: string): string => {
    const png = join(dir, `${Math.random().toString(36).slice(2)}.png`);
    execFileSync('Rscript', ['examples/plot.R', csv, png], { stdio: 'pipe' });
    return png;
  };

  it('plots our speed.csv (11 columns, two memory sizes)', () => {
    const results = makeResults(
      [fnInfo('hello-node'), fnInfo('hello-go')],
      [
        ...coldSamples('hello-node', 128, [170.1, 168.2, 175.3]),
        ...coldSamples('hello-go', 128, [50.2, 48.9, 51.7]),
        ...coldSamples('hello-go', 1024, [45.5, 44.1, 47]),
      ],
    );
    const csv = join(dir, 'speed.csv');
    writeFileSync(csv, toSpeedCsv(results));
    expect(readFileSync(csv, 'utf8').split('\n')[0]).toBe(
      'Name;Memory;Init;Cold;Billed;MaxMemory;Restore;Runtime;Architecture;RequestId;Timestamp',
    );
    expect(statSync(run(csv)).size).toBeGreaterThan(10_000);
  });

  it("plots the study's own 5-column file", () => {
    expect(statSync(run('__tests__/fixtures/seed-data/speed-x86-128.csv')).size).toBeGreaterThan(10_000);
  });
});
