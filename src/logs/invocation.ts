/**
 * One invocation's platform lines: its REPORT, the INIT_START of the execution environment that served it, and the
 * INIT_REPORT(s) of its cold start — from a decoded log tail (LogType Tail) or from log events (FilterLogEvents,
 * Logs Insights rows with @logStream), text and JSON formats alike.
 *
 * How the lines are matched. Lambda writes one log stream per execution environment, in order: INIT_START, the init's
 * own output, INIT_REPORT when init failed or timed out (JSON: after every init), START of the environment's first
 * request, a second INIT_REPORT (phase `invoke`) when Lambda re-ran init inside that invoke, END, REPORT; then the next
 * requests of the same environment. INIT_* lines carry no request id, so:
 * - lines are grouped by log stream (a tail, and events without a stream, are one group), each group in time order
 *   when every event has a timestamp (stable, so lines of the same millisecond keep their order), else as given;
 * - the invocation is found by its REPORT's request id (or its START's while the REPORT is missing);
 * - its INIT_REPORTs are those between the previous request's START/REPORT in that group and its own REPORT;
 * - its INIT_START is the last one before its REPORT in that group — the environment's, also for a warm request (a
 *   new INIT_START in the same stream starts a new environment: Lambda re-initialises after a crash).
 * PURE.
 */
import type { ReportLine } from '../results/model.js';
import { firstWord, platformRecord, stringField } from './line-fields.js';
import { parseInitReportLine, parseInitStartLine, type InitReportLine, type InitStartLine } from './init-parser.js';
import { parseReportLine } from './report-parser.js';

/** One log event: FilterLogEvents' {message, logStreamName, timestamp}, or an Insights row's @message/@logStream/@timestamp. */
export interface LogEvent {
  message: string;
  logStream?: string;
  /** Epoch ms. */
  timestamp?: number;
}

/** An init that failed or timed out: Lambda re-ran it inside the invoke and the REPORT has no Init Duration. */
export interface FailedInit {
  /** `timeout` (the 10 s limit of on-demand init) or `error` (a crash), as the INIT_REPORT says. */
  status: string;
  errorType?: string;
  /**
   * What such a sample reports as its init: how long the init phase ran before Lambda gave up (the INIT_REPORT of phase
   * `init`). A lower bound of the real init: the re-run inside the invoke is part of the REPORT's Duration.
   */
  initDurationMs: number;
  /** The init Lambda re-ran inside the invoke, when it printed an INIT_REPORT for it (phase `invoke`). */
  rerun?: { durationMs: number; status: string; errorType?: string };
}

export interface InvocationLog {
  requestId: string;
  /** Absent while the REPORT is not in the lines (not ingested yet). */
  report?: ReportLine;
  /** The environment's INIT_START: absent when it is not in the lines (a tail cut after 4 KB, a warm request's tail). */
  initStart?: InitStartLine;
  /** This request's INIT_REPORTs, in order (none for a successful init in text format). */
  initReports: InitReportLine[];
  /** Set when an INIT_REPORT says the init failed or timed out. */
  failedInit?: FailedInit;
  logStream?: string;
}

type Entry =
  | { kind: 'initStart'; line: InitStartLine }
  | { kind: 'initReport'; line: InitReportLine }
  | { kind: 'start'; requestId: string }
  | { kind: 'report'; requestId: string; line: ReportLine };

function startRequestId(line: string): string | undefined {
  const rec = platformRecord(line, 'platform.start');
  if (rec) return stringField(rec, 'requestId');
  const trimmed = line.trimStart();
  return trimmed.startsWith('START RequestId:') ? firstWord(trimmed.slice('START RequestId:'.length)) : undefined;
}

function parseEntry(line: string): Entry | undefined {
  if (!line.includes('INIT_') && !line.includes('START') && !line.includes('REPORT') && !line.includes('platform.')) {
    return undefined;
  }
  const report = parseReportLine(line);
  if (report) return { kind: 'report', requestId: report.requestId, line: report };
  const initReport = parseInitReportLine(line);
  if (initReport) return { kind: 'initReport', line: initReport };
  const initStart = parseInitStartLine(line);
  if (initStart) return { kind: 'initStart', line: initStart };
  const id = startRequestId(line);
  return id === undefined ? undefined : { kind: 'start', requestId: id };
}

/** The lines of each log stream, in time order. */
function groups(log: string | readonly LogEvent[]): Map<string, Entry[]> {
  const events: LogEvent[] = typeof log === 'string' ? [{ message: log }] : [...log];
  const byStream = new Map<string, LogEvent[]>();
  for (const e of events) {
    const key = e.logStream ?? '';
    const list = byStream.get(key);
    if (list) list.push(e);
    else byStream.set(key, [e]);
  }
  const out = new Map<string, Entry[]>();
  for (const [stream, list] of byStream) {
    const timed = list.every((e) => e.timestamp !== undefined);
    const ordered = timed ? [...list].sort((a, b) => a.timestamp! - b.timestamp!) : list;
    const entries: Entry[] = [];
    for (const e of ordered) {
      for (const line of e.message.split(/\r?\n/)) {
        const entry = parseEntry(line);
        if (entry) entries.push(entry);
      }
    }
    out.set(stream, entries);
  }
  return out;
}

