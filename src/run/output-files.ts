/**
 * Writes a run's files: speed.csv, results.json, report.md and boxplot.svg. Shared by the action and the CLI. Each file
 * is written by writeTextFile: never through a symbolic link already in the folder.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeTextFile } from '../core/files.js';
import type { RunResults } from '../results/model.js';
import { renderOutputs, type RenderedOutputs } from '../report/index.js';
import type { ReportOptions } from '../report/markdown.js';

export interface ResultFiles {
  dir: string;
  csv: string;
  json: string;
  report: string;
  svg: string;
}

export const FILE_NAMES = { csv: 'speed.csv', json: 'results.json', report: 'report.md', svg: 'boxplot.svg' } as const;

export async function writeResultFiles(results: RunResults, dir: string, opts: ReportOptions = {}): Promise<ResultFiles> {
  await mkdir(dir, { recursive: true });
  const rendered = renderOutputs(results, opts);
  const files: ResultFiles = {
    dir,
    csv: join(dir, FILE_NAMES.csv),
    json: join(dir, FILE_NAMES.json),
    report: join(dir, FILE_NAMES.report),
    svg: join(dir, FILE_NAMES.svg),
  };
  await Promise.all(
    (Object.keys(FILE_NAMES) as (keyof typeof FILE_NAMES)[]).map((key) =>
      writeTextFile(files[key], rendered[FILE_NAMES[key] satisfies keyof RenderedOutputs]),
    ),
  );
  return files;
}
