/**
 * Local Lambda + CloudWatch Logs emulator. One loopback HTTP endpoint serves both Lambda (restJson1) and
 * CloudWatch Logs (awsJson1_1, X-Amz-Target: Logs_20140328.*), so the real AWS SDK v3 (or the unchanged action via
 * AWS_ENDPOINT_URL) talks to it. See emulator/README.md for usage.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { accessKeyIdOf, EmulatorClock, type Service, type SkewRejection } from './clock.js';
import { createControl } from './control.js';
import { DEFAULT_LATENCY } from './defaults.js';
import { ApiError, defaultErrorType } from './errors.js';
import { LambdaService } from './lambda.js';
import { LogStore } from './logs.js';
import { installExitHook } from './process.js';
import { Prng } from './prng.js';
import type { ApiCall, Emulator, EmulatorConfig, EmulatorState, Faults, FailSpec, Latency, QuotaThrottles, Quotas } from './types.js';

export { DEFAULT_CLI_PORT, LAMBDA_INIT_TIMEOUT_MS, MAX_CLOCK_SKEW_MS } from './defaults.js';

export type * from './types.js';
export { detectRuntimes, EXAMPLE_FUNCTIONS, type RuntimeAvailability } from './process.js';
export { parseQuery, runQuery, discoverFields, QuerySyntaxError } from './query.js';

/**
 * Reads a JSON EmulatorConfig file; relative `process.dir` paths resolve against the file's directory.
 * Throws an Error naming the file when it cannot be read or has no `functions` array.
 */
