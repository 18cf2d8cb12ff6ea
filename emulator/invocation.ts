/**
 * One invocation on one execution environment: its init (when the environment is new, with Lambda's suppressed init
 * when that fails), the handler (a real process or a synthetic draw), and the log lines Lambda writes for it.
 */
import { INIT_CRASH_ERROR_TYPE, rerunFailure, syntheticInit, type InitOutcome } from './init.js';
import {
  appLine,
  endLine,
  initReportLine,
  initStartLine,
  platformErrorLines,
  reportLine,
  startLine,
  tail,
  type InitReport,
  type LogFormat,
} from './log-lines.js';
import type { LogStore } from './logs.js';
import type { Env } from './model.js';
import { InitError, ProcessEnvironment } from './process.js';
import type { InitReportRecord, InvocationRecord, Latency } from './types.js';

export interface InvokeOptions {
  foreign: boolean;
  invocationType: 'RequestResponse' | 'Event';
  payload: Buffer;
  tail: boolean;
}

export interface InvokeOutcome {
  record: InvocationRecord;
  payload: Buffer;
  functionError?: string;
  /** base64 of the last 4 KB of the invocation's log, when tail was requested. */
  logResult?: string;
  /** The environment cannot serve another invoke (its process died, or its init failed twice). */
  dead: boolean;
}

export interface InvocationContext {
  now(): number;
  latency(): Latency;
  logs: LogStore;
  /** The process environment of a real runtime (function variables + Lambda's reserved ones). */
  processEnv(env: Env): Record<string, string>;
}

/** A log line with what it is (the tail starts at the invocation's first INIT_REPORT, else at its START). */
interface Line {
  time: number;
  msg: string;
  kind: 'init-start' | 'init-report' | 'start' | 'other';
}

/** What the handler part of an invocation produced. */
interface Ran {
  init: InitOutcome | undefined;
  durationMs: number;
  maxMem: number;
  status: 'success' | 'error' | 'timeout';
  errorType: string | undefined;
  payload: Buffer;
  dead: boolean;
}

const round2 = (x: number): number => Number(x.toFixed(2));

class LogBuffer {
  readonly lines: Line[] = [];
  readonly reports: InitReportRecord[] = [];
  constructor(
    readonly format: LogFormat,
    private readonly requestId: string,
  ) {}
  push(time: number, msg: string, kind: Line['kind'] = 'other'): void {
    this.lines.push({ time, msg, kind });
  }
  app(time: number, line: string, inInvoke: boolean): void {
    this.push(time, appLine(this.format, time, line, inInvoke ? this.requestId : undefined));
  }
  initReport(time: number, r: InitReport): void {
    const msg = initReportLine(this.format, time, r);
    this.push(time, msg, 'init-report');
    this.reports.push({ ...r, ...(r.errorType !== undefined ? { errorType: r.errorType } : {}), message: msg });
  }
  start(time: number): void {
    this.push(time, startLine(this.format, time, this.requestId), 'start');
  }
  failure(time: number, f: { errorType: string; message: string }): void {
    for (const l of platformErrorLines(this.format, time, this.requestId, f.errorType, f.message)) this.push(time, l);
  }
  tailLines(): string[] {
    const from = this.lines.findIndex((l) => l.kind === 'init-report' || l.kind === 'start');
    return this.lines.slice(Math.max(0, from)).map((l) => l.msg);
  }
}

function errorPayload(requestId: string, f: { errorType: string; message: string }): Buffer {
  return Buffer.from(JSON.stringify({ errorType: f.errorType, errorMessage: `RequestId: ${requestId} Error: ${f.message}` }));
}

