/**
 * speed.csv: the original study's format (semicolon-separated, `Name;Memory;Init;Cold;Billed`), extended with columns
 * after the first five. Init = Init Duration, Cold = Duration of the cold invocation, Billed = Billed Duration, all in
 * ms as Lambda printed them. Only genuine cold samples are written: not warm retries or errors, and not cold starts whose
 * init failed or timed out (`init-failed`, whose "Init" would be the failed phase: the study's R script would plot it as an
 * init). Pure.
 *
 * What the file cannot carry (and reading it back therefore loses): warm retries, errors, the strategy (samples read
 * back are `sequential`), the source (read back as `insights`), the region and the run's inputs.
 */
import { parse } from 'csv-parse/sync';
import { detectFileKind, notResultsMessage } from './file-kind.js';
import { stringify } from 'csv-stringify/sync';
import type { FunctionInfo, RunResults, Sample } from './model.js';
import { computeStatistics } from './stats.js';

export const SPEED_CSV_HEADER = [
  'Name',
  'Memory',
  'Init',
  'Cold',
  'Billed',
  'MaxMemory',
  'Restore',
  'Runtime',
  'Architecture',
  'RequestId',
  'Timestamp',
] as const;

/** A number exactly as it was parsed (JS prints the shortest round-trip form: 166.76 stays "166.76"); null → empty. */
function num(v: number | null): string {
  return v === null ? '' : String(v);
}

/** Cold samples only, ordered by function (as listed), memory, strategy, sequence. */
export function coldSamplesInOrder(results: RunResults): Sample[] {
  const order = new Map(results.functions.map((f, i) => [f.name, i]));
  const strat = (s: Sample) => (s.strategy === 'sequential' ? 0 : 1);
  return results.samples
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => s.kind === 'cold' && (s.init !== null || s.restore !== null))
    .sort(
      (x, y) =>
        (order.get(x.s.function) ?? Infinity) - (order.get(y.s.function) ?? Infinity) ||
        x.s.function.localeCompare(y.s.function) ||
        x.s.memory - y.s.memory ||
        strat(x.s) - strat(y.s) ||
        x.s.sequence - y.s.sequence ||
        x.i - y.i,
    )
    .map(({ s }) => s);
}

/** speed.csv of a run: header `SPEED_CSV_HEADER`, `;`-separated, `\n` line ends, one row per cold sample. */
export function toSpeedCsv(results: RunResults): string {
  const info = new Map(results.functions.map((f) => [f.name, f]));
  const rows = coldSamplesInOrder(results).map((s) => {
    const f = info.get(s.function);
    return [
      s.function,
      String(s.memory),
      num(s.init),
      num(s.duration),
      num(s.billed),
      num(s.maxMemory),
      num(s.restore),
      f?.runtime ?? '',
      f?.architecture ?? '',
      s.requestId,
      s.timestamp,
    ];
  });
  return stringify(rows, { delimiter: ';', header: true, columns: [...SPEED_CSV_HEADER], record_delimiter: 'unix' });
}

export interface ReadCsvOptions {
  /** File name, for error messages and the note saying where the data came from. */
  name?: string;
  /** tool.version to put in the model (default 'unknown'). */
  version?: string;
  /** Architecture to assume when the file has no Architecture column (the study's files do not). Default 'unknown'. */
  architecture?: string;
  /** Runtime to assume when the file has no Runtime column. Default 'unknown'. */
  runtime?: string;
}

/**
 * Read a speed.csv (ours, or the study's five-column files; `;` or `,` separated, header names case-insensitive)
 * into the model. Every row is a cold sample. Throws an error naming the file, line and column on bad input.
 */
export function readSpeedCsv(text: string, opts: ReadCsvOptions = {}): RunResults {
  const file = opts.name ?? 'speed.csv';
  const kind = detectFileKind(text);
  const wrong = kind === 'empty' ? undefined : notResultsMessage(file, kind);
  if (wrong !== undefined) throw new Error(wrong);
  // The header first: a text that is no speed.csv is named as such, not by where the CSV parser choked on it.
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const first =
    kind === 'speed.csv' ? parseRecords(firstLine, file)[0] : kind === 'empty' ? undefined : firstLine.split(/[;,]/).map((c) => c.trim());
  if (!first) throw new Error(`${file}: empty file (expected a header line ${SPEED_CSV_HEADER.slice(0, 5).join(';')})`);
  const columns = headerColumns(first, file);
  const records = parseRecords(text, file);
  const read = new RowReader(file, columns, opts);
  for (let r = 1; r < records.length; r++) read.row(records[r]!, r + 1);
  return read.results(opts.version ?? 'unknown');
}