export function loadConfigFile(file: string): EmulatorConfig {
  let config: EmulatorConfig;
  try {
    config = JSON.parse(readFileSync(file, 'utf8')) as EmulatorConfig;
  } catch (e) {
    throw new Error(`cannot read emulator config ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!config || typeof config !== 'object' || !Array.isArray(config.functions)) throw new Error(`${file}: "functions" must be an array`);
  const base = path.dirname(path.resolve(file));
  config.functions = config.functions.map((f) =>
    f.process ? { ...f, process: { ...f.process, dir: path.resolve(base, f.process.dir) } } : f,
  );
  return config;
}

/** The demo configuration shipped with the emulator (process runtimes + synthetic functions shaped like the study). */
export const DEMO_CONFIG_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'configs', 'demo.json');

interface Routed {
  operation: string;
  fnRef?: string;
  handler: () => Promise<Reply> | Reply;
}
interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string | undefined;
}

export async function startEmulator(config: EmulatorConfig): Promise<Emulator> {
  const region = config.region ?? 'us-east-1';
  const accountId = config.accountId ?? '123456789012';
  const seed = config.seed ?? 1;
  const prng = new Prng(seed ^ 0x2545f491);
  const faultPrng = new Prng(seed ^ 0x5bd1e995);
  let latency: Latency = { ...DEFAULT_LATENCY, ...definedOnly(config.latency ?? {}) };
  const faults: Faults = structuredClone(config.faults ?? {});
  const quotas: Quotas = { ...(config.quotas ?? {}) };
  const throttles: QuotaThrottles = { controlPlane: 0, getFunction: 0, queries: 0 };
  // Token buckets (a second's worth of requests may come at once), refilled continuously.
  const buckets = new Map<'controlPlane' | 'getFunction', { tokens: number; at: number }>();
  const calls: ApiCall[] = [];
  const clock = new EmulatorClock(config.clock?.offsetMs ?? 0, config.clock?.clients ?? {});
  const now = (): number => clock.now();
  const logs = new LogStore(accountId, region, () => latency, prng, now);
  const lambda = new LambdaService({
    region,
    accountId,
    seed,
    logs,
    latency: () => latency,
    faults: () => faults,
    accountConcurrency: config.accountConcurrency ?? 1000,
    recordCall: (c) => calls.push(c),
    now,
  });
  for (const spec of config.functions) {
    lambda.addFunction(spec.process ? { ...spec, process: { ...spec.process, dir: path.resolve(spec.process.dir) } } : spec);
  }
  installExitHook();

  function injected(service: 'lambda' | 'logs', operation: string): ApiError | undefined {
    const next = faults.failNext?.[operation];
    let spec: Omit<FailSpec, 'count'> | undefined;
    if (next && next.count > 0) {
      next.count--;
      spec = next;
    } else {
      const rate = faults.failRate?.[operation];
      if (rate && rate.rate > 0 && faultPrng.next() < rate.rate) spec = rate;
    }
    if (!spec) return undefined;
    const type = spec.type ?? defaultErrorType(service, spec.status);
    const headers: Record<string, string> = {};
    if (spec.retryAfterSec !== undefined) headers['Retry-After'] = String(spec.retryAfterSec);
    const extra: Record<string, unknown> = type === 'TooManyRequestsException' ? { Reason: 'CallerRateLimitExceeded' } : {};
    return new ApiError(spec.status, type, spec.message ?? `Injected fault: ${type}`, extra, headers);
  }

  /** A Lambda request over its quota → the 429 AWS answers (undefined when within it, or no quota is set). */
  function overQuota(operation: string): ApiError | undefined {
    if (operation === 'Invoke' || operation.startsWith('Unknown:')) return undefined;
    const kind = operation === 'GetFunction' ? 'getFunction' : 'controlPlane';
    const rate = kind === 'getFunction' ? quotas.getFunctionPerSec : quotas.controlPlanePerSec;
    if (rate === undefined || rate <= 0) return undefined;
    const t = now();
    const b = buckets.get(kind) ?? { tokens: rate, at: t };
    b.tokens = Math.min(rate, b.tokens + ((t - b.at) / 1000) * rate);
    b.at = t;
    buckets.set(kind, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return undefined;
    }
    throttles[kind]++;
    return new ApiError(429, 'TooManyRequestsException', 'Rate exceeded', { Reason: 'CallerRateLimitExceeded' }, { 'Retry-After': '1' });
  }

  /** StartQuery beyond the concurrent-query quota → the 400 LimitExceededException CloudWatch Logs answers. */
  function overQueryQuota(operation: string): ApiError | undefined {
    const limit = quotas.concurrentQueries;
    if (operation !== 'StartQuery' || limit === undefined || logs.runningQueries() < limit) return undefined;
    throttles.queries++;
    return new ApiError(400, 'LimitExceededException', `Account maximum query concurrency limit of [${limit}] reached.`);
  }

  function lambdaRoute(method: string, url: URL, body: Buffer, headers: http.IncomingHttpHeaders): Routed {
    const seg = url.pathname
      .split('/')
      .filter((s) => s.length > 0)
      .map((s) => decodeURIComponent(s));
    const qualifier = url.searchParams.get('Qualifier') ?? undefined;
    const [version, coll, ref, sub] = seg;
    const json = (status: number, obj: unknown): Reply => ({
      status,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(obj),
    });
    const parseBody = (): Record<string, unknown> => {
      if (body.length === 0) return {};
      try {
        const v: unknown = JSON.parse(body.toString('utf8'));
        if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
      } catch {
        /* fall through */
      }
      throw new ApiError(400, 'InvalidRequestContentException', 'Could not parse request body into json');
    };
    if (version === '2016-08-19' && coll === 'account-settings' && seg.length === 2 && method === 'GET')
      return { operation: 'GetAccountSettings', handler: () => json(200, lambda.accountSettings()) };
    if (version === '2015-03-31' && coll === 'functions' && ref === undefined && method === 'GET')
      return {
        operation: 'ListFunctions',
        handler: () => json(200, { Functions: [...lambda.functions.values()].map((f) => lambda.configurationJson(f)) }),
      };
    if (coll === 'functions' && ref !== undefined && seg.length <= 4) {
      const fnRef = ref;
      if (version === '2015-03-31') {
        if (sub === undefined && method === 'GET')
          return { operation: 'GetFunction', fnRef, handler: () => json(200, lambda.getFunction(lambda.resolve(fnRef, qualifier))) };
        if (sub === 'configuration' && method === 'GET')
          return {
            operation: 'GetFunctionConfiguration',
            fnRef,
            handler: () => json(200, lambda.configurationJson(lambda.resolve(fnRef, qualifier))),
          };
        if (sub === 'configuration' && method === 'PUT')
          return {
            operation: 'UpdateFunctionConfiguration',
            fnRef,
            handler: () => {
              const fn = lambda.resolve(fnRef);
              if (fnRef.split(':').length === 2 || /:function:[^:]+:/.test(fnRef))
                throw new ApiError(400, 'InvalidParameterValueException', 'Only $LATEST can be updated; remove the qualifier');
              return json(200, lambda.update(fn, parseBody()));
            },
          };
        if (sub === 'invocations' && method === 'POST')
          return {
            operation: 'Invoke',
            fnRef,
            handler: async () => {
              const fn = lambda.resolve(fnRef, qualifier);
              const type = String(headers['x-amz-invocation-type'] ?? 'RequestResponse');
              if (type !== 'RequestResponse' && type !== 'Event' && type !== 'DryRun')
                throw new ApiError(400, 'InvalidParameterValueException', `Unsupported invocation type ${type}`);
              if (type === 'DryRun') return { status: 204, headers: { 'X-Amz-Executed-Version': '$LATEST' } };
              if (body.length > 6 * 1024 * 1024)
                throw new ApiError(
                  413,
                  'RequestTooLargeException',
                  'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
                );
              if (body.length > 0) {
                try {
                  JSON.parse(body.toString('utf8'));
                } catch {
                  throw new ApiError(400, 'InvalidRequestContentException', 'Could not parse request body into json');
                }
              }
              const tail = String(headers['x-amz-log-type'] ?? 'None') === 'Tail' && type === 'RequestResponse';
              const { requestId: invocationId, done: p } = lambda.invoke(fn, {
                foreign: false,
                invocationType: type,
                payload: body.length ? body : Buffer.from('{}'),
                tail,
              });
              if (type === 'Event')
                return { status: 202, headers: { 'X-Amz-Executed-Version': '$LATEST', 'x-amzn-RequestId': invocationId } };
              const out = await p;
              const h: Record<string, string> = {
                'Content-Type': 'application/json',
                'X-Amz-Executed-Version': '$LATEST',
                'x-amzn-RequestId': out.record.requestId,
              };
              if (out.functionError) h['X-Amz-Function-Error'] = out.functionError;
              if (out.logResult !== undefined) h['X-Amz-Log-Result'] = out.logResult;
              return { status: 200, headers: h, body: out.payload };
            },
          };
      }
      if (sub === 'concurrency') {
        if (version === '2019-09-30' && method === 'GET')
          return {
            operation: 'GetFunctionConcurrency',
            fnRef,
            handler: () => {
              const fn = lambda.resolve(fnRef);
              return json(200, fn.reserved === undefined ? {} : { ReservedConcurrentExecutions: fn.reserved });
            },
          };
        if (version === '2017-10-31' && method === 'PUT')
          return {
            operation: 'PutFunctionConcurrency',
            fnRef,
            handler: () => {
              const fn = lambda.resolve(fnRef);
              const n = parseBody().ReservedConcurrentExecutions;
              if (typeof n !== 'number')
                throw new ApiError(400, 'InvalidParameterValueException', 'ReservedConcurrentExecutions is required');
              lambda.setReserved(fn, n);
              return json(200, { ReservedConcurrentExecutions: n });
            },
          };
        if (version === '2017-10-31' && method === 'DELETE')
          return {
            operation: 'DeleteFunctionConcurrency',
            fnRef,
            handler: () => {
              lambda.setReserved(lambda.resolve(fnRef), undefined);
              return { status: 204 };
            },
          };
      }
    }
    return {
      operation: `Unknown:${method} ${url.pathname}`,
      handler: () => {
        throw new ApiError(404, 'UnknownOperationException', `The emulator does not implement ${method} ${url.pathname}`);
      },
    };
  }

  function fnName(ref: string | undefined): string | undefined {
    if (ref === undefined) return undefined;
    try {
      return lambda.resolve(ref).name;
    } catch {
      return ref;
    }
  }

  /** SigV4's request-time check: AWS's front door answers before the service sees the request. */
  function frontDoor(service: Service, req: http.IncomingMessage): SkewRejection | undefined {
    return clock.check(service, req.headers);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const target = req.headers['x-amz-target'];
    const time = now();
    const requestId = randomUUID();
    // The Date header is the emulator's clock: AWS SDKs correct their clock skew from it.
    res.setHeader('Date', new Date(time).toUTCString());
    const accessKeyId = accessKeyIdOf(req.headers.authorization);
    const withKey = (c: ApiCall): ApiCall => (accessKeyId !== undefined ? { ...c, accessKeyId } : c);
    if (typeof target === 'string' && target.length > 0) {
      const operation = target.replace(/^Logs_20140328\./, '');
      let status = 200;
      let errorType: string | undefined;
      let out: unknown;
      try {
        const skew = frontDoor('logs', req);
        if (skew) throw new ApiError(skew.status, `com.amazon.coral.service#${skew.type}`, skew.message);
        if (!target.startsWith('Logs_20140328.')) throw new ApiError(400, 'UnknownOperationException', `Unknown target ${target}`);
        const fault = injected('logs', operation) ?? overQueryQuota(operation);
        if (fault) throw fault;
        let input: Record<string, unknown> = {};
        if (body.length) {
          try {
            input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
          } catch {
            throw new ApiError(400, 'SerializationException', 'Could not parse request body');
          }
        }
        out = logs.handle(operation, input);
      } catch (e) {
        const err =
          e instanceof ApiError ? e : new ApiError(500, 'ServiceUnavailableException', e instanceof Error ? e.message : String(e));
        status = err.status;
        errorType = err.type.replace(/^.*#/, '');
        out = { __type: err.type, message: err.message, ...err.extra };
        for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
      }
      const text = JSON.stringify(out);
      res.writeHead(status, {
        'Content-Type': 'application/x-amz-json-1.1',
        'x-amzn-RequestId': requestId,
        'Content-Length': String(Buffer.byteLength(text)),
      });
      res.end(text);
      const call: ApiCall = { service: 'logs', operation, time, status };
      if (errorType !== undefined) call.errorType = errorType;
      calls.push(withKey(call));
      return;
    }
    const route = lambdaRoute(method, url, body, req.headers);
    let reply: Reply;
    let errorType: string | undefined;
    try {
      const skew = frontDoor('lambda', req);
      if (skew) throw new ApiError(skew.status, skew.type, skew.message, {}, {}, true);
      const fault = injected('lambda', route.operation) ?? overQuota(route.operation);
      if (fault) throw fault;
      reply = await route.handler();
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(500, 'ServiceException', e instanceof Error ? e.message : String(e));
      errorType = err.type;
      // Lambda's own errors say whose fault it was (Type); the front door's (signature, clock) carry only a message.
      const text = JSON.stringify(
        err.frontDoor ? { message: err.message } : { Type: err.status >= 500 ? 'Service' : 'User', message: err.message, ...err.extra },
      );
      reply = {
        status: err.status,
        headers: { 'Content-Type': 'application/json', 'x-amzn-ErrorType': err.type, ...err.headers },
        body: text,
      };
    }
    const payload = reply.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(reply.body);
    res.writeHead(reply.status, { 'x-amzn-RequestId': requestId, ...reply.headers, 'Content-Length': String(payload.length) });
    res.end(payload);
    const call: ApiCall = { service: 'lambda', operation: route.operation, time, status: reply.status };
    const name = fnName(route.fnRef);
    if (name !== undefined) call.functionName = name;
    if (errorType !== undefined) call.errorType = errorType;
    calls.push(withKey(call));
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'ServiceException' });
        res.end(JSON.stringify({ Type: 'Service', message: e instanceof Error ? e.message : String(e) }));
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;

  const emulator: Emulator = {
    url: `http://127.0.0.1:${port}`,
    state(): EmulatorState {
      const functions: EmulatorState['functions'] = {};
      for (const fn of lambda.functions.values()) functions[fn.name] = lambda.configurationJson(fn);
      return structuredClone({
        region,
        accountId,
        calls,
        invocations: lambda.invocations,
        functions,
        logGroups: logs.snapshot(),
        logDeletions: logs.deletions,
        environments: lambda.environmentsState(),
        liveProcesses: lambda.liveProcesses(),
        queries: logs.querySnapshot(),
        throttles,
        clock: { offsetMs: clock.offsetMs, now: clock.now() },
      });
    },
    control: createControl({
      lambda,
      faults,
      clock,
      calls,
      setLatency(partial) {
        latency = { ...latency, ...definedOnly(partial) };
      },
      setQuotas(partial) {
        Object.assign(quotas, partial);
        buckets.clear();
      },
    }),
    close() {
      closing ??= (async () => {
        server.close();
        server.closeAllConnections();
        await lambda.close();
      })();
      return closing;
    },
  };
  return emulator;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
