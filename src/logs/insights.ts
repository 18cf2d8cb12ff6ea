/**
 * Logs Insights: find the REPORT of exactly this run's request ids. Re-queries with back-off until every id is found
 * or the deadline passes (ingestion can take seconds) — never a fixed sleep. Times are epoch SECONDS. A run shares a
 * few query slots (InsightsQueries), and functions waiting together share one query.
 *
 * The same query returns the INIT_START and INIT_REPORT lines of the window (text and JSON formats) with their log
 * stream: they carry no request id, so they are matched to an invocation by stream and time (logs/invocation.ts). They
 * name the runtime version of each environment, and an init that failed or timed out (a suppressed init).
 */
import {
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
  type CloudWatchLogsClient,
  type ResultField,
} from '@aws-sdk/client-cloudwatch-logs';
import type { ReportLine } from '../results/model.js';
import { errorName } from '../core/aws-errors.js';
import { parseReportLine } from './report-parser.js';
import type { LogEvent } from './invocation.js';
import { MAX_LOG_GROUPS_PER_QUERY } from '../config/limits.js';
import { ColdstartError } from '../core/errors.js';

/** Insights' limit on a query string. */
export const MAX_QUERY_LENGTH = 10_000;
/** Margin around the run's time window (clock skew between the runner and AWS). */
export const WINDOW_MARGIN_SEC = 120;

const HEAD = 'fields @timestamp, @message, @logStream\n';
const REPORTS = '(@message like "REPORT RequestId:" or @message like "platform.report")';
/** The platform lines of an init, which name no request id. */
const INITS =
  '@message like "INIT_START" or @message like "INIT_REPORT" or @message like "platform.initStart" or @message like "platform.initReport"';
const TAIL = '\n| sort @timestamp asc\n| limit 10000';

function idFilter(ids: string[]): string {
  return '(' + ids.map((id) => `@message like "${id.replace(/["\\]/g, '')}"`).join(' or ') + ')';
}

/** One query for these request ids' REPORTs and the INIT lines beside them (text and JSON log formats). PURE. */
export function buildQuery(requestIds: string[]): string {
  if (requestIds.length === 0) throw new Error('buildQuery: no request ids');
  return `${HEAD}| filter (${REPORTS} and ${idFilter(requestIds)}) or ${INITS}${TAIL}`;
}

/** The ids split into as few queries as fit within `maxLength` characters each. PURE. */
export function buildQueries(requestIds: string[], maxLength = MAX_QUERY_LENGTH): string[] {
  const out: string[] = [];
  let chunk: string[] = [];
  for (const id of requestIds) {
    const candidate = [...chunk, id];
    if (chunk.length > 0 && buildQuery(candidate).length > maxLength) {
      out.push(buildQuery(chunk));
      chunk = [id];
    } else {
      chunk = candidate;
    }
  }
  if (chunk.length > 0) out.push(buildQuery(chunk));
  return out;
}

/** The REPORTs among Insights result rows (parsing `@message`, so text and JSON both work). PURE. */
export function reportsFromResults(rows: ResultField[][] | undefined): ReportLine[] {
  const out: ReportLine[] = [];
  for (const row of rows ?? []) {
    const message = row.find((f) => f.field === '@message')?.value;
    if (!message) continue;
    const r = parseReportLine(message);
    if (r) out.push(r);
  }
  return out;
}

/** Insights' @timestamp ("2024-01-01 00:00:00.000", UTC) as epoch ms; undefined when it is not one. */
function timestampMs(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(/^\d{4}-\d\d-\d\d \d/.test(v) ? `${v.replace(' ', 'T')}Z` : v);
  return Number.isFinite(t) ? t : undefined;
}

/** Result rows as log events: @message with its @logStream and @timestamp (for logs/invocation.ts). PURE. */
export function eventsFromResults(rows: ResultField[][] | undefined): LogEvent[] {
  const out: LogEvent[] = [];
  for (const row of rows ?? []) {
    const get = (f: string) => row.find((x) => x.field === f)?.value;
    const message = get('@message');
    if (!message) continue;
    const e: LogEvent = { message };
    const stream = get('@logStream');
    if (stream) e.logStream = stream;
    const t = timestampMs(get('@timestamp'));
    if (t !== undefined) e.timestamp = t;
    out.push(e);
  }
  return out;
}

