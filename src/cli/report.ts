/**
 * `lambda-coldstart report FILE...` and `compare BASE HEAD`: re-render or compare runs from their files (results.json or
 * speed.csv, ours or the 2023 study's), without AWS.
 */
import { basename, dirname, resolve } from 'node:path';
import { ConfigError, UsageError } from '../core/errors.js';
import { parsePercent } from '../config/values.js';
import { compareRuns, regressions } from '../results/compare.js';
import { mergeRuns, readResultsFile } from '../results/json.js';
import type { RunResults } from '../results/model.js';
import { MARKDOWN, baselineSentence, renderComparisonTable, renderReport } from '../report/markdown.js';
import { strategyMismatchNote } from '../report/strategy-note.js';
import { renderTerminal, renderTerminalComparison } from '../report/terminal.js';
import { writeResultFiles } from '../run/output-files.js';
import { diffRuns } from '../results/causes.js';
import { baselineCausesText } from '../report/causes.js';
import { escapeMarkdown } from '../report/format.js';
import { EXIT, widthOf, type Command, type Out, type Parsed } from './command.js';

/** An input file of `report` / `compare`: missing, unreadable or invalid is bad input (exit 2), not a failed run. */
async function readInput(path: string): Promise<RunResults> {
  try {
    return await readResultsFile(path); // relative to the working folder, and named in messages as the user wrote it
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e), { cause: e });
  }
}

/**
 * Labels for several input files, each unique: the folder's name (a/results.json, b/results.json → a, b), or the file's
 * name without extension when folders repeat (study files side by side), or the path as given.
 */
export function fileLabels(paths: readonly string[]): string[] {
  const unique = (labels: string[]) => new Set(labels).size === labels.length;
  const folders = paths.map((p) => basename(dirname(resolve(p))));
  if (unique(folders)) return folders;
  const names = paths.map((p) => basename(p).replace(/\.(json|csv)$/i, ''));
  if (unique(names)) return names;
  return paths.map((p, i) => (paths.indexOf(p) === i ? p : `${p} (${i + 1})`));
}

async function readAll(paths: string[], out: Out): Promise<RunResults> {
  if (paths.length === 0) throw new UsageError('report needs at least one results.json or speed.csv file');
  const labels = fileLabels(paths);
  const runs = await Promise.all(paths.map(async (p, i) => ({ shard: labels[i]!, results: await readInput(p) })));
  if (runs.length === 1) return runs[0]!.results;
  const merged = mergeRuns(runs);
  const perRun = [
    ...new Set(
      merged.functions.flatMap((f) =>
        runs.filter((r) => f.name.endsWith(` [${r.shard}]`)).map((r) => f.name.slice(0, -` [${r.shard}]`.length)),
      ),
    ),
  ];
  out.error(
    `Merged ${runs.length} runs: ${runs.map((r, i) => `${r.shard} = ${paths[i]!}`).join(', ')}. ` +
      (perRun.length > 0
        ? `Functions measured in more than one run at the same memory size are shown per run, not pooled: ${perRun.join(', ')}.`
        : 'No function was measured in two runs at the same memory size: no samples were pooled.'),
  );
  return merged;
}

async function reportCommand({ values, positionals }: Parsed, out: Out): Promise<number> {
  const results = await readAll(positionals, out);
  const dir = values['out'] as string | undefined;
  if (values['markdown']) out.log(renderReport(results));
  else out.log(renderTerminal(results, { width: widthOf(out) }));
  if (dir !== undefined) {
    const files = await writeResultFiles(results, resolve(dir));
    out.log(`\nreport.md: ${files.report}\nboxplot.svg: ${files.svg}`);
  }
  return EXIT.ok;
}

async function compareCommand({ values, positionals }: Parsed, out: Out): Promise<number> {
  const [basePath, headPath, ...extra] = positionals;
  if (basePath === undefined || headPath === undefined || extra.length > 0)
    throw new UsageError('compare needs exactly two files: BASE HEAD');
  const threshold = parsePercent((values['fail-on-regression'] as string | undefined) ?? '');
  if (typeof threshold === 'string') throw new ConfigError([threshold]);
  const [base, head] = await Promise.all([readInput(basePath), readInput(headPath)]);
  const rows = compareRuns(base, head);
  const source = { kind: 'file', path: basePath, startedAt: base.run.startedAt } as const;
  const causes = diffRuns(base, head);
  if (values['markdown']) {
    const text = baselineCausesText(causes, escapeMarkdown);
    const mismatch = strategyMismatchNote(rows);
    out.log(
      [
        baselineSentence(source, MARKDOWN, rows),
        ...(mismatch ? [`**${mismatch}**`] : []),
        renderComparisonTable(rows),
        ...(text ? [text] : []),
      ].join('\n\n'),
    );
  } else {
    const text = baselineCausesText(causes, (s) => s);
    out.log(`${renderTerminalComparison(rows, widthOf(out), source)}${text ? `\n\n${text}` : ''}`);
  }
  const regressed = regressions(rows, threshold);
  if (regressed.length > 0) {
    out.error(`${regressed.length} significant regression(s) beyond ${Number(((threshold ?? 0) * 100).toFixed(2))}%`);
    return EXIT.regression;
  }
  return EXIT.ok;
}

export const report: Command = {
  summary: 'report FILE...                      re-render a report from results.json or speed.csv files',
  help: `Usage: lambda-coldstart report FILE... [--out DIR] [--markdown]

Reads results.json or speed.csv files (ours or the 2023 study's 5-column files); several files are merged into one report,
each labelled by its folder (or its file name when the folders are the same).
Prints the headline and tables; --markdown prints report.md instead; --out DIR also writes speed.csv, results.json,
report.md and boxplot.svg there.`,
  flags: { out: { type: 'string' }, markdown: { type: 'boolean' } },
  positionals: true,
  run: reportCommand,
};

export const compare: Command = {
  summary: 'compare BASE HEAD                   compare two runs',
  help: `Usage: lambda-coldstart compare BASE HEAD [--fail-on-regression 15%] [--markdown]

Compares median Init Duration per function and memory size. Two runs are two days: the ratio's 95% interval and its
p-value allow for the day-to-day drift of cold starts (±5 % by default), and the output says so.
Exit code 3 when a regression is significant and its evidence lies beyond --fail-on-regression. --markdown prints the
markdown table.`,
  flags: { 'fail-on-regression': { type: 'string' }, markdown: { type: 'boolean' } },
  positionals: true,
  run: compareCommand,
};
