/** The Lambda control and data plane of the emulator: functions, updates, deploys, environments, invocations. */
import { applyUpdateBody, configurationJson, initialConfig, lastModified, type FnConfig } from './configuration.js';
import { ApiError } from './errors.js';
import { takeInitFailure } from './init.js';
import { runInvocation, type InvocationContext, type InvokeOptions, type InvokeOutcome } from './invocation.js';
import type { LogStore } from './logs.js';
import type { Env, Fn } from './model.js';
import { Prng } from './prng.js';
import { defaultRuntimeVersion, runtimeVersionArn, runtimeVersionName } from './runtime-version.js';
import type {
  ApiCall,
  CodeDeploy,
  EnvironmentState,
  Faults,
  FunctionConfigurationJson,
  FunctionSpec,
  InvocationRecord,
  Latency,
  OutsideChange,
} from './types.js';

export type { InvokeOptions, InvokeOutcome } from './invocation.js';

export interface LambdaServiceOptions {
  region: string;
  accountId: string;
  seed: number;
  logs: LogStore;
  latency: () => Latency;
  faults: () => Faults;
  accountConcurrency: number;
  recordCall: (c: ApiCall) => void;
  /** The emulator's clock (epoch ms): LastModified, log streams and events follow it. */
  now: () => number;
}

function conflict(message: string): ApiError {
  return new ApiError(409, 'ResourceConflictException', `The operation cannot be performed at this time. ${message}`);
}

function hashName(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}

export class LambdaService {
  readonly functions = new Map<string, Fn>();
  readonly region: string;
  readonly accountId: string;
  readonly accountConcurrency: number;
  readonly invocations: InvocationRecord[] = [];
  private readonly envs: Env[] = [];
  private seq = 0;
  private closed = false;
  private readonly background = new Set<Promise<unknown>>();
  /** Ids (request, environment, revision): never influence measured values. */
  private readonly prng: Prng;
  /** Proactive-init and init-failure draws. */
  private readonly chance: Prng;
  private readonly seed: number;
  /** Per function: a change another client makes during its next client invoke. */
  private readonly midInvoke = new Map<string, (requestId: string) => Promise<void>>();
  private readonly ctx: InvocationContext;

  constructor(private readonly o: LambdaServiceOptions) {
    this.region = o.region;
    this.accountId = o.accountId;
    this.accountConcurrency = o.accountConcurrency;
    this.seed = o.seed >>> 0;
    this.prng = new Prng(this.seed);
    this.chance = new Prng(this.seed ^ 0x9e3779b9);
    this.ctx = { now: o.now, latency: o.latency, logs: o.logs, processEnv: (env) => this.processEnv(env) };
  }

  // ---------------------------------------------------------------- functions

