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
  functions: FunctionSpec[];
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
  Environment?: { Variables: Record<string, string> };
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
  environment?: Record<string, string>;
}

export interface EmulatorControl {
  setLatency(partial: Partial<Latency>): void;
  setFaults(partial: Faults): void;
  /** Sets (or, with undefined values, lifts) account quotas. */
  setQuotas(partial: Quotas): void;
  /** Another client invokes the function now; resolves when that invocation finished. */
  foreignInvoke(name: string): Promise<InvocationRecord>;
  /** Another client updates the function now (new RevisionId, InProgress like any update). Throws if an update is in progress. */
  outsideChange(name: string, change: OutsideChange): void;
  setReservedConcurrency(name: string, n: number | undefined): void;
}

export interface Emulator {
  url: string;
  state(): EmulatorState;
  control: EmulatorControl;
  close(): Promise<void>;
}
