/**
 * Lambda's platform log lines, in the text and the JSON log format (PURE). Text lines are tab-separated as Lambda writes
 * them (REPORT with a trailing tab); JSON lines are the Telemetry API's platform events (`platform.initStart`,
 * `platform.initReport`, `platform.start`, `platform.report`) as CloudWatch stores them.
 */
export type LogFormat = 'Text' | 'JSON';

/** A failed init attempt, as INIT_REPORT / platform.initReport prints it. */
export interface InitReport {
  /** `init`: the init phase itself; `invoke`: the re-run inside the first invoke (a suppressed init). */
  phase: 'init' | 'invoke';
  status: 'timeout' | 'error';
  /** Set when status is error (e.g. Runtime.ExitError). */
  errorType?: string;
  durationMs: number;
}

export interface ReportMetrics {
  durationMs: number;
  billedMs: number;
  memory: number;
  maxMem: number;
  initMs: number | null;
  status: 'success' | 'error' | 'timeout';
  errorType: string | undefined;
}

const iso = (t: number): string => new Date(t).toISOString();

export function initStartLine(
  format: LogFormat,
  t: number,
  r: {
    runtimeVersion: string;
    runtimeVersionArn: string;
    functionName: string;
    initializationType: 'on-demand' | 'provisioned-concurrency';
  },
): string {
  if (format === 'Text') return `INIT_START Runtime Version: ${r.runtimeVersion}\tRuntime Version ARN: ${r.runtimeVersionArn}`;
  return JSON.stringify({
    time: iso(t),
    type: 'platform.initStart',
    record: {
      initializationType: r.initializationType,
      phase: 'init',
      runtimeVersion: r.runtimeVersion,
      runtimeVersionArn: r.runtimeVersionArn,
      functionName: r.functionName,
      functionVersion: '$LATEST',
    },
  });
}

/** `INIT_REPORT Init Duration: 10000.00 ms\tPhase: init\tStatus: timeout` (+ `\tError Type: X` on errors). */
export function initReportLine(format: LogFormat, t: number, r: InitReport): string {
  if (format === 'Text') {
    const base = `INIT_REPORT Init Duration: ${r.durationMs.toFixed(2)} ms\tPhase: ${r.phase}\tStatus: ${r.status}`;
    return r.status === 'error' && r.errorType ? `${base}\tError Type: ${r.errorType}` : base;
  }
  const record: Record<string, unknown> = {
    initializationType: 'on-demand',
    phase: r.phase,
    status: r.status,
    metrics: { durationMs: r.durationMs },
  };
  if (r.status === 'error' && r.errorType) record.errorType = r.errorType;
  return JSON.stringify({ time: iso(t), type: 'platform.initReport', record });
}

export function startLine(format: LogFormat, t: number, requestId: string): string {
  return format === 'JSON'
    ? JSON.stringify({ time: iso(t), type: 'platform.start', record: { requestId, version: '$LATEST' } })
    : `START RequestId: ${requestId} Version: $LATEST`;
}

/** Text only: the JSON format has no END record. */
export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

export function reportLine(format: LogFormat, t: number, requestId: string, m: ReportMetrics): string {
  if (format === 'JSON') {
    const metrics: Record<string, number> = {
      durationMs: m.durationMs,
      billedDurationMs: m.billedMs,
      memorySizeMB: m.memory,
      maxMemoryUsedMB: m.maxMem,
    };
    if (m.initMs !== null) metrics.initDurationMs = m.initMs;
    const record: Record<string, unknown> = { requestId, metrics, status: m.status };
    if (m.status !== 'success' && m.errorType) record.errorType = m.errorType;
    return JSON.stringify({ time: iso(t), type: 'platform.report', record });
  }
  let line =
    `REPORT RequestId: ${requestId}\tDuration: ${m.durationMs.toFixed(2)} ms\tBilled Duration: ${m.billedMs} ms\t` +
    `Memory Size: ${m.memory} MB\tMax Memory Used: ${m.maxMem} MB\t`;
  if (m.initMs !== null) line += `Init Duration: ${m.initMs.toFixed(2)} ms\t`;
  if (m.status !== 'success') {
    line += `Status: ${m.status}\t`;
    if (m.errorType) line += `Error Type: ${m.errorType}\t`;
  }
  return line;
}

/** A line the function wrote: as is (text), or Lambda's JSON application-log record. */
export function appLine(format: LogFormat, t: number, line: string, requestId: string | undefined): string {
  if (format === 'Text') return line;
  return JSON.stringify({ timestamp: iso(t), level: 'INFO', ...(requestId ? { requestId } : {}), message: line });
}

/**
 * What Lambda itself writes (text format) when an invoke fails outside the handler: `RequestId: <id> Error: <message>`
 * then the error type, or `<time> <id> Task timed out after 3.00 seconds`. The JSON format has only platform.report.
 */
export function platformErrorLines(format: LogFormat, t: number, requestId: string, errorType: string, message: string): string[] {
  if (format === 'JSON') return [];
  if (errorType === 'Sandbox.Timedout') return [`${iso(t)} ${requestId} ${message}`];
  return [`RequestId: ${requestId} Error: ${message}`, errorType];
}

/** `X-Amz-Log-Result`: base64 of the last 4 KB of the given lines (each ended by a newline). */
export function tail(lines: readonly string[]): string {
  const buf = Buffer.from(lines.map((l) => `${l}\n`).join(''));
  return buf.subarray(Math.max(0, buf.length - 4096)).toString('base64');
}
