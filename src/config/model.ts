/**
 * The run's configuration: what the inputs (action.yml) or the CLI's flags say, typed and validated (parse.ts). Every
 * stage reads the part it needs as a view of this one type (a `Pick<Config, …>`), never a copy of it.
 */

/** How samples are taken: one update per cold start, one update and k concurrent invokes, or both interleaved. */
export const STRATEGIES = ['sequential', 'burst', 'compare'] as const;
export type Strategy = (typeof STRATEGIES)[number];
/** Where the REPORT lines are read: Logs Insights (authoritative) or the invoke response's log tail. */
export const REPORT_SOURCES = ['insights', 'tail'] as const;
export type ReportSource = (typeof REPORT_SOURCES)[number];
/** What the action does: measure, merge the artifacts of matrix shards, or put back functions a killed run left changed. */
export const RUN_MODES = ['measure', 'merge', 'restore'] as const;
export type RunMode = (typeof RUN_MODES)[number];
/** How drift is announced on scheduled runs: '' = only in the log, 'issue' = a sticky issue. */
export const ALERTS = ['issue'] as const;
export type Alert = '' | (typeof ALERTS)[number];

export interface Config {
  /** Function names or ARNs, `:$LATEST` removed. */
  functions: string[];
  /** The base function of each entry of `functions`, in the same order (A/B side by side); empty = no pairs. */
  baselineFunctions: string[];
  /** Memory sizes in MB; empty = each function's current size. */
  memory: number[];
  repetitions: number;
  /** The JSON event, as given. */
  payload: string;
  reportSource: ReportSource;
  strategy: Strategy;
  /** Invokes per burst; null = repetitions, capped at MAX_BURST_SIZE. */
  burstSize: number | null;
  /** Functions measured at once. */
  concurrency: number;
  /** Lambda control-plane calls per second the run may make (the account's quota is shared). */
  apiRate: number;
  updateTimeoutSec: number;
  queryTimeoutSec: number;
  outputDir: string;
  /** '' = no upload. */
  artifactName: string;
  comment: boolean;
  commentTag: string;
  githubToken: string;
  /** '' = from the environment (run/region.ts). */
  awsRegion: string;
  restore: boolean;
  /** '' = none; 'auto' = the base branch's latest run; else a path. */
  baseline: string;
  /** Fraction (0.15 for `15%`); null = never fail. */
  failOnRegression: number | null;
  mode: RunMode;
  /** With an empty input: `<artifact-name>-*`. */
  mergePattern: string;
  /** Branch holding history.json and the dashboard; '' = no history. */
  history: string;
  /** Folder in that branch ('' for its root). */
  historyPath: string;
  historyLimit: number;
  alert: Alert;
}
