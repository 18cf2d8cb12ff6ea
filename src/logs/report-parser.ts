/**
 * Parse Lambda REPORT lines — text format (tab- or space-separated, old lines with a space before
 * the tab, optional trailing tab, optional fields) and JSON format (`platform.report` records).
 * PURE: imports nothing from AWS or GitHub.
 */
import type { ReportLine } from '../results/model.js';

/** Known keys of a text REPORT line, longest first so `Billed Duration` never reads as `Duration`. */
const KEYS = [
  'Billed Restore Duration',
  'Restore Duration',
  'Billed Duration',
  'Init Duration',
  'Max Memory Used',
  'Memory Size',
  'Duration',
  'Status',
  'Error Type',
  'RequestId',
  'XRAY TraceId',
  'SegmentId',
  'Sampled',
] as const;

const KEY_RE = new RegExp(`(?:^|\\s)(${KEYS.join('|')}):`, 'g');

function num(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(-?\d+(?:\.\d+)?)/.exec(v.trim());
  if (!m?.[1]) return undefined;
  const n = Number(m[1]);
  return Number.isFinite(n) ? n : undefined;
}

function parseText(line: string): ReportLine | undefined {
  const start = line.indexOf('REPORT RequestId:');
  if (start < 0) return undefined;
  const body = line.slice(start + 'REPORT'.length);
  const fields = new Map<string, string>();
  const matches = [...body.matchAll(KEY_RE)];
  for (let i = 0; i < matches.length; i++) {
    const m = matches[i]!;
    const key = m[1]!;
    const valueStart = (m.index ?? 0) + m[0].length;
    const next = matches[i + 1];
    const valueEnd = next ? (next.index ?? body.length) : body.length;
    if (!fields.has(key)) fields.set(key, body.slice(valueStart, valueEnd).trim());
  }
  const requestId = fields.get('RequestId')?.split(/\s/)[0];
  const durationMs = num(fields.get('Duration'));
  const billedDurationMs = num(fields.get('Billed Duration'));
  const memorySizeMb = num(fields.get('Memory Size'));
  const maxMemoryUsedMb = num(fields.get('Max Memory Used'));
  if (!requestId || durationMs === undefined || billedDurationMs === undefined || memorySizeMb === undefined) {
    return undefined;
  }
  const r: ReportLine = {
    requestId,
    durationMs,
    billedDurationMs,
    memorySizeMb,
    maxMemoryUsedMb: maxMemoryUsedMb ?? 0,
    status: fields.get('Status')?.split(/\s/)[0] || 'success',
    format: 'text',
  };
  const init = num(fields.get('Init Duration'));
  if (init !== undefined) r.initDurationMs = init;
  const restore = num(fields.get('Restore Duration'));
  if (restore !== undefined) r.restoreDurationMs = restore;
  const billedRestore = num(fields.get('Billed Restore Duration'));
  if (billedRestore !== undefined) r.billedRestoreDurationMs = billedRestore;
  const errorType = fields.get('Error Type');
  if (errorType) r.errorType = errorType;
  return r;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseJson(line: string): ReportLine | undefined {
  const brace = line.indexOf('{');
  if (brace < 0 || !line.includes('platform.report')) return undefined;
  let obj: unknown;
  try {
    obj = JSON.parse(line.slice(brace).trim());
  } catch {
    return undefined;
  }
  if (!isRecord(obj) || obj['type'] !== 'platform.report' || !isRecord(obj['record'])) return undefined;
  const rec = obj['record'];
  const metrics = isRecord(rec['metrics']) ? rec['metrics'] : {};
  const n = (k: string): number | undefined => {
    const v = metrics[k];
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  };
  const requestId = rec['requestId'];
  const durationMs = n('durationMs');
  const billedDurationMs = n('billedDurationMs');
  const memorySizeMb = n('memorySizeMB');
  if (
    typeof requestId !== 'string' ||
    !requestId ||
    durationMs === undefined ||
    billedDurationMs === undefined ||
    memorySizeMb === undefined
  ) {
    return undefined;
  }
  const r: ReportLine = {
    requestId,
    durationMs,
    billedDurationMs,
    memorySizeMb,
    maxMemoryUsedMb: n('maxMemoryUsedMB') ?? 0,
    status: typeof rec['status'] === 'string' && rec['status'] ? rec['status'] : 'success',
    format: 'json',
  };
  const init = n('initDurationMs');
  if (init !== undefined) r.initDurationMs = init;
  const restore = n('restoreDurationMs');
  if (restore !== undefined) r.restoreDurationMs = restore;
  const billedRestore = n('billedRestoreDurationMs');
  if (billedRestore !== undefined) r.billedRestoreDurationMs = billedRestore;
  if (typeof rec['errorType'] === 'string' && rec['errorType']) r.errorType = rec['errorType'];
  return r;
}

/** One REPORT line (text) or one `platform.report` JSON record; undefined for anything else. */
export function parseReportLine(line: string): ReportLine | undefined {
  const trimmed = line.trim();
  if (!trimmed) return undefined;
  if (trimmed.includes('platform.report')) {
    const j = parseJson(trimmed);
    if (j) return j;
  }
  return parseText(line.replace(/[\r\n]+$/, ''));
}

/**
 * The REPORT in a decoded log tail or a log message: the one for `requestId` when given,
 * else the last one. The tail's first line may be cut (Lambda returns the last 4 KB); that is fine.
 */
export function findReport(log: string, requestId?: string): ReportLine | undefined {
  let found: ReportLine | undefined;
  for (const line of log.split(/\r?\n/)) {
    if (!line.includes('REPORT') && !line.includes('platform.report')) continue;
    const r = parseReportLine(line);
    if (!r) continue;
    if (requestId === undefined) found = r;
    else if (r.requestId === requestId) return r;
  }
  return found;
}

/** Decode the base64 `LogResult` of an Invoke with `LogType: Tail` ('' when absent). */
export function decodeTail(base64: string | undefined): string {
  if (!base64) return '';
  return Buffer.from(base64, 'base64').toString('utf8');
}
