/**
 * Parse Lambda REPORT lines — text format (tab- or space-separated, old lines with a space before
 * the tab, optional trailing tab, optional fields) and JSON format (`platform.report` records).
 * PURE: imports nothing from AWS or GitHub.
 */
import type { ReportLine } from '../results/model.js';
import { firstWord, leadingNumber, numberField, platformRecord, stringField, textFields, isRecord } from './line-fields.js';

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

function parseText(line: string): ReportLine | undefined {
  const start = line.indexOf('REPORT RequestId:');
  if (start < 0) return undefined;
  const fields = textFields(line.slice(start + 'REPORT'.length), KEYS);
  const requestId = firstWord(fields.get('RequestId'));
  const durationMs = leadingNumber(fields.get('Duration'));
  const billedDurationMs = leadingNumber(fields.get('Billed Duration'));
  const memorySizeMb = leadingNumber(fields.get('Memory Size'));
  if (!requestId || durationMs === undefined || billedDurationMs === undefined || memorySizeMb === undefined) {
    return undefined;
  }
  const r: ReportLine = {
    requestId,
    durationMs,
    billedDurationMs,
    memorySizeMb,
    maxMemoryUsedMb: leadingNumber(fields.get('Max Memory Used')) ?? 0,
    status: firstWord(fields.get('Status')) ?? 'success',
    format: 'text',
  };
  const init = leadingNumber(fields.get('Init Duration'));
  if (init !== undefined) r.initDurationMs = init;
  const restore = leadingNumber(fields.get('Restore Duration'));
  if (restore !== undefined) r.restoreDurationMs = restore;
  const billedRestore = leadingNumber(fields.get('Billed Restore Duration'));
  if (billedRestore !== undefined) r.billedRestoreDurationMs = billedRestore;
  const errorType = fields.get('Error Type');
  if (errorType) r.errorType = errorType;
  return r;
}

function parseJson(line: string): ReportLine | undefined {
  const rec = platformRecord(line, 'platform.report');
  if (!rec) return undefined;
  const metrics = isRecord(rec['metrics']) ? rec['metrics'] : {};
  const n = (k: string): number | undefined => numberField(metrics, k);
  const requestId = stringField(rec, 'requestId');
  const durationMs = n('durationMs');
  const billedDurationMs = n('billedDurationMs');
  const memorySizeMb = n('memorySizeMB');
  if (requestId === undefined || durationMs === undefined || billedDurationMs === undefined || memorySizeMb === undefined) {
    return undefined;
  }
  const r: ReportLine = {
    requestId,
    durationMs,
    billedDurationMs,
    memorySizeMb,
    maxMemoryUsedMb: n('maxMemoryUsedMB') ?? 0,
    status: stringField(rec, 'status') ?? 'success',
    format: 'json',
  };
  const init = n('initDurationMs');
  if (init !== undefined) r.initDurationMs = init;
  const restore = n('restoreDurationMs');
  if (restore !== undefined) r.restoreDurationMs = restore;
  const billedRestore = n('billedRestoreDurationMs');
  if (billedRestore !== undefined) r.billedRestoreDurationMs = billedRestore;
  const errorType = stringField(rec, 'errorType');
  if (errorType !== undefined) r.errorType = errorType;
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
