/**
 * results.json: read (with validation that names the problem), read any results file, merge matrix shards.
 * Pure except readResultsFile (core/files).
 */
import { basename } from 'node:path';
import { ColdstartError } from '../core/errors.js';
import { readTextFile, type ReadLimit } from '../core/files.js';
import { RESULTS_FILE_MAX_BYTES } from '../config/limits.js';
import { readSpeedCsv } from './csv.js';
import { detectFileKind, notResultsMessage } from './file-kind.js';
import { REPORT_SOURCES, STRATEGIES } from '../config/model.js';
import { SAMPLE_KINDS, SAMPLE_STRATEGIES, type FunctionInfo, type RunResults } from './model.js';
import { checkCostFields, checkFunctionCauses, checkSampleExtras, type Checks } from './json-extras.js';
import { computeStatistics } from './stats.js';
import { comparePairSamples } from './pair-results.js';
import { sumEstimates, withCosts } from './cost-stats.js';

type Json = unknown;

class Invalid extends ColdstartError {
  override name = 'Invalid';
}

/** What was found, by kind only: a file given by mistake (a credentials file, /proc/self/environ) is never echoed. */
export function kindOf(got: Json): string {
  if (got === undefined) return 'missing';
  if (got === null) return 'null';
  if (Array.isArray(got)) return `an array of ${got.length}`;
  if (typeof got === 'string') return `a string of ${got.length} characters`;
  return `${typeof got === 'object' ? 'an' : 'a'} ${typeof got}`;
}

function fail(path: string, what: string, got: Json): never {
  throw new Invalid(`${path} ${what} (got ${kindOf(got)})`);
}

function obj(v: Json, path: string): Record<string, Json> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'must be an object', v);
  return v as Record<string, Json>;
}
function arr(v: Json, path: string): Json[] {
  if (!Array.isArray(v)) fail(path, 'must be an array', v);
  return v;
}
function str(v: Json, path: string): string {
  if (typeof v !== 'string') fail(path, 'must be a string', v);
  return v;
}
function numb(v: Json, path: string, opts: { int?: boolean; min?: number } = {}): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'must be a number', v);
  if (opts.int && !Number.isInteger(v)) fail(path, 'must be a whole number', v);
  if (opts.min !== undefined && v < opts.min) fail(path, `must be at least ${opts.min}`, v);
  return v;
}
function numOrNull(v: Json, path: string): number | null {
  if (v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'must be a number or null', v);
  return v;
}
function oneOf<T extends string>(v: Json, path: string, values: readonly T[]): T {
  if (typeof v !== 'string' || !values.includes(v as T)) fail(path, `must be one of ${values.join(', ')}`, v);
  return v as T;
}
function bool(v: Json, path: string): boolean {
  if (typeof v !== 'boolean') fail(path, 'must be true or false', v);
  return v;
}
function interval(v: Json, path: string): [number, number] | null {
  if (v === null) return null;
  const a = arr(v, path);
  if (a.length !== 2) fail(path, 'must be [low, high] or null', v);
  return [numb(a[0], `${path}[0]`), numb(a[1], `${path}[1]`)];
}

/** The checks above, for the optional fields json-extras.ts validates. */
const checks: Checks = { obj, arr, str, numb, numOrNull };

function checkSummary(v: Json, path: string): void {
  const s = obj(v, path);
  numb(s.n, `${path}.n`, { int: true, min: 1 });
  for (const k of ['min', 'p50', 'max', 'mean']) numb(s[k], `${path}.${k}`);
  numOrNull(s.p90, `${path}.p90`);
  numOrNull(s.sd, `${path}.sd`);
  interval(s.medianCi, `${path}.medianCi`);
}

/** One A/B comparison of results.json's `pairs` (files written before pairs existed have none). */
function checkPair(v: Json, path: string): void {
  const p = obj(v, path);
  for (const k of ['head', 'base']) str(p[k], `${path}.${k}`);
  numb(p.memory, `${path}.memory`, { int: true, min: 1 });
  if (p.baseMemory !== undefined) numb(p.baseMemory, `${path}.baseMemory`, { int: true, min: 1 });
  oneOf(p.strategy, `${path}.strategy`, SAMPLE_STRATEGIES);
  oneOf(p.method, `${path}.method`, ['paired', 'unpaired']);
  for (const k of ['pairs', 'headN', 'baseN']) numb(p[k], `${path}.${k}`, { int: true, min: 0 });
  for (const k of ['headP50', 'baseP50', 'ratio']) numb(p[k], `${path}.${k}`);
  numb(p.pValue, `${path}.pValue`, { min: 0 });
  interval(p.ratioCi, `${path}.ratioCi`);
  numOrNull(p.logSe, `${path}.logSe`);
  numOrNull(p.df, `${path}.df`);
  bool(p.significant, `${path}.significant`);
  oneOf(p.verdict, `${path}.verdict`, ['faster', 'slower', 'no significant change', 'too few to tell']);
}

