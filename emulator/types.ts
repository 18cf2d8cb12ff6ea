/**
 * Public types of the local Lambda + CloudWatch Logs emulator.
 * The emulator is a test/demo/benchmark backend; these types are its contract with tests.
 */

export interface Latency {
  /** How long UpdateFunctionConfiguration stays InProgress (ms). Default 50. */
  updateMs: number;
  /** Time an Invoke of a synthetic runtime takes (ms). Default 5. */
  invokeOverheadMs: number;
  /** Delay before a log event becomes visible to FilterLogEvents / StartQuery (ms). Default 50. */
  ingestionMs: number;
  /** Time from StartQuery until GetQueryResults says Complete (ms). Default 50. */
  queryMs: number;
  /**
   * Lambda's limit on an on-demand init phase (ms). Default 10 000, as in Lambda; scale it down in tests. A longer init
   * times out and Lambda re-runs it inside the first invoke, bounded by the function timeout (a suppressed init).
   */
  initTimeoutMs: number;
}

/**
 * How the init of a new execution environment fails. Lambda writes `INIT_REPORT … Phase: init Status: timeout|error`,
 * then re-runs init inside the first invoke (a suppressed init): that invoke's Duration includes the re-run and its
 * REPORT has no Init Duration. A re-run that fails too writes `INIT_REPORT … Phase: invoke …` and the invoke fails.
 */
export interface InitFailure {
  /** `timeout`: init outlasts latency.initTimeoutMs; `error`: the runtime crashes during init. */
  init: 'timeout' | 'error';
  /** The re-run inside the invoke: `success` (default), `error` (crashes again) or `timeout` (outlasts the function timeout). */
  rerun?: 'success' | 'error' | 'timeout';
  /** Error Type of an `error` (default Runtime.ExitError, what Lambda reports for a runtime that exits). */
  errorType?: string;
}

/** A layer of a function as GetFunction shows it. */
export interface LayerSpec {
  arn: string;
  /** bytes */
  codeSize: number;
}

export interface FailSpec {
  count: number;
  status: number;
  /** Error type (e.g. TooManyRequestsException); defaults by status and service. */
  type?: string;
  /** Sets the Retry-After header (seconds). */
  retryAfterSec?: number;
  message?: string;
}

export interface RateFailSpec {
  /** 0..1, drawn from the seeded PRNG per call. */
  rate: number;
  status: number;
  type?: string;
  retryAfterSec?: number;
  message?: string;
}

export interface Faults {
  /** The next `count` calls of an operation (e.g. `Invoke`, `GetFunction`, `StartQuery`) fail with this error. */
  failNext?: { [operation: string]: FailSpec };
  /** Seeded random failures per operation. */
  failRate?: { [operation: string]: RateFailSpec };
  /** The next N updates of that function are each followed, when the update becomes Successful, by a foreign invoke
   * that takes the new configuration's cold start (so the next client invoke is warm). */
  foreignTrafficAfterUpdate?: { [fn: string]: number };
  /** 0..1 (seeded): a new environment was pre-initialised, so its first invoke has no Init Duration. */
  proactiveInitRate?: number;
  /**
   * Per function: the next `count` UpdateFunctionConfiguration calls that remove `variable` from the environment (an
   * undo) fail with this error — an undo that cannot go through (a 500, expired credentials).
   */
  failUpdatesRemoving?: { [fn: string]: FailSpec & { variable: string } };
  /** Per function: the next `count` new execution environments fail their init this way. */
  failNextInit?: { [fn: string]: InitFailure & { count: number } };
}

export interface SyntheticSpec {
  initMs: { mean: number; sd: number };
  durationMs: { mean: number; sd: number };
  maxMemoryMb?: number;
  /** Every invoke fails (X-Amz-Function-Error: Unhandled, REPORT Status: error). */
  error?: boolean;
}

export interface FunctionSpec {
  name: string;
  runtime: string;
  memory?: number;
  /** Omitted → the function has no Environment at all. */
  environment?: Record<string, string>;
  architecture?: 'x86_64' | 'arm64';
  logFormat?: 'Text' | 'JSON';
  logGroup?: string;
  snapStart?: boolean;
  state?: 'Active' | 'Pending' | 'Inactive' | 'Failed';
  packageType?: 'Zip' | 'Image';
  reservedConcurrency?: number;
  /** Runs on Lambda Managed Instances: the configuration shows CapacityProviderConfig (with this capacity provider). */
  capacityProviderArn?: string;
  timeoutSec?: number;
  /** CodeSize in bytes (GetFunction). Default 1024. Image functions show 0, as Lambda does. */
  codeSize?: number;
  /** Layers (GetFunction `Layers: [{Arn, CodeSize}]`); none by default, and then Lambda shows no Layers. */
  layers?: LayerSpec[];
  /** The runtime version number N of `<runtime>:<release>.v<N>` (INIT_START). Default: a stable number per runtime. */
  runtimeVersion?: number;
  /** Every new environment's init fails this way; with `rate` (0..1, seeded) only that share of them. */
  initFailure?: InitFailure & { rate?: number };
  synthetic?: SyntheticSpec;
  /** Real runtime: node / python by Runtime prefix; provided.* runs <dir>/bootstrap (or compiles <dir>/bootstrap.c). */
  process?: { dir: string; handler?: string };
}

