/**
 * `lambda-coldstart` — the same engine and reports from a terminal.
 *   lambda-coldstart measure --functions a,b [--memory 128,1024] [--repetitions 10] [--report-source tail] [--out DIR]
 *   lambda-coldstart report FILE...        re-render the report from results.json or speed.csv files
 *   lambda-coldstart compare BASE HEAD     compare two runs (results.json or speed.csv)
 *   lambda-coldstart restore --functions a,b   put back functions a run left changed, from their undo records
 *   lambda-coldstart dashboard HISTORY.json    the history dashboard (index.html)
 * Each is one entry of COMMANDS. Exit codes: 0 success; 1 the run failed (AWS error, no cold sample, a function not restored); 2 bad usage or input; 3 a significant regression beyond
 * --fail-on-regression (compare).
 * What the terminal shows is plain aligned text (report/terminal.ts) fitted to its width; `--markdown` prints report.md instead.
 */
import { parseArgs } from 'node:util';
import { basename, dirname, resolve } from 'node:path';
import { ConfigError, loadConfig } from '../config/parse.js';
import { parsePercent } from '../config/values.js';
import type { Logger } from '../lambda/types.js';
import { compareRuns, regressions } from '../results/compare.js';
import { mergeRuns, readResultsFile } from '../results/json.js';
import type { RunResults } from '../results/model.js';
import { baselineSentence, renderComparisonTable, renderReport } from '../report/markdown.js';
import { DEFAULT_WIDTH, renderTerminal, renderTerminalComparison } from '../report/terminal.js';
import { writeResultFiles } from '../output-files.js';
import { measureRun, plannedSamples, type MeasuredRun } from '../measure-run.js';
import { createProgress, type Progress } from './progress.js';
import { resolveRegion } from './region.js';
import { restore } from './restore.js';
import { describeError } from '../errors.js';
import { VERSION } from '../version.js';
import { EXIT, UsageError, type Command, type Flags, type Out, type Parsed } from './command.js';
import { MEASURE_FLAGS, MEASURE_HELP, measureInputs } from './measure-flags.js';
import { dashboard } from './dashboard.js';

export { EXIT, UsageError, type Out } from './command.js';

const stdio: Out = {
  log: (l) => process.stdout.write(`${l}\n`),
  error: (l) => process.stderr.write(`${l}\n`),
  get columns() {
    return process.stdout.isTTY ? process.stdout.columns : undefined;
  },
};

const widthOf = (out: Out): number => (out.columns !== undefined && out.columns > 0 ? out.columns : DEFAULT_WIDTH);

const COMMANDS: Record<string, Command> = {
  measure: {
    summary: 'measure --functions a,b [options]   measure cold starts (uses the default AWS credential chain)',
    help: MEASURE_HELP,
    flags: MEASURE_FLAGS,
    run: measureCommand,
  },
  report: {
    summary: 'report FILE...                      re-render a report from results.json or speed.csv files',
    help: `Usage: lambda-coldstart report FILE... [--out DIR] [--markdown]

Reads results.json or speed.csv files (ours or the 2023 study's 5-column files); several files are merged into one report,
each labelled by its folder (or its file name when the folders are the same).
Prints the headline and tables; --markdown prints report.md instead; --out DIR also writes speed.csv, results.json,
report.md and boxplot.svg there.`,
    flags: { out: { type: 'string' }, markdown: { type: 'boolean' } },
    positionals: true,
    run: reportCommand,
  },
  compare: {
    summary: 'compare BASE HEAD                   compare two runs',
    help: `Usage: lambda-coldstart compare BASE HEAD [--fail-on-regression 15%] [--markdown]

Compares median Init Duration per function and memory size (ratio with a 95% interval, Mann–Whitney U p-value).
Exit code 3 when a regression is significant and larger than --fail-on-regression. --markdown prints the markdown table.`,
    flags: { 'fail-on-regression': { type: 'string' }, markdown: { type: 'boolean' } },
    positionals: true,
    run: compareCommand,
  },
  dashboard,
  restore,
};

function mainHelp(): string {
  const lines = Object.values(COMMANDS).map((c) => `  lambda-coldstart ${c.summary}`);
  return `lambda-coldstart ${VERSION} — measure AWS Lambda cold starts

Usage:
${lines.join('\n')}
  lambda-coldstart <command> --help                    options of a command

Exit codes: 0 success, 1 the run failed, 2 bad usage or input, 3 significant regression (compare --fail-on-regression).`;
}

export async function main(argv: string[], out: Out = stdio): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
      out.log(mainHelp());
      return name === undefined ? EXIT.usage : EXIT.ok;
    }
    if (name === '--version' || name === '-v') {
      out.log(VERSION);
      return EXIT.ok;
    }
    const command = COMMANDS[name];
    if (!command) {
      const names = Object.keys(COMMANDS);
      const guess = closest(name, names);
      throw new UsageError(
        `unknown command "${name}"${guess ? `; did you mean ${guess}?` : ''} (commands: ${names.join(', ')}; --help for more)`,
      );
    }
    const parsed = parse(rest, command.flags, command.positionals ?? false);
    if (parsed.values['help']) {
      out.log(command.help);
      return EXIT.ok;
    }
    return await command.run(parsed, out);
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const p of e.problems) out.error(`error: ${p}`);
      return EXIT.usage;
    }
    if (e instanceof UsageError) {
      out.error(`error: ${e.message}`);
      return EXIT.usage;
    }
    const { message, stack } = describeError(e);
    out.error(`error: ${message}`);
    if (stack !== undefined && process.env['DEBUG']) out.error(stack);
    return EXIT.failed;
  }
}