/** Validate the shape of a parsed results.json. Unknown extra fields are kept (newer writers may add optional ones). */
function validate(root: Json): RunResults {
  const r = obj(root, 'results');
  if (r.schemaVersion !== 1) {
    fail('schemaVersion', 'must be 1 (this version of lambda-coldstart reads schemaVersion 1 only)', r.schemaVersion);
  }
  const tool = obj(r.tool, 'tool');
  if (tool.name !== 'lambda-coldstart') fail('tool.name', 'must be "lambda-coldstart"', tool.name);
  str(tool.version, 'tool.version');
  const run = obj(r.run, 'run');
  str(run.startedAt, 'run.startedAt');
  str(run.endedAt, 'run.endedAt');
  str(run.region, 'run.region');
  if (run.url !== undefined) str(run.url, 'run.url');
  const inputs = obj(run.inputs, 'run.inputs');
  arr(inputs.functions, 'run.inputs.functions').forEach((f, i) => str(f, `run.inputs.functions[${i}]`));
  arr(inputs.memory, 'run.inputs.memory').forEach((m, i) => numb(m, `run.inputs.memory[${i}]`, { int: true, min: 1 }));
  numb(inputs.repetitions, 'run.inputs.repetitions', { int: true, min: 0 });
  oneOf(inputs.reportSource, 'run.inputs.reportSource', REPORT_SOURCES);
  oneOf(inputs.strategy, 'run.inputs.strategy', STRATEGIES);
  numb(inputs.concurrency, 'run.inputs.concurrency', { int: true, min: 1 });
  if (inputs.pairs !== undefined) {
    arr(inputs.pairs, 'run.inputs.pairs').forEach((pv, i) => {
      const p = obj(pv, `run.inputs.pairs[${i}]`);
      for (const k of ['head', 'base']) str(p[k], `run.inputs.pairs[${i}].${k}`);
    });
  }

  arr(r.functions, 'functions').forEach((fv, i) => {
    const p = `functions[${i}]`;
    const f = obj(fv, p);
    if (str(f.name, `${p}.name`) === '') fail(`${p}.name`, 'must not be empty', f.name);
    for (const k of ['arn', 'runtime', 'architecture', 'packageType', 'logGroup']) str(f[k], `${p}.${k}`);
    oneOf(f.logFormat, `${p}.logFormat`, ['Text', 'JSON']);
    bool(f.snapStart, `${p}.snapStart`);
    numb(f.originalMemory, `${p}.originalMemory`, { min: 0 });
    for (const k of ['shard', 'region', 'failure']) if (f[k] !== undefined) str(f[k], `${p}.${k}`);
    checkFunctionCauses(f, p, checks);
  });
  arr(r.samples, 'samples').forEach((sv, i) => {
    const p = `samples[${i}]`;
    const s = obj(sv, p);
    if (str(s.function, `${p}.function`) === '') fail(`${p}.function`, 'must not be empty', s.function);
    numb(s.memory, `${p}.memory`, { int: true, min: 1 });
    numb(s.sequence, `${p}.sequence`, { int: true, min: 1 });
    numb(s.attempt, `${p}.attempt`, { int: true, min: 1 });
    str(s.requestId, `${p}.requestId`);
    oneOf(s.kind, `${p}.kind`, SAMPLE_KINDS);
    for (const k of ['init', 'restore', 'duration', 'billed', 'maxMemory']) numOrNull(s[k], `${p}.${k}`);
    oneOf(s.source, `${p}.source`, REPORT_SOURCES);
    str(s.timestamp, `${p}.timestamp`);
    oneOf(s.strategy, `${p}.strategy`, SAMPLE_STRATEGIES);
    if (s.error !== undefined) str(s.error, `${p}.error`);
    checkSampleExtras(s, p, checks);
  });
  arr(r.statistics, 'statistics').forEach((sv, i) => {
    const p = `statistics[${i}]`;
    const s = obj(sv, p);
    for (const k of ['function', 'runtime', 'architecture']) str(s[k], `${p}.${k}`);
    numb(s.memory, `${p}.memory`, { int: true, min: 1 });
    oneOf(s.strategy, `${p}.strategy`, SAMPLE_STRATEGIES);
    checkSummary(s.init, `${p}.init`);
    checkSummary(s.total, `${p}.total`);
    for (const k of ['durationP50', 'billedP50', 'maxMemory']) numb(s[k], `${p}.${k}`);
    for (const k of ['warmRetries', 'errors']) numb(s[k], `${p}.${k}`, { int: true, min: 0 });
    if (s.vsFastest !== undefined) {
      const c = obj(s.vsFastest, `${p}.vsFastest`);
      str(c.against, `${p}.vsFastest.against`);
      numb(c.ratio, `${p}.vsFastest.ratio`);
      interval(c.ratioCi, `${p}.vsFastest.ratioCi`);
      numb(c.pValue, `${p}.vsFastest.pValue`, { min: 0 });
      bool(c.significant, `${p}.vsFastest.significant`);
    }
  });
  arr(r.notes, 'notes').forEach((n, i) => str(n, `notes[${i}]`));
  if (r.pairs !== undefined) arr(r.pairs, 'pairs').forEach((pv, i) => checkPair(pv, `pairs[${i}]`));
  checkCostFields(r, checks);
  return r as unknown as RunResults;
}