/** The file's rows as text cells; a file csv-parse refuses is named with its line, never quoted. */
function parseRecords(text: string, file: string): string[][] {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.includes(';') || !firstLine.includes(',') ? ';' : ',';
  try {
    return parse(text, { delimiter, bom: true, skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (e) {
    // csv-parse quotes the text in its messages: name the problem and the line only.
    const { code, lines } = e as { code?: unknown; lines?: unknown };
    throw new Error(
      `${file}: not a valid CSV file${typeof code === 'string' ? ` (${code}${typeof lines === 'number' ? ` at line ${lines}` : ''})` : ''}`,
      { cause: e },
    );
  }
}

/** Column index by lower-case header name; the columns every speed.csv has are required. */
function headerColumns(header: string[], file: string): Map<string, number> {
  const col = new Map<string, number>();
  header.forEach((h, i) => col.set(h.toLowerCase(), i));
  for (const need of ['name', 'memory', 'init']) {
    if (!col.has(need)) {
      throw new Error(
        `${file}: not a results file: its first line is no speed.csv header (no "${need[0]!.toUpperCase()}${need.slice(1)}" column); expected ${SPEED_CSV_HEADER.join(';')}`,
      );
    }
  }
  return col;
}

/** Reads the rows one by one into functions and samples, counting rows that repeat an earlier one. */
class RowReader {
  readonly functions: FunctionInfo[] = [];
  readonly samples: Sample[] = [];
  private readonly byName = new Map<string, FunctionInfo>();
  private readonly seq = new Map<string, number>();
  // Rows identical to an earlier one (no request id tells them apart): kept, as the file has them, but said.
  private readonly seenRows = new Set<string>();
  private readonly repeated = new Map<string, number>();

  constructor(
    private readonly file: string,
    private readonly col: Map<string, number>,
    private readonly opts: ReadCsvOptions,
  ) {}

  row(row: string[], line: number): void {
    const cell = (c: string): string => {
      const i = this.col.get(c);
      return i === undefined ? '' : (row[i] ?? '');
    };
    this.countRepeat(row, cell);
    const number = (c: string, required: boolean): number | null => this.number(cell(c), c, line, required);
    const name = cell('name');
    if (name === '') throw new Error(`${this.file} line ${line}: the Name column is empty`);
    const memory = number('memory', true)!;
    if (!Number.isInteger(memory) || memory <= 0) {
      throw new Error(`${this.file} line ${line}: Memory must be a whole number of MB`);
    }
    const init = number('init', false);
    const restore = number('restore', false);
    if (init === null && restore === null) throw new Error(`${this.file} line ${line}: neither Init nor Restore is set`);
    this.functionOf(name, memory, restore !== null, cell);
    const key = `${name}\u0000${memory}`;
    const sequence = (this.seq.get(key) ?? 0) + 1;
    this.seq.set(key, sequence);
    this.samples.push({
      function: name,
      memory,
      sequence,
      attempt: 1,
      requestId: cell('requestid'),
      kind: 'cold',
      init,
      restore,
      duration: number('cold', false),
      billed: number('billed', false),
      maxMemory: number('maxmemory', false),
      source: 'insights',
      timestamp: cell('timestamp'),
      strategy: 'sequential',
    });
  }

  private countRepeat(row: string[], cell: (c: string) => string): void {
    const rowKey = row.join('\u0000');
    if (this.seenRows.has(rowKey) && cell('requestid') === '') {
      const n = cell('name');
      this.repeated.set(n, (this.repeated.get(n) ?? 0) + 1);
    }
    this.seenRows.add(rowKey);
  }

  private number(v: string, c: string, line: number, required: boolean): number | null {
    const label = SPEED_CSV_HEADER.find((h) => h.toLowerCase() === c) ?? c;
    if (v === '') {
      if (required) throw new Error(`${this.file} line ${line}: the ${label} column is empty`);
      return null;
    }
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`${this.file} line ${line}: ${label} is not a number`);
    return n;
  }

  /** The function's info from its first row. */
  private functionOf(name: string, memory: number, snapStart: boolean, cell: (c: string) => string): void {
    if (this.byName.has(name)) return;
    const f: FunctionInfo = {
      name,
      arn: '',
      runtime: cell('runtime') || this.opts.runtime || 'unknown',
      architecture: cell('architecture') || this.opts.architecture || 'unknown',
      packageType: 'unknown',
      logFormat: 'Text',
      logGroup: '',
      snapStart,
      originalMemory: memory,
    };
    this.byName.set(name, f);
    this.functions.push(f);
  }

  results(version: string): RunResults {
    const { functions, samples } = this;
    const times = samples
      .map((s) => s.timestamp)
      .filter((t) => t !== '')
      .sort();
    return {
      schemaVersion: 1,
      tool: { name: 'lambda-coldstart', version },
      run: {
        startedAt: times[0] ?? '',
        endedAt: times[times.length - 1] ?? '',
        region: '',
        inputs: {
          functions: functions.map((f) => f.name),
          memory: [...new Set(samples.map((s) => s.memory))].sort((a, b) => a - b),
          repetitions: Math.max(0, ...this.seq.values()),
          reportSource: 'insights',
          strategy: 'sequential',
          concurrency: 1,
        },
      },
      functions,
      samples,
      statistics: computeStatistics(functions, samples),
      notes: this.notes(),
    };
  }

  private notes(): string[] {
    const notes = [`Read from ${this.file}: cold samples only (a speed.csv carries no warm retries, errors or region).`];
    if (this.repeated.size > 0) {
      const total = [...this.repeated.values()].reduce((a, b) => a + b, 0);
      const which = [...this.repeated].map(([n, k]) => `${n} ×${k}`).join(', ');
      notes.push(
        `${this.file}: ${total} rows repeat an earlier row exactly (${which}); they are counted as the file has them, which makes those intervals narrower than the data supports.`,
      );
    }
    return notes;
  }
}
