/** In-memory CloudWatch Logs: groups, streams, events with an ingestion delay, and the awsJson1_1 operations. */
import { ApiError } from './errors.js';
import { Prng } from './prng.js';
import { QuerySyntaxError, discoverFields, parseQuery, runQuery, type Row } from './query.js';
import type { LogGroupState, Latency } from './types.js';

interface StoredEvent {
  timestamp: number;
  ingestionTime: number;
  message: string;
  eventId: string;
}
interface StoredStream {
  name: string;
  createdAt: number;
  events: StoredEvent[];
}
interface StoredGroup {
  name: string;
  createdAt: number;
  streams: Map<string, StoredStream>;
}
interface StoredQuery {
  queryId: string;
  queryString: string;
  logGroups: string[];
  startTime: number;
  endTime: number;
  startedAt: number;
  stopped: boolean;
  results: { field: string; value: string }[][];
  scanned: number;
  bytes: number;
}

export class LogStore {
  private readonly groups = new Map<string, StoredGroup>();
  private readonly queries = new Map<string, StoredQuery>();
  readonly deletions: { operation: string; logGroupName?: string; logStreamName?: string; time: number }[] = [];
  private eventCounter = 0;

  constructor(
    private readonly accountId: string,
    private readonly region: string,
    private readonly latency: () => Latency,
    private readonly prng: Prng,
    private readonly now: () => number,
  ) {}

  /** Appends an event; creates group and stream as Lambda does on first write. */
  put(group: string, stream: string, timestamp: number, message: string): void {
    let g = this.groups.get(group);
    if (!g) {
      g = { name: group, createdAt: timestamp, streams: new Map() };
      this.groups.set(group, g);
    }
    let s = g.streams.get(stream);
    if (!s) {
      s = { name: stream, createdAt: timestamp, events: [] };
      g.streams.set(stream, s);
    }
    this.eventCounter++;
    s.events.push({
      timestamp,
      ingestionTime: this.now() + this.latency().ingestionMs,
      message,
      eventId: String(this.eventCounter).padStart(56, '0'),
    });
  }

  snapshot(): LogGroupState[] {
    return [...this.groups.values()].map((g) => ({
      name: g.name,
      createdAt: g.createdAt,
      streams: [...g.streams.values()].map((s) => ({
        name: s.name,
        createdAt: s.createdAt,
        events: s.events.map((e) => ({ timestamp: e.timestamp, ingestionTime: e.ingestionTime, message: e.message })),
      })),
    }));
  }

  /** Queries neither finished nor stopped (they count against the concurrent-query quota). */
  runningQueries(): number {
    let n = 0;
    for (const q of this.queries.values()) {
      const st = this.status(q);
      if (st === 'Scheduled' || st === 'Running') n++;
    }
    return n;
  }

  querySnapshot(): { queryId: string; queryString: string; logGroups: string[]; startTime: number; endTime: number; status: string }[] {
    return [...this.queries.values()].map((q) => ({
      queryId: q.queryId,
      queryString: q.queryString,
      logGroups: [...q.logGroups],
      startTime: q.startTime,
      endTime: q.endTime,
      status: this.status(q),
    }));
  }

  private status(q: StoredQuery): 'Scheduled' | 'Running' | 'Complete' | 'Cancelled' {
    if (q.stopped) return 'Cancelled';
    const elapsed = this.now() - q.startedAt;
    const total = this.latency().queryMs;
    if (elapsed >= total) return 'Complete';
    if (elapsed < total * 0.2) return 'Scheduled';
    return 'Running';
  }

  private groupName(identifier: string): string {
    // logGroupIdentifiers may be ARNs: arn:aws:logs:region:acct:log-group:NAME[:*]
    const m = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(:\*)?$/.exec(identifier);
    return m ? (m[1] as string) : identifier;
  }

  private requireGroup(name: string): StoredGroup {
    const g = this.groups.get(name);
    if (!g) throw new ApiError(400, 'ResourceNotFoundException', 'The specified log group does not exist.');
    return g;
  }

  private visible(e: StoredEvent): boolean {
    return e.ingestionTime <= this.now();
  }

