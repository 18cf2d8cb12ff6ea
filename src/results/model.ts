/**
 * The result model: plain, serialisable values that flow from the measurement engine to the
 * statistics, the renderers and the GitHub outputs. results.json is `RunResults` as JSON
 * (schema: schema/results.schema.json). Never holds environment variable values.
 */
import type { Config, Strategy } from '../config/model.js';
import type { FunctionPair } from '../config/pairs.js';

/** A REPORT line as Lambda printed it (text format) or as its `platform.report` record (JSON format). */
export interface ReportLine {
  requestId: string;
  /** Handler time in ms ("Duration"). */
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  /** Present only when the invocation started a new execution environment. */
  initDurationMs?: number;
  /** SnapStart: present instead of Init Duration when the environment was restored from a snapshot. */
  restoreDurationMs?: number;
  billedRestoreDurationMs?: number;
  /** `success` when Lambda printed no status; `timeout` / `error` (and others Lambda may print) otherwise. */
  status: string;
  errorType?: string;
  format: 'text' | 'json';
}

/**
 * Cold: the REPORT has Init (or Restore) Duration. Warm: it has neither. Error: the function failed. Init-failed: a new
 * execution environment whose init failed or timed out (INIT_REPORT Status: timeout | error); Lambda re-ran the init inside
 * the invoke ("suppressed init"), so the REPORT has no Init Duration. Such a sample is a cold start of its own kind: never
 * retried as warm, never in the init statistics.
 */
export type SampleKind = 'cold' | 'warm' | 'error' | 'init-failed';
export const SAMPLE_KINDS = ['cold', 'warm', 'error', 'init-failed'] as const satisfies readonly SampleKind[];
/** Where the numbers of a sample came from: Logs Insights (authoritative) or the invoke response's log tail. */
export type SampleSource = 'insights' | 'tail';
/** How one sample was taken: alone after its update, or one of a burst (a run's `compare` takes both). */
export type SampleStrategy = Exclude<Strategy, 'compare'>;
export const SAMPLE_STRATEGIES = ['sequential', 'burst'] as const satisfies readonly SampleStrategy[];

export interface Sample {
  function: string;
  memory: number;
  /** 1-based index of the sample within (function, memory, strategy). */
  sequence: number;
  /** 1-based attempt for this sequence number (>1 after a warm retry). */
  attempt: number;
  requestId: string;
  kind: SampleKind;
  /** Init Duration in ms; null when warm (or unknown). */
  init: number | null;
  restore: number | null;
  /** Duration of the invocation in ms (handler time). */
  duration: number | null;
  billed: number | null;
  maxMemory: number | null;
  source: SampleSource;
  /** ISO-8601 time the invoke returned. */
  timestamp: string;
  strategy: SampleStrategy;
  /** Lambda's error type / message for `error` samples, or a note. */
  error?: string;
  /** `init-failed`: how the init phase ended (the INIT_REPORT's Status: `timeout`, `error`); `init` holds how long it ran. */
  initStatus?: string;
  /** `init-failed`: the INIT_REPORT's Error Type (an init that crashed). */
  initErrorType?: string;
  /** The execution environment's runtime version as INIT_START printed it (`python:3.12.v41`), when its line was read. */
  runtimeVersion?: string;
  runtimeVersionArn?: string;
}

export interface FunctionInfo {
  /** The name as the user gave it, resolved to the function name (never an ARN with a qualifier). */
  name: string;
  arn: string;
  runtime: string;
  architecture: string;
  packageType: string;
  logFormat: 'Text' | 'JSON';
  logGroup: string;
  snapStart: boolean;
  /** MemorySize before the run. */
  originalMemory: number;
  /** Set when results were merged from matrix shards. */
  shard?: string;
  region?: string;
  /** Set when the function could not be measured (the run goes on with the others). */
  failure?: string;
  /** GetFunction's CodeSize: the deployment package in bytes (0 for a container image). */
  codeSize?: number;
  /** GetFunction's Layers: each layer version's ARN and size in bytes. */
  layers?: LayerInfo[];
  /** RuntimeVersionConfig.RuntimeVersionArn: the runtime version Lambda runs the function on (managed runtimes). */
  runtimeVersionArn?: string;
}

export interface LayerInfo {
  arn: string;
  /** bytes */
  codeSize: number;
}

/** Descriptive statistics of one series of values (ms). */
export interface Summary {
  n: number;
  min: number;
  p50: number;
  /** null when n is too small for the percentile to mean anything (n < 10). */
  p90: number | null;
  max: number;
  mean: number;
  /** Sample standard deviation; null when n < 2. */
  sd: number | null;
  /** Distribution-free 95% confidence interval of the median; null when n is too small (n < 6). */
  medianCi: [number, number] | null;
}

export interface Comparison {
  /** Function (or run) compared against. */
  against: string;
  /** Ratio of medians (this / against). */
  ratio: number;
  /** 95% confidence interval of the ratio of medians; null when n is too small. */
  ratioCi: [number, number] | null;
  /** Two-sided Mann–Whitney U p-value. */
  pValue: number;
  significant: boolean;
}

