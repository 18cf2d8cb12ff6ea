/** The Lambda control and data plane of the emulator: functions, updates, environments, invocations, logs. */
import { ApiError } from './errors.js';
import type { LogStore } from './logs.js';
import { InitError, ProcessEnvironment } from './process.js';
import { Prng } from './prng.js';
import type {
  ApiCall,
  EnvironmentState,
  Faults,
  FunctionConfigurationJson,
  FunctionSpec,
  InvocationRecord,
  Latency,
  OutsideChange,
} from './types.js';

/** One immutable-ish configuration revision: what an environment runs. */
interface FnConfig {
  seq: number;
  revisionId: string;
  memory: number;
  environment: Record<string, string> | undefined;
  timeoutSec: number;
  description: string;
  handler: string | undefined;
  logFormat: 'Text' | 'JSON';
  logGroup: string;
}

interface Fn {
  spec: FunctionSpec;
  name: string;
  arn: string;
  /** Latest configuration (what GetFunction shows). */
  config: FnConfig;
  /** Configuration invokes run (the old one while an update is InProgress). */
  active: FnConfig;
  lastUpdateStatus: 'Successful' | 'InProgress' | 'Failed';
  state: 'Active' | 'Pending' | 'Inactive' | 'Failed';
  lastModified: string;
  reserved: number | undefined;
  updateTimer?: NodeJS.Timeout | undefined;
  codeSha256: string;
  /** Per-function PRNG for synthetic draws: values depend only on this function's own invocation count. */
  synth: Prng;
  codeLocation: string;
  imageDigest: string;
  runtimeVersionArn: string;
}

interface Env {
  id: string;
  fn: Fn;
  config: FnConfig;
  status: 'initializing' | 'idle' | 'busy' | 'reaped';
  stream: string;
  createdAt: number;
  proactive: boolean;
  invocations: number;
  proc?: ProcessEnvironment;
  /** Runtime output not yet written to the log (process runtimes). */
  pendingLogs: { time: number; line: string }[];
}

export interface InvokeOptions {
  foreign: boolean;
  invocationType: 'RequestResponse' | 'Event';
  payload: Buffer;
  tail: boolean;
  /** Run this configuration instead of fn.active (foreign traffic right at the end of an update). */
  config?: FnConfig;
}

export interface InvokeOutcome {
  record: InvocationRecord;
  payload: Buffer;
  functionError?: string;
  /** base64 of the last 4 KB of the invocation's log, when tail was requested. */
  logResult?: string;
}

const RESERVED_ENV_KEYS = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

const round2 = (x: number): number => Number(x.toFixed(2));