  handle(operation: string, input: Record<string, unknown>): unknown {
    switch (operation) {
      case 'StartQuery':
        return this.startQuery(input);
      case 'GetQueryResults':
        return this.getQueryResults(input);
      case 'StopQuery': {
        const q = this.queries.get(String(input.queryId ?? ''));
        if (!q) throw new ApiError(400, 'ResourceNotFoundException', 'Query does not exist.');
        const wasRunning = this.status(q) !== 'Complete' && !q.stopped;
        if (wasRunning) q.stopped = true;
        return { success: wasRunning };
      }
      case 'FilterLogEvents':
        return this.filterLogEvents(input);
      case 'DescribeLogStreams':
        return this.describeLogStreams(input);
      case 'DescribeLogGroups': {
        const prefix = typeof input.logGroupNamePrefix === 'string' ? input.logGroupNamePrefix : '';
        return {
          logGroups: [...this.groups.values()]
            .filter((g) => g.name.startsWith(prefix))
            .sort((a, b) => (a.name < b.name ? -1 : 1))
            .map((g) => ({ logGroupName: g.name, creationTime: g.createdAt, arn: this.arn(g.name), storedBytes: 0 })),
        };
      }
      case 'DeleteLogGroup':
      case 'DeleteLogStream': {
        // Recorded as evidence; the action must never call these. The data is kept either way.
        const rec: { operation: string; logGroupName?: string; logStreamName?: string; time: number } = { operation, time: this.now() };
        if (typeof input.logGroupName === 'string') rec.logGroupName = input.logGroupName;
        if (typeof input.logStreamName === 'string') rec.logStreamName = input.logStreamName;
        this.deletions.push(rec);
        return {};
      }
      default:
        throw new ApiError(400, 'UnknownOperationException', `Operation ${operation} is not supported by the emulator`);
    }
  }

  private arn(group: string): string {
    return `arn:aws:logs:${this.region}:${this.accountId}:log-group:${group}:*`;
  }

  private startQuery(input: Record<string, unknown>): unknown {
    const names: string[] = [];
    if (typeof input.logGroupName === 'string') names.push(input.logGroupName);
    if (Array.isArray(input.logGroupNames)) names.push(...input.logGroupNames.map(String));
    if (Array.isArray(input.logGroupIdentifiers)) names.push(...input.logGroupIdentifiers.map((x) => this.groupName(String(x))));
    const queryString = typeof input.queryString === 'string' ? input.queryString : '';
    const startTime = input.startTime;
    const endTime = input.endTime;
    if (typeof startTime !== 'number' || typeof endTime !== 'number')
      throw new ApiError(400, 'InvalidParameterException', 'startTime and endTime are required');
    if (names.length === 0)
      throw new ApiError(400, 'InvalidParameterException', 'One of logGroupName, logGroupNames or logGroupIdentifiers is required');
    if (endTime < startTime) throw new ApiError(400, 'InvalidParameterException', 'endTime must be greater than or equal to startTime');
    let parsed;
    try {
      parsed = parseQuery(queryString);
    } catch (e) {
      if (e instanceof QuerySyntaxError)
        throw new ApiError(400, 'MalformedQueryException', e.message, {
          queryCompileError: { location: { start: 0, end: queryString.length }, message: e.message },
        });
      throw e;
    }
    const groups = names.map((n) => this.requireGroup(n));
    // Insights evaluates what has been ingested when the query runs: the snapshot is taken now.
    const fromMs = startTime * 1000;
    const toMs = (endTime + 1) * 1000; // endTime is inclusive at seconds resolution
    const rows: Row[] = [];
    let bytes = 0;
    let ptr = 0;
    for (const g of groups) {
      for (const s of g.streams.values()) {
        for (const e of s.events) {
          if (!this.visible(e) || e.timestamp < fromMs || e.timestamp >= toMs) continue;
          bytes += e.message.length;
          const row: Row = discoverFields(e.message);
          row.set('@timestamp', e.timestamp);
          row.set('@message', e.message);
          row.set('@logStream', s.name);
          row.set('@log', `${this.accountId}:${g.name}`);
          row.set('@ingestionTime', e.ingestionTime);
          row.set('@ptr', `ptr-${this.prng.hex(8)}-${ptr++}`);
          rows.push(row);
        }
      }
    }
    const limit = typeof input.limit === 'number' ? input.limit : 10000;
    const queryId = this.prng.uuid();
    this.queries.set(queryId, {
      queryId,
      queryString,
      logGroups: groups.map((g) => g.name),
      startTime,
      endTime,
      startedAt: this.now(),
      stopped: false,
      results: runQuery(parsed, rows, limit),
      scanned: rows.length,
      bytes,
    });
    return { queryId };
  }

  private getQueryResults(input: Record<string, unknown>): unknown {
    const q = this.queries.get(String(input.queryId ?? ''));
    if (!q) throw new ApiError(400, 'ResourceNotFoundException', 'Query does not exist.');
    const status = this.status(q);
    let results: { field: string; value: string }[][] = [];
    if (status === 'Complete') results = q.results;
    else if (status === 'Running' || status === 'Cancelled') {
      const frac = Math.min(1, (this.now() - q.startedAt) / Math.max(1, this.latency().queryMs));
      results = q.results.slice(0, Math.floor(q.results.length * frac * 0.5));
    }
    const done = status === 'Complete';
    return {
      queryLanguage: 'CWLI',
      results,
      statistics: {
        recordsMatched: done ? q.results.length : results.length,
        recordsScanned: done ? q.scanned : Math.floor(q.scanned / 2),
        bytesScanned: done ? q.bytes : Math.floor(q.bytes / 2),
      },
      status,
    };
  }