const isOtherRequest = (e: Entry, requestId: string): boolean => (e.kind === 'start' || e.kind === 'report') && e.requestId !== requestId;

/** Index just past the request's last line: its REPORT, or (REPORT missing) the last line before the next request. */
function endOf(entries: readonly Entry[], requestId: string): number {
  const report = entries.findIndex((e) => e.kind === 'report' && e.requestId === requestId);
  if (report >= 0) return report + 1;
  const start = entries.findIndex((e) => e.kind === 'start' && e.requestId === requestId);
  if (start < 0) return -1;
  let end = start + 1;
  while (end < entries.length && !isOtherRequest(entries[end]!, requestId) && entries[end]!.kind !== 'initStart') end++;
  return end;
}

function failedInitOf(reports: readonly InitReportLine[]): FailedInit | undefined {
  const failures = reports.filter((r) => r.status !== 'success');
  const first = failures.find((r) => r.phase === 'init') ?? failures[0];
  if (!first) return undefined;
  const out: FailedInit = { status: first.status, initDurationMs: first.durationMs };
  if (first.errorType !== undefined) out.errorType = first.errorType;
  const rerun = reports.find((r) => r.phase === 'invoke' && r !== first);
  if (rerun) {
    out.rerun = { durationMs: rerun.durationMs, status: rerun.status };
    if (rerun.errorType !== undefined) out.rerun.errorType = rerun.errorType;
  }
  return out;
}

function collect(entries: readonly Entry[], end: number, requestId: string): InvocationLog {
  const out: InvocationLog = { requestId, initReports: [] };
  let ownLines = true;
  for (let i = end - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (e.kind === 'initStart') {
      out.initStart = e.line;
      break;
    }
    if (isOtherRequest(e, requestId)) ownLines = false;
    else if (e.kind === 'report' && out.report === undefined) out.report = e.line;
    else if (e.kind === 'initReport' && ownLines) out.initReports.unshift(e.line);
  }
  const failed = failedInitOf(out.initReports);
  if (failed) out.failedInit = failed;
  return out;
}

/**
 * The invocation `requestId` in a decoded log tail or in log events, with the INIT_* lines matched to it (see the
 * module comment); undefined when neither its REPORT nor its START is there.
 */
export function findInvocation(log: string | readonly LogEvent[], requestId: string): InvocationLog | undefined {
  for (const [stream, entries] of groups(log)) {
    const end = endOf(entries, requestId);
    if (end < 0) continue;
    const found = collect(entries, end, requestId);
    if (stream !== '') found.logStream = stream;
    return found;
  }
  return undefined;
}

/** findInvocation for many request ids over the same lines (grouped and parsed once): the ones found, by request id. */
export function findInvocations(log: string | readonly LogEvent[], requestIds: Iterable<string>): Map<string, InvocationLog> {
  const out = new Map<string, InvocationLog>();
  const grouped = [...groups(log)];
  for (const id of requestIds) {
    for (const [stream, entries] of grouped) {
      const end = endOf(entries, id);
      if (end < 0) continue;
      const found = collect(entries, end, id);
      if (stream !== '') found.logStream = stream;
      out.set(id, found);
      break;
    }
  }
  return out;
}

/** What the invocation's lines say of its start. */
export type InitOutcome =
  /** A cold start: the REPORT has Init Duration (or, SnapStart, Restore Duration). */
  | { kind: 'cold'; initMs: number; restored: boolean }
  /** A cold start whose init failed or timed out (suppressed init): count it apart, never retry it as warm. */
  | { kind: 'init-failed'; initMs: number; status: string; errorType?: string }
  /** The REPORT has neither: warm (or proactively initialised). */
  | { kind: 'warm' }
  /** No REPORT and no failed INIT_REPORT: nothing to tell yet. */
  | { kind: 'unknown' };

/** Classify an invocation: a failed INIT_REPORT wins over the REPORT (whose Init Duration, if any, is the re-run). */
export function initOutcome(inv: InvocationLog): InitOutcome {
  const f = inv.failedInit;
  if (f) {
    return f.errorType === undefined
      ? { kind: 'init-failed', initMs: f.initDurationMs, status: f.status }
      : { kind: 'init-failed', initMs: f.initDurationMs, status: f.status, errorType: f.errorType };
  }
  const r = inv.report;
  if (!r) return { kind: 'unknown' };
  if (r.initDurationMs !== undefined) return { kind: 'cold', initMs: r.initDurationMs, restored: false };
  if (r.restoreDurationMs !== undefined) return { kind: 'cold', initMs: r.restoreDurationMs, restored: true };
  return { kind: 'warm' };
}