/** results.json text: 2-space indented JSON with a final newline (NaN cannot occur in RunResults). */
export function toResultsJson(results: RunResults): string {
  return `${JSON.stringify(results, null, 2)}\n`;
}

/**
 * Parse and validate a results.json text. Throws `Error("<name>: not a valid results.json: samples[3].init must be a
 * number or null (got "x")")` style messages.
 */
export function readResultsJson(text: string, opts: { name?: string } = {}): RunResults {
  const file = opts.name ?? 'results.json';
  let parsed: Json;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    // The parser's message quotes the text: never pass it on.
    throw new Error(`${file}: not valid JSON`, { cause: e });
  }
  try {
    return validate(parsed);
  } catch (e) {
    if (e instanceof Invalid) throw new Error(`${file}: not a valid results.json: ${e.message}`);
    throw e;
  }
}

/** What a results file may be: see RESULTS_FILE_MAX_BYTES. */
export const RESULTS_READ_LIMIT: ReadLimit = { what: 'a results file (results.json or speed.csv)', maxBytes: RESULTS_FILE_MAX_BYTES };

/**
 * Read results.json or speed.csv (by content: JSON starts with `{`; otherwise CSV). A regular file within RESULTS_READ_LIMIT
 * only: anything else is a FileReadError ("cannot read <path>: …", "no such file: <path>"). A file of another kind (a
 * report.md, a history.json, the dashboard) is named as such. `path` is shown as given.
 */