/**
 * Account quotas the emulator enforces when set (off by default), answering as AWS does: Lambda 429
 * TooManyRequestsException (Reason CallerRateLimitExceeded, Retry-After), Logs 400 LimitExceededException.
 */
export interface Quotas {
  /** Lambda control-plane requests per second, all operations but Invoke and GetFunction together (AWS: 15). */
  controlPlanePerSec?: number;
  /** GetFunction requests per second (AWS: 100). */
  getFunctionPerSec?: number;
  /** Logs Insights queries running at once (AWS: 30 per the StartQuery reference). */
  concurrentQueries?: number;
}

/** Requests the quotas refused, by quota. */
export interface QuotaThrottles {
  controlPlane: number;
  getFunction: number;
  queries: number;
}

export interface EmulatorConfig {
  region?: string;
  accountId?: string;
  seed?: number;
  latency?: Partial<Latency>;
  faults?: Faults;
  quotas?: Quotas;
  accountConcurrency?: number;
  /** Listen port (default 0 = ephemeral). Always bound to 127.0.0.1. */
  port?: number;
  /** The emulator's clock and the clock errors of its clients (README: "Clocks"). */
  clock?: ClockConfig;
  functions: FunctionSpec[];
}

export interface ClockConfig {
  /** The emulator's clock (Lambda's and CloudWatch Logs') minus the host's, in ms. Default 0. */
  offsetMs?: number;
  /**
   * Per access key id: the error of that client's clock in ms (negative = behind). Its first request per service is
   * checked by SigV4's 5-minute rule with this error added to its X-Amz-Date; after that answer its SDK knows the
   * emulator's time, as a real SDK does after clock-skew correction. It does not change the client's own process clock.
   */
  clients?: Record<string, number>;
}

export interface ApiCall {
  service: 'lambda' | 'logs';
  operation: string;
  functionName?: string;
  /** epoch ms */
  time: number;
  status: number;
  /** Error type when status >= 400. */
  errorType?: string;
  /** true for calls made through `control` (another client), not over HTTP. */
  foreign?: boolean;
  /** The SigV4 access key id the request was signed with (HTTP calls). */
  accessKeyId?: string;
}

/** A failed init attempt as its INIT_REPORT line printed it. */
export interface InitReportRecord {
  /** `init`: the init phase; `invoke`: the re-run inside the invoke (suppressed init). */
  phase: 'init' | 'invoke';
  status: 'timeout' | 'error';
  errorType?: string;
  durationMs: number;
  /** The INIT_REPORT line / platform.initReport record exactly as written to the log. */
  message: string;
}

export interface InvocationRecord {
  requestId: string;
  functionName: string;
  /** true when the REPORT has Init Duration. */
  cold: boolean;
  /** A new environment was started for this invocation (true also for a proactively initialised one). */
  newEnvironment: boolean;
  /** The environment was pre-initialised: new environment, no Init Duration. */
  proactiveInit: boolean;
  initMs: number | null;
  restoreMs: number | null;
  durationMs: number;
  billedMs: number;
  maxMemoryUsedMb: number;
  memorySizeMb: number;
  environmentId: string;
  logStream: string;
  logGroup: string;
  foreign: boolean;
  invocationType: 'RequestResponse' | 'Event';
  /** RevisionId of the configuration the invocation ran. */
  revisionId: string;
  /** Environment variables of that configuration (test-only ground truth; never printed). */
  environment: Record<string, string> | null;
  status: 'success' | 'error' | 'timeout';
  errorType?: string;
  /** epoch ms when the invocation started */
  timestamp: number;
  /** The REPORT line / record exactly as written to the log. */
  reportMessage: string;
  /** Failed init attempts this invocation carried (empty when none), in log order. */
  initReports: InitReportRecord[];
  /** Lambda re-ran init inside this invocation (suppressed init): Duration includes it; the REPORT has no Init Duration. */
  suppressedInit: boolean;
  /** Duration of that re-run (ms; part of durationMs), or null when there was none. */
  rerunInitMs: number | null;
  /** Runtime version of the environment, as INIT_START printed it (e.g. nodejs:20.v32), and its ARN. */
  runtimeVersion: string;
  runtimeVersionArn: string;
}

export interface LogEventState {
  timestamp: number;
  ingestionTime: number;
  message: string;
}

export interface LogStreamState {
  name: string;
  createdAt: number;
  events: LogEventState[];
}

export interface LogGroupState {
  name: string;
  createdAt: number;
  streams: LogStreamState[];
}

export interface EnvironmentState {
  id: string;
  functionName: string;
  revisionId: string;
  status: 'initializing' | 'idle' | 'busy' | 'reaped';
  createdAt: number;
  logStream: string;
  pid?: number;
  invocations: number;
  /** Runtime version ARN the environment started with. */
  runtimeVersionArn: string;
}