/** Edit distance (insertions, deletions, substitutions, adjacent swaps). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The candidate nearest to `word`, when it is near enough to be a typo (at most a third of its letters off). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const dist = distance(word.toLowerCase(), c.toLowerCase());
    if (dist < bestD) [best, bestD] = [c, dist];
  }
  return bestD <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

function parse(args: string[], options: Flags, positionals: boolean): Parsed {
  const all = { ...options, help: { type: 'boolean' as const, short: 'h' } };
  try {
    const parsed = parseArgs({ args, options: all, allowPositionals: positionals, strict: true });
    return { values: parsed.values as Parsed['values'], positionals: parsed.positionals };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const flag = args.find((a) => a.startsWith('-') && a !== '--' && !isKnown(a, all)) ?? '';
      const bare = flag.replace(/^--?/, '').split('=')[0]!;
      const guess = closest(bare, Object.keys(all));
      throw new UsageError(`unknown option ${flag.split('=')[0]}${guess ? `; did you mean --${guess}?` : ''} (--help lists the options)`, {
        cause: e,
      });
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      throw new UsageError(`this command takes no arguments, only options (--help lists them)`, { cause: e });
    }
    throw new UsageError(e instanceof Error ? e.message : String(e), { cause: e });
  }
}

function isKnown(arg: string, options: Record<string, { short?: string }>): boolean {
  if (arg.startsWith('--')) return arg.slice(2).split('=')[0]! in options;
  return Object.values(options).some((o) => o.short === arg.slice(1, 2));
}

/**
 * The engine's log on the progress output. On a terminal the bar shows progress: a function's per-sample lines only with
 * --verbose (CI logs and pipes get them all, as the action's log does).
 */
export function progressLogger(progress: Pick<Progress, 'isTTY' | 'line'>, verbose: boolean): Logger {
  const perSample = verbose || !progress.isTTY;
  return {
    info: (m) => progress.line(m),
    warning: (m) => progress.line(`warning: ${m}`),
    notice: (m) => progress.line(`notice: ${m}`),
    group: (title, lines) => progress.line([`── ${title}`, ...(perSample ? lines.map((l) => `   ${l}`) : [])].join('\n')),
  };
}

async function measureCommand(parsed: Parsed, out: Out): Promise<number> {
  const v = parsed.values;
  const config = loadConfig(measureInputs(parsed));
  const region = await resolveRegion(config.awsRegion);

  const progress = createProgress(process.stderr, plannedSamples(config));
  const log = progressLogger(progress, v['verbose'] === true);
  let measured: MeasuredRun;
  try {
    measured = await measureRun(config, {
      region,
      log,
      onCancel: () =>
        progress.line('interrupted: no new samples; restoring the functions before exiting (a second interrupt does not stop the undo)'),
      onUndoState: () => undefined,
      onSample: (s) => progress.tick(s),
      exit: (code) => {
        progress.stop();
        process.exit(code);
      },
    });
  } finally {
    progress.stop();
  }
  const { results, cancelled, accessErrors, unrestored } = measured;
  const files = await writeResultFiles(results, resolve(config.outputDir));
  out.log(`\n${renderTerminal(results, { width: widthOf(out) })}`);
  out.log(`\nspeed.csv: ${files.csv}\nresults.json: ${files.json}\nreport.md: ${files.report}\nboxplot.svg: ${files.svg}`);
  for (const problem of accessErrors) out.error(`error: ${problem}`);
  if (unrestored.length > 0) {
    // No post step runs after the CLI: say what is left changed and the exact command that puts it back.
    for (const u of unrestored) out.error(`error: ${u.name} could not be restored: its original memory is ${u.originalMemory} MB`);
    out.error(`error: it keeps its undo record; put it back with: ${measured.restoreCommand ?? ''}`);
    return EXIT.failed;
  }
  if (cancelled || accessErrors.length > 0) return EXIT.failed;
  return results.statistics.some((s) => s.init.n > 0) ? EXIT.ok : EXIT.failed;
}

/** An input file of `report` / `compare`: missing, unreadable or invalid is bad input (exit 2), not a failed run. */
async function readInput(path: string): Promise<RunResults> {
  try {
    return await readResultsFile(resolve(path));
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
  const source = { kind: 'file', path: basePath } as const;
  if (values['markdown']) out.log(`${baselineSentence(source)}\n\n${renderComparisonTable(rows)}`);
  else out.log(renderTerminalComparison(rows, widthOf(out), source));
  const regressed = regressions(rows, threshold);
  if (regressed.length > 0) {
    out.error(`${regressed.length} significant regression(s) beyond ${Number(((threshold ?? 0) * 100).toFixed(2))}%`);
    return EXIT.regression;
  }
  return EXIT.ok;
}