export interface FunctionStats {
  function: string;
  memory: number;
  strategy: SampleStrategy;
  runtime: string;
  architecture: string;
  /** Init Duration (or Restore Duration for SnapStart) of the cold samples. */
  init: Summary;
  /** Init + Duration: what the user waits for. */
  total: Summary;
  /** Median of Duration and Billed Duration of the cold samples, and the highest Max Memory Used. */
  durationP50: number;
  billedP50: number;
  maxMemory: number;
  warmRetries: number;
  errors: number;
  /** Against the fastest function at the same memory size; absent for the fastest itself. */
  vsFastest?: Comparison;
  /** What one cold start cost (from the REPORT lines and the bundled prices); absent without a price (see RunResults.cost). */
  cost?: ColdStartCostStats;
}

/** The cost of one cold start of a function at a memory size, in USD: each priced from its own REPORT line. */
export interface ColdStartCostStats {
  /** Cold starts priced (those with a Billed Duration). */
  n: number;
  medianUsd: number;
  /** null below 10 cold starts, like every p90. */
  p90Usd: number | null;
  /** A million cold starts like these: the mean × 10^6. */
  usdPerMillion: number;
  /** The prices used: duration per GB-second and requests per million, for the function's architecture and region. */
  usdPerGbSecond: number;
  usdPerMillionRequests: number;
}

/** Invokes that could not be priced, and why. */
export interface Unpriced {
  function: string;
  invokes: number;
  reason: string;
}

/** What a run cost (or was estimated to cost): the invokes priced, in USD. */
export interface RunCostSummary {
  usd: number;
  /** Invokes priced into `usd`. */
  invokes: number;
  unpriced: Unpriced[];
}

/** results.json's `cost`: the price table used, what could not be priced, and the run's own cost. */
export interface CostInfo {
  /** The bundled price table: on-demand prices of the first usage tier, in USD, as of `asOf` (YYYY-MM-DD). */
  prices: { tier: 'first'; currency: 'USD'; asOf: string };
  /** Functions whose cold starts have no price (an unknown region or architecture): no cost is shown, never a guess. */
  noPrice: { function: string; reason: string }[];
  /** What the run's own invokes cost: every invoke with a REPORT line, warm retries and failures included. */
  run: RunCostSummary;
  /** What the run was estimated to cost before it started. */
  estimate?: RunCostSummary & { assumes: string };
}

/**
 * results.json's `inputs`: the part of the run's configuration a reader needs to interpret the samples. `pairs` (A/B in
 * one job, `baseline-functions`) names functions as the samples do; absent when the run had none.
 */
export type RunInputs = Pick<Config, 'functions' | 'memory' | 'repetitions' | 'reportSource' | 'strategy' | 'concurrency'> & {
  pairs?: FunctionPair[];
};

/** What a side-by-side comparison of two functions found (results/pairs.ts computes it; PairResult stores it). */
export interface PairStatistics {
  /** 'paired' on the complete pairs; 'unpaired' when there were fewer than MIN_PAIRS. */
  method: 'paired' | 'unpaired';
  /** Complete pairs: rounds in which both sides measured a cold start. */
  pairs: number;
  headN: number;
  baseN: number;
  headP50: number;
  baseP50: number;
  /** head / base: exp(20 % trimmed mean of the paired log ratios); the ratio of medians when unpaired. */
  ratio: number;
  /** 95 % interval of the ratio; null when the samples are too few for one. */
  ratioCi: [number, number] | null;
  pValue: number;
  /** Standard error of ln(ratio) behind `ratioCi` (null without one): the gate weighs the evidence with it. */
  logSe: number | null;
  significant: boolean;
  verdict: 'faster' | 'slower' | 'no significant change' | 'too few to tell';
}

/**
 * A head and its base measured side by side in one job, at one memory size and strategy: judged within the job, on the
 * paired log ratios of the rounds both completed (results/pairs.ts), or unpaired below MIN_PAIRS complete pairs.
 */
export interface PairResult extends PairStatistics {
  head: string;
  base: string;
  memory: number;
  /** Set when the base ran at another size: `memory` empty, and the two functions kept sizes of their own. */
  baseMemory?: number;
  strategy: SampleStrategy;
  /** Side by side in one job, always (a comparison with another run is `across-runs`). */
  kind: 'within-job';
  /** Degrees of freedom of the interval; null = normal (JSON has no Infinity). */
  df: number | null;
}

export interface RunResults {
  schemaVersion: 1;
  tool: { name: 'lambda-coldstart'; version: string };
  run: {
    startedAt: string;
    endedAt: string;
    region: string;
    inputs: RunInputs;
    /** GitHub run URL when known. */
    url?: string;
  };
  functions: FunctionInfo[];
  samples: Sample[];
  statistics: FunctionStats[];
  /** Plain-language notes: warm retries, errors, tail fallbacks, skipped steps. */
  notes: string[];
  /** A/B: each `baseline-functions` pair compared side by side, per memory size and strategy; absent without pairs. */
  pairs?: PairResult[];
  /** Prices and the run's own cost (absent in files written before costs were reported, and for speed.csv). */
  cost?: CostInfo;
}