const isInitLine = (m: string): boolean => m.includes('INIT_') || m.includes('platform.init');

/** What a request found: the REPORT of each request id, and the log events of those REPORTs and of every INIT line. */
export interface FoundLogs {
  reports: Map<string, ReportLine>;
  events: LogEvent[];
}

/** Queries in flight at once, run-wide (the account allows 30 concurrent queries, shared with everyone else). */
export const MAX_QUERIES_IN_FLIGHT = 4;
/** A query that completed but missed ids is re-run after a back-off growing from REQUERY_MIN_MS to REQUERY_MAX_MS. */
export const REQUERY_MIN_MS = 1000;
export const REQUERY_MAX_MS = 5000;
const REQUERY_FACTOR = 1.5;

/** StartQuery named a log group that does not exist: said at once, by name. */
export class LogGroupNotFoundError extends ColdstartError {
  override name = 'LogGroupNotFoundError';
  constructor(
    readonly logGroup: string,
    options?: { cause?: unknown },
  ) {
    super(
      `log group ${logGroup} does not exist (Lambda creates it on the first invoke only when the function's role may write logs; LoggingConfig.LogGroup may name another)`,
      options,
    );
  }
}

export type QueryEvent = { type: 'start' | 'limit-exceeded' | 'complete'; found: number; wanted: number; logGroups: number };

export interface InsightsOptions {
  logs: CloudWatchLogsClient;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Epoch ms when the run started, on AWS's clock (window start, minus a margin). */
  startTimeMs: number;
  /**
   * AWS's time now (the window's end): log events carry Lambda's timestamps, so a machine whose clock is off must not
   * move the window. Default `now` (deadlines and polls always use `now`: they are durations on this machine).
   */
  awsNow?(): number;
  /** Queries in flight at most (default MAX_QUERIES_IN_FLIGHT). */
  maxInFlight?: number;
  /** Between GetQueryResults polls (default 1000; the first comes after at most 500). */
  pollMs?: number;
  /** Called on every StartQuery / LimitExceeded / completed query (tests, benchmarks). */
  onEvent?: (e: QueryEvent) => void;
  /**
   * The run was cancelled: every request resolves with what was found so far (the invoke tails hold the rest), queries
   * in flight are stopped, none is started. `sleep` should resolve early on it too.
   */
  signal?: AbortSignal;
}

interface Request {
  logGroup: string;
  wanted: Set<string>;
  found: Map<string, ReportLine>;
  /** The REPORT lines found and the INIT lines seen, as events, once each (re-queries return them again). */
  events: Map<string, LogEvent>;
  deadline: number;
  delayMs: number;
  /** Query this log group alone (a shared query failed because some log group does not exist). */
  alone: boolean;
  resolve(m: Map<string, ReportLine>): void;
  reject(e: unknown): void;
}

const missingOf = (r: Request): string[] => [...r.wanted].filter((id) => !r.found.has(id));

/**
 * Logs Insights for a whole run: requests (log group + request ids) wait for one of a few shared slots; requests
 * waiting together share one query (up to MAX_LOG_GROUPS_PER_QUERY log groups, as long as their ids fit in one query string); a completed
 * query that missed ids is re-run with back-off; a log group that does not exist is rejected at once, by name.
 */
export class InsightsQueries {
  private readonly pending: Request[] = [];
  private inFlight = 0;
  private readonly maxInFlight: number;
  private readonly pollMs: number;
  /** StartQuery calls made (benchmarks). */
  started = 0;

  constructor(private readonly o: InsightsOptions) {
    this.maxInFlight = Math.max(1, o.maxInFlight ?? MAX_QUERIES_IN_FLIGHT);
    this.pollMs = o.pollMs ?? 1000;
  }

