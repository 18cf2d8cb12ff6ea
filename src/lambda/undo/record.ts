/**
 * The undo record a function carries while a run changes it: the one variable the run adds, COLDSTART_NONCE, holds
 * besides the fresh value that forces a new environment who changed the function (the run, and for a run outside
 * GitHub Actions its process on its machine), the memory an undo puts back, the memory the run's last update set, and
 * when (by Lambda's clock) the run last touched it. Any later actor — the post step, a new run, `lambda-coldstart
 * restore` — can put the function back from it, even when the process that changed it is gone. PURE.
 *
 * The value has one fixed grammar and a bounded length (RECORD_MAX_LENGTH); the fields come in this order:
 *
 *   n=<nonce>;m=<memory>[;s=<memory>];t=<epoch s>;r=<run id>[;h=<host>;p=<pid>[;b=<start>]][;k=1]
 *
 *   nonce   [0-9A-Za-z_-]{1,32}                   memory  128…10240, no leading zero
 *   epoch s 9–11 digits (Lambda's clock)          run id  see RUN_ID below
 *   host    16 lowercase hex digits               pid     1…4294967295      start  1–20 digits
 *   k=1     the run left its change on purpose (`restore: false`)
 *
 * Version 1.0.0 wrote `n;m;[s;]t;r[;k=1]` with the same field syntax (it percent-escaped `%`, `;` and `=`, which no
 * valid nonce or run id contains): its records parse here unchanged. Any other value — a different order, an unknown
 * or repeated field, a number out of range, a character outside a field's set, too long — is "not a record of this
 * tool": decodeMarker answers why, and its text is never printed (it may hold anything, line breaks included).
 */
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { MEMORY_MAX_MB, MEMORY_MIN_MB } from '../../config/limits.js';

/** The one environment variable a run adds: a fresh value forces a new execution environment; it holds the record. */
export const NONCE_VARIABLE = 'COLDSTART_NONCE' as const;

/** The longest nonce a record holds (the default nonce has 21 characters). */
export const NONCE_MAX_LENGTH = 32;
/** The longest value a record may have: longer is not a record of this tool (the longest valid one is shorter). */
export const RECORD_MAX_LENGTH = 512;
/** When no run id is given (engine tests, benchmarks). */
export const DEFAULT_RUN_ID = 'lambda-coldstart';

/**
 * The process that writes a run's records, for a run outside GitHub Actions: a later actor on the same machine can then
 * tell at once whether it is still running.
 */
export interface WriterProcess {
  /** This machine (and process namespace) as 16 hex digits: equal only on the same machine since its last boot. */
  host: string;
  pid: number;
  /** When the process started, in the machine's own terms (guards against a reused pid); absent where unknown. */
  start?: string;
}

/** The record on a function (a run's saved state, UndoEntry, holds the same facts for its own functions). */
export interface UndoRecord {
  nonce: string;
  /** The memory size an undo puts back: the function's original, or the size someone else set during the run. */
  restoreMemory: number;
  /** The memory size the run's last update set (absent: the run never set memory). */
  setMemory?: number;
  /** Epoch ms (second precision) of the run's last update, by Lambda's clock as the writer knew it. */
  updatedAt: number;
  runId: string;
  /** The writing process, for a run outside GitHub Actions (absent in records of version 1.0.0). */
  process?: WriterProcess;
  /** The run ended and left its change on purpose (`restore: false`): not a live run, not a leftover to restore. */
  kept?: boolean;
}

/** A run id, read: a workflow run's job attempt, a run outside GitHub Actions, or the default of tests. */
export type RunRef =
  | { kind: 'github'; server: string; owner: string; repo: string; runId: string; attempt: number }
  | { kind: 'cli'; host: string }
  | { kind: 'default' };

