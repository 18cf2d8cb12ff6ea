/** The emulator's defaults and AWS's fixed limits: one place for each number. */
import type { Latency } from './types.js';

/**
 * Lambda's limit on the init phase of an on-demand environment: 10 s ("the Init phase is limited to 10 seconds"); past
 * it, Lambda re-runs init inside the first invoke under the function timeout. Tests scale it down with
 * `latency.initTimeoutMs`.
 */
export const LAMBDA_INIT_TIMEOUT_MS = 10_000;

export const DEFAULT_LATENCY: Latency = {
  updateMs: 50,
  invokeOverheadMs: 5,
  ingestionMs: 50,
  queryMs: 50,
  initTimeoutMs: LAMBDA_INIT_TIMEOUT_MS,
};

/**
 * The CLI's listen port when neither `--port` nor the config file names one. Not LocalStack's 4566 (nor its 4510–4559
 * range), moto's 5000, SAM's 3000/3001 or DynamoDB Local's 8000, so the emulator can run beside any of them.
 */
export const DEFAULT_CLI_PORT = 4599;

/** SigV4: AWS refuses a request whose X-Amz-Date is more than 5 minutes away from its clock ("… - 5 min."). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** CodeSize of a function whose spec names none: a small zipped handler. */
export const DEFAULT_CODE_SIZE = 1024;

/** Lambda's quotas on a function's environment variables (4 KB as their JSON string) and its memory. */
export const MAX_ENVIRONMENT_BYTES = 4096;
export const MIN_MEMORY_MB = 128;
export const MAX_MEMORY_MB = 10_240;