  addFunction(spec: FunctionSpec): void {
    if (this.functions.has(spec.name)) throw new Error(`duplicate function ${spec.name}`);
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(spec.name)) throw new Error(`invalid function name ${spec.name}`);
    if (!spec.synthetic && !spec.process) throw new Error(`function ${spec.name} needs either synthetic or process`);
    const config = initialConfig(spec, ++this.seq, this.prng.uuid(), this.newCodeSha());
    const runtimeVersion = spec.runtimeVersion ?? defaultRuntimeVersion(spec.runtime);
    this.functions.set(spec.name, {
      spec,
      name: spec.name,
      arn: `arn:aws:lambda:${this.region}:${this.accountId}:function:${spec.name}`,
      config,
      active: config,
      lastUpdateStatus: 'Successful',
      state: spec.state ?? 'Active',
      lastModified: lastModified(this.o.now()),
      reserved: spec.reservedConcurrency,
      settled: [],
      synth: new Prng(this.seed ^ hashName(spec.name)),
      codeLocation: `https://awslambda-${this.region}-tasks.s3.${this.region}.amazonaws.com/snapshots/${this.accountId}/${spec.name}-${this.prng.hex(8)}`,
      imageDigest: this.prng.hex(64),
      runtimeVersion,
      runtimeVersionArn: runtimeVersionArn(this.region, spec.runtime, runtimeVersion),
    });
  }

  private newCodeSha(): string {
    return Buffer.from(this.prng.hex(64), 'hex').toString('base64');
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
    return configurationJson(fn, this.accountId);
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

  /** The 409s every update (configuration or code) gets from Lambda. */
  private assertUpdatable(fn: Fn): void {
    if (fn.state === 'Pending' || fn.state === 'Failed' || fn.state === 'Inactive')
      throw conflict(`The function is currently in the following state: ${fn.state}`);
    if (fn.lastUpdateStatus === 'InProgress') throw conflict(`An update is in progress for resource: ${fn.arn}`);
  }

  /** UpdateFunctionConfiguration (also used for outside changes). Returns the new configuration JSON (InProgress). */
  update(fn: Fn, body: Record<string, unknown>, inProgressMs?: number): FunctionConfigurationJson {
    this.assertUpdatable(fn);
    if (typeof body.RevisionId === 'string' && body.RevisionId !== fn.config.revisionId)
      throw new ApiError(
        412,
        'PreconditionFailedException',
        'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
      );
    const next = applyUpdateBody(fn.config, body, fn.spec.packageType === 'Image');
    this.failIfUndoBlocked(fn, next);
    return this.beginUpdate(fn, next, inProgressMs);
  }

  /** faults.failUpdatesRemoving: an update that removes the given variable fails (an undo that cannot go through). */
  private failIfUndoBlocked(fn: Fn, next: FnConfig): void {
    const failing = this.o.faults().failUpdatesRemoving?.[fn.name];
    const before = fn.config.environment ?? {};
    if (!failing || failing.count <= 0 || !(failing.variable in before) || failing.variable in (next.environment ?? {})) return;
    failing.count--;
    throw new ApiError(failing.status, failing.type ?? 'ServiceException', failing.message ?? 'Injected fault: the update failed');
  }

  /** A new revision becomes the latest: InProgress (invokes keep the old one) until `inProgressMs` have passed. */
  private beginUpdate(fn: Fn, next: FnConfig, inProgressMs?: number): FunctionConfigurationJson {
    fn.config = { ...next, seq: ++this.seq, revisionId: this.prng.uuid() };
    fn.lastUpdateStatus = 'InProgress';
    fn.lastModified = lastModified(this.o.now());
    const json = this.configurationJson(fn);
    fn.updateTimer = setTimeout(() => {
      fn.updateTimer = undefined;
      this.track(this.finishUpdate(fn));
    }, inProgressMs ?? this.o.latency().updateMs);
    return json;
  }

  private async finishUpdate(fn: Fn): Promise<void> {
    if (this.closed) return;
    const cfg = fn.config;
    // Lambda gives the configuration a new RevisionId when the update completes.
    cfg.revisionId = this.prng.uuid();
    const foreign = this.o.faults().foreignTrafficAfterUpdate;
    const pending = foreign?.[fn.name] ?? 0;
    if (foreign && pending > 0) {
      foreign[fn.name] = pending - 1;
      try {
        await this.invoke(fn, { foreign: true, invocationType: 'RequestResponse', payload: Buffer.from('{}'), tail: false }, cfg).done;
      } catch {
        /* a throttled foreign invoke is fine */
      }
    }
    if (this.closed) return;
    fn.active = cfg;
    this.reap(fn);
    fn.lastUpdateStatus = 'Successful';
    for (const waiter of fn.settled.splice(0)) waiter();
  }

  /** Resolves when no update of the function is in progress. */
  private settled(fn: Fn): Promise<void> {
    return fn.lastUpdateStatus === 'InProgress' ? new Promise((res) => fn.settled.push(res)) : Promise.resolve();
  }

  /** Pending/Inactive functions become Active after the update latency (Inactive is woken by an invoke). */
  private activateLater(fn: Fn): void {
    if (fn.updateTimer) return;
    fn.state = 'Pending';
    fn.updateTimer = setTimeout(() => {
      fn.updateTimer = undefined;
      fn.state = 'Active';
    }, this.o.latency().updateMs);
  }

  /** Runs `op` as another client's call, recorded as a foreign call of `operation`. */
  private asForeign<T>(fn: Fn, operation: string, op: () => T): T {
    const time = this.o.now();
    try {
      const out = op();
      this.o.recordCall({ service: 'lambda', operation, functionName: fn.name, time, status: 200, foreign: true });
      return out;
    } catch (e) {
      if (e instanceof ApiError)
        this.o.recordCall({
          service: 'lambda',
          operation,
          functionName: fn.name,
          time,
          status: e.status,
          errorType: e.type,
          foreign: true,
        });
      throw e;
    }
  }

  outsideChange(name: string, change: OutsideChange): FunctionConfigurationJson {
    const fn = this.resolve(name);
    const body: Record<string, unknown> = {};
    if (change.memory !== undefined) body.MemorySize = change.memory;
    if (change.environment !== undefined) body.Environment = { Variables: change.environment };
    return this.asForeign(fn, 'UpdateFunctionConfiguration', () => this.update(fn, body, change.inProgressMs));
  }

  /** Another client deploys code (UpdateFunctionCode): new code hash and size; environments are replaced. */
  deployCode(name: string, deploy: CodeDeploy = {}): FunctionConfigurationJson {
    const fn = this.resolve(name);
    return this.asForeign(fn, 'UpdateFunctionCode', () => {
      this.assertUpdatable(fn);
      const codeSize = deploy.codeSize ?? fn.config.codeSize + 1024;
      if (!Number.isInteger(codeSize) || codeSize < 0)
        throw new ApiError(400, 'InvalidParameterValueException', 'CodeSize must be a whole number of bytes');
      const layers = (deploy.layers ?? fn.config.layers).map((l) => ({ ...l }));
      return this.beginUpdate(fn, { ...fn.config, codeSize, codeSha256: this.newCodeSha(), layers }, deploy.inProgressMs);
    });
  }

  /** Another client makes `change` during the function's next client invoke (before its response is sent). */
  outsideChangeDuringNextInvoke(
    name: string,
    change: OutsideChange,
  ): Promise<{ requestId: string; configuration: FunctionConfigurationJson }> {
    const fn = this.resolve(name);
    if (this.midInvoke.has(fn.name)) return Promise.reject(new Error(`${fn.name}: a change during the next invoke is already armed`));
    return new Promise((resolve, reject) => {
      this.midInvoke.set(fn.name, async (requestId) => {
        for (;;) {
          try {
            resolve({ requestId, configuration: this.outsideChange(fn.name, change) });
            return;
          } catch (e) {
            // Like an IaC tool, the other client waits out an update in progress, then makes its change.
            if (this.closed || !(e instanceof ApiError && e.status === 409 && fn.lastUpdateStatus === 'InProgress')) {
              reject(e instanceof Error ? e : new Error(String(e)));
              return;
            }
            await this.settled(fn);
          }
        }
      });
    });
  }

  /** Lambda patches the runtime: environments started from now on run version n (default: the next one). */
  setRuntimeVersion(name: string, n?: number): { runtimeVersion: string; runtimeVersionArn: string } {
    const fn = this.resolve(name);
    const next = n ?? fn.runtimeVersion + 1;
    if (!Number.isInteger(next) || next < 1) throw new Error(`runtime version must be a positive integer, got ${String(n)}`);
    fn.runtimeVersion = next;
    fn.runtimeVersionArn = runtimeVersionArn(this.region, fn.spec.runtime, next);
    return { runtimeVersion: runtimeVersionName(fn.spec.runtime, next), runtimeVersionArn: fn.runtimeVersionArn };
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

  private assertInvokable(fn: Fn): void {
    if (fn.state !== 'Active') {
      const state = fn.state;
      if (state === 'Inactive') this.activateLater(fn);
      throw conflict(`The function is currently in the following state: ${state}`);
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
  }

  /**
   * Checks state and concurrency synchronously (throws ApiError), then runs the invocation on `config` (default: the
   * active one; foreign traffic right at the end of an update passes the new one).
   */
  invoke(fn: Fn, opts: InvokeOptions, config: FnConfig = fn.active): { requestId: string; done: Promise<InvokeOutcome> } {
    this.assertInvokable(fn);
    let env = this.envs.find((e) => e.fn === fn && e.status === 'idle' && e.config.seq === config.seq);
    const fresh = !env;
    if (env) env.status = 'busy';
    else env = this.newEnv(fn, config);
    const requestId = this.prng.uuid();
    const running = env;
    const ran = runInvocation(this.ctx, running, fresh, opts, requestId).then((out) => this.finished(running, out));
    const hook = opts.foreign ? undefined : this.midInvoke.get(fn.name);
    let done = ran;
    if (hook) {
      this.midInvoke.delete(fn.name);
      const changed = hook(requestId);
      done = ran.then(async (out) => {
        await changed; // the response leaves only after the other client's change
        return out;
      });
    }
    if (opts.invocationType === 'Event') this.track(done);
    return { requestId, done };
  }

  private finished(env: Env, out: InvokeOutcome): InvokeOutcome {
    env.invocations++;
    if (out.dead) {
      env.proc?.kill();
      env.status = 'reaped';
    } else if (this.closed || (env.config.seq !== env.fn.active.seq && env.config.seq !== env.fn.config.seq)) {
      this.retire(env);
    } else env.status = 'idle';
    this.invocations.push(out.record);
    return out;
  }

  private newEnv(fn: Fn, config: FnConfig): Env {
    const now = new Date(this.o.now());
    const day = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${String(now.getUTCDate()).padStart(2, '0')}`;
    const rate = this.o.faults().proactiveInitRate ?? 0;
    const proactive = rate > 0 && this.chance.next() < rate;
    const env: Env = {
      id: this.prng.hex(32),
      fn,
      config,
      status: 'initializing',
      stream: '',
      createdAt: now.getTime(),
      proactive,
      initFailure: proactive ? undefined : takeInitFailure(fn.name, fn.spec, this.o.faults(), this.chance),
      invocations: 0,
      runtimeVersion: runtimeVersionName(fn.spec.runtime, fn.runtimeVersion),
      runtimeVersionArn: fn.runtimeVersionArn,
      pendingLogs: [],
    };
    env.stream = `${day}/[$LATEST]${env.id}`;
    this.envs.push(env);
    return env;
  }

  private processEnv(env: Env): Record<string, string> {
    const { fn, config: cfg } = env;
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
    let codeSize = 0;
    for (const fn of this.functions.values()) {
      reserved += fn.reserved ?? 0;
      codeSize += fn.config.codeSize;
    }
    return {
      AccountLimit: {
        TotalCodeSize: 80530636800,
        CodeSizeUnzipped: 262144000,
        CodeSizeZipped: 52428800,
        ConcurrentExecutions: this.accountConcurrency,
        UnreservedConcurrentExecutions: this.accountConcurrency - reserved,
      },
      AccountUsage: { TotalCodeSize: codeSize, FunctionCount: this.functions.size },
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
        runtimeVersionArn: e.runtimeVersionArn,
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
      for (const waiter of fn.settled.splice(0)) waiter();
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
