/**
 * history.json text ↔ History. Writing puts one entry per line (small diffs in the branch, compact file); reading checks
 * the version and the shape cheaply (the full JSON schema is checked in tests). Pure.
 */
import { HistoryFormatError } from '../core/errors.js';
import { byteSize, type ReadLimit } from '../core/files.js';
import { kindOf } from '../results/json.js';
import { HISTORY_FILE_MAX_BYTES, HISTORY_SCHEMA_VERSION, type History, type HistoryEntry } from './model.js';

/** What a history.json may be, read from the branch or from a file: see HISTORY_FILE_MAX_BYTES. */
export const HISTORY_READ_LIMIT: ReadLimit = { what: 'a history.json', maxBytes: HISTORY_FILE_MAX_BYTES };

/** The error for a stored history over HISTORY_READ_LIMIT (its size as GitHub reports it), before it is downloaded. */
export function historyTooLarge(bytes: number): HistoryFormatError {
  return new HistoryFormatError(
    `${byteSize(bytes)}, over the ${byteSize(HISTORY_READ_LIMIT.maxBytes)} limit of ${HISTORY_READ_LIMIT.what}`,
  );
}

export function toHistoryJson(h: History): string {
  const { entries, ...head } = h;
  const top = JSON.stringify(head).slice(0, -1);
  const lines = entries.map((e) => JSON.stringify(e));
  return `${top},"entries":[${lines.length ? `\n${lines.join(',\n')}\n` : ''}]}\n`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function entryProblem(e: unknown, i: number): string | undefined {
  if (!isObject(e)) return `entries[${i}] is not an object`;
  for (const k of ['time', 'commit', 'branch', 'event', 'region'] as const) {
    if (typeof e[k] !== 'string') return `entries[${i}].${k} is not a string`;
  }
  if (!isObject(e['functions'])) return `entries[${i}].functions is not an object`;
  if (!Array.isArray(e['rows'])) return `entries[${i}].rows is not an array`;
  for (const [j, r] of (e['rows'] as unknown[]).entries()) {
    if (!isObject(r) || typeof r['function'] !== 'string' || !isNum(r['memory']) || !isNum(r['p50']) || !isNum(r['n'])) {
      return `entries[${i}].rows[${j}] lacks function, memory, n or p50`;
    }
    const ci = r['ci'];
    if (ci !== null && !(Array.isArray(ci) && ci.length === 2 && ci.every(isNum)))
      return `entries[${i}].rows[${j}].ci is not [low, high] or null`;
  }
  return undefined;
}

/** Parses and checks a history.json text; throws HistoryFormatError naming what is wrong. */
export function parseHistory(text: string): History {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // JSON.parse's message quotes the text: kept as the cause, never printed
    throw new HistoryFormatError('not JSON', { cause: e });
  }
  if (!isObject(value)) throw new HistoryFormatError('not a JSON object');
  if (value['schemaVersion'] !== HISTORY_SCHEMA_VERSION) {
    throw new HistoryFormatError(
      `schemaVersion is not ${HISTORY_SCHEMA_VERSION} (got ${kindOf(value['schemaVersion'])}; written by another version of lambda-coldstart?)`,
    );
  }
  if (typeof value['name'] !== 'string') throw new HistoryFormatError(`name is not a string (got ${kindOf(value['name'])})`);
  if (!Array.isArray(value['entries'])) throw new HistoryFormatError('entries is not an array');
  for (const [i, e] of (value['entries'] as unknown[]).entries()) {
    const problem = entryProblem(e, i);
    if (problem !== undefined) throw new HistoryFormatError(problem);
  }
  return value as unknown as History;
}

export type { History, HistoryEntry };
