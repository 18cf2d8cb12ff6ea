/**
 * The value parsers the input registry is made of. PURE. Each takes the input's name (for its message) and the raw text,
 * and returns the value, or undefined after adding to `problems` a sentence that names the value and what is allowed.
 */

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

/** Validates one function identifier; returns the parsed form or a problem naming the value (and the input it came from). */
export function parseFunctionId(raw: string, input = 'functions'): ParsedFunction | string {
  const qualifierProblem = (q: string): string =>
    `${input}: "${raw}" names the qualifier "${q}"; only the unpublished $LATEST can be reconfigured, ` +
    `so give the function without a version or alias (e.g. "${raw.slice(0, raw.length - q.length - 1)}")`;
  const nameProblem = (n: string): string =>
    `${input}: "${raw}" is not a valid function name ("${n}"): use 1-64 letters, digits, hyphens or underscores, ` +
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

/** The function list: each id checked, each function once (by name, so a name and its ARN are the same function). */
export function functionList(raw: string, problems: string[], input = 'functions'): string[] | undefined {
  const before = problems.length;
  const functions: string[] = [];
  const seen = new Map<string, string>();
  for (const item of splitList(raw)) {
    const parsed = parseFunctionId(item, input);
    if (typeof parsed === 'string') {
      problems.push(parsed);
      continue;
    }
    const earlier = seen.get(parsed.name);
    if (earlier !== undefined) {
      problems.push(`${input}: "${item}" is listed twice (also as "${earlier}"); list each function once`);
      continue;
    }
    seen.set(parsed.name, item);
    functions.push(parsed.id);
  }
  return problems.length === before ? functions : undefined;
}

export function intInRange(
  problems: string[],
  input: string,
  raw: string,
  range: { min: number; max?: number; unit?: string },
): number | undefined {
  const value = raw.trim();
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (!/^[+]?\d+$/.test(value) || Number(value) < range.min || Number(value) > max) {
    const allowed = range.max === undefined ? `a whole number of at least ${range.min}` : `a whole number from ${range.min} to ${max}`;
    problems.push(`${input}: "${raw}" is not allowed; use ${allowed}${range.unit ?? ''}`);
    return undefined;
  }
  return Number(value);
}

/** A list of whole numbers in a range, each once. */
export function intList(
  problems: string[],
  input: string,
  raw: string,
  range: { min: number; max: number; unit: string; item: string },
): number[] | undefined {
  const before = problems.length;
  const values: number[] = [];
  for (const item of splitList(raw)) {
    const n = intInRange(problems, input, item, range);
    if (n === undefined) continue;
    if (values.includes(n)) {
      problems.push(`${input}: "${item}" is listed twice; list each ${range.item} once`);
      continue;
    }
    values.push(n);
  }
  return problems.length === before ? values : undefined;
}

export function oneOf<T extends string>(problems: string[], input: string, raw: string, allowed: readonly T[]): T | undefined {
  const value = raw.trim();
  if ((allowed as readonly string[]).includes(value)) return value as T;
  problems.push(`${input}: "${raw}" is not allowed; use one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  return undefined;
}

/** The same YAML 1.2 core-schema booleans `core.getBooleanInput` accepts. */
export function bool(problems: string[], input: string, raw: string): boolean | undefined {
  const value = raw.trim();
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  problems.push(`${input}: "${raw}" is not a boolean; use true or false`);
  return undefined;
}

/** A JSON text, kept as given (it is sent as the event). */
export function json(problems: string[], input: string, raw: string): string | undefined {
  try {
    JSON.parse(raw);
    return raw;
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    problems.push(`${input}: "${truncate(raw)}" is not valid JSON (${reason}); give a JSON event such as {} or {"key":"value"}`);
    return undefined;
  }
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

/** git's rules for a branch name (git check-ref-format), in short. */
export function validBranchName(name: string): boolean {
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
export function normalizeHistoryPath(raw: string): string | undefined {
  const parts = raw
    .trim()
    .split('/')
    .filter((p) => p !== '' && p !== '.');
  if (raw.trim().startsWith('/') || parts.some((p) => p === '..' || /[\\:*?"<>|\r\n]/.test(p))) return undefined;
  return parts.join('/');
}

function truncate(s: string, n = 60): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
