/** What every subcommand of the CLI shares: exit codes, where it writes, its parsed flags and its shape. */
import { DEFAULT_WIDTH } from '../report/terminal.js';

export const EXIT = { ok: 0, failed: 1, usage: 2, regression: 3 } as const;

/** Where the CLI writes. `columns` is the terminal's width when stdout is one (undefined for pipes and files). */
export interface Out {
  log(line: string): void;
  error(line: string): void;
  columns?: number | undefined;
}

/** The width to fit terminal output to: the terminal's, or DEFAULT_WIDTH for pipes and files. */
export const widthOf = (out: Out): number => (out.columns !== undefined && out.columns > 0 ? out.columns : DEFAULT_WIDTH);

/** A command's flags. Each may be given once, except `list` flags: their repeats are joined with commas. */
export type Flags = Record<string, { type: 'string' | 'boolean'; list?: boolean }>;
export type Parsed = { values: Record<string, string | boolean | undefined>; positionals: string[] };

/** A command: its usage text, its flags and what it does. A new subcommand is one entry in COMMANDS (main.ts). */
export interface Command {
  summary: string;
  help: string;
  flags: Flags;
  positionals?: boolean;
  run(parsed: Parsed, out: Out): Promise<number>;
}
