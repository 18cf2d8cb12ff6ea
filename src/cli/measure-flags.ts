/**
 * `measure`'s flags, their help and the inputs they give, all made from the input registry: a flag per input the CLI
 * has (named as the input, or as its entry says: --out, --region, --no-restore), and the action-only inputs filled as
 * the registry says, so the CLI and the action parse the same inputs with the same messages.
 */
import { INPUT_ENTRIES, type InputGetter, type InputName } from '../config/inputs.js';
import type { Flags, Parsed } from './command.js';

/** Flags of the terminal alone, not inputs. */
const TERMINAL_FLAGS = [
  { flag: 'verbose', help: 'a line per sample on a terminal too (always printed when the output is not a terminal)' },
];

interface FlagLine {
  /** `--functions NAMES`, `--no-restore`. */
  usage: string;
  help: string;
}

/** The flag lines of `measure --help`, in action.yml's order, then the terminal's own. */
function flagLines(): FlagLine[] {
  const lines: FlagLine[] = [];
  for (const [, spec] of INPUT_ENTRIES) {
    const cli = spec.cli;
    if (cli.kind === 'flag') lines.push({ usage: `--${cli.flag ?? spec.name} ${cli.arg}`, help: cli.help(spec.default) });
    if (cli.kind === 'negated') lines.push({ usage: `--${cli.flag}`, help: cli.help });
  }
  return [...lines, ...TERMINAL_FLAGS.map((t) => ({ usage: `--${t.flag}`, help: t.help }))];
}

function measureFlags(): Flags {
  const flags: Flags = {};
  for (const [, spec] of INPUT_ENTRIES) {
    const cli = spec.cli;
    if (cli.kind === 'flag') flags[cli.flag ?? spec.name] = cli.list ? { type: 'string', list: true } : { type: 'string' };
    if (cli.kind === 'negated') flags[cli.flag] = { type: 'boolean' };
  }
  for (const t of TERMINAL_FLAGS) flags[t.flag] = { type: 'boolean' };
  return flags;
}

export const MEASURE_FLAGS = measureFlags();

/** The width of the usage column in `measure --help`: the longest usage and two spaces. */
const USAGE_WIDTH = Math.max(...flagLines().map((l) => l.usage.length)) + 2;

export const MEASURE_HELP = `Usage: lambda-coldstart measure --functions NAMES [options]

${flagLines()
  .map((l) => `  ${l.usage.padEnd(USAGE_WIDTH)}${l.help}`)
  .join('\n')}
AWS_PROFILE selects a profile; AWS_ENDPOINT_URL points the SDK at another endpoint (e.g. the local emulator).`;

/** The inputs a `measure` command line gives, for parseConfig. */
export function measureInputs({ values }: Pick<Parsed, 'values'>): InputGetter {
  const byName = new Map(INPUT_ENTRIES.map(([, spec]) => [spec.name as InputName, spec]));
  return (name) => {
    const spec = byName.get(name);
    if (spec === undefined) return '';
    const cli = spec.cli;
    if (cli.kind === 'action-only') return cli.value ?? spec.default;
    if (cli.kind === 'negated') return values[cli.flag] === true ? 'false' : spec.default;
    const value = values[cli.flag ?? spec.name];
    return typeof value === 'string' ? value : spec.default;
  };
}
