/** The emulator's internal model of functions and execution environments (shared by the Lambda modules). */
import type { FnConfig, FunctionView } from './configuration.js';
import type { ProcessEnvironment } from './process.js';
import type { Prng } from './prng.js';
import type { InitFailure } from './types.js';

export interface Fn extends FunctionView {
  /** Configuration invokes run (the old one while an update is InProgress). */
  active: FnConfig;
  reserved: number | undefined;
  updateTimer?: NodeJS.Timeout | undefined;
  /** Called once the update in progress (if any) has completed. */
  settled: (() => void)[];
  /** Per-function PRNG for synthetic draws: values depend only on this function's own invocation count. */
  synth: Prng;
  codeLocation: string;
  imageDigest: string;
  /** N of the runtime version new environments start with (Lambda patches it without a deploy). */
  runtimeVersion: number;
}

export interface Env {
  id: string;
  fn: Fn;
  config: FnConfig;
  status: 'initializing' | 'idle' | 'busy' | 'reaped';
  stream: string;
  createdAt: number;
  proactive: boolean;
  /** The init failure forced on this environment, if any (decided when it was created). */
  initFailure: InitFailure | undefined;
  invocations: number;
  /** Runtime version the environment started with (INIT_START). */
  runtimeVersion: string;
  runtimeVersionArn: string;
  proc?: ProcessEnvironment;
  /** Runtime output not yet written to the log (process runtimes). */
  pendingLogs: { time: number; line: string }[];
}