function lastModified(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** Lambda measures the variables as their JSON string (its error says "String measured: {...}"). */
function envBytes(vars: Record<string, string>): number {
  return Buffer.byteLength(JSON.stringify(vars));
}

export class LambdaService {
  readonly functions = new Map<string, Fn>();
  private readonly envs: Env[] = [];
  readonly invocations: InvocationRecord[] = [];
  private seq = 0;
  private closed = false;
  private readonly background = new Set<Promise<unknown>>();
  /** Ids (request, environment, revision): never influence measured values. */
  private readonly prng: Prng;
  /** Proactive-init draws. */
  private readonly chance: Prng;
  private readonly seed: number;

  constructor(
    readonly region: string,
    readonly accountId: string,
    seed: number,
    private readonly logs: LogStore,
    private readonly latency: () => Latency,
    private readonly faults: () => Faults,
    readonly accountConcurrency: number,
    private readonly recordCall: (c: ApiCall) => void,
  ) {
    this.seed = seed >>> 0;
    this.prng = new Prng(this.seed);
    this.chance = new Prng(this.seed ^ 0x9e3779b9);
  }

  // ---------------------------------------------------------------- functions

  addFunction(spec: FunctionSpec): void {
    if (this.functions.has(spec.name)) throw new Error(`duplicate function ${spec.name}`);
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(spec.name)) throw new Error(`invalid function name ${spec.name}`);
    if (!spec.synthetic && !spec.process) throw new Error(`function ${spec.name} needs either synthetic or process`);
    const now = Date.now();
    const config: FnConfig = {
      seq: ++this.seq,
      revisionId: this.prng.uuid(),
      memory: spec.memory ?? 128,
      environment: spec.environment ? { ...spec.environment } : undefined,
      timeoutSec: spec.timeoutSec ?? 3,
      description: '',
      handler: spec.packageType === 'Image' ? undefined : (spec.process?.handler ?? defaultHandler(spec.runtime)),
      logFormat: spec.logFormat ?? 'Text',
      logGroup: spec.logGroup ?? `/aws/lambda/${spec.name}`,
    };
    this.functions.set(spec.name, {
      spec,
      name: spec.name,
      arn: `arn:aws:lambda:${this.region}:${this.accountId}:function:${spec.name}`,
      config,
      active: config,
      lastUpdateStatus: 'Successful',
      state: spec.state ?? 'Active',
      lastModified: lastModified(now),
      reserved: spec.reservedConcurrency,
      codeSha256: Buffer.from(this.prng.hex(64), 'hex').toString('base64'),
      synth: new Prng(this.seed ^ hashName(spec.name)),
      codeLocation: `https://awslambda-${this.region}-tasks.s3.${this.region}.amazonaws.com/snapshots/${this.accountId}/${spec.name}-${this.prng.hex(8)}`,
      imageDigest: this.prng.hex(64),
      runtimeVersionArn: `arn:aws:lambda:${this.region}::runtime:${this.prng.hex(64)}`,
    });
  }

  /** Resolves a name, partial ARN or full ARN (with optional qualifier) to the function; 404 otherwise. */
  resolve(ref: string, qualifier?: string): Fn {
    let name = ref;
    let q = qualifier;
    const full = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+))?$/.exec(ref);
    const partial = /^(\d{12}):function:([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+))?$/.exec(ref);
    const plain = /^([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+))?$/.exec(ref);
    if (full) {
      if (full[1] !== this.region || full[2] !== this.accountId) throw this.notFound(ref);
      name = full[3] as string;
      q = full[4] ?? q;
    } else if (partial) {
      if (partial[1] !== this.accountId) throw this.notFound(ref);
      name = partial[2] as string;
      q = partial[3] ?? q;
    } else if (plain) {
      name = plain[1] as string;
      q = plain[2] ?? q;
    } else {
      throw new ApiError(
        400,
        'ValidationException',
        `1 validation error detected: Value '${ref}' at 'functionName' failed to satisfy constraint`,
      );
    }
    const fn = this.functions.get(name);
    if (!fn) throw this.notFound(ref);
    if (q !== undefined && q !== '$LATEST') throw new ApiError(404, 'ResourceNotFoundException', `Function not found: ${fn.arn}:${q}`);
    return fn;
  }

  private notFound(ref: string): ApiError {
    const arn = ref.startsWith('arn:')
      ? ref
      : `arn:aws:lambda:${this.region}:${this.accountId}:function:${ref.replace(/^\d{12}:function:/, '')}`;
    return new ApiError(404, 'ResourceNotFoundException', `Function not found: ${arn}`);
  }

  configurationJson(fn: Fn): FunctionConfigurationJson {
    const c = fn.config;
    const out: FunctionConfigurationJson = {
      FunctionName: fn.name,
      FunctionArn: fn.arn,
      Role: `arn:aws:iam::${this.accountId}:role/${fn.name}-role`,
      CodeSize: 1024,
      Description: c.description,
      Timeout: c.timeoutSec,
      MemorySize: c.memory,
      LastModified: fn.lastModified,
      CodeSha256: fn.codeSha256,
      Version: '$LATEST',
      TracingConfig: { Mode: 'PassThrough' },
      RevisionId: c.revisionId,
      State: fn.state,
      LastUpdateStatus: fn.lastUpdateStatus,
      PackageType: fn.spec.packageType ?? 'Zip',
      Architectures: [fn.spec.architecture ?? 'x86_64'],
      EphemeralStorage: { Size: 512 },
      SnapStart: { ApplyOn: fn.spec.snapStart ? 'PublishedVersions' : 'None', OptimizationStatus: 'Off' },
      LoggingConfig: { LogFormat: c.logFormat, LogGroup: c.logGroup },
    };
    if (fn.spec.packageType !== 'Image') out.Runtime = fn.spec.runtime;
    if (c.handler !== undefined) out.Handler = c.handler;
    if (c.environment) out.Environment = { Variables: { ...c.environment } };
    if (c.logFormat === 'JSON') {
      out.LoggingConfig.ApplicationLogLevel = 'INFO';
      out.LoggingConfig.SystemLogLevel = 'INFO';
    }
    if (fn.spec.capacityProviderArn !== undefined) {
      out.CapacityProviderConfig = { LambdaManagedInstancesCapacityProviderConfig: { CapacityProviderArn: fn.spec.capacityProviderArn } };
    }
    if (fn.state === 'Pending') {
      out.StateReason = 'The function is being created.';
      out.StateReasonCode = 'Creating';
    } else if (fn.state === 'Inactive') {
      out.StateReason = 'The function is inactive because it has not been invoked for a while.';
      out.StateReasonCode = 'Idle';
    } else if (fn.state === 'Failed') {
      out.StateReason = 'The function could not be created.';
      out.StateReasonCode = 'InternalError';
    }
    return out;
  }

  getFunction(fn: Fn): unknown {
    const out: Record<string, unknown> = {
      Configuration: this.configurationJson(fn),
      Code:
        fn.spec.packageType === 'Image'
          ? {
              RepositoryType: 'ECR',
              ImageUri: `${this.accountId}.dkr.ecr.${this.region}.amazonaws.com/${fn.name}:latest`,
              ResolvedImageUri: `${this.accountId}.dkr.ecr.${this.region}.amazonaws.com/${fn.name}@sha256:${fn.imageDigest}`,
            }
          : {
              RepositoryType: 'S3',
              Location: fn.codeLocation,
            },
      Tags: {},
    };
    if (fn.reserved !== undefined) out.Concurrency = { ReservedConcurrentExecutions: fn.reserved };
    return out;
  }

  // ---------------------------------------------------------------- updates

  /** UpdateFunctionConfiguration (also used for outside changes). Returns the new configuration JSON (InProgress). */
  update(fn: Fn, body: Record<string, unknown>): FunctionConfigurationJson {
    if (fn.state === 'Pending' || fn.state === 'Failed' || fn.state === 'Inactive')
      throw new ApiError(
        409,
        'ResourceConflictException',
        `The operation cannot be performed at this time. The function is currently in the following state: ${fn.state}`,
      );
    if (fn.lastUpdateStatus === 'InProgress')
      throw new ApiError(
        409,
        'ResourceConflictException',
        `The operation cannot be performed at this time. An update is in progress for resource: ${fn.arn}`,
      );
    if (typeof body.RevisionId === 'string' && body.RevisionId !== fn.config.revisionId)
      throw new ApiError(
        412,
        'PreconditionFailedException',
        'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
      );
    const next: FnConfig = { ...fn.config, seq: ++this.seq, revisionId: this.prng.uuid() };
    if (body.MemorySize !== undefined) {
      const m = body.MemorySize;
      if (typeof m !== 'number' || !Number.isInteger(m) || m < 128 || m > 10240)
        throw new ApiError(
          400,
          'InvalidParameterValueException',
          `MemorySize must be an integer between 128 and 10240 MB, got ${String(m)}`,
        );
      next.memory = m;
    }
    if (body.Timeout !== undefined) {
      const t = body.Timeout;
      if (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > 900)
        throw new ApiError(400, 'InvalidParameterValueException', `Timeout must be an integer between 1 and 900 seconds`);
      next.timeoutSec = t;
    }
    if (typeof body.Description === 'string') next.description = body.Description;
    if (typeof body.Handler === 'string' && fn.spec.packageType !== 'Image') next.handler = body.Handler;
    if (body.Environment !== undefined) {
      const env = body.Environment as { Variables?: unknown } | null;
      const vars = env && typeof env.Variables === 'object' && env.Variables !== null ? (env.Variables as Record<string, unknown>) : {};
      const clean: Record<string, string> = {};
      for (const [k, v] of Object.entries(vars)) {
        if (!/^[a-zA-Z]([a-zA-Z0-9_])*$/.test(k))
          throw new ApiError(400, 'InvalidParameterValueException', `Environment variable name ${k} is invalid`);
        clean[k] = typeof v === 'string' ? v : String(v);
      }
      const reserved = Object.keys(clean).filter((k) => RESERVED_ENV_KEYS.has(k));
      if (reserved.length)
        throw new ApiError(
          400,
          'InvalidParameterValueException',
          `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
        );
      const size = envBytes(clean);
      // The real message quotes the variables; the emulator never prints their values.
      if (size > 4096)
        throw new ApiError(
          400,
          'InvalidParameterValueException',
          `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. Bytes measured: ${size}`,
        );
      const failing = this.faults().failUpdatesRemoving?.[fn.name];
      if (
        failing &&
        failing.count > 0 &&
        fn.config.environment &&
        failing.variable in fn.config.environment &&
        !(failing.variable in clean)
      ) {
        failing.count--;
        throw new ApiError(failing.status, failing.type ?? 'ServiceException', failing.message ?? 'Injected fault: the update failed');
      }
      next.environment = clean; // replaced wholesale (an empty map keeps an empty Environment)
    }
    const lc = body.LoggingConfig as { LogFormat?: unknown; LogGroup?: unknown } | undefined;
    if (lc && typeof lc === 'object') {
      if (lc.LogFormat === 'Text' || lc.LogFormat === 'JSON') next.logFormat = lc.LogFormat;
      if (typeof lc.LogGroup === 'string') next.logGroup = lc.LogGroup;
    }
    fn.config = next;
    fn.lastUpdateStatus = 'InProgress';
    fn.lastModified = lastModified(Date.now());
    const json = this.configurationJson(fn);
    fn.updateTimer = setTimeout(() => {
      fn.updateTimer = undefined;
      this.track(this.finishUpdate(fn));
    }, this.latency().updateMs);
    return json;
  }

  private async finishUpdate(fn: Fn): Promise<void> {
    if (this.closed) return;
    const cfg = fn.config;
    // Lambda gives the configuration a new RevisionId when the update completes.
    cfg.revisionId = this.prng.uuid();
    const foreign = this.faults().foreignTrafficAfterUpdate;
    const pending = foreign?.[fn.name] ?? 0;
    if (foreign && pending > 0) {
      foreign[fn.name] = pending - 1;
      try {
        await this.invoke(fn, { foreign: true, invocationType: 'RequestResponse', payload: Buffer.from('{}'), tail: false, config: cfg })
          .done;
      } catch {
        /* a throttled foreign invoke is fine */
      }
    }
    if (this.closed) return;
    fn.active = cfg;
    this.reap(fn);
    fn.lastUpdateStatus = 'Successful';
  }

  /** Pending/Inactive functions become Active after the update latency (Inactive is woken by an invoke). */
  private activateLater(fn: Fn): void {
    if (fn.updateTimer) return;
    fn.state = 'Pending';
    fn.updateTimer = setTimeout(() => {
      fn.updateTimer = undefined;
      fn.state = 'Active';
    }, this.latency().updateMs);
  }

  outsideChange(name: string, change: OutsideChange): void {
    const fn = this.resolve(name);
    const body: Record<string, unknown> = {};
    if (change.memory !== undefined) body.MemorySize = change.memory;
    if (change.environment !== undefined) body.Environment = { Variables: change.environment };
    const t = Date.now();
    try {
      this.update(fn, body);
      this.recordCall({
        service: 'lambda',
        operation: 'UpdateFunctionConfiguration',
        functionName: fn.name,
        time: t,
        status: 200,
        foreign: true,
      });
    } catch (e) {
      if (e instanceof ApiError)
        this.recordCall({
          service: 'lambda',
          operation: 'UpdateFunctionConfiguration',
          functionName: fn.name,
          time: t,
          status: e.status,
          errorType: e.type,
          foreign: true,
        });
      throw e;
    }
  }

  /** Kills idle environments of configurations other than the active one; busy ones are reaped when they finish. */
  private reap(fn: Fn): void {
    for (const env of this.envs) {
      if (env.fn === fn && env.status === 'idle' && env.config.seq !== fn.active.seq) this.retire(env);
    }
  }

  private retire(env: Env): void {
    env.status = 'reaped';
    env.proc?.kill();
  }

  // ---------------------------------------------------------------- invoke

  private busyCount(fn?: Fn): number {
    return this.envs.filter((e) => (e.status === 'busy' || e.status === 'initializing') && (!fn || e.fn === fn)).length;
  }

  /** Checks state and concurrency synchronously (throws ApiError), then runs the invocation. */
  invoke(fn: Fn, opts: InvokeOptions): { requestId: string; done: Promise<InvokeOutcome> } {
    if (fn.state !== 'Active') {
      const state = fn.state;
      if (state === 'Inactive') this.activateLater(fn);
      throw new ApiError(
        409,
        'ResourceConflictException',
        `The operation cannot be performed at this time. The function is currently in the following state: ${state}`,
      );
    }
    if (fn.reserved !== undefined && this.busyCount(fn) >= fn.reserved)
      throw new ApiError(
        429,
        'TooManyRequestsException',
        'Rate Exceeded.',
        { Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' },
        { 'Retry-After': '1' },
      );
    if (this.busyCount() >= this.accountConcurrency)
      throw new ApiError(
        429,
        'TooManyRequestsException',
        'Rate Exceeded.',
        { Reason: 'ConcurrentInvocationLimitExceeded' },
        { 'Retry-After': '1' },
      );
    const config = opts.config ?? fn.active;
    let env = this.envs.find((e) => e.fn === fn && e.status === 'idle' && e.config.seq === config.seq);
    let fresh = false;
    if (env) env.status = 'busy';
    else {
      fresh = true;
      env = this.newEnv(fn, config);
    }
    const requestId = this.prng.uuid();
    const p = this.run(env, fresh, opts, requestId);
    if (opts.invocationType === 'Event') this.track(p);
    return { requestId, done: p };
  }

  private newEnv(fn: Fn, config: FnConfig): Env {
    const now = new Date();
    const day = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${String(now.getUTCDate()).padStart(2, '0')}`;
    const rate = this.faults().proactiveInitRate ?? 0;
    const env: Env = {
      id: this.prng.hex(32),
      fn,
      config,
      status: 'initializing',
      stream: '',
      createdAt: now.getTime(),
      proactive: rate > 0 && this.chance.next() < rate,
      invocations: 0,
      pendingLogs: [],
    };
    env.stream = `${day}/[$LATEST]${env.id}`;
    this.envs.push(env);
    return env;
  }

  private appLog(env: Env, line: string, time: number, requestId: string | undefined): string {
    if (env.config.logFormat === 'Text') return line;
    return JSON.stringify({ timestamp: new Date(time).toISOString(), level: 'INFO', ...(requestId ? { requestId } : {}), message: line });
  }

  private async run(env: Env, fresh: boolean, opts: InvokeOptions, requestId: string): Promise<InvokeOutcome> {
    const fn = env.fn;
    const cfg = env.config;
    const start = Date.now();
    const spec = fn.spec;
    const lines: { time: number; msg: string }[] = [];
    const json = cfg.logFormat === 'JSON';
    let initMs: number | null = null;
    let durationMs: number;
    let maxMem: number;
    let status: 'success' | 'error' | 'timeout' = 'success';
    let errorType: string | undefined;
    let payload: Buffer;
    let dead = false;
    let initErrorMessage = 'init failed';

    if (fresh) {
      const runtimeVersion = runtimeVersionName(spec.runtime);
      const arn = fn.runtimeVersionArn;
      lines.push({
        time: start,
        msg: json
          ? JSON.stringify({
              time: new Date(start).toISOString(),
              type: 'platform.initStart',
              record: {
                initializationType: env.proactive ? 'provisioned-concurrency' : 'on-demand',
                phase: 'init',
                runtimeVersion,
                runtimeVersionArn: arn,
                functionName: fn.name,
                functionVersion: '$LATEST',
              },
            })
          : `INIT_START Runtime Version: ${runtimeVersion}\tRuntime Version ARN: ${arn}`,
      });
    }

    if (spec.process) {
      if (fresh) {
        try {
          env.proc = await ProcessEnvironment.start({
            runtime: spec.runtime,
            dir: spec.process.dir,
            ...(cfg.handler !== undefined ? { handler: cfg.handler } : {}),
            env: this.processEnv(fn, cfg, env),
            initTimeoutMs: 10_000,
            onLog: (line) => env.pendingLogs.push({ time: Date.now(), line }),
          });
          initMs = round2(env.proc.initMs);
        } catch (e) {
          const err = e instanceof InitError ? e : new InitError('Runtime.Unknown', String(e), 0);
          initMs = round2(err.initMs);
          status = 'error';
          errorType = err.errorType;
          initErrorMessage = err.message;
          dead = true;
        }
        for (const l of env.pendingLogs.splice(0)) lines.push({ time: l.time, msg: this.appLog(env, l.line, l.time, undefined) });
      }
      const invokeStart = Date.now();
      lines.push({ time: invokeStart, msg: this.startLine(requestId, invokeStart, json) });
      if (!dead && env.proc) {
        const r = await env.proc.invoke(requestId, opts.payload, cfg.timeoutSec * 1000, fn.arn);
        await new Promise((res) => setImmediate(res)); // let the runtime's last output lines arrive
        durationMs = round2(Math.max(r.durationMs, 0.01));
        status = r.status;
        if (r.errorType !== undefined) errorType = r.errorType;
        payload = r.payload;
        dead = r.dead;
        maxMem = env.proc.maxMemoryMb() ?? Math.min(cfg.memory, 64);
      } else {
        durationMs = 0;
        maxMem = 0;
        payload = Buffer.from(
          JSON.stringify({ errorType: errorType ?? 'Runtime.Unknown', errorMessage: `RequestId: ${requestId} Error: ${initErrorMessage}` }),
        );
      }
      for (const l of env.pendingLogs.splice(0)) lines.push({ time: l.time, msg: this.appLog(env, l.line, l.time, requestId) });
      if (env.proactive && fresh) initMs = null;
    } else {
      const syn = spec.synthetic;
      if (!syn) throw new Error('unreachable: neither process nor synthetic');
      if (fresh && !env.proactive) initMs = round2(fn.synth.normalPositive(syn.initMs.mean, syn.initMs.sd));
      durationMs = round2(Math.max(fn.synth.normalPositive(syn.durationMs.mean, syn.durationMs.sd), 0.01));
      maxMem = Math.min(cfg.memory, syn.maxMemoryMb ?? 40 + Math.floor(fn.synth.next() * 30));
      lines.push({ time: start, msg: this.startLine(requestId, start, json) });
      const overhead = this.latency().invokeOverheadMs;
      if (overhead > 0) await new Promise((res) => setTimeout(res, overhead));
      if (syn.error) {
        status = 'error';
        errorType = 'Error';
        payload = Buffer.from(JSON.stringify({ errorType: 'Error', errorMessage: 'synthetic failure', trace: [] }));
      } else {
        payload = Buffer.from(JSON.stringify({ statusCode: 200, body: `hello from ${fn.name}` }));
      }
    }

    // Billing (since 1 Aug 2025, every on-demand runtime): Duration plus, on a cold start, Init Duration, rounded up to 1 ms.
    const billedMs = Math.max(1, Math.ceil(durationMs + (initMs ?? 0)));
    const end = Date.now();
    if (!json) lines.push({ time: end, msg: `END RequestId: ${requestId}` });
    const report = this.reportLine(requestId, end, json, { durationMs, billedMs, memory: cfg.memory, maxMem, initMs, status, errorType });
    lines.push({ time: end, msg: report });
    for (const l of lines) this.logs.put(cfg.logGroup, env.stream, l.time, l.msg);

    env.invocations++;
    if (dead) {
      env.proc?.kill();
      env.status = 'reaped';
    } else if (this.closed || (env.config.seq !== fn.active.seq && env.config.seq !== fn.config.seq)) {
      this.retire(env);
    } else env.status = 'idle';

    const record: InvocationRecord = {
      requestId,
      functionName: fn.name,
      cold: initMs !== null,
      newEnvironment: fresh,
      proactiveInit: fresh && env.proactive,
      initMs,
      restoreMs: null,
      durationMs,
      billedMs,
      maxMemoryUsedMb: maxMem,
      memorySizeMb: cfg.memory,
      environmentId: env.id,
      logStream: env.stream,
      logGroup: cfg.logGroup,
      foreign: opts.foreign,
      invocationType: opts.invocationType,
      revisionId: cfg.revisionId,
      environment: cfg.environment ? { ...cfg.environment } : null,
      status,
      timestamp: start,
      reportMessage: report,
    };
    if (errorType !== undefined && status !== 'success') record.errorType = errorType;
    this.invocations.push(record);

    const out: InvokeOutcome = { record, payload };
    if (status !== 'success') out.functionError = 'Unhandled';
    if (opts.tail) {
      const from = lines.findIndex((l) => l.msg.startsWith('START ') || l.msg.includes('"type":"platform.start"'));
      const text = lines
        .slice(Math.max(0, from))
        .map((l) => `${l.msg}\n`)
        .join('');
      const buf = Buffer.from(text);
      out.logResult = buf.subarray(Math.max(0, buf.length - 4096)).toString('base64');
    }
    return out;
  }

  private startLine(requestId: string, t: number, json: boolean): string {
    return json
      ? JSON.stringify({ time: new Date(t).toISOString(), type: 'platform.start', record: { requestId, version: '$LATEST' } })
      : `START RequestId: ${requestId} Version: $LATEST`;
  }

  private reportLine(
    requestId: string,
    t: number,
    json: boolean,
    m: {
      durationMs: number;
      billedMs: number;
      memory: number;
      maxMem: number;
      initMs: number | null;
      status: string;
      errorType: string | undefined;
    },
  ): string {
    if (json) {
      const metrics: Record<string, number> = {
        durationMs: m.durationMs,
        billedDurationMs: m.billedMs,
        memorySizeMB: m.memory,
        maxMemoryUsedMB: m.maxMem,
      };
      if (m.initMs !== null) metrics.initDurationMs = m.initMs;
      const record: Record<string, unknown> = { requestId, metrics, status: m.status };
      if (m.status !== 'success' && m.errorType) record.errorType = m.errorType;
      return JSON.stringify({ time: new Date(t).toISOString(), type: 'platform.report', record });
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

  private processEnv(fn: Fn, cfg: FnConfig, env: Env): Record<string, string> {
    const base: Record<string, string> = {};
    for (const k of ['PATH', 'LANG', 'LC_ALL', 'TZ', 'SYSTEMROOT']) {
      const v = process.env[k];
      if (v !== undefined) base[k] = v;
    }
    return {
      ...base,
      ...(cfg.environment ?? {}),
      AWS_REGION: this.region,
      AWS_DEFAULT_REGION: this.region,
      AWS_EXECUTION_ENV: `AWS_Lambda_${fn.spec.runtime}`,
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(cfg.memory),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_GROUP_NAME: cfg.logGroup,
      AWS_LAMBDA_LOG_STREAM_NAME: env.stream,
      AWS_LAMBDA_LOG_FORMAT: cfg.logFormat,
      TZ: ':UTC',
    };
  }

  // ---------------------------------------------------------------- concurrency & account

  setReserved(fn: Fn, n: number | undefined): void {
    if (n !== undefined && (!Number.isInteger(n) || n < 0))
      throw new ApiError(400, 'InvalidParameterValueException', 'ReservedConcurrentExecutions must be a non-negative integer');
    fn.reserved = n;
  }

  accountSettings(): unknown {
    let reserved = 0;
    for (const fn of this.functions.values()) reserved += fn.reserved ?? 0;
    return {
      AccountLimit: {
        TotalCodeSize: 80530636800,
        CodeSizeUnzipped: 262144000,
        CodeSizeZipped: 52428800,
        ConcurrentExecutions: this.accountConcurrency,
        UnreservedConcurrentExecutions: this.accountConcurrency - reserved,
      },
      AccountUsage: { TotalCodeSize: 1024 * this.functions.size, FunctionCount: this.functions.size },
    };
  }

  // ---------------------------------------------------------------- state & shutdown

  environmentsState(): EnvironmentState[] {
    return this.envs.map((e) => {
      const s: EnvironmentState = {
        id: e.id,
        functionName: e.fn.name,
        revisionId: e.config.revisionId,
        status: e.status,
        createdAt: e.createdAt,
        logStream: e.stream,
        invocations: e.invocations,
      };
      const pid = e.proc?.pid;
      if (pid !== undefined) s.pid = pid;
      return s;
    });
  }

  liveProcesses(): number {
    return this.envs.filter((e) => e.proc?.alive).length;
  }

  private track(p: Promise<unknown>): void {
    const q = p.catch(() => undefined);
    this.background.add(q);
    void q.finally(() => this.background.delete(q));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const fn of this.functions.values()) {
      if (fn.updateTimer) clearTimeout(fn.updateTimer);
      fn.updateTimer = undefined;
    }
    await Promise.all(
      this.envs.map(async (e) => {
        e.status = 'reaped';
        await e.proc?.stop();
      }),
    );
    // In-flight invocations finish quickly once their processes are gone.
    await Promise.race([Promise.all([...this.background]), new Promise((r) => setTimeout(r, 2000))]);
  }
}

function defaultHandler(runtime: string): string {
  if (runtime.startsWith('python')) return 'lambda_function.lambda_handler';
  if (runtime.startsWith('provided')) return 'bootstrap';
  return 'index.handler';
}

/** Lambda's runtime version name as INIT_START prints it, e.g. nodejs:20.v32, python:3.11.v48, provided:al2023.v99. */
function runtimeVersionName(runtime: string): string {
  const r = runtime.replace(/\.x$/, '');
  const m = /^(nodejs|python|java|dotnet|ruby|provided)\.?(.*)$/.exec(r);
  return m ? `${m[1]}:${m[2] || 'latest'}.v1` : `${r}.v1`;
}

function hashName(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}
