/**
 * Render examples/report.md and examples/boxplot.svg from the original study's data
 * (__tests__/fixtures/seed-data/*.csv: x86 128 MB, x86 1024 MB, arm 1024 MB), merged as three shards.
 * Run: npx tsx scripts/render-examples.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readSpeedCsv } from '../src/results/csv.js';
import { mergeRuns } from '../src/results/json.js';
import { renderBoxplot } from '../src/report/boxplot.js';
import { renderReport } from '../src/report/markdown.js';

const root = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));

const shards = [
  { file: 'speed-x86-128.csv', shard: 'x86', architecture: 'x86_64' },
  { file: 'speed-x86-1024.csv', shard: 'x86', architecture: 'x86_64' },
  { file: 'speed-arm-1024.csv', shard: 'arm', architecture: 'arm64' },
];

/** The example report and chart, rendered from the seed data (also used by a test that keeps examples/ fresh). */
export async function renderExamples(): Promise<{ report: string; svg: string }> {
  const runs = shards.map(({ file, shard, architecture }) => ({
    shard,
    results: readSpeedCsv(readFileSync(root(`__tests__/fixtures/seed-data/${file}`), 'utf8'), {
      name: file,
      architecture,
      version: 'seed data (2023 study)',
    }),
  }));
  const merged = mergeRuns(runs);
  return { report: renderReport(merged, { tag: 'the 2023 study’s data' }), svg: renderBoxplot(merged) };
}

async function main(): Promise<void> {
  const { report, svg } = await renderExamples();
  writeFileSync(root('examples/report.md'), report);
  writeFileSync(root('examples/boxplot.svg'), svg);
  console.log('wrote examples/report.md and examples/boxplot.svg');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