export interface EmulatorState {
  region: string;
  accountId: string;
  calls: ApiCall[];
  invocations: InvocationRecord[];
  /** Current FunctionConfiguration per function name (as GetFunctionConfiguration returns it). */
  functions: Record<string, FunctionConfigurationJson>;
  logGroups: LogGroupState[];
  /** Every DeleteLogGroup / DeleteLogStream ever received (should stay empty). */
  logDeletions: { operation: string; logGroupName?: string; logStreamName?: string; time: number }[];
  environments: EnvironmentState[];
  /** Number of live runtime processes right now. */
  liveProcesses: number;
  queries: { queryId: string; queryString: string; logGroups: string[]; startTime: number; endTime: number; status: string }[];
  /** Requests refused by the quotas (EmulatorConfig.quotas). */
  throttles: QuotaThrottles;
  /** The emulator's clock: its offset from the host's and its reading when the state was taken (epoch ms). */
  clock: { offsetMs: number; now: number };
}

/** FunctionConfiguration in the wire shape (PascalCase, as the SDK returns it). */
export interface FunctionConfigurationJson {
  FunctionName: string;
  FunctionArn: string;
  Runtime?: string;
  Role: string;
  Handler?: string;
  CodeSize: number;
  Description: string;
  Timeout: number;
  MemorySize: number;
  LastModified: string;
  CodeSha256: string;
  Version: string;
  /** Absent when the function has no variables (never set, or removed with `{Variables: {}}`), as in Lambda. */
  Environment?: { Variables: Record<string, string> };
  Layers?: { Arn: string; CodeSize: number }[];
  RuntimeVersionConfig?: { RuntimeVersionArn: string };
  TracingConfig: { Mode: string };
  RevisionId: string;
  State: string;
  StateReason?: string;
  StateReasonCode?: string;
  LastUpdateStatus: string;
  LastUpdateStatusReason?: string;
  LastUpdateStatusReasonCode?: string;
  PackageType: string;
  Architectures: string[];
  EphemeralStorage: { Size: number };
  SnapStart: { ApplyOn: string; OptimizationStatus: string };
  LoggingConfig: { LogFormat: string; LogGroup: string; ApplicationLogLevel?: string; SystemLogLevel?: string };
  CapacityProviderConfig?: { LambdaManagedInstancesCapacityProviderConfig: { CapacityProviderArn: string } };
}

export interface OutsideChange {
  memory?: number;
  /** Replaces the variables wholesale ({} removes them all). */
  environment?: Record<string, string>;
  /** How long the update stays InProgress (ms). Default latency.updateMs. */
  inProgressMs?: number;
}

/** A deploy of new code by another actor (UpdateFunctionCode). */
export interface CodeDeploy {
  /** New CodeSize in bytes. Default: the current size + 1 KB. */
  codeSize?: number;
  /** New layers (replace the current ones). */
  layers?: LayerSpec[];
  /** How long the update stays InProgress (ms). Default latency.updateMs. */
  inProgressMs?: number;
}

export interface EmulatorControl {
  setLatency(partial: Partial<Latency>): void;
  setFaults(partial: Faults): void;
  /** Sets (or, with undefined values, lifts) account quotas. */
  setQuotas(partial: Quotas): void;
  /** Another client invokes the function now; resolves when that invocation finished. */
  foreignInvoke(name: string): Promise<InvocationRecord>;
  /**
   * Another client updates the function now (UpdateFunctionConfiguration: new RevisionId, InProgress like any update,
   * for `inProgressMs`). Throws the ApiError Lambda would give (409 while an update is in progress).
   */
  outsideChange(name: string, change: OutsideChange): FunctionConfigurationJson;
  /**
   * Another client makes `change` while the function's next client invoke is in flight: after that request arrived and
   * before its response is sent (the invoke runs the configuration it started with). An update already in progress is
   * waited for first. Resolves once the change is made, with the invoke's request id and the update's answer.
   */
  outsideChangeDuringNextInvoke(
    name: string,
    change: OutsideChange,
  ): Promise<{ requestId: string; configuration: FunctionConfigurationJson }>;
  /** Another client deploys new code now (UpdateFunctionCode): new CodeSha256, CodeSize, RevisionId, LastModified. */
  deployCode(name: string, deploy?: CodeDeploy): FunctionConfigurationJson;
  /** Lambda patches the function's runtime (no deploy): environments started from now on run version `n` (default: next). */
  setRuntimeVersion(name: string, n?: number): { runtimeVersion: string; runtimeVersionArn: string };
  /** The next `count` (default 1) new environments of the function fail their init this way. */
  failNextInit(name: string, failure: InitFailure & { count?: number }): void;
  setReservedConcurrency(name: string, n: number | undefined): void;
  /** Sets the emulator's clock offset from the host's (ms). */
  setClockOffset(offsetMs: number): void;
  /** Sets (undefined: removes) the clock error of the client signing with this access key id (ClockConfig.clients). */
  setClientClockOffset(accessKeyId: string, offsetMs: number | undefined): void;
}

export interface Emulator {
  url: string;
  state(): EmulatorState;
  control: EmulatorControl;
  close(): Promise<void>;
}
