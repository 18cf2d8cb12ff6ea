/**
 * The input registry: every input once, with its default, its parser (range, allowed values, message), its description
 * (action.yml's and the README's) and how the CLI gives it. parseConfig, the CLI's `measure` flags and help, the
 * action.yml check and the README's inputs table are all made from this table.
 *
 * To add an input: add its field to Config (model.ts), an entry here (the compiler refuses a Config field without an
 * entry, an entry without a field, and a parser of another type), and the input to action.yml (a test compares them);
 * then `npm run docs` rewrites the README's table.
 */
import {
  CONTROL_PLANE_QUOTA,
  CONTROL_RATE,
  DEFAULT_HISTORY_LIMIT,
  DEFAULT_UPDATE_TIMEOUT_SEC,
  HISTORY_LIMIT_MAX,
  MAX_BURST_SIZE,
  MAX_CONCURRENCY,
  MAX_REPETITIONS,
  MEMORY_MAX_MB,
  MEMORY_MIN_MB,
} from './limits.js';
import { ALERTS, REPORT_SOURCES, RUN_MODES, STRATEGIES, type Config } from './model.js';
import { bool, functionList, intInRange, intList, json, normalizeHistoryPath, oneOf, parsePercent, validBranchName } from './values.js';

/** How the CLI's `measure` gives an input. */
export type CliSpec =
  /**
   * `--<flag ?? name> ARG`; `help` is its line in `measure --help`, given the input's default. `list`: a list input,
   * whose flag may be repeated (`--memory 128 --memory 1024` = `--memory 128,1024`); any other flag may be given once.
   */
  | { kind: 'flag'; flag?: string; arg: string; list?: true; help: (defaultValue: string) => string }
  /** A boolean flag that sets the input to false (`--no-restore`). */
  | { kind: 'negated'; flag: string; help: string }
  /** The action's alone: the CLI has no flag and passes `value` (default: the input's default). */
  | { kind: 'action-only'; value?: string };

export interface InputSpec<T, N extends string = string> {
  /** The name in action.yml (INPUT_<NAME> on a runner) and in messages. */
  readonly name: N;
  /** What an empty input stands for. */
  readonly default: string;
  /** What action.yml declares as the default when it differs from `default`: an expression the runner evaluates. */
  readonly actionDefault?: string;
  readonly required?: boolean;
  /** An empty input is a value of its own, not the default (artifact-name: '' = no upload). */
  readonly emptyIsValue?: boolean;
  /** action.yml's description, and the README's. */
  readonly doc: string;
  /** The raw text (the default when empty) → the value; or undefined after adding the problem to `problems`. */
  readonly parse: (raw: string, problems: string[]) => T | undefined;
  readonly cli: CliSpec;
}

/** An entry, its name kept as a literal type (so InputName is the union of the names). */
function input<T, const N extends string>(spec: InputSpec<T, N>): InputSpec<T, N> {
  return spec;
}

const actionOnly = (value?: string): CliSpec => (value === undefined ? { kind: 'action-only' } : { kind: 'action-only', value });
/** "sequential (default), burst or compare". */
const choices = (allowed: readonly string[], defaultValue: string): string =>
  allowed
    .map((a) => (a === defaultValue ? `${a} (default)` : a))
    .join(', ')
    .replace(/, ([^,]*)$/, ' or $1');

