/**
 * `lambda-coldstart` — the same engine and reports from a terminal.
 *   lambda-coldstart measure --functions a,b [--memory 128,1024] [--repetitions 10] [--report-source tail] [--out DIR]
 *   lambda-coldstart report FILE...        re-render report.md and boxplot.svg from results.json or speed.csv files
 *   lambda-coldstart compare BASE HEAD     compare two runs (results.json or speed.csv)
 *   lambda-coldstart restore --functions a,b   put back functions a run left changed, from their undo records
 * Exit codes: 0 success; 1 the run failed (AWS error, no cold sample); 2 bad usage or input; 3 a significant regression beyond
 * --fail-on-regression (compare).
 */
import { parseArgs } from 'node:util';
import { basename, resolve } from 'node:path';
import { ConfigError, INPUT_DEFAULTS, loadConfig, parsePercent, type InputName } from '../config.js';
import type { Logger } from '../lambda/types.js';
import { compareRuns, regressions } from '../results/compare.js';
import { mergeRuns, readResultsFile } from '../results/json.js';
import type { RunResults } from '../results/model.js';
import { headline, renderComparisonTable, renderReport, renderTables } from '../report/markdown.js';
import { writeResultFiles } from '../output-files.js';
import { measureRun, plannedSamples, type MeasuredRun } from '../measure-run.js';
import { createProgress } from './progress.js';
import { RESTORE_HELP, RestoreUsageError, restoreCli } from './restore.js';
import { describeError } from '../errors.js';
import { VERSION } from '../version.js';

export const EXIT = { ok: 0, failed: 1, usage: 2, regression: 3 } as const;

const HELP = {
  main: `lambda-coldstart ${VERSION} — measure AWS Lambda cold starts

Usage:
  lambda-coldstart measure --functions a,b [options]   measure cold starts (uses the default AWS credential chain)
  lambda-coldstart report FILE...                      re-render a report from results.json or speed.csv files
  lambda-coldstart compare BASE HEAD                   compare two runs
  lambda-coldstart restore --functions a,b             put back functions a run left changed (from their undo records)
  lambda-coldstart <command> --help                    options of a command

Exit codes: 0 success, 1 the run failed, 2 bad usage or input, 3 significant regression (compare --fail-on-regression).`,
  measure: `Usage: lambda-coldstart measure --functions NAMES [options]

  --functions NAMES        function names or ARNs, comma-separated (required)
  --memory SIZES           memory sizes in MB, comma-separated (default: each function's current size)
  --repetitions N          cold starts per function and memory size (default 10)
  --payload JSON           event sent with every invoke (default {})
  --report-source SOURCE   insights (default) or tail
  --strategy NAME          sequential (default), burst or compare
  --burst-size N           concurrent invokes per update with --strategy burst
  --concurrency N          functions measured at once (default 4)
  --update-timeout SEC     wait for one configuration update (default 300)
  --query-timeout SEC      wait for the REPORT lines in Logs Insights (default 120)
  --region REGION          AWS region (default: AWS_REGION, AWS_DEFAULT_REGION or the profile's)
  --out DIR                folder for speed.csv, results.json, report.md, boxplot.svg (default ./coldstart)
  --no-restore             leave the last configuration in place (default: undo the run's changes)
AWS_PROFILE selects a profile; AWS_ENDPOINT_URL points the SDK at another endpoint (e.g. the local emulator).`,
  report: `Usage: lambda-coldstart report FILE... [--out DIR]

Reads results.json or speed.csv files (ours or the 2023 study's 5-column files); several files are merged into one report.
Prints report.md to stdout; with --out, writes speed.csv, results.json, report.md and boxplot.svg there.`,
  compare: `Usage: lambda-coldstart compare BASE HEAD [--fail-on-regression 15%]

Compares median Init Duration per function and memory size (ratio with a 95% interval, Mann–Whitney U p-value).
Exit code 3 when a regression is significant and larger than --fail-on-regression.`,
  restore: RESTORE_HELP,
};

type Out = { log(line: string): void; error(line: string): void };
const stdio: Out = { log: (l) => process.stdout.write(`${l}\n`), error: (l) => process.stderr.write(`${l}\n`) };

export async function main(argv: string[], out: Out = stdio): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'measure':
        return await measureCommand(rest, out);
      case 'report':
        return await reportCommand(rest, out);
      case 'compare':
        return await compareCommand(rest, out);
      case 'restore':
        return await restoreCli(rest, out);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        out.log(HELP.main);
        return command === undefined ? EXIT.usage : EXIT.ok;
      case '--version':
      case '-v':
        out.log(VERSION);
        return EXIT.ok;
      default:
        out.error(`lambda-coldstart: unknown command "${command}"; use measure, report, compare or restore (--help for more)`);
        return EXIT.usage;
    }
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const p of e.problems) out.error(`error: ${p}`);
      return EXIT.usage;
    }
    if (e instanceof UsageError || e instanceof RestoreUsageError) {
      out.error(`error: ${e.message}`);
      return EXIT.usage;
    }
    const { message, stack } = describeError(e);
    out.error(`error: ${message}`);
    if (stack !== undefined && process.env['DEBUG']) out.error(stack);
    return EXIT.failed;
  }
}

