/**
 * Causes beside effects: what a function ran on — runtime, architecture, runtime version (INIT_START; Lambda patches
 * managed runtimes without a deploy), deployment package size and layers (GetFunction) — and what changed between two
 * runs, so a slower cold start can be read next to its likely cause ("runtime version python:3.12.v41 → python:3.12.v42",
 * "+1.8 MB package"). PURE.
 */
import type { FunctionInfo, LayerInfo, RunResults, Sample } from './model.js';

/** What one function ran on in one run. Every field is optional: older files and speed.csv know less. */
export interface Causes {
  function: string;
  runtime?: string;
  architecture?: string;
  /** Runtime versions INIT_START named, in order of first appearance (several when Lambda patched it during the run). */
  runtimeVersions: string[];
  /** The runtime version's ARN: the last one INIT_START named, else the function's RuntimeVersionConfig. */
  runtimeVersionArn?: string;
  /** Deployment package, bytes. */
  codeSize?: number;
  layers?: LayerInfo[];
  /** All layers together, bytes (known even where the layers themselves are not, as in history.json). */
  layersSize?: number;
}

export type CauseChange =
  | { kind: 'runtime'; from: string; to: string }
  | { kind: 'architecture'; from: string; to: string }
  | { kind: 'runtime-version'; from: string; to: string }
  | { kind: 'package-size'; fromBytes: number; toBytes: number }
  | { kind: 'layers'; added: string[]; removed: string[]; fromBytes: number; toBytes: number };

/**
 * A package or layers size change smaller than this share of the earlier size is not called a change: a rebuild of the
 * same code (new timestamps in the zip) moves the size by a few bytes every time.
 */
export const SIZE_CHANGE_MIN_FRACTION = 0.01;

const known = (s: string | undefined): s is string => s !== undefined && s !== '' && s !== 'unknown';

/** The causes of every function of a run, from its FunctionInfo and the runtime versions its samples saw. */
export function causesOf(results: Pick<RunResults, 'functions' | 'samples'>): Causes[] {
  return results.functions.map((f) =>
    functionCauses(
      f,
      results.samples.filter((s) => s.function === f.name),
    ),
  );
}

export function functionCauses(f: FunctionInfo, samples: readonly Sample[]): Causes {
  const versions = [...new Set(samples.flatMap((s) => (s.runtimeVersion ? [s.runtimeVersion] : [])))];
  const lastArn = samples.findLast((s) => s.runtimeVersionArn !== undefined)?.runtimeVersionArn ?? f.runtimeVersionArn;
  const c: Causes = { function: f.name, runtimeVersions: versions };
  if (known(f.runtime)) c.runtime = f.runtime;
  if (known(f.architecture)) c.architecture = f.architecture;
  if (lastArn !== undefined) c.runtimeVersionArn = lastArn;
  if (f.codeSize !== undefined) c.codeSize = f.codeSize;
  if (f.layers !== undefined) {
    c.layers = f.layers.map((l) => ({ ...l }));
    c.layersSize = f.layers.reduce((a, l) => a + l.codeSize, 0);
  }
  return c;
}

/** The last runtime version a run saw: its name when INIT_START was read, else its ARN. */
export function latestRuntimeVersion(c: Causes): string | undefined {
  return c.runtimeVersions.at(-1) ?? c.runtimeVersionArn;
}

const sizeChanged = (from: number, to: number): boolean => Math.abs(to - from) >= Math.max(1, from * SIZE_CHANGE_MIN_FRACTION);

function runtimeVersionChange(base: Causes, head: Causes): CauseChange | undefined {
  // Names when both runs read INIT_START; otherwise the ARNs, which name a version just as well (less readably).
  if (base.runtimeVersions.length > 0 && head.runtimeVersions.length > 0) {
    const before = base.runtimeVersions.at(-1)!;
    const after = head.runtimeVersions.filter((v) => v !== before);
    return after.length > 0 ? { kind: 'runtime-version', from: before, to: after.join(', ') } : undefined;
  }
  const a = base.runtimeVersionArn;
  const b = head.runtimeVersionArn;
  return a !== undefined && b !== undefined && a !== b ? { kind: 'runtime-version', from: a, to: b } : undefined;
}

