/**
 * Parse the platform lines of an execution environment's init phase, text and JSON log formats:
 * - INIT_START names the runtime version and its ARN (Lambda patches managed runtimes without a deploy):
 *   `INIT_START Runtime Version: nodejs:20.v22\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:…`, or a
 *   `platform.initStart` record {initializationType, phase, runtimeVersion?, runtimeVersionArn?, functionName?,
 *   functionVersion?}.
 * - INIT_REPORT says how an init ended. Text: only when it failed or timed out (and always for SnapStart and provisioned
 *   concurrency): `INIT_REPORT Init Duration: 10000.21 ms\tPhase: init\tStatus: timeout`, with `Error Type: …` after an
 *   error. JSON: a `platform.initReport` record {initializationType, phase, status, errorType?, metrics: {durationMs}}
 *   after every init, successful ones included. Phase `invoke` is the init Lambda re-ran inside the first invoke after
 *   the init phase failed ("suppressed init").
 * PURE.
 */
import { firstWord, isRecord, leadingNumber, numberField, platformRecord, stringField, textFields } from './line-fields.js';

export interface InitStartLine {
  /** `nodejs:20.v22`; absent from a JSON record that does not name it. */
  runtimeVersion?: string;
  runtimeVersionArn?: string;
  /** JSON only: `on-demand`, `provisioned-concurrency`, … */
  initializationType?: string;
  /** JSON only: `init` (or `invoke`). */
  phase?: string;
  /** JSON only. */
  functionName?: string;
  functionVersion?: string;
  format: 'text' | 'json';
}

export interface InitReportLine {
  /** How long that init ran, ms (up to the 10 s limit for a timed-out on-demand init). */
  durationMs: number;
  /** `init`, or `invoke` for the init Lambda re-ran inside the invoke. `init` when the line names none. */
  phase: string;
  /** `success`, `timeout`, `error` (or another word Lambda prints). `success` when the line names none. */
  status: string;
  errorType?: string;
  /** JSON only. */
  initializationType?: string;
  format: 'text' | 'json';
}

const INIT_START_KEYS = ['Runtime Version ARN', 'Runtime Version'] as const;
const INIT_REPORT_KEYS = ['Init Duration', 'Phase', 'Status', 'Error Type'] as const;

/** What follows `word` on a line Lambda printed: platform lines start with it (a function's own output may contain it). */
function platformLineBody(line: string, word: string): string | undefined {
  const trimmed = line.trimStart();
  return trimmed.startsWith(word + ' ') || trimmed.startsWith(word + '\t') ? trimmed.slice(word.length) : undefined;
}

function initStartText(line: string): InitStartLine | undefined {
  const body = platformLineBody(line, 'INIT_START');
  if (body === undefined) return undefined;
  const fields = textFields(body, INIT_START_KEYS);
  const runtimeVersion = firstWord(fields.get('Runtime Version'));
  if (runtimeVersion === undefined) return undefined;
  const out: InitStartLine = { runtimeVersion, format: 'text' };
  const arn = firstWord(fields.get('Runtime Version ARN'));
  if (arn !== undefined) out.runtimeVersionArn = arn;
  return out;
}

function initStartJson(line: string): InitStartLine | undefined {
  const rec = platformRecord(line, 'platform.initStart');
  if (!rec) return undefined;
  const out: InitStartLine = { format: 'json' };
  const keys = ['runtimeVersion', 'runtimeVersionArn', 'initializationType', 'phase', 'functionName', 'functionVersion'] as const;
  for (const k of keys) {
    const v = stringField(rec, k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** One INIT_START line (text) or one `platform.initStart` JSON record; undefined for anything else. */
export function parseInitStartLine(line: string): InitStartLine | undefined {
  return line.includes('platform.initStart') ? initStartJson(line) : initStartText(line);
}

function initReportText(line: string): InitReportLine | undefined {
  const body = platformLineBody(line, 'INIT_REPORT');
  if (body === undefined) return undefined;
  const fields = textFields(body, INIT_REPORT_KEYS);
  const durationMs = leadingNumber(fields.get('Init Duration'));
  if (durationMs === undefined) return undefined;
  const out: InitReportLine = {
    durationMs,
    phase: firstWord(fields.get('Phase')) ?? 'init',
    status: firstWord(fields.get('Status')) ?? 'success',
    format: 'text',
  };
  const errorType = firstWord(fields.get('Error Type'));
  if (errorType !== undefined) out.errorType = errorType;
  return out;
}

function initReportJson(line: string): InitReportLine | undefined {
  const rec = platformRecord(line, 'platform.initReport');
  if (!rec) return undefined;
  const durationMs = isRecord(rec['metrics']) ? numberField(rec['metrics'], 'durationMs') : undefined;
  if (durationMs === undefined) return undefined;
  const out: InitReportLine = {
    durationMs,
    phase: stringField(rec, 'phase') ?? 'init',
    status: stringField(rec, 'status') ?? 'success',
    format: 'json',
  };
  const errorType = stringField(rec, 'errorType');
  if (errorType !== undefined) out.errorType = errorType;
  const initializationType = stringField(rec, 'initializationType');
  if (initializationType !== undefined) out.initializationType = initializationType;
  return out;
}

/** One INIT_REPORT line (text) or one `platform.initReport` JSON record; undefined for anything else. */
export function parseInitReportLine(line: string): InitReportLine | undefined {
  return line.includes('platform.initReport') ? initReportJson(line) : initReportText(line);
}
