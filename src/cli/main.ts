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
import { restore } from './restore.js';
import { ConfigError, CredentialsError, describeError, typedError, UsageError } from '../core/errors.js';
import { logText } from '../core/escape.js';
import { cliCredentialsMessage, knownProfiles } from './credentials.js';
import { VERSION } from '../core/version.js';
import { EXIT, type Command, type Flags, type Out, type Parsed } from './command.js';
import { dashboard } from './dashboard.js';
import { measure } from './measure.js';
import { compare, report } from './report.js';

/**
 * The CLI's one way to its terminal: what it prints carries text from outside (names, errors, undo records, files), so
 * every line goes through logText — no terminal control sequence, and no workflow command when the CLI runs in CI.
 */
const stdio: Out = {
  log: (l) => process.stdout.write(`${logText(l)}\n`),
  error: (l) => process.stderr.write(`${logText(l)}\n`),
  get columns() {
    return process.stdout.isTTY ? process.stdout.columns : undefined;
  },
};

const COMMANDS: Record<string, Command> = { measure, report, compare, dashboard, restore };

function mainHelp(): string {
  const lines = Object.values(COMMANDS).map((c) => `  lambda-coldstart ${c.summary}`);
  return `lambda-coldstart ${VERSION} — measure AWS Lambda cold starts

Usage:
${lines.join('\n')}
  lambda-coldstart <command> --help                    options of a command

Exit codes: 0 success, 1 the run failed, 2 bad usage or input, 3 significant regression (--fail-on-regression of compare,
or of measure with --baseline-functions).`;
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
    const typed = typedError(e);
    if (typed instanceof CredentialsError) {
      const profile = process.env['AWS_PROFILE'] || undefined;
      out.error(`error: ${cliCredentialsMessage(typed, profile, profile === undefined ? new Set() : await knownProfiles())}`);
      return EXIT.failed;
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
  // Every flag is read with its repeats, so that a repeat is never silently dropped (parseArgs keeps the last).
  const multiple = Object.fromEntries(
    Object.entries(all).map(([name, o]) => [name, { type: o.type, multiple: true, ...('short' in o ? { short: o.short } : {}) }]),
  );
  try {
    const parsed = parseArgs({ args, options: multiple, allowPositionals: positionals, strict: true });
    return { values: single(parsed.values as Record<string, (string | boolean)[]>, options), positionals: parsed.positionals };
  } catch (e) {
    if (e instanceof UsageError) throw e;
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

/** One value per flag: a list flag's repeats joined with commas; a repeated boolean is harmless; any other repeat is an error. */
export function single(values: Record<string, (string | boolean)[]>, options: Flags): Parsed['values'] {
  const out: Parsed['values'] = {};
  for (const [name, given] of Object.entries(values)) {
    const strings = given.filter((v): v is string => typeof v === 'string');
    if (strings.length === 0) out[name] = given.at(-1);
    else if (strings.length === 1 || options[name]?.list) out[name] = strings.join(',');
    else {
      throw new UsageError(`--${name} was given ${strings.length} times (${strings.join(', ')}); give it once (--help lists the options)`);
    }
  }
  return out;
}

function isKnown(arg: string, options: Record<string, { short?: string }>): boolean {
  if (arg.startsWith('--')) return arg.slice(2).split('=')[0]! in options;
  return Object.values(options).some((o) => o.short === arg.slice(1, 2));
}