  /** The REPORTs of `requestIds` in `logGroup`, found within `timeoutSec` (possibly not every id). */
  request(logGroup: string, requestIds: string[], timeoutSec: number): Promise<Map<string, ReportLine>> {
    return this.requestLogs(logGroup, requestIds, timeoutSec).then((f) => f.reports);
  }

  /** As `request`, with the log events of the REPORTs found and of the INIT lines beside them. */
  requestLogs(logGroup: string, requestIds: string[], timeoutSec: number): Promise<FoundLogs> {
    return new Promise((resolveLogs, reject) => {
      const resolve = (reports: Map<string, ReportLine>): void => resolveLogs({ reports, events: [...r.events.values()] });
      const r: Request = {
        logGroup,
        wanted: new Set(requestIds),
        found: new Map(),
        events: new Map(),
        deadline: this.o.now() + timeoutSec * 1000,
        delayMs: REQUERY_MIN_MS,
        alone: false,
        resolve,
        reject,
      };
      if (r.wanted.size === 0) return resolve(r.found);
      this.enqueue(r);
    });
  }

  private enqueue(r: Request): void {
    this.pending.push(r);
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.pending.length > 0) {
      const batch = this.takeBatch();
      this.inFlight++;
      void this.runBatch(batch)
        .catch((e: unknown) => {
          for (const r of batch) r.reject(e);
        })
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
  }

  /** The first waiting request, and those that can share its query. */
  private takeBatch(): Request[] {
    const first = this.pending.shift()!;
    if (first.alone) return [first];
    const batch = [first];
    const groups = new Set([first.logGroup]);
    const ids = missingOf(first);
    for (let i = 0; i < this.pending.length;) {
      const r = this.pending[i]!;
      const more = missingOf(r);
      const fits =
        !r.alone &&
        (groups.has(r.logGroup) || groups.size < MAX_LOG_GROUPS_PER_QUERY) &&
        buildQuery([...ids, ...more]).length <= MAX_QUERY_LENGTH;
      if (!fits) {
        i++;
        continue;
      }
      batch.push(r);
      groups.add(r.logGroup);
      ids.push(...more);
      this.pending.splice(i, 1);
    }
    return batch;
  }

  /** A wait that a cancelled run may cut short (a sleep that rejects on abort counts as one that resolves early). */
  private pause(ms: number): Promise<void> {
    return this.o.sleep(ms).catch(() => undefined);
  }

  /** Out of time for `r`: its deadline passed, or the run was cancelled. */
  private over(r: { deadline: number }): boolean {
    return this.o.signal?.aborted === true || this.o.now() >= r.deadline;
  }

  private async runBatch(batch: Request[]): Promise<void> {
    const live = batch.filter((r) => missingOf(r).length > 0 && !this.over(r));
    for (const r of batch) if (!live.includes(r)) r.resolve(r.found);
    if (live.length === 0) return;
    const groups = [...new Set(live.map((r) => r.logGroup))];
    const deadline = Math.max(...live.map((r) => r.deadline));
    const startTime = Math.floor(this.o.startTimeMs / 1000) - WINDOW_MARGIN_SEC;
    for (const queryString of buildQueries(live.flatMap(missingOf))) {
      let queryId: string | undefined;
      try {
        const endTime = Math.ceil((this.o.awsNow ?? this.o.now)() / 1000) + WINDOW_MARGIN_SEC;
        const input =
          groups.length === 1
            ? { logGroupName: groups[0]!, startTime, endTime, queryString, limit: 10000 }
            : { logGroupNames: groups, startTime, endTime, queryString, limit: 10000 };
        queryId = (await this.o.logs.send(new StartQueryCommand(input))).queryId;
        this.started++;
        this.event('start', live, groups.length);
      } catch (e) {
        const name = errorName(e);
        if (name === 'ResourceNotFoundException') {
          if (groups.length === 1) {
            for (const r of live) r.reject(new LogGroupNotFoundError(groups[0]!, { cause: e }));
          } else {
            // Which one is missing: each log group on its own, at once.
            for (const r of live) this.enqueue(Object.assign(r, { alone: true }));
          }
          return;
        }
        if (name === 'LimitExceededException' || name === 'ThrottlingException') {
          this.event('limit-exceeded', live, groups.length);
          this.later(live);
          return;
        }
        throw e;
      }
      if (!queryId) continue;
      await this.poll(queryId, live, deadline);
      this.event('complete', live, groups.length);
    }
    const again: Request[] = [];
    for (const r of live) {
      if (missingOf(r).length === 0 || this.over(r)) r.resolve(r.found);
      else again.push(r);
    }
    this.later(again);
  }