async function runSynthetic(ctx: InvocationContext, env: Env, fresh: boolean, requestId: string, log: LogBuffer): Promise<Ran> {
  const fn = env.fn;
  const syn = fn.spec.synthetic;
  if (!syn) throw new Error('unreachable: neither process nor synthetic');
  const timeoutMs = env.config.timeoutSec * 1000;
  const start = ctx.now();
  const init =
    fresh && !env.proactive
      ? syntheticInit(
          () => fn.synth.normalPositive(syn.initMs.mean, syn.initMs.sd),
          ctx.latency().initTimeoutMs,
          timeoutMs,
          env.initFailure,
        )
      : undefined;
  for (const r of init?.reports ?? []) log.initReport(start, r);
  const handlerMs = Math.max(fn.synth.normalPositive(syn.durationMs.mean, syn.durationMs.sd), 0.01);
  const maxMem = Math.min(env.config.memory, syn.maxMemoryMb ?? 40 + Math.floor(fn.synth.next() * 30));
  log.start(start);
  const overhead = ctx.latency().invokeOverheadMs;
  if (overhead > 0) await new Promise((res) => setTimeout(res, overhead));
  const durationMs = round2(handlerMs + (init?.rerunInitMs ?? 0));
  if (init?.failure) {
    log.failure(start, init.failure);
    const { status, errorType } = init.failure;
    return { init, durationMs, maxMem, status, errorType, payload: errorPayload(requestId, init.failure), dead: true };
  }
  if (syn.error) {
    const payload = Buffer.from(JSON.stringify({ errorType: 'Error', errorMessage: 'synthetic failure', trace: [] }));
    return { init, durationMs, maxMem, status: 'error', errorType: 'Error', payload, dead: false };
  }
  const payload = Buffer.from(JSON.stringify({ statusCode: 200, body: `hello from ${fn.name}` }));
  return { init, durationMs, maxMem, status: 'success', errorType: undefined, payload, dead: false };
}

/** Starts the runtime process of a new environment, re-running a failed init inside the invoke as Lambda does. */
async function processInit(ctx: InvocationContext, env: Env, log: LogBuffer): Promise<InitOutcome> {
  const spec = env.fn.spec;
  const dir = spec.process?.dir ?? '';
  const timeoutMs = env.config.timeoutSec * 1000;
  const flush = (): void => {
    for (const l of env.pendingLogs.splice(0)) log.app(l.time, l.line, false);
  };
  const start = (initTimeoutMs: number, force: 'timeout' | 'error' | undefined): Promise<ProcessEnvironment> =>
    ProcessEnvironment.start({
      runtime: spec.runtime,
      dir,
      ...(env.config.handler !== undefined ? { handler: env.config.handler } : {}),
      env: ctx.processEnv(env),
      initTimeoutMs,
      ...(force ? { forceInit: force } : {}),
      onLog: (line) => env.pendingLogs.push({ time: ctx.now(), line }),
    });
  const asInitError = (e: unknown): InitError => (e instanceof InitError ? e : new InitError('Runtime.Unknown', String(e), 0));
  const forced = env.initFailure;
  try {
    env.proc = await start(ctx.latency().initTimeoutMs, forced?.init);
    flush();
    return { initMs: round2(env.proc.initMs), reports: [], rerunInitMs: null };
  } catch (e) {
    const err = asInitError(e);
    flush();
    const errorType = forced?.errorType ?? err.errorType;
    log.initReport(
      ctx.now(),
      err.timedOut
        ? { phase: 'init', status: 'timeout', durationMs: round2(err.initMs) }
        : { phase: 'init', status: 'error', errorType, durationMs: round2(err.initMs) },
    );
  }
  const rerun = forced?.rerun === 'error' || forced?.rerun === 'timeout' ? forced.rerun : undefined;
  try {
    env.proc = await start(timeoutMs, rerun);
    flush();
    return { initMs: null, reports: log.reports.map((r) => ({ ...r })), rerunInitMs: round2(env.proc.initMs) };
  } catch (e) {
    const err = asInitError(e);
    flush();
    const errorType = forced?.errorType ?? (err.errorType || INIT_CRASH_ERROR_TYPE);
    const durationMs = round2(err.initMs);
    if (err.timedOut) log.initReport(ctx.now(), { phase: 'invoke', status: 'timeout', durationMs });
    else log.initReport(ctx.now(), { phase: 'invoke', status: 'error', errorType, durationMs });
    const failure = err.timedOut
      ? rerunFailure('timeout', errorType, timeoutMs)
      : { status: 'error' as const, errorType, message: err.message };
    return { initMs: null, reports: log.reports.map((r) => ({ ...r })), rerunInitMs: durationMs, failure };
  }
}