class UsageError extends Error {}

type Flags = Record<string, { type: 'string' | 'boolean' }>;
type Parsed = { values: Record<string, string | boolean | undefined>; positionals: string[] };

function parse(args: string[], options: Flags, positionals = false): Parsed {
  try {
    const parsed = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: positionals,
      strict: true,
    });
    return { values: parsed.values as Parsed['values'], positionals: parsed.positionals };
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

async function measureCommand(args: string[], out: Out): Promise<number> {
  const flags: Flags = {
    functions: { type: 'string' },
    memory: { type: 'string' },
    repetitions: { type: 'string' },
    payload: { type: 'string' },
    'report-source': { type: 'string' },
    strategy: { type: 'string' },
    'burst-size': { type: 'string' },
    concurrency: { type: 'string' },
    'update-timeout': { type: 'string' },
    'query-timeout': { type: 'string' },
    region: { type: 'string' },
    out: { type: 'string' },
    'no-restore': { type: 'boolean' },
  };
  const { values } = parse(args, flags);
  if (values['help']) {
    out.log(HELP.measure);
    return EXIT.ok;
  }
  const v = values;
  const input = (name: InputName): string => {
    if (name === 'restore') return v['no-restore'] ? 'false' : 'true';
    if (name === 'output-dir') return (v['out'] as string | undefined) ?? 'coldstart';
    if (name === 'aws-region') return (v['region'] as string | undefined) ?? '';
    if (name === 'comment') return 'false';
    if (name === 'artifact-name') return '';
    const value = v[name];
    return typeof value === 'string' ? value : INPUT_DEFAULTS[name];
  };
  const config = loadConfig(input);

  const progress = createProgress(process.stderr, plannedSamples(config));
  const log: Logger = {
    info: (m) => progress.line(m),
    warning: (m) => progress.line(`warning: ${m}`),
    notice: (m) => progress.line(`notice: ${m}`),
    group: (title, lines) => progress.line([`── ${title}`, ...lines.map((l) => `   ${l}`)].join('\n')),
  };
  let measured: MeasuredRun;
  try {
    measured = await measureRun(config, {
      region: config.awsRegion === '' ? undefined : config.awsRegion,
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
  printSummary(results, out);
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

function printSummary(results: RunResults, out: Out): void {
  out.log(`\n${headline(results)}\n`);
  out.log(renderTables(results));
}

/** An input file of `report` / `compare`: missing, unreadable or invalid is bad input (exit 2), not a failed run. */
async function readInput(path: string): Promise<RunResults> {
  try {
    return await readResultsFile(resolve(path));
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

async function readAll(paths: string[]): Promise<RunResults> {
  const runs = await Promise.all(paths.map(async (p) => ({ shard: basename(p), results: await readInput(p) })));
  const first = runs[0];
  if (first === undefined) throw new UsageError('no file given');
  return runs.length === 1 ? first.results : mergeRuns(runs);
}

async function reportCommand(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parse(args, { out: { type: 'string' } }, true);
  if (values['help']) {
    out.log(HELP.report);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('report needs at least one results.json or speed.csv file');
  const results = await readAll(positionals);
  const dir = values['out'] as string | undefined;
  if (dir === undefined) {
    out.log(renderReport(results));
    return EXIT.ok;
  }
  const files = await writeResultFiles(results, resolve(dir));
  printSummary(results, out);
  out.log(`\nreport.md: ${files.report}\nboxplot.svg: ${files.svg}`);
  return EXIT.ok;
}

async function compareCommand(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parse(args, { 'fail-on-regression': { type: 'string' } }, true);
  if (values['help']) {
    out.log(HELP.compare);
    return EXIT.ok;
  }
  const [basePath, headPath, ...extra] = positionals;
  if (basePath === undefined || headPath === undefined || extra.length > 0)
    throw new UsageError('compare needs exactly two files: BASE HEAD');
  const threshold = parsePercent((values['fail-on-regression'] as string | undefined) ?? '');
  if (typeof threshold === 'string') throw new ConfigError([threshold]);
  const [base, head] = await Promise.all([readInput(basePath), readInput(headPath)]);
  const rows = compareRuns(base, head);
  out.log(renderComparisonTable(rows));
  const regressed = regressions(rows, threshold);
  if (regressed.length > 0) {
    out.error(`${regressed.length} significant regression(s) beyond ${Number(((threshold ?? 0) * 100).toFixed(2))}%`);
    return EXIT.regression;
  }
  return EXIT.ok;
}