  private filterLogEvents(input: Record<string, unknown>): unknown {
    const name =
      typeof input.logGroupName === 'string'
        ? input.logGroupName
        : typeof input.logGroupIdentifier === 'string'
          ? this.groupName(input.logGroupIdentifier)
          : undefined;
    if (!name) throw new ApiError(400, 'InvalidParameterException', 'logGroupName or logGroupIdentifier is required');
    const g = this.requireGroup(name);
    const streamNames = Array.isArray(input.logStreamNames) ? input.logStreamNames.map(String) : undefined;
    const prefix = typeof input.logStreamNamePrefix === 'string' ? input.logStreamNamePrefix : undefined;
    const start = typeof input.startTime === 'number' ? input.startTime : -Infinity;
    const end = typeof input.endTime === 'number' ? input.endTime : Infinity;
    const pattern = typeof input.filterPattern === 'string' ? input.filterPattern.trim() : '';
    const match = filterPatternMatcher(pattern);
    const all: (StoredEvent & { logStreamName: string })[] = [];
    for (const s of g.streams.values()) {
      if (streamNames && !streamNames.includes(s.name)) continue;
      if (prefix !== undefined && !s.name.startsWith(prefix)) continue;
      for (const e of s.events) {
        if (!this.visible(e) || e.timestamp < start || e.timestamp > end) continue;
        if (!match(e.message)) continue;
        all.push({ ...e, logStreamName: s.name });
      }
    }
    all.sort((a, b) => a.timestamp - b.timestamp || (a.eventId < b.eventId ? -1 : 1));
    const offset = typeof input.nextToken === 'string' ? Number(input.nextToken.replace(/^t/, '')) || 0 : 0;
    const limit = typeof input.limit === 'number' ? input.limit : 10000;
    const page = all.slice(offset, offset + limit);
    const out: Record<string, unknown> = {
      events: page.map((e) => ({
        logStreamName: e.logStreamName,
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.ingestionTime,
        eventId: e.eventId,
      })),
      searchedLogStreams: [],
    };
    if (offset + limit < all.length) out.nextToken = `t${offset + limit}`;
    return out;
  }

  private describeLogStreams(input: Record<string, unknown>): unknown {
    const name =
      typeof input.logGroupName === 'string'
        ? input.logGroupName
        : typeof input.logGroupIdentifier === 'string'
          ? this.groupName(input.logGroupIdentifier)
          : undefined;
    if (!name) throw new ApiError(400, 'InvalidParameterException', 'logGroupName or logGroupIdentifier is required');
    const g = this.requireGroup(name);
    const prefix = typeof input.logStreamNamePrefix === 'string' ? input.logStreamNamePrefix : '';
    const orderBy = input.orderBy === 'LastEventTime' ? 'LastEventTime' : 'LogStreamName';
    if (orderBy === 'LastEventTime' && prefix)
      throw new ApiError(400, 'InvalidParameterException', 'Cannot order by LastEventTime with a logStreamNamePrefix.');
    const streams = [...g.streams.values()].filter((s) => s.name.startsWith(prefix));
    const last = (s: StoredStream): number => s.events.filter((e) => this.visible(e)).at(-1)?.timestamp ?? 0;
    streams.sort((a, b) => (orderBy === 'LogStreamName' ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : last(a) - last(b)));
    if (input.descending === true) streams.reverse();
    const offset = typeof input.nextToken === 'string' ? Number(input.nextToken.replace(/^t/, '')) || 0 : 0;
    const limit = typeof input.limit === 'number' ? input.limit : 50;
    const page = streams.slice(offset, offset + limit);
    const out: Record<string, unknown> = {
      logStreams: page.map((s) => {
        const vis = s.events.filter((e) => this.visible(e));
        const o: Record<string, unknown> = {
          logStreamName: s.name,
          creationTime: s.createdAt,
          arn: `arn:aws:logs:${this.region}:${this.accountId}:log-group:${g.name}:log-stream:${s.name}`,
          storedBytes: 0,
        };
        if (vis.length) {
          o.firstEventTimestamp = vis[0]?.timestamp;
          o.lastEventTimestamp = vis.at(-1)?.timestamp;
          o.lastIngestionTime = vis.at(-1)?.ingestionTime;
        }
        return o;
      }),
    };
    if (offset + limit < streams.length) out.nextToken = `t${offset + limit}`;
    return out;
  }
}

/** CloudWatch filter patterns, subset: empty (all), terms (all must occur; "quoted phrases"), or `?a ?b` (any). */
function filterPatternMatcher(pattern: string): (msg: string) => boolean {
  if (!pattern) return () => true;
  if (pattern.startsWith('{') || pattern.startsWith('['))
    throw new ApiError(400, 'InvalidParameterException', 'The emulator supports only term filter patterns');
  const terms = [...pattern.matchAll(/(\?)?(?:"([^"]*)"|(\S+))/g)].map((m) => ({ any: !!m[1], text: (m[2] ?? m[3]) as string }));
  const anyTerms = terms.filter((t) => t.any);
  const allTerms = terms.filter((t) => !t.any);
  return (msg) => allTerms.every((t) => msg.includes(t.text)) && (anyTerms.length === 0 || anyTerms.some((t) => msg.includes(t.text)));
}
