/**
 * A function's configuration revisions: what UpdateFunctionConfiguration accepts (validated as Lambda validates it)
 * and how GetFunction / GetFunctionConfiguration render it in the wire shape.
 */
import { DEFAULT_CODE_SIZE, MAX_ENVIRONMENT_BYTES, MAX_MEMORY_MB, MIN_MEMORY_MB } from './defaults.js';
import { ApiError } from './errors.js';
import type { FunctionConfigurationJson, FunctionSpec, LayerSpec } from './types.js';

/** One configuration revision: what an environment runs. Replaced, never mutated, by an update (but its RevisionId). */
export interface FnConfig {
  seq: number;
  revisionId: string;
  memory: number;
  /** undefined = no variables: Lambda then omits Environment from the configuration. */
  environment: Record<string, string> | undefined;
  timeoutSec: number;
  description: string;
  handler: string | undefined;
  logFormat: 'Text' | 'JSON';
  logGroup: string;
  codeSize: number;
  codeSha256: string;
  layers: LayerSpec[];
}

/** What the configuration JSON needs to know of a function besides its revision. */
export interface FunctionView {
  spec: FunctionSpec;
  name: string;
  arn: string;
  config: FnConfig;
  lastUpdateStatus: 'Successful' | 'InProgress' | 'Failed';
  state: 'Active' | 'Pending' | 'Inactive' | 'Failed';
  lastModified: string;
  runtimeVersionArn: string;
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

/** Lambda's LastModified form: 2024-05-01T12:00:00.123+0000. */
export function lastModified(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function defaultHandler(runtime: string): string {
  if (runtime.startsWith('python')) return 'lambda_function.lambda_handler';
  if (runtime.startsWith('provided')) return 'bootstrap';
  return 'index.handler';
}

/** The first revision of a function, from its spec. */
export function initialConfig(spec: FunctionSpec, seq: number, revisionId: string, codeSha256: string): FnConfig {
  return {
    seq,
    revisionId,
    memory: spec.memory ?? MIN_MEMORY_MB,
    environment: spec.environment && Object.keys(spec.environment).length > 0 ? { ...spec.environment } : undefined,
    timeoutSec: spec.timeoutSec ?? 3,
    description: '',
    handler: spec.packageType === 'Image' ? undefined : (spec.process?.handler ?? defaultHandler(spec.runtime)),
    logFormat: spec.logFormat ?? 'Text',
    logGroup: spec.logGroup ?? `/aws/lambda/${spec.name}`,
    codeSize: spec.codeSize ?? DEFAULT_CODE_SIZE,
    codeSha256,
    layers: (spec.layers ?? []).map((l) => ({ ...l })),
  };
}

/** Lambda measures the variables as their JSON string (its error says "String measured: {...}"). */
export function envBytes(vars: Record<string, string>): number {
  return Buffer.byteLength(JSON.stringify(vars));
}

/** Validated variables of an update's `Environment.Variables` (messages never echo values). */
function parseVariables(vars: Record<string, unknown>): Record<string, string> {
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
  if (size > MAX_ENVIRONMENT_BYTES)
    throw new ApiError(
      400,
      'InvalidParameterValueException',
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. Bytes measured: ${size}`,
    );
  return clean;
}

/**
 * The revision an UpdateFunctionConfiguration body asks for (seq and RevisionId are the caller's). Environment follows
 * Lambda: `{Variables: {...}}` replaces the variables wholesale, `{Variables: {}}` removes them all (Lambda then shows
 * no Environment), and an Environment without Variables leaves them as they are.
 */
export function applyUpdateBody(current: FnConfig, body: Record<string, unknown>, isImage: boolean): FnConfig {
  const next: FnConfig = { ...current, layers: current.layers.map((l) => ({ ...l })) };
  if (body.MemorySize !== undefined) {
    const m = body.MemorySize;
    if (typeof m !== 'number' || !Number.isInteger(m) || m < MIN_MEMORY_MB || m > MAX_MEMORY_MB)
      throw new ApiError(
        400,
        'InvalidParameterValueException',
        `MemorySize must be an integer between ${MIN_MEMORY_MB} and ${MAX_MEMORY_MB} MB, got ${String(m)}`,
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
  if (typeof body.Handler === 'string' && !isImage) next.handler = body.Handler;
  const env = body.Environment as { Variables?: unknown } | null | undefined;
  if (env && typeof env === 'object' && typeof env.Variables === 'object' && env.Variables !== null) {
    const clean = parseVariables(env.Variables as Record<string, unknown>);
    next.environment = Object.keys(clean).length > 0 ? clean : undefined;
  }
  const lc = body.LoggingConfig as { LogFormat?: unknown; LogGroup?: unknown } | undefined;
  if (lc && typeof lc === 'object') {
    if (lc.LogFormat === 'Text' || lc.LogFormat === 'JSON') next.logFormat = lc.LogFormat;
    if (typeof lc.LogGroup === 'string') next.logGroup = lc.LogGroup;
  }
  return next;
}

const STATE_REASONS: Record<string, { reason: string; code: string }> = {
  Pending: { reason: 'The function is being created.', code: 'Creating' },
  Inactive: { reason: 'The function is inactive because it has not been invoked for a while.', code: 'Idle' },
  Failed: { reason: 'The function could not be created.', code: 'InternalError' },
};

/** GetFunctionConfiguration's answer (also GetFunction's `Configuration`). */
export function configurationJson(fn: FunctionView, accountId: string): FunctionConfigurationJson {
  const c = fn.config;
  const image = fn.spec.packageType === 'Image';
  const out: FunctionConfigurationJson = {
    FunctionName: fn.name,
    FunctionArn: fn.arn,
    Role: `arn:aws:iam::${accountId}:role/${fn.name}-role`,
    CodeSize: image ? 0 : c.codeSize,
    Description: c.description,
    Timeout: c.timeoutSec,
    MemorySize: c.memory,
    LastModified: fn.lastModified,
    CodeSha256: c.codeSha256,
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
  if (!image) {
    out.Runtime = fn.spec.runtime;
    out.RuntimeVersionConfig = { RuntimeVersionArn: fn.runtimeVersionArn };
  }
  if (c.handler !== undefined) out.Handler = c.handler;
  if (c.environment) out.Environment = { Variables: { ...c.environment } };
  if (c.layers.length > 0) out.Layers = c.layers.map((l) => ({ Arn: l.arn, CodeSize: l.codeSize }));
  if (c.logFormat === 'JSON') {
    out.LoggingConfig.ApplicationLogLevel = 'INFO';
    out.LoggingConfig.SystemLogLevel = 'INFO';
  }
  if (fn.spec.capacityProviderArn !== undefined) {
    out.CapacityProviderConfig = { LambdaManagedInstancesCapacityProviderConfig: { CapacityProviderArn: fn.spec.capacityProviderArn } };
  }
  const st = STATE_REASONS[fn.state];
  if (st) {
    out.StateReason = st.reason;
    out.StateReasonCode = st.code;
  }
  if (fn.lastUpdateStatus === 'InProgress') {
    out.LastUpdateStatusReason = 'The function is being created.';
    out.LastUpdateStatusReasonCode = 'Creating';
  }
  return out;
}
