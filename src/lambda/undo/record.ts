/**
 * The undo record a function carries while a run changes it: the one variable the run adds,
 * COLDSTART_NONCE, holds besides the fresh value that forces a new environment who changed the function (the run),
 * the memory an undo puts back, the memory the run's last update set, and when the run last touched it. Any later
 * actor — the post step, a new run, `lambda-coldstart restore` — can put the function back from it, even when the
 * process that changed it is gone. No secrets; a few dozen bytes plus the run id. PURE.
 *
 * Value: `n=<nonce>;m=<memory to restore>;s=<memory set>;t=<epoch seconds>;r=<run id>[;k=1]`, each field
 * percent-escaped for `%`, `;` and `=`. `k=1` marks a record the run left on purpose (`restore: false`).
 */
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { FUNCTION_TIMEOUT_MAX_SEC, MEMORY_MAX_MB } from '../../config/limits.js';

/** The one environment variable a run adds: a fresh value forces a new execution environment; it holds the record. */
export const NONCE_VARIABLE = 'COLDSTART_NONCE' as const;

/** The longest nonce a record is sized for (the default nonce has 21 characters). */
export const NONCE_MAX_LENGTH = 32;
/** When no run id is given (engine tests, benchmarks). */
export const DEFAULT_RUN_ID = 'lambda-coldstart';
/**
 * A marker is live (its run may still be changing the function) for the run's update timeout plus the function's own
 * timeout (the longest gap between two updates of a run: wait, then one invoke) plus this margin (SDK retries of a
 * throttled invoke, clocks of two machines a little apart).
 */
export const LIVE_MARGIN_SEC = 60;

/** The record on a function (a run's saved state, UndoEntry, holds the same facts for its own functions). */
export interface UndoRecord {
  nonce: string;
  /** The memory size an undo puts back: the function's original, or the size someone else set during the run. */
  restoreMemory: number;
  /** The memory size the run's last update set (absent: the run never set memory). */
  setMemory?: number;
  /** Epoch ms (second precision) of the run's last update. */
  updatedAt: number;
  runId: string;
  /** The run ended and left its change on purpose (`restore: false`): not a live run, not a leftover to restore. */
  kept?: boolean;
}

const esc = (s: string): string => s.replace(/[%;=]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const unesc = (s: string): string => s.replace(/%(25|3B|3D)/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

export function encodeMarker(r: UndoRecord): string {
  const parts = [
    `n=${esc(r.nonce)}`,
    `m=${r.restoreMemory}`,
    ...(r.setMemory === undefined ? [] : [`s=${r.setMemory}`]),
    `t=${Math.floor(r.updatedAt / 1000)}`,
    `r=${esc(r.runId)}`,
  ];
  if (r.kept) parts.push('k=1');
  return parts.join(';');
}

/** The record in a marker value; undefined for a bare nonce (no record) or anything unreadable. */
export function decodeMarker(value: string): UndoRecord | undefined {
  const fields = new Map<string, string>();
  for (const part of value.split(';')) {
    const at = part.indexOf('=');
    if (at <= 0) return undefined;
    fields.set(part.slice(0, at), unesc(part.slice(at + 1)));
  }
  const int = (k: string): number | undefined => {
    const v = fields.get(k);
    return v !== undefined && /^\d{1,15}$/.test(v) ? Number(v) : undefined;
  };
  const nonce = fields.get('n');
  const runId = fields.get('r');
  const restoreMemory = int('m');
  const t = int('t');
  if (nonce === undefined || runId === undefined || restoreMemory === undefined || t === undefined) return undefined;
  const r: UndoRecord = { nonce, restoreMemory, updatedAt: t * 1000, runId };
  const s = int('s');
  if (s !== undefined) r.setMemory = s;
  if (fields.get('k') === '1') r.kept = true;
  return r;
}

export interface Marker {
  /** The function has our variable. */
  present: boolean;
  /** Its value. */
  value?: string;
  /** Its record (absent for a bare nonce). */
  record?: UndoRecord;
}

/** Our variable on a configuration, and its record. */
export function readMarker(c: FunctionConfiguration): Marker {
  const vars = c.Environment?.Variables ?? {};
  if (!Object.prototype.hasOwnProperty.call(vars, NONCE_VARIABLE)) return { present: false };
  const value = vars[NONCE_VARIABLE] ?? '';
  const record = decodeMarker(value);
  return record === undefined ? { present: true, value } : { present: true, value, record };
}

/** How long after its last update a record counts as belonging to a live run (ms). */
export function liveWindowMs(updateTimeoutSec: number, functionTimeoutSec: number | undefined): number {
  return (updateTimeoutSec + (functionTimeoutSec ?? FUNCTION_TIMEOUT_MAX_SEC) + LIVE_MARGIN_SEC) * 1000;
}

/** live: a run may still be changing the function; stale: its run died; kept: its run ended and left it on purpose. */
export function markerState(r: UndoRecord, nowMs: number, windowMs: number): 'live' | 'stale' | 'kept' {
  if (r.kept) return 'kept';
  return nowMs - r.updatedAt <= windowMs ? 'live' : 'stale';
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
 * nonce, memory sizes and time a record can hold.
 */
export function markerReserveBytes(runId: string): number {
  const longest = encodeMarker({
    nonce: 'x'.repeat(NONCE_MAX_LENGTH),
    restoreMemory: MEMORY_MAX_MB,
    setMemory: MEMORY_MAX_MB,
    updatedAt: 9_999_999_999_000,
    runId,
    kept: true,
  });
  return Buffer.byteLength(`,${JSON.stringify(NONCE_VARIABLE)}:${JSON.stringify(longest)}`, 'utf8');
}

/**
 * The value of our variable for an update: the nonce and the undo record. The memory the update sets is `memory`, or —
 * when the update leaves memory alone — what our previous record said (a size someone else set is never taken for
 * ours). PURE.
 */
export function markerValue(
  current: FunctionConfiguration,
  o: { nonce: string; restoreMemory: number; memory?: number | undefined; runId: string; nowMs: number },
): string {
  const previous = readMarker(current).record;
  const setMemory = o.memory ?? (previous?.runId === o.runId ? previous.setMemory : undefined);
  return encodeMarker({
    nonce: o.nonce,
    restoreMemory: o.restoreMemory,
    ...(setMemory === undefined ? {} : { setMemory }),
    updatedAt: o.nowMs,
    runId: o.runId,
  });
}
