/**
 * Logs Insights: find the REPORT of exactly this run's request ids. Re-queries until every id is found
 * or the deadline passes (ingestion can take seconds) — never a fixed sleep. Times are epoch SECONDS.
 */
import {
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
  type CloudWatchLogsClient,
  type ResultField,
} from '@aws-sdk/client-cloudwatch-logs';
import type { ReportLine } from '../results/model.js';
import { parseReportLine } from './report-parser.js';

/** Insights' limit on a query string. */
export const MAX_QUERY_LENGTH = 10_000;
/** Margin around the run's time window (clock skew between the runner and AWS). */
export const WINDOW_MARGIN_SEC = 120;

const HEAD =
  'fields @timestamp, @message, @logStream\n' + '| filter @message like "REPORT RequestId:" or @message like "platform.report"\n';
const TAIL = '\n| sort @timestamp asc\n| limit 10000';

function idFilter(ids: string[]): string {
  return '| filter ' + ids.map((id) => `@message like "${id.replace(/["\\]/g, '')}"`).join(' or ');
}

/** One query for these request ids (text and JSON log formats). PURE. */
export function buildQuery(requestIds: string[]): string {
  if (requestIds.length === 0) throw new Error('buildQuery: no request ids');
  return HEAD + idFilter(requestIds) + TAIL;
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

export interface QueryReportsOptions {
  logGroup: string;
  requestIds: string[];
  /** Epoch ms when the run started (window start, minus a margin). */
  startTimeMs: number;
  timeoutSec: number;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Between GetQueryResults polls and re-runs (default 1000). */
  pollMs?: number;
  /** Called on every StartQuery / LimitExceeded (for tests and benchmarks). */
  onEvent?: (e: { type: 'start' | 'limit-exceeded' | 'complete'; found: number; wanted: number }) => void;
}

function errName(e: unknown): string {
  return typeof e === 'object' && e !== null && 'name' in e ? String((e as { name: unknown }).name) : '';
}

/**
 * Query `logGroup` for the REPORTs of `requestIds`; re-run for the ids still missing until all are found or
 * `timeoutSec` passes. Returns what was found (possibly not every id). LimitExceededException → retry later.
 * Other errors (access, malformed query, missing log group) are thrown, except ResourceNotFoundException
 * (log group not created yet: nothing ingested yet), which is retried until the deadline.
 */
export async function queryReports(logs: CloudWatchLogsClient, q: QueryReportsOptions): Promise<Map<string, ReportLine>> {
  const found = new Map<string, ReportLine>();
  const wanted = new Set(q.requestIds);
  if (wanted.size === 0) return found;
  const pollMs = q.pollMs ?? 1000;
  const deadline = q.now() + q.timeoutSec * 1000;
  const startTime = Math.floor(q.startTimeMs / 1000) - WINDOW_MARGIN_SEC;

  const missing = (): string[] => [...wanted].filter((id) => !found.has(id));

  while (missing().length > 0 && q.now() < deadline) {
    for (const queryString of buildQueries(missing())) {
      if (q.now() >= deadline) break;
      let queryId: string | undefined;
      try {
        const endTime = Math.ceil(q.now() / 1000) + WINDOW_MARGIN_SEC;
        const res = await logs.send(new StartQueryCommand({ logGroupName: q.logGroup, startTime, endTime, queryString, limit: 10000 }));
        queryId = res.queryId;
        q.onEvent?.({ type: 'start', found: found.size, wanted: wanted.size });
      } catch (e) {
        const name = errName(e);
        if (name === 'LimitExceededException' || name === 'ResourceNotFoundException') {
          q.onEvent?.({ type: 'limit-exceeded', found: found.size, wanted: wanted.size });
          await q.sleep(pollMs);
          continue;
        }
        throw e;
      }
      if (!queryId) continue;
      // Poll until the query finishes (or the deadline); Running results are partial, so only a finished query counts.
      let done = false;
      let polls = 0;
      while (!done) {
        // The first poll comes sooner: short queries are often finished within half a second.
        await q.sleep(polls++ === 0 ? Math.min(pollMs, 500) : pollMs);
        const r = await logs.send(new GetQueryResultsCommand({ queryId }));
        for (const rep of reportsFromResults(r.results)) {
          if (wanted.has(rep.requestId) && !found.has(rep.requestId)) found.set(rep.requestId, rep);
        }
        const status = r.status ?? 'Unknown';
        if (status === 'Complete' || status === 'Failed' || status === 'Cancelled' || status === 'Timeout') done = true;
        else if (missing().length === 0 || q.now() >= deadline) {
          // Everything found from partial results, or out of time: stop the query so it does not count against the quota.
          await logs.send(new StopQueryCommand({ queryId })).catch(() => undefined);
          done = true;
        }
      }
      q.onEvent?.({ type: 'complete', found: found.size, wanted: wanted.size });
    }
  }
  return found;
}