const HEX6 = '[0-9a-f]{6}';
/** `https://<server>/<owner>/<repo>/actions/runs/<id>/attempts/<n>#<job>` (what run-id.ts writes on a runner). */
const GITHUB_RUN =
  `(?<server>https?://[A-Za-z0-9](?:[A-Za-z0-9.-]{0,99})(?::[0-9]{1,5})?)/(?<owner>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))` +
  `/(?<repo>[A-Za-z0-9._-]{1,100})/actions/runs/(?<run>[1-9][0-9]{0,19})/attempts/(?<attempt>[1-9][0-9]{0,4})#${HEX6}`;
/** `cli:<host name>:<6 hex>`: a run outside GitHub Actions (the CLI, or the action run locally). */
const CLI_RUN = `cli:(?<host>[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62})):${HEX6}`;
const RUN_ID = new RegExp(`^(?:${GITHUB_RUN}|${CLI_RUN}|${DEFAULT_RUN_ID})$`);
const MEMORY = '[1-9][0-9]{2,4}';
const RECORD = new RegExp(
  `^n=(?<n>[0-9A-Za-z_-]{1,${NONCE_MAX_LENGTH}});m=(?<m>${MEMORY})(?:;s=(?<s>${MEMORY}))?;t=(?<t>[1-9][0-9]{8,10})` +
    `;r=(?<r>[!-:<-~]{1,320})(?:;h=(?<h>[0-9a-f]{16});p=(?<p>[1-9][0-9]{0,9})(?:;b=(?<b>[0-9]{1,20}))?)?(?<k>;k=1)?$`,
);
const PID_MAX = 2 ** 32 - 1;

/** A run id read by its grammar, or undefined when it is none of this tool's. PURE. */
export function parseRunId(runId: string): RunRef | undefined {
  const m = RUN_ID.exec(runId);
  if (!m) return undefined;
  const g = m.groups ?? {};
  if (g['run'] !== undefined) {
    return { kind: 'github', server: g['server']!, owner: g['owner']!, repo: g['repo']!, runId: g['run'], attempt: Number(g['attempt']) };
  }
  return g['host'] !== undefined ? { kind: 'cli', host: g['host'] } : { kind: 'default' };
}

const inMemoryRange = (n: number): boolean => n >= MEMORY_MIN_MB && n <= MEMORY_MAX_MB;

/** What a COLDSTART_NONCE value is: a record, or — with the reason, never the text — not a record of this tool. PURE. */
export type Decoded = { record: UndoRecord } | { notARecord: string };

export function decodeMarker(value: string): Decoded {
  if (value.length > RECORD_MAX_LENGTH) return { notARecord: `longer than ${RECORD_MAX_LENGTH} characters` };
  const m = RECORD.exec(value);
  if (!m) return { notARecord: 'not in the record format' };
  const g = m.groups ?? {};
  const restoreMemory = Number(g['m']);
  const setMemory = g['s'] === undefined ? undefined : Number(g['s']);
  if (!inMemoryRange(restoreMemory) || (setMemory !== undefined && !inMemoryRange(setMemory))) {
    return { notARecord: `a memory size outside ${MEMORY_MIN_MB}–${MEMORY_MAX_MB} MB` };
  }
  const runId = g['r']!;
  if (parseRunId(runId) === undefined) return { notARecord: 'a run id of no known form' };
  const pid = g['p'] === undefined ? undefined : Number(g['p']);
  if (pid !== undefined && pid > PID_MAX) return { notARecord: 'a process id out of range' };
  const record: UndoRecord = { nonce: g['n']!, restoreMemory, updatedAt: Number(g['t']) * 1000, runId };
  if (setMemory !== undefined) record.setMemory = setMemory;
  if (pid !== undefined) record.process = { host: g['h']!, pid, ...(g['b'] === undefined ? {} : { start: g['b'] }) };
  if (g['k'] !== undefined) record.kept = true;
  return { record };
}

