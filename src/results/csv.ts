/**
 * speed.csv: the original study's format (semicolon-separated, `Name;Memory;Init;Cold;Billed`), extended with columns
 * after the first five. Init = Init Duration, Cold = Duration of the cold invocation, Billed = Billed Duration, all in
 * ms as Lambda printed them. Only genuine cold samples are written. Pure.
 *
 * What the file cannot carry (and reading it back therefore loses): warm retries, errors, the strategy (samples read
 * back are `sequential`), the source (read back as `insights`), the region and the run's inputs.
 */
import { parse } from 'csv-parse/sync';
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
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.includes(';') || !firstLine.includes(',') ? ';' : ',';
  let records: string[][];
  try {
    records = parse(text, { delimiter, bom: true, skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (e) {
    // csv-parse quotes the text in its messages: name the problem and the line only.
    const { code, lines } = e as { code?: unknown; lines?: unknown };
    throw new Error(
      `${file}: not a valid CSV file${typeof code === 'string' ? ` (${code}${typeof lines === 'number' ? ` at line ${lines}` : ''})` : ''}`,
      { cause: e },
    );
  }
  const header = records[0];
  if (!header) throw new Error(`${file}: empty file (expected a header line ${SPEED_CSV_HEADER.slice(0, 5).join(';')})`);
  const col = new Map<string, number>();
  header.forEach((h, i) => col.set(h.toLowerCase(), i));
  for (const need of ['name', 'memory', 'init']) {
    if (!col.has(need)) {
      throw new Error(
        `${file}: not a results file: its first line is no speed.csv header (no "${need[0]!.toUpperCase()}${need.slice(1)}" column); expected ${SPEED_CSV_HEADER.join(';')}`,
      );
    }
  }
  const display = (c: string): string => SPEED_CSV_HEADER.find((h) => h.toLowerCase() === c) ?? c;
  const functions: FunctionInfo[] = [];
  const byName = new Map<string, FunctionInfo>();
  const samples: Sample[] = [];
  const seq = new Map<string, number>();
  // Rows identical to an earlier one (no request id tells them apart): kept, as the file has them, but said.
  const seenRows = new Set<string>();
  const repeated = new Map<string, number>();
  for (let r = 1; r < records.length; r++) {
    const row = records[r]!;
    const line = r + 1;
    const rowKey = row.join('\u0000');
    if (seenRows.has(rowKey) && (col.get('requestid') === undefined || (row[col.get('requestid')!] ?? '') === '')) {
      const n = row[col.get('name')!] ?? '';
      repeated.set(n, (repeated.get(n) ?? 0) + 1);
    }
    seenRows.add(rowKey);
    const cell = (c: string): string => {
      const i = col.get(c);
      return i === undefined ? '' : (row[i] ?? '');
    };
    const number = (c: string, required: boolean): number | null => {
      const v = cell(c);
      const label = display(c);
      if (v === '') {
        if (required) throw new Error(`${file} line ${line}: the ${label} column is empty`);
        return null;
      }
      const n = Number(v);
      if (!Number.isFinite(n)) throw new Error(`${file} line ${line}: ${label} is not a number`);
      return n;
    };
    const name = cell('name');
    if (name === '') throw new Error(`${file} line ${line}: the Name column is empty`);
    const memory = number('memory', true)!;
    if (!Number.isInteger(memory) || memory <= 0) {
      throw new Error(`${file} line ${line}: Memory must be a whole number of MB`);
    }
    const init = number('init', false);
    const restore = number('restore', false);
    if (init === null && restore === null) throw new Error(`${file} line ${line}: neither Init nor Restore is set`);
    let f = byName.get(name);
    if (!f) {
      f = {
        name,
        arn: '',
        runtime: cell('runtime') || opts.runtime || 'unknown',
        architecture: cell('architecture') || opts.architecture || 'unknown',
        packageType: 'unknown',
        logFormat: 'Text',
        logGroup: '',
        snapStart: restore !== null,
        originalMemory: memory,
      };
      byName.set(name, f);
      functions.push(f);
    }
    const key = `${name}\u0000${memory}`;
    const sequence = (seq.get(key) ?? 0) + 1;
    seq.set(key, sequence);
    samples.push({
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
  const times = samples
    .map((s) => s.timestamp)
    .filter((t) => t !== '')
    .sort();
  const memories = [...new Set(samples.map((s) => s.memory))].sort((a, b) => a - b);
  return {
    schemaVersion: 1,
    tool: { name: 'lambda-coldstart', version: opts.version ?? 'unknown' },
    run: {
      startedAt: times[0] ?? '',
      endedAt: times[times.length - 1] ?? '',
      region: '',
      inputs: {
        functions: functions.map((f) => f.name),
        memory: memories,
        repetitions: Math.max(0, ...seq.values()),
        reportSource: 'insights',
        strategy: 'sequential',
        concurrency: 1,
      },
    },
    functions,
    samples,
    statistics: computeStatistics(functions, samples),
    notes: [
      `Read from ${file}: cold samples only (a speed.csv carries no warm retries, errors or region).`,
      ...(repeated.size > 0
        ? [
            `${file}: ${[...repeated.values()].reduce((a, b) => a + b, 0)} rows repeat an earlier row exactly (${[...repeated]
              .map(([n, k]) => `${n} ×${k}`)
              .join(', ')}); they are counted as the file has them, which makes those intervals narrower than the data supports.`,
          ]
        : []),
    ],
  };
}
