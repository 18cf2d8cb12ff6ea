/**
 * Inputs → a typed, validated Config. `parseConfig` is pure: it takes an accessor for the raw input
 * strings and returns either a Config or every problem found, each naming the value and what is allowed.
 * The action (via core.getInput) and the CLI (via its flags) share it, so both give the same messages.
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
} from './config/limits.js';
import { isAbsolute as isAbsolutePath, relative as relativePath, resolve as resolvePath } from 'node:path';

export type ReportSource = 'insights' | 'tail';
export type StrategyInput = 'sequential' | 'burst' | 'compare';
export type Mode = 'measure' | 'merge' | 'restore';

export interface Config {
  functions: string[];
  memory: number[];
  repetitions: number;
  payload: string;
  reportSource: ReportSource;
  strategy: StrategyInput;
  /** null = repetitions, capped at 50. */
  burstSize: number | null;
  concurrency: number;
  /** Lambda control-plane calls per second the run may make (the account's quota is 15/s, shared). */
  apiRate: number;
  updateTimeoutSec: number;
  queryTimeoutSec: number;
  outputDir: string;
  artifactName: string;
  comment: boolean;
  commentTag: string;
  githubToken: string;
  awsRegion: string;
  restore: boolean;
  baseline: string;
  /** Fraction (0.15 for `15%`); null = never fail. */
  failOnRegression: number | null;
  mode: Mode;
  mergePattern: string;
  /** Branch holding history.json and the dashboard; '' = no history. */
  history: string;
  /** Folder in that branch ('' for its root). */
  historyPath: string;
  historyLimit: number;
  alert: Alert;
}

export type Alert = '' | 'issue';

/** Input names exactly as in action.yml, with their defaults (kept in sync by a test). */
export const INPUT_DEFAULTS = {
  functions: '',
  memory: '',
  repetitions: '10',
  payload: '{}',
  'report-source': 'insights',
  strategy: 'sequential',
  'burst-size': '',
  concurrency: '4',
  'api-rate': String(CONTROL_RATE),
  'update-timeout': String(DEFAULT_UPDATE_TIMEOUT_SEC),
  'query-timeout': '120',
  'output-dir': 'coldstart',
  'artifact-name': 'lambda-coldstart',
  comment: 'true',
  'comment-tag': 'default',
  'github-token': '',
  'aws-region': '',
  restore: 'true',
  baseline: '',
  'fail-on-regression': '',
  mode: 'measure',
  'merge-pattern': '',
  history: '',
  'history-path': '.',
  'history-limit': String(DEFAULT_HISTORY_LIMIT),
  alert: '',
} as const;