/** The record as its value. Throws when a field would not parse back (a writer's bug, never data from outside). */
export function encodeMarker(r: UndoRecord): string {
  const parts = [
    `n=${r.nonce}`,
    `m=${r.restoreMemory}`,
    ...(r.setMemory === undefined ? [] : [`s=${r.setMemory}`]),
    `t=${Math.floor(r.updatedAt / 1000)}`,
    `r=${r.runId}`,
    ...(r.process ? [`h=${r.process.host}`, `p=${r.process.pid}`, ...(r.process.start === undefined ? [] : [`b=${r.process.start}`])] : []),
    ...(r.kept ? ['k=1'] : []),
  ];
  const value = parts.join(';');
  const back = decodeMarker(value);
  if ('notARecord' in back) throw new Error(`an undo record would not parse back (${back.notARecord})`);
  return value;
}

export type Marker =
  /** The function does not have our variable. */
  | { present: false }
  /** Our variable holds a record (`value` is compared, never printed). */
  | { present: true; value: string; record: UndoRecord }
  /** Our variable holds something that is not a record of this tool: left alone, its text never printed. */
  | { present: true; value: string; notARecord: string };

/** Our variable on a configuration, and its record. */
export function readMarker(c: FunctionConfiguration): Marker {
  const vars = c.Environment?.Variables ?? {};
  if (!Object.prototype.hasOwnProperty.call(vars, NONCE_VARIABLE)) return { present: false };
  const value = vars[NONCE_VARIABLE] ?? '';
  return { present: true, value, ...decodeMarker(value) };
}

/** Our variable's value as is, for comparing two configurations (never for printing). */
export function rawMarker(c: FunctionConfiguration): string | undefined {
  const m = readMarker(c);
  return m.present ? m.value : undefined;
}

/** The record on a configuration, if it holds one. */
export function recordOf(c: FunctionConfiguration): UndoRecord | undefined {
  const m = readMarker(c);
  return m.present && 'record' in m ? m.record : undefined;
}

/**
 * Bytes of environment variables as Lambda counts them: the JSON of the variables (`{"KEY":"value",...}`), UTF-8 —
 * the measure its "exceeded the 4KB limit" error reports. Our own variable is left out.
 */
export function envBytes(vars: Record<string, string> | undefined): number {
  const own = Object.fromEntries(Object.entries(vars ?? {}).filter(([k]) => k !== NONCE_VARIABLE));
  return Buffer.byteLength(JSON.stringify(own), 'utf8');
}

/**
 * The most bytes our variable adds to the variables' JSON (`,"COLDSTART_NONCE":"<record>"`) for a run id: the longest
 * nonce, memory sizes, time and process a record can hold.
 */
export function markerReserveBytes(runId: string): number {
  const longest = encodeMarker({
    nonce: 'x'.repeat(NONCE_MAX_LENGTH),
    restoreMemory: MEMORY_MAX_MB,
    setMemory: MEMORY_MAX_MB,
    updatedAt: 99_999_999_999_000,
    runId,
    process: { host: '0'.repeat(16), pid: PID_MAX, start: '9'.repeat(20) },
    kept: true,
  });
  return Buffer.byteLength(`,${JSON.stringify(NONCE_VARIABLE)}:${JSON.stringify(longest)}`, 'utf8');
}

/** Who writes a run's records. */
export interface RecordWriter {
  runId: string;
  process?: WriterProcess | undefined;
}

/**
 * The value of our variable for an update: the nonce and the undo record. The memory the update sets is `memory`, or —
 * when the update leaves memory alone — what our previous record said (a size someone else set is never taken for
 * ours). `nowMs`: Lambda's time as the writer knows it (server-time.ts). PURE.
 */
export function markerValue(
  current: FunctionConfiguration,
  o: { nonce: string; restoreMemory: number; memory?: number | undefined; writer: RecordWriter; nowMs: number },
): string {
  const previous = recordOf(current);
  const setMemory = o.memory ?? (previous?.runId === o.writer.runId ? previous.setMemory : undefined);
  return encodeMarker({
    nonce: o.nonce,
    restoreMemory: o.restoreMemory,
    ...(setMemory === undefined ? {} : { setMemory }),
    updatedAt: o.nowMs,
    runId: o.writer.runId,
    ...(o.writer.process ? { process: o.writer.process } : {}),
  });
}