function layersChange(base: Causes, head: Causes): CauseChange | undefined {
  const fromBytes = base.layersSize;
  const toBytes = head.layersSize;
  if (fromBytes === undefined || toBytes === undefined) return undefined;
  const before = (base.layers ?? []).map((l) => l.arn);
  const after = (head.layers ?? []).map((l) => l.arn);
  const added = base.layers && head.layers ? after.filter((a) => !before.includes(a)) : [];
  const removed = base.layers && head.layers ? before.filter((a) => !after.includes(a)) : [];
  if (added.length === 0 && removed.length === 0 && !sizeChanged(fromBytes, toBytes)) return undefined;
  return { kind: 'layers', added, removed, fromBytes, toBytes };
}

/** What differs between two runs of one function, as far as both know it. */
export function diffCauses(base: Causes, head: Causes): CauseChange[] {
  const out: CauseChange[] = [];
  if (base.runtime !== undefined && head.runtime !== undefined && base.runtime !== head.runtime) {
    out.push({ kind: 'runtime', from: base.runtime, to: head.runtime });
  }
  if (base.architecture !== undefined && head.architecture !== undefined && base.architecture !== head.architecture) {
    out.push({ kind: 'architecture', from: base.architecture, to: head.architecture });
  }
  const version = runtimeVersionChange(base, head);
  if (version) out.push(version);
  if (base.codeSize !== undefined && head.codeSize !== undefined && sizeChanged(base.codeSize, head.codeSize)) {
    out.push({ kind: 'package-size', fromBytes: base.codeSize, toBytes: head.codeSize });
  }
  const layers = layersChange(base, head);
  if (layers) out.push(layers);
  return out;
}

export interface FunctionCauseDiff {
  function: string;
  changes: CauseChange[];
}

/** What differs, per function both runs measured (functions without a difference left out). */
export function diffRuns(
  base: Pick<RunResults, 'functions' | 'samples'>,
  head: Pick<RunResults, 'functions' | 'samples'>,
): FunctionCauseDiff[] {
  const before = new Map(causesOf(base).map((c) => [c.function, c]));
  return causesOf(head).flatMap((h) => {
    const b = before.get(h.function);
    const changes = b ? diffCauses(b, h) : [];
    return changes.length > 0 ? [{ function: h.function, changes }] : [];
  });
}

/** Bytes as a person reads them (binary units, named as AWS names them): "312 B", "48.2 KB", "5.3 MB". */
export function bytesText(n: number): string {
  const abs = Math.abs(n);
  if (abs < 1024) return `${Math.round(abs)} B`;
  if (abs < 1024 * 1024) return `${(Math.round((abs / 1024) * 10) / 10).toFixed(1)} KB`;
  return `${(Math.round((abs / 1024 / 1024) * 10) / 10).toFixed(1)} MB`;
}

/** A size change: "+1.8 MB", "−312 B". */
export function deltaBytesText(d: number): string {
  return `${d < 0 ? '−' : '+'}${bytesText(d)}`;
}

/** A runtime version ARN shortened to what tells versions apart: "runtime:0cdcfbde…". Names pass unchanged. */
export function shortVersion(v: string): string {
  const m = /:runtime:([0-9a-f]{8})[0-9a-f]*$/.exec(v);
  return m ? `runtime:${m[1]!}…` : v;
}

/** The last part of a layer version ARN: "my-layer:3". */
export function layerName(arn: string): string {
  const m = /:layer:([^:]+:\d+)$/.exec(arn);
  return m ? m[1]! : arn;
}

/** One change in words: "runtime version python:3.12.v41 → python:3.12.v42", "+1.8 MB package (3.1 MB → 4.9 MB)". */
export function changeText(c: CauseChange): string {
  switch (c.kind) {
    case 'runtime':
      return `runtime ${c.from} → ${c.to}`;
    case 'architecture':
      return `architecture ${c.from} → ${c.to}`;
    case 'runtime-version':
      return `runtime version ${shortVersion(c.from)} → ${c.to.split(', ').map(shortVersion).join(', ')}`;
    case 'package-size':
      return `${deltaBytesText(c.toBytes - c.fromBytes)} package (${bytesText(c.fromBytes)} → ${bytesText(c.toBytes)})`;
    case 'layers': {
      const which = [...c.added.map((a) => `+${layerName(a)}`), ...c.removed.map((r) => `−${layerName(r)}`)];
      return `layers ${deltaBytesText(c.toBytes - c.fromBytes)} (${bytesText(c.fromBytes)} → ${bytesText(c.toBytes)}${which.length ? `; ${which.join(', ')}` : ''})`;
    }
  }
}
