/**
 * Causes in the history: what each function ran on per run (runtime version, package and layers size), and the runs where
 * that changed — marked on the dashboard's series and named in the drift issue ("the runtime version changed on 10-21
 * (python:3.12.v41 → python:3.12.v42)"). PURE.
 */
import { bytesText, changeText, diffCauses, functionCauses, shortVersion, type CauseChange, type Causes } from '../results/causes.js';
import type { FunctionInfo, FunctionStats, Sample } from '../results/model.js';
import type { HistoryEntry, HistoryFunction } from './model.js';

/** One function's history record: its runtime and architecture, and what else it ran on as far as the run knew. */
export function historyFunction(
  st: Pick<FunctionStats, 'runtime' | 'architecture'>,
  info: FunctionInfo | undefined,
  samples: readonly Sample[],
): HistoryFunction {
  const out: HistoryFunction = { runtime: st.runtime, architecture: st.architecture };
  if (!info) return out;
  const c = functionCauses(
    info,
    samples.filter((s) => s.function === info.name),
  );
  const version = c.runtimeVersions.at(-1);
  if (version !== undefined) out.runtimeVersion = version;
  if (c.runtimeVersionArn !== undefined) out.runtimeVersionArn = c.runtimeVersionArn;
  if (c.codeSize !== undefined) out.codeSize = c.codeSize;
  if (c.layersSize !== undefined) out.layersSize = c.layersSize;
  return out;
}

function causesOf(name: string, f: HistoryFunction): Causes {
  const c: Causes = {
    function: name,
    runtime: f.runtime,
    architecture: f.architecture,
    runtimeVersions: f.runtimeVersion ? [f.runtimeVersion] : [],
  };
  if (f.runtimeVersionArn !== undefined) c.runtimeVersionArn = f.runtimeVersionArn;
  if (f.codeSize !== undefined) c.codeSize = f.codeSize;
  if (f.layersSize !== undefined) c.layersSize = f.layersSize;
  return c;
}

/** `last` with what `next` knows laid over it (an entry of an older version, knowing less, forgets nothing). */
function overlay(last: Causes | undefined, next: Causes): Causes {
  if (!last) return next;
  const out: Causes = { ...last, runtimeVersions: next.runtimeVersions.length > 0 ? next.runtimeVersions : last.runtimeVersions };
  for (const k of ['runtime', 'architecture', 'runtimeVersionArn', 'codeSize', 'layersSize'] as const) {
    if (next[k] !== undefined) Object.assign(out, { [k]: next[k] });
  }
  return out;
}

/** A run where what a function ran on changed: `index` into the entries given. */
export interface CauseMarker {
  function: string;
  index: number;
  time: string;
  changes: CauseChange[];
}

/** Every change of a function's runtime, architecture, runtime version, package or layers size, at the run it shows in. */
export function causeMarkers(entries: readonly HistoryEntry[]): CauseMarker[] {
  const last = new Map<string, Causes>();
  const out: CauseMarker[] = [];
  entries.forEach((e, index) => {
    for (const [name, f] of Object.entries(e.functions)) {
      const now = causesOf(name, f);
      const before = last.get(name);
      const changes = before ? diffCauses(before, now) : [];
      if (changes.length > 0) out.push({ function: name, index, time: e.time, changes });
      last.set(name, overlay(before, now));
    }
  });
  return out;
}

/** "runtime version python:3.12.v41 → python:3.12.v42; +1.8 MB package (3.1 MB → 4.9 MB)". */
export function markerText(m: CauseMarker): string {
  return m.changes.map(changeText).join('; ');
}

/** "10-21" (UTC month-day), as the Trend's charts label runs. */
const dayOf = (time: string): string => time.slice(5, 10);

/** One change at one run, as the drift issue names it: "the runtime version changed on 10-21 (a → b)". */
export function changeSentence(c: CauseChange, time: string): string {
  const on = `on ${dayOf(time)}`;
  switch (c.kind) {
    case 'runtime-version':
      return `the runtime version changed ${on} (${shortVersion(c.from)} → ${c.to.split(', ').map(shortVersion).join(', ')})`;
    case 'runtime':
    case 'architecture':
      return `the ${c.kind} changed ${on} (${c.from} → ${c.to})`;
    case 'package-size':
      return `the package ${c.toBytes > c.fromBytes ? 'grew' : 'shrank'} by ${bytesText(c.toBytes - c.fromBytes)} ${on} (${bytesText(c.fromBytes)} → ${bytesText(c.toBytes)})`;
    case 'layers':
      return `the layers changed ${on} (${bytesText(c.fromBytes)} → ${bytesText(c.toBytes)})`;
  }
}

/**
 * What changed for `fn` in the last `window` runs before `current` and in `current` itself: the causes a drift
 * alert names beside the drift.
 */
export function recentChanges(previous: readonly HistoryEntry[], current: HistoryEntry, fn: string, window: number): string[] {
  const entries = [...previous, current];
  const from = Math.max(0, entries.length - 1 - window);
  return causeMarkers(entries)
    .filter((m) => m.function === fn && m.index >= from + 1)
    .flatMap((m) => m.changes.map((c) => changeSentence(c, m.time)));
}