async function runProcess(
  ctx: InvocationContext,
  env: Env,
  fresh: boolean,
  opts: InvokeOptions,
  requestId: string,
  log: LogBuffer,
): Promise<Ran> {
  const cfg = env.config;
  const init = fresh ? await processInit(ctx, env, log) : undefined;
  log.start(ctx.now());
  const rerunMs = init?.rerunInitMs ?? 0;
  let ran: Ran;
  if (init?.failure) {
    log.failure(ctx.now(), init.failure);
    const { status, errorType } = init.failure;
    const maxMem = env.proc?.maxMemoryMb() ?? 0;
    ran = { init, durationMs: rerunMs, maxMem, status, errorType, payload: errorPayload(requestId, init.failure), dead: true };
  } else if (env.proc) {
    const r = await env.proc.invoke(requestId, opts.payload, Math.max(1, cfg.timeoutSec * 1000 - rerunMs), env.fn.arn);
    await new Promise((res) => setImmediate(res)); // let the runtime's last output lines arrive
    const maxMem = env.proc.maxMemoryMb() ?? Math.min(cfg.memory, 64);
    ran = {
      init,
      durationMs: round2(Math.max(r.durationMs, 0.01) + rerunMs),
      maxMem,
      status: r.status,
      errorType: r.errorType,
      payload: r.payload,
      dead: r.dead,
    };
  } else {
    const f = { errorType: 'Runtime.Unknown', message: 'the runtime is not running' };
    ran = { init, durationMs: 0, maxMem: 0, status: 'error', errorType: f.errorType, payload: errorPayload(requestId, f), dead: true };
  }
  for (const l of env.pendingLogs.splice(0)) log.app(l.time, l.line, true);
  if (env.proactive && fresh && ran.init) ran.init = { ...ran.init, initMs: null };
  return ran;
}

/** Runs the invocation, writes its log lines, and returns what the caller answers and records. */
export async function runInvocation(
  ctx: InvocationContext,
  env: Env,
  fresh: boolean,
  opts: InvokeOptions,
  requestId: string,
): Promise<InvokeOutcome> {
  const fn = env.fn;
  const cfg = env.config;
  const log = new LogBuffer(cfg.logFormat, requestId);
  const start = ctx.now();
  if (fresh) {
    const initializationType = env.proactive ? 'provisioned-concurrency' : 'on-demand';
    const msg = initStartLine(cfg.logFormat, start, {
      runtimeVersion: env.runtimeVersion,
      runtimeVersionArn: env.runtimeVersionArn,
      functionName: fn.name,
      initializationType,
    });
    log.push(start, msg, 'init-start');
  }
  const ran = fn.spec.process
    ? await runProcess(ctx, env, fresh, opts, requestId, log)
    : await runSynthetic(ctx, env, fresh, requestId, log);
  const initMs = ran.init?.initMs ?? null;
  // Billing (since 1 Aug 2025, every on-demand runtime): Duration plus, on a cold start, Init Duration, rounded up to 1 ms.
  const billedMs = Math.max(1, Math.ceil(ran.durationMs + (initMs ?? 0)));
  const end = ctx.now();
  if (cfg.logFormat === 'Text') log.push(end, endLine(requestId));
  const report = reportLine(cfg.logFormat, end, requestId, {
    durationMs: ran.durationMs,
    billedMs,
    memory: cfg.memory,
    maxMem: ran.maxMem,
    initMs,
    status: ran.status,
    errorType: ran.errorType,
  });
  log.push(end, report);
  for (const l of log.lines) ctx.logs.put(cfg.logGroup, env.stream, l.time, l.msg);

  const record: InvocationRecord = {
    requestId,
    functionName: fn.name,
    cold: initMs !== null,
    newEnvironment: fresh,
    proactiveInit: fresh && env.proactive,
    initMs,
    restoreMs: null,
    durationMs: ran.durationMs,
    billedMs,
    maxMemoryUsedMb: ran.maxMem,
    memorySizeMb: cfg.memory,
    environmentId: env.id,
    logStream: env.stream,
    logGroup: cfg.logGroup,
    foreign: opts.foreign,
    invocationType: opts.invocationType,
    revisionId: cfg.revisionId,
    environment: cfg.environment ? { ...cfg.environment } : null,
    status: ran.status,
    timestamp: start,
    reportMessage: report,
    initReports: log.reports,
    suppressedInit: (ran.init?.reports.length ?? 0) > 0,
    rerunInitMs: ran.init?.rerunInitMs ?? null,
    runtimeVersion: env.runtimeVersion,
    runtimeVersionArn: env.runtimeVersionArn,
  };
  if (ran.errorType !== undefined && ran.status !== 'success') record.errorType = ran.errorType;
  const out: InvokeOutcome = { record, payload: ran.payload, dead: ran.dead };
  if (ran.status !== 'success') out.functionError = 'Unhandled';
  if (opts.tail) out.logResult = tail(log.tailLines());
  return out;
}