/** Every input, in action.yml's order. */
export const INPUTS = {
  functions: input({
    name: 'functions',
    default: '',
    required: true,
    doc: 'Function names or ARNs (unqualified: only $LATEST can be reconfigured), separated by commas and/or newlines.',
    parse: (raw, problems) => functionList(raw, problems),
    cli: { kind: 'flag', arg: 'NAMES', list: true, help: () => 'function names or ARNs, comma-separated or repeated (required)' },
  }),
  baselineFunctions: input({
    name: 'baseline-functions',
    default: '',
    doc: "A/B in one job: the function to compare each entry of `functions` with, in the same order (e.g. main's stack beside the PR's preview stack). Each pair is measured side by side, round by round, at the same memory size; the report gets a section per pair, and `fail-on-regression` applies to it. Empty = no pairs.",
    parse: (raw, problems) => functionList(raw, problems, 'baseline-functions'),
    cli: {
      kind: 'flag',
      arg: 'NAMES',
      list: true,
      help: () => 'the base function of each --functions entry, same order (comma-separated or repeated): each pair measured side by side',
    },
  }),
  memory: input({
    name: 'memory',
    default: '',
    doc: `Memory sizes in MB (${MEMORY_MIN_MB}-${MEMORY_MAX_MB}), separated by commas and/or newlines. Empty = keep each function's current size.`,
    parse: (raw, problems) =>
      intList(problems, 'memory', raw, { min: MEMORY_MIN_MB, max: MEMORY_MAX_MB, unit: ' (MB)', item: 'memory size' }),
    cli: {
      kind: 'flag',
      arg: 'SIZES',
      list: true,
      help: () => "memory sizes in MB, comma-separated or repeated (default: each function's current size)",
    },
  }),
  repetitions: input({
    name: 'repetitions',
    default: '10',
    doc: `Cold starts to measure per function and memory size (1-${MAX_REPETITIONS}).`,
    parse: (raw, problems) => intInRange(problems, 'repetitions', raw, { min: 1, max: MAX_REPETITIONS }),
    cli: { kind: 'flag', arg: 'N', help: (d) => `cold starts per function and memory size (default ${d})` },
  }),
  payload: input({
    name: 'payload',
    default: '{}',
    doc: 'JSON event sent with every invoke.',
    parse: (raw, problems) => json(problems, 'payload', raw),
    cli: { kind: 'flag', arg: 'JSON', help: (d) => `event sent with every invoke (default ${d})` },
  }),
  reportSource: input({
    name: 'report-source',
    default: 'insights',
    doc: '`insights`: read the REPORT lines with CloudWatch Logs Insights (authoritative). `tail`: read them from the invoke response only (needs no Logs permissions).',
    parse: (raw, problems) => oneOf(problems, 'report-source', raw, REPORT_SOURCES),
    cli: { kind: 'flag', arg: 'SOURCE', help: (d) => choices(REPORT_SOURCES, d) },
  }),
  strategy: input({
    name: 'strategy',
    default: 'sequential',
    doc: "`sequential`: one configuration update per cold start (the study's method). `burst`: one update, then `burst-size` concurrent invokes. `compare`: both, and a table of how they differ.",
    parse: (raw, problems) => oneOf(problems, 'strategy', raw, STRATEGIES),
    cli: { kind: 'flag', arg: 'NAME', help: (d) => choices(STRATEGIES, d) },
  }),
  burstSize: input({
    name: 'burst-size',
    default: '',
    doc: `Concurrent invokes per update with \`strategy: burst\` (1-${MAX_BURST_SIZE}). Empty = repetitions (at most ${MAX_BURST_SIZE}).`,
    parse: (raw, problems) => (raw.trim() === '' ? null : intInRange(problems, 'burst-size', raw.trim(), { min: 1, max: MAX_BURST_SIZE })),
    cli: { kind: 'flag', arg: 'N', help: () => 'concurrent invokes per update with --strategy burst' },
  }),
  concurrency: input({
    name: 'concurrency',
    default: '4',
    doc: `Functions measured at the same time (1-${MAX_CONCURRENCY}).`,
    parse: (raw, problems) => intInRange(problems, 'concurrency', raw, { min: 1, max: MAX_CONCURRENCY }),
    cli: { kind: 'flag', arg: 'N', help: (d) => `functions measured at once (default ${d})` },
  }),
  apiRate: input({
    name: 'api-rate',
    default: String(CONTROL_RATE),
    doc: `Lambda control-plane calls per second the run may make (1-${CONTROL_PLANE_QUOTA}): the account's quota of ${CONTROL_PLANE_QUOTA}/s is shared with every deploy and tool.`,
    parse: (raw, problems) =>
      intInRange(problems, 'api-rate', raw, {
        min: 1,
        max: CONTROL_PLANE_QUOTA,
        unit: ` (calls per second; the account's quota is ${CONTROL_PLANE_QUOTA}/s)`,
      }),
    cli: {
      kind: 'flag',
      arg: 'N',
      help: (d) =>
        `Lambda control-plane calls per second, 1-${CONTROL_PLANE_QUOTA} (default ${d}; the account's quota is ${CONTROL_PLANE_QUOTA}/s)`,
    },
  }),
  updateTimeoutSec: input({
    name: 'update-timeout',
    default: String(DEFAULT_UPDATE_TIMEOUT_SEC),
    doc: 'Seconds to wait for one configuration update to finish.',
    parse: (raw, problems) => intInRange(problems, 'update-timeout', raw, { min: 1, unit: ' (seconds)' }),
    cli: { kind: 'flag', arg: 'SEC', help: (d) => `wait for one configuration update (default ${d})` },
  }),
  queryTimeoutSec: input({
    name: 'query-timeout',
    default: '120',
    doc: 'Seconds to wait until every REPORT line is found in Logs Insights.',
    parse: (raw, problems) => intInRange(problems, 'query-timeout', raw, { min: 1, unit: ' (seconds)' }),
    cli: { kind: 'flag', arg: 'SEC', help: (d) => `wait for the REPORT lines in Logs Insights (default ${d})` },
  }),
  outputDir: input({
    name: 'output-dir',
    default: 'coldstart',
    doc: 'Folder for speed.csv, results.json, report.md and boxplot.svg (relative to the workspace).',
    parse: (raw) => raw.trim(),
    cli: {
      kind: 'flag',
      flag: 'out',
      arg: 'DIR',
      help: (d) => `folder for speed.csv, results.json, report.md, boxplot.svg (default ./${d})`,
    },
  }),
  artifactName: input({
    name: 'artifact-name',
    default: 'lambda-coldstart',
    emptyIsValue: true,
    doc: 'Name of the workflow artifact holding the results. Empty = no upload.',
    parse: (raw, problems) => {
      const name = raw.trim();
      if (name === '' || !/["\\/:<>|*?\r\n]/.test(name)) return name;
      problems.push(
        `artifact-name: "${name}" contains a character artifacts cannot have (" : < > | * ? \\ / or a newline); use letters, digits, - _ or .`,
      );
      return undefined;
    },
    cli: actionOnly(''),
  }),
  comment: input({
    name: 'comment',
    default: 'true',
    doc: 'Post or update one comment on the pull request.',
    parse: (raw, problems) => bool(problems, 'comment', raw),
    cli: actionOnly('false'),
  }),
  commentTag: input({
    name: 'comment-tag',
    default: 'default',
    doc: 'Tells several sticky comments on one pull request apart.',
    parse: (raw, problems) => {
      const tag = raw.trim();
      if (!/--|[<>\r\n]/.test(tag)) return tag;
      problems.push(`comment-tag: "${tag}" may not contain "--", "<", ">" or a newline; use letters, digits, - _ or .`);
      return undefined;
    },
    cli: actionOnly(),
  }),
  githubToken: input({
    name: 'github-token',
    default: '',
    actionDefault: '${{ github.token }}',
    doc: 'Token for the PR comment, for finding the baseline, and for asking whether the workflow run that left an undo record on a function has completed (needs pull-requests: write; actions: read for `baseline: auto` and that check).',
    // A runner evaluates action.yml's `${{ github.token }}`; a local runner (@github/local-action) passes it as written:
    // that is no token.
    parse: (raw) => (raw.trim().startsWith('${{') ? '' : raw.trim()),
    cli: actionOnly(),
  }),
  awsRegion: input({
    name: 'aws-region',
    default: '',
    doc: 'AWS region of the functions. Empty = AWS_REGION / AWS_DEFAULT_REGION.',
    parse: (raw) => raw.trim(),
    cli: {
      kind: 'flag',
      flag: 'region',
      arg: 'REGION',
      help: () => "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION or the profile's)",
    },
  }),
  restore: input({
    name: 'restore',
    default: 'true',
    doc: "Undo the run's changes (memory and the COLDSTART_NONCE variable) to each function at the end.",
    parse: (raw, problems) => bool(problems, 'restore', raw),
    cli: { kind: 'negated', flag: 'no-restore', help: "leave the last configuration in place (default: undo the run's changes)" },
  }),
  baseline: input({
    name: 'baseline',
    default: '',
    doc: "Compare with earlier results: empty = off; a path to a results.json or speed.csv; `auto` = the latest successful run of this workflow on the PR's base branch.",
    parse: (raw) => raw.trim(),
    cli: actionOnly(),
  }),
  failOnRegression: input({
    name: 'fail-on-regression',
    default: '',
    doc: "Fail the step when a function's median init got slower than this (e.g. `15%`) against the baseline or its `baseline-functions` pair, with evidence beyond the threshold (not a point estimate alone). Empty = never fail.",
    parse: (raw, problems) => {
      const value = parsePercent(raw);
      if (typeof value !== 'string') return value;
      problems.push(value);
      return undefined;
    },
    cli: { kind: 'flag', arg: 'PCT', help: () => 'exit 3 when a --baseline-functions pair regressed beyond this, e.g. 15%' },
  }),
  mode: input({
    name: 'mode',
    default: 'measure',
    doc: '`measure`: run the benchmark. `merge`: combine the artifacts of matrix shards (`merge-pattern`) into one report. `restore`: put back the listed `functions` a killed run left changed, from the undo record each carries.',
    parse: (raw, problems) => oneOf(problems, 'mode', raw, RUN_MODES),
    cli: actionOnly(),
  }),
  mergePattern: input({
    name: 'merge-pattern',
    default: '',
    doc: "With `mode: merge`: glob over artifact names of this run (the merge job's own `artifact-name` is never merged). Empty = `<artifact-name>-*`.",
    parse: (raw) => raw.trim(),
    cli: actionOnly(),
  }),
  history: input({
    name: 'history',
    default: '',
    doc: 'Branch of this repository that keeps history.json and the dashboard (index.html), e.g. `lambda-coldstart-history`; created without a parent when missing. Default-branch runs from push, schedule or workflow_dispatch append (needs `contents: write`); other runs only read it for the Trend section. Empty = no history.',
    parse: (raw, problems) => {
      const branch = raw.trim();
      if (branch === '' || validBranchName(branch)) return branch;
      problems.push(
        `history: "${branch}" is not a valid branch name; use letters, digits, - _ . and /, such as "lambda-coldstart-history" (empty = no history)`,
      );
      return undefined;
    },
    cli: actionOnly(),
  }),
  historyPath: input({
    name: 'history-path',
    default: '.',
    doc: 'Folder in the history branch for history.json and index.html, so several benchmarks can share one branch.',
    parse: (raw, problems) => {
      const path = normalizeHistoryPath(raw);
      if (path !== undefined) return path;
      problems.push(
        `history-path: "${raw}" is not allowed; use a relative folder inside the history branch without ".." (default "." = its root)`,
      );
      return undefined;
    },
    cli: actionOnly(),
  }),
  historyLimit: input({
    name: 'history-limit',
    default: String(DEFAULT_HISTORY_LIMIT),
    doc: `Runs kept in history.json (1-${HISTORY_LIMIT_MAX}); the oldest are dropped.`,
    parse: (raw, problems) => intInRange(problems, 'history-limit', raw, { min: 1, max: HISTORY_LIMIT_MAX, unit: ' (runs)' }),
    cli: actionOnly(),
  }),
  alert: input({
    name: 'alert',
    default: '',
    doc: "`issue`: on a scheduled run, open or update one issue when cold starts drift above the recent runs' limits (the drift rule in the README), and close it when they are back (needs `issues: write`). Empty = no alert.",
    parse: (raw, problems) => (raw.trim() === '' ? ('' as const) : oneOf(problems, 'alert', raw.trim(), ALERTS)),
    cli: actionOnly(),
  }),
} satisfies { readonly [K in keyof Config]-?: InputSpec<Config[K]> };

export type InputKey = keyof typeof INPUTS;
/** An input's name as in action.yml: `report-source`, `aws-region`, … */
export type InputName = (typeof INPUTS)[InputKey]['name'];
/** The raw text of an input ('' when not given): core.getInput on a runner, the flags in the CLI. */
export type InputGetter = (name: InputName) => string;

/** The registry's entries in action.yml's order, each with the Config field it fills. */
export const INPUT_ENTRIES = (Object.keys(INPUTS) as InputKey[]).map((key) => [key, INPUTS[key]] as const);

/** Each input's default, by name. */
export const INPUT_DEFAULTS = Object.fromEntries(INPUT_ENTRIES.map(([, spec]) => [spec.name, spec.default])) as Record<InputName, string>;

/** An input's text as its parser sees it: an empty one stands for the default (unless empty is a value of its own). */
export function rawInput(spec: Pick<InputSpec<unknown>, 'default' | 'emptyIsValue'>, given: string): string {
  return given.trim() === '' && !spec.emptyIsValue ? spec.default : given;
}