export type InputName = keyof typeof INPUT_DEFAULTS;
export type InputGetter = (name: InputName) => string;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/** Splits a list input on commas and newlines, trimming and dropping empty items. */
export function splitList(value: string): string[] {
  return value
    .split(/[,\n\r]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const FULL_ARN = /^arn:(aws[a-zA-Z-]*):lambda:([a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d):(\d{12}):function:([^:]+)(?::(.+))?$/;
const PARTIAL_ARN = /^(\d{12}):function:([^:]+)(?::(.+))?$/;

export interface ParsedFunction {
  /** The value as the user wrote it (a qualifier `:$LATEST` removed). */
  id: string;
  /** The function name alone (for duplicate detection and display). */
  name: string;
  region?: string;
}

/** Validates one function identifier; returns the parsed form or a problem naming the value. */
export function parseFunctionId(raw: string): ParsedFunction | string {
  const qualifierProblem = (q: string): string =>
    `functions: "${raw}" names the qualifier "${q}"; only the unpublished $LATEST can be reconfigured, ` +
    `so give the function without a version or alias (e.g. "${raw.slice(0, raw.length - q.length - 1)}")`;
  const nameProblem = (n: string): string =>
    `functions: "${raw}" is not a valid function name ("${n}"): use 1-64 letters, digits, hyphens or underscores, ` +
    `a partial ARN (123456789012:function:name) or a full ARN (arn:aws:lambda:region:123456789012:function:name)`;

  const check = (name: string, qualifier: string | undefined, id: string, region?: string): ParsedFunction | string => {
    if (!NAME.test(name)) return nameProblem(name);
    if (qualifier !== undefined && qualifier !== '$LATEST') return qualifierProblem(qualifier);
    const base = qualifier === '$LATEST' ? id.slice(0, -':$LATEST'.length) : id;
    return region === undefined ? { id: base, name } : { id: base, name, region };
  };

  if (raw.startsWith('arn:')) {
    const m = FULL_ARN.exec(raw);
    if (!m) return nameProblem(raw);
    return check(m[4] ?? '', m[5], raw, m[2]);
  }
  const partial = PARTIAL_ARN.exec(raw);
  if (partial) return check(partial[2] ?? '', partial[3], raw);
  const colon = raw.indexOf(':');
  if (colon > 0) return check(raw.slice(0, colon), raw.slice(colon + 1), raw);
  return check(raw, undefined, raw);
}

function intInRange(problems: string[], input: string, raw: string, min: number, max: number, unit = ''): number | undefined {
  const value = raw.trim();
  if (!/^[+]?\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    const allowed = max === Number.MAX_SAFE_INTEGER ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`;
    problems.push(`${input}: "${raw}" is not allowed; use ${allowed}${unit}`);
    return undefined;
  }
  return Number(value);
}

function oneOf<T extends string>(problems: string[], input: string, raw: string, allowed: readonly T[]): T | undefined {
  const value = raw.trim();
  if ((allowed as readonly string[]).includes(value)) return value as T;
  problems.push(`${input}: "${raw}" is not allowed; use one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  return undefined;
}

/** The same YAML 1.2 core-schema booleans `core.getBooleanInput` accepts. */
function bool(problems: string[], input: string, raw: string): boolean | undefined {
  const value = raw.trim();
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  problems.push(`${input}: "${raw}" is not a boolean; use true or false`);
  return undefined;
}

/**
 * `15%` or `2.5 %` → 0.15 / 0.025; empty → null (never fail). A bare number is refused: "5" could mean 5 % or 500 %.
 * Returns the problem as a string.
 */
export function parsePercent(raw: string): number | null | string {
  const value = raw.trim();
  if (value === '') return null;
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(value);
  const n = pct ? Number(pct[1]) / 100 : NaN;
  if (!(n > 0) || n > 10) {
    return `fail-on-regression: "${raw}" is not allowed; use a percentage above 0 with its % sign, such as "15%", or leave it empty to never fail`;
  }
  return n;
}

/** Pure: every problem is collected; a Config is returned only when there is none. */
export function parseConfig(get: InputGetter): { config: Config; problems: [] } | { config?: undefined; problems: string[] } {
  const problems: string[] = [];
  const input = (name: InputName): string => get(name) ?? '';

  const mode = oneOf(problems, 'mode', input('mode') || INPUT_DEFAULTS.mode, ['measure', 'merge', 'restore'] as const);

  // functions
  const functions: string[] = [];
  const rawFunctions = splitList(input('functions'));
  if (rawFunctions.length === 0 && mode !== 'merge') {
    problems.push('functions: no function given; list function names or ARNs, separated by commas or newlines');
  }
  const seen = new Map<string, string>();
  for (const raw of rawFunctions) {
    const parsed = parseFunctionId(raw);
    if (typeof parsed === 'string') {
      problems.push(parsed);
      continue;
    }
    const earlier = seen.get(parsed.name);
    if (earlier !== undefined) {
      problems.push(`functions: "${raw}" is listed twice (also as "${earlier}"); list each function once`);
      continue;
    }
    seen.set(parsed.name, raw);
    functions.push(parsed.id);
  }

  // memory
  const memory: number[] = [];
  for (const raw of splitList(input('memory'))) {
    const n = intInRange(problems, 'memory', raw, MEMORY_MIN_MB, MEMORY_MAX_MB, ' (MB)');
    if (n === undefined) continue;
    if (memory.includes(n)) {
      problems.push(`memory: "${raw}" is listed twice; list each memory size once`);
      continue;
    }
    memory.push(n);
  }

  const repetitions = intInRange(problems, 'repetitions', input('repetitions') || '10', 1, MAX_REPETITIONS);

  const payload = input('payload').trim() === '' ? '{}' : input('payload');
  try {
    JSON.parse(payload);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    problems.push(`payload: "${truncate(payload)}" is not valid JSON (${reason}); give a JSON event such as {} or {"key":"value"}`);
  }

  const reportSource = oneOf(problems, 'report-source', input('report-source') || 'insights', ['insights', 'tail'] as const);
  const strategy = oneOf(problems, 'strategy', input('strategy') || 'sequential', ['sequential', 'burst', 'compare'] as const);
  const burstRaw = input('burst-size').trim();
  const burstSize = burstRaw === '' ? null : intInRange(problems, 'burst-size', burstRaw, 1, MAX_BURST_SIZE);
  const concurrency = intInRange(problems, 'concurrency', input('concurrency') || '4', 1, MAX_CONCURRENCY);
  const apiRate = intInRange(
    problems,
    'api-rate',
    input('api-rate') || INPUT_DEFAULTS['api-rate'],
    1,
    CONTROL_PLANE_QUOTA,
    ` (calls per second; the account's quota is ${CONTROL_PLANE_QUOTA}/s)`,
  );
  const updateTimeoutSec = intInRange(
    problems,
    'update-timeout',
    input('update-timeout') || '300',
    1,
    Number.MAX_SAFE_INTEGER,
    ' (seconds)',
  );
  const queryTimeoutSec = intInRange(problems, 'query-timeout', input('query-timeout') || '120', 1, Number.MAX_SAFE_INTEGER, ' (seconds)');

  const outputDir = input('output-dir').trim() || 'coldstart';
  const artifactName = input('artifact-name').trim();
  if (artifactName !== '' && /["\\/:<>|*?\r\n]/.test(artifactName)) {
    problems.push(
      `artifact-name: "${artifactName}" contains a character artifacts cannot have (" : < > | * ? \\ / or a newline); use letters, digits, - _ or .`,
    );
  }
  const comment = bool(problems, 'comment', input('comment') || 'true');
  const commentTag = input('comment-tag').trim() || 'default';
  if (/--|[<>\r\n]/.test(commentTag)) {
    problems.push(`comment-tag: "${commentTag}" may not contain "--", "<", ">" or a newline; use letters, digits, - _ or .`);
  }
  const restore = bool(problems, 'restore', input('restore') || 'true');

  const failOnRegression = parsePercent(input('fail-on-regression'));
  if (typeof failOnRegression === 'string') problems.push(failOnRegression);
  const mergePattern = input('merge-pattern').trim() || (artifactName === '' ? '' : `${artifactName}-*`);
  if (mode === 'merge' && mergePattern === '') {
    problems.push('merge-pattern: empty with an empty artifact-name; give the glob of the shard artifacts to merge, e.g. "coldstart-*"');
  }

  const history = input('history').trim();
  if (history !== '' && !validBranchName(history)) {
    problems.push(
      `history: "${history}" is not a valid branch name; use letters, digits, - _ . and /, such as "lambda-coldstart-history" (empty = no history)`,
    );
  }
  const historyPath = normalizeHistoryPath(input('history-path'));
  if (historyPath === undefined) {
    problems.push(
      `history-path: "${input('history-path')}" is not allowed; use a relative folder inside the history branch without ".." (default "." = its root)`,
    );
  }
  const historyLimit = intInRange(
    problems,
    'history-limit',
    input('history-limit') || INPUT_DEFAULTS['history-limit'],
    1,
    HISTORY_LIMIT_MAX,
    ' (runs)',
  );
  const alertRaw = input('alert').trim();
  const alert = alertRaw === '' ? ('' as const) : oneOf(problems, 'alert', alertRaw, ['issue'] as const);
  if (alert === 'issue' && history === '') {
    problems.push('alert: "issue" needs a `history` branch (drift is judged against the history); set `history`, or leave `alert` empty');
  }

  if (
    problems.length > 0 ||
    historyPath === undefined ||
    historyLimit === undefined ||
    alert === undefined ||
    mode === undefined ||
    repetitions === undefined ||
    reportSource === undefined ||
    strategy === undefined ||
    burstSize === undefined ||
    concurrency === undefined ||
    apiRate === undefined ||
    updateTimeoutSec === undefined ||
    queryTimeoutSec === undefined ||
    comment === undefined ||
    restore === undefined ||
    typeof failOnRegression === 'string'
  ) {
    return { problems };
  }

  return {
    problems: [],
    config: {
      functions,
      memory,
      repetitions,
      payload,
      reportSource,
      strategy,
      burstSize,
      concurrency,
      apiRate,
      updateTimeoutSec,
      queryTimeoutSec,
      outputDir,
      artifactName,
      comment,
      commentTag,
      githubToken: input('github-token').trim(),
      awsRegion: input('aws-region').trim(),
      restore,
      baseline: input('baseline').trim(),
      failOnRegression,
      mode,
      mergePattern,
      history,
      historyPath,
      historyLimit,
      alert,
    },
  };
}

/** git's rules for a branch name (git check-ref-format), in short. */
function validBranchName(name: string): boolean {
  return (
    /^[A-Za-z0-9._/-]+$/.test(name) &&
    !name.startsWith('-') &&
    !name.startsWith('/') &&
    !name.endsWith('/') &&
    !name.endsWith('.') &&
    !name.endsWith('.lock') &&
    !name.includes('..') &&
    !name.includes('//') &&
    !name.split('/').some((part) => part.startsWith('.'))
  );
}

/** `history-path` → '' (the branch's root) or `a/b` without leading or trailing slashes; undefined when not allowed. */
function normalizeHistoryPath(raw: string): string | undefined {
  const parts = raw
    .trim()
    .split('/')
    .filter((p) => p !== '' && p !== '.');
  if (raw.trim().startsWith('/') || parts.some((p) => p === '..' || /[\\:*?"<>|\r\n]/.test(p))) return undefined;
  return parts.join('/');
}

/**
 * `output-dir` and a `baseline` path must lie inside the workspace (or the runner's temp folder, `temp`): a path
 * elsewhere is refused — the job summary must never show a file from outside (`baseline: /proc/self/environ`). Lexical
 * (symbolic links are checked when the file is opened: src/workspace-path.ts). PURE.
 */
export function workspaceProblems(
  config: Pick<Config, 'outputDir' | 'baseline' | 'mode'>,
  roots: { workspace: string; temp?: string | undefined },
): string[] {
  const problems: string[] = [];
  const check = (input: InputName, value: string): void => {
    if (!isInside(value, roots)) {
      problems.push(
        `${input}: "${value}" is outside the workspace (${roots.workspace}${roots.temp ? ` or the runner's temp folder ${roots.temp}` : ''}); give a path inside it`,
      );
    }
  };
  if (config.mode !== 'restore') check('output-dir', config.outputDir);
  if (config.baseline !== '' && config.baseline !== 'auto') check('baseline', config.baseline);
  return problems;
}

/** `value` (relative to the workspace) resolves inside the workspace or `temp`. PURE. */
export function isInside(value: string, roots: { workspace: string; temp?: string | undefined }): boolean {
  const full = resolvePath(roots.workspace, value);
  return [roots.workspace, roots.temp].some((root) => {
    if (root === undefined || root === '') return false;
    const rel = relativePath(resolvePath(root), full);
    return rel === '' || (!rel.startsWith('..') && !isAbsolutePath(rel));
  });
}

/** Throws one ConfigError holding every problem. */
export function loadConfig(get: InputGetter): Config {
  const result = parseConfig(get);
  if (result.config === undefined) throw new ConfigError(result.problems);
  return result.config;
}

function truncate(s: string, n = 60): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