  /** Poll until the query finishes; Running results are partial, so only a finished query counts. */
  private async poll(queryId: string, live: Request[], deadline: number): Promise<void> {
    for (let polls = 0; ;) {
      // The first poll comes sooner: short queries are often finished within half a second.
      await this.pause(polls++ === 0 ? Math.min(this.pollMs, 500) : this.pollMs);
      const res = await this.o.logs.send(new GetQueryResultsCommand({ queryId }));
      collectRows(res.results, live);
      const status = res.status ?? 'Unknown';
      if (status === 'Complete' || status === 'Failed' || status === 'Cancelled' || status === 'Timeout') return;
      if (live.every((r) => missingOf(r).length === 0) || this.over({ deadline })) {
        // Everything found from partial results, or out of time (or cancelled): stop the query so it does not count
        // against the quota.
        await this.o.logs.send(new StopQueryCommand({ queryId })).catch(() => undefined);
        return;
      }
    }
  }

  /** Back in the queue after each request's back-off (never a tight loop); the back-off grows up to REQUERY_MAX_MS. */
  private later(rs: Request[]): void {
    for (const r of rs) {
      const wait = Math.min(r.delayMs, Math.max(0, r.deadline - this.o.now()));
      r.delayMs = Math.min(REQUERY_MAX_MS, r.delayMs * REQUERY_FACTOR);
      void this.pause(wait).then(() => this.enqueue(r));
    }
  }

  private event(type: QueryEvent['type'], live: Request[], logGroups: number): void {
    const found = live.reduce((a, r) => a + r.found.size, 0);
    const wanted = live.reduce((a, r) => a + r.wanted.size, 0);
    this.o.onEvent?.({ type, found, wanted, logGroups });
  }
}

export interface QueryReportsOptions {
  logGroup: string;
  requestIds: string[];
  /** Epoch ms when the run started (window start, minus a margin). */
  startTimeMs: number;
  timeoutSec: number;
  now(): number;
  sleep(ms: number): Promise<void>;
  pollMs?: number;
  onEvent?: (e: QueryEvent) => void;
}

/** Each row's REPORT to the requests that want it; each INIT line to every request (matched later by log stream). */
function collectRows(rows: ResultField[][] | undefined, live: readonly Request[]): void {
  for (const e of eventsFromResults(rows)) {
    const key = `${e.logStream ?? ''}\n${e.timestamp ?? ''}\n${e.message}`;
    const rep = parseReportLine(e.message);
    if (rep) {
      for (const r of live) {
        if (!r.wanted.has(rep.requestId) || r.found.has(rep.requestId)) continue;
        r.found.set(rep.requestId, rep);
        r.events.set(key, e);
      }
    } else if (isInitLine(e.message)) {
      for (const r of live) r.events.set(key, e);
    }
  }
}

/** One log group's query on its own (InsightsQueries with a single request). */
export function queryReports(logs: CloudWatchLogsClient, q: QueryReportsOptions): Promise<Map<string, ReportLine>> {
  const queries = new InsightsQueries({
    logs,
    now: q.now,
    sleep: q.sleep,
    startTimeMs: q.startTimeMs,
    ...(q.pollMs === undefined ? {} : { pollMs: q.pollMs }),
    ...(q.onEvent === undefined ? {} : { onEvent: q.onEvent }),
  });
  return queries.request(q.logGroup, q.requestIds, q.timeoutSec);
}