export async function readResultsFile(path: string): Promise<RunResults> {
  const text = await readTextFile(path, RESULTS_READ_LIMIT);
  const name = basename(path);
  const kind = detectFileKind(text);
  const wrong = notResultsMessage(name, kind);
  if (wrong !== undefined) throw new Error(wrong);
  const looksJson = kind === 'results.json' || /^\uFEFF?\s*\{/.test(text) || (/\.json$/i.test(path) && !/^\uFEFF?\s*[A-Za-z"]/.test(text));
  return looksJson ? readResultsJson(text, { name }) : readSpeedCsv(text, { name });
}

type Shard = { results: RunResults; shard: string };

/**
 * Merge the results of matrix shards into one run. Each function keeps `shard` and `region` (from its run). When the
 * same function name comes from several shards and they cannot simply be combined (different region, ARN or
 * architecture, or the same memory size and strategy measured twice), every occurrence of that name is renamed
 * `name [shard]` so the statistics never pool two different things. Statistics are recomputed; notes are prefixed with
 * their shard.
 */
export function mergeRuns(runs: Shard[]): RunResults {
  if (runs.length === 0) throw new Error('mergeRuns: no results to merge');
  const conflicting = conflictingNames(runs);
  const rename = (name: string, shard: string) => (conflicting.has(name) ? `${name} [${shard}]` : name);
  const functions = mergedFunctions(runs, rename);
  const samples = runs.flatMap(({ results, shard }) => results.samples.map((s) => ({ ...s, function: rename(s.function, shard) })));
  const notes = mergedNotes(runs);
  if (conflicting.size > 0) {
    notes.unshift(`Functions measured in more than one shard are shown per shard: ${[...conflicting].sort().join(', ')}.`);
  }
  const first = runs[0]!.results;
  // each shard's pairs were measured side by side within that shard: compared again under the merged names
  const named = runs.flatMap(({ results, shard }) =>
    (results.run.inputs.pairs ?? []).map((p) => ({ head: rename(p.head, shard), base: rename(p.base, shard) })),
  );
  const pairs = named.filter((p, i) => named.findIndex((q) => q.head === p.head && q.base === p.base) === i);
  const run = mergedRun(
    runs,
    functions.map((f) => f.name),
  );
  if (pairs.length > 0) run.inputs.pairs = pairs;
  const merged: RunResults = {
    schemaVersion: 1,
    tool: { ...first.tool },
    run,
    functions,
    samples,
    statistics: computeStatistics(functions, samples),
    notes,
    ...(pairs.length > 0 ? { pairs: comparePairSamples(samples, pairs) } : {}),
  };
  // Costs of runs written before costs were reported are not made up: only runs that all carry them are priced.
  return runs.every((r) => r.results.cost !== undefined)
    ? withCosts(merged, { estimate: sumEstimates(runs.map((r) => r.results)) })
    : merged;
}

/** Names that come from several shards and cannot be pooled. */
function conflictingNames(runs: Shard[]): Set<string> {
  const seen = new Map<string, { region: string; arn: string; arch: string; keys: Set<string> }[]>();
  for (const { results } of runs) {
    for (const f of results.functions) {
      const keys = new Set(results.samples.filter((s) => s.function === f.name).map((s) => `${s.memory}|${s.strategy}`));
      const list = seen.get(f.name) ?? [];
      list.push({ region: f.region ?? results.run.region, arn: f.arn, arch: f.architecture, keys });
      seen.set(f.name, list);
    }
  }
  const conflicting = new Set<string>();
  for (const [name, list] of seen) {
    if (list.length < 2) continue;
    const differ = (k: 'region' | 'arn' | 'arch') => new Set(list.map((x) => x[k])).size > 1;
    const all = list.flatMap((x) => [...x.keys]);
    const overlap = new Set(all).size < all.length;
    if (differ('region') || differ('arn') || differ('arch') || overlap) conflicting.add(name);
  }
  return conflicting;
}

/** One entry per (renamed) function, with the shards it came from and its region. */
function mergedFunctions(runs: Shard[], rename: (name: string, shard: string) => string): FunctionInfo[] {
  const functions: FunctionInfo[] = [];
  const byName = new Map<string, FunctionInfo>();
  for (const { results, shard } of runs) {
    for (const f of results.functions) {
      const name = rename(f.name, shard);
      const existing = byName.get(name);
      if (existing) {
        // same function from several shards (e.g. one shard per memory size): keep one entry
        if (existing.shard !== undefined && !existing.shard.split(', ').includes(shard)) existing.shard += `, ${shard}`;
        continue;
      }
      const region = f.region ?? results.run.region;
      const merged: FunctionInfo = { ...f, name, shard };
      if (region !== '') merged.region = region;
      byName.set(name, merged);
      functions.push(merged);
    }
  }
  return functions;
}

/** Each shard's notes prefixed with it; a note every shard wrote (e.g. the small-n note) once, unprefixed. */
function mergedNotes(runs: Shard[]): string[] {
  const everywhere = new Set(runs[0]!.results.notes.filter((n) => runs.every((r) => r.results.notes.includes(n))));
  const notes = runs.flatMap(({ results, shard }) => results.notes.filter((n) => !everywhere.has(n)).map((n) => `[${shard}] ${n}`));
  return [...notes, ...everywhere];
}

/** The merged run: from the first start to the last end, every region, the inputs of all shards together. */
function mergedRun(runs: Shard[], names: string[]): RunResults['run'] {
  const first = runs[0]!.results;
  const times = (key: 'startedAt' | 'endedAt') =>
    runs
      .map((r) => r.results.run[key])
      .filter((t) => t !== '')
      .sort();
  const ends = times('endedAt');
  const inputs = runs.map((r) => r.results.run.inputs);
  const run: RunResults['run'] = {
    startedAt: times('startedAt')[0] ?? '',
    endedAt: ends[ends.length - 1] ?? '',
    region: [...new Set(runs.map((r) => r.results.run.region).filter((x) => x !== ''))].join(', '),
    inputs: {
      functions: names,
      memory: [...new Set(inputs.flatMap((i) => i.memory))].sort((a, b) => a - b),
      repetitions: Math.max(...inputs.map((i) => i.repetitions)),
      reportSource: new Set(inputs.map((i) => i.reportSource)).size === 1 ? first.run.inputs.reportSource : 'insights',
      strategy: new Set(inputs.map((i) => i.strategy)).size === 1 ? first.run.inputs.strategy : 'compare',
      concurrency: Math.max(...inputs.map((i) => i.concurrency)),
    },
  };
  if (first.run.url !== undefined) run.url = first.run.url;
  return run;
}
