/** A run's results → one history entry; appending with the limit. Pure. */
import type { RunResults } from '../results/model.js';
import { historyFunction } from './markers.js';
import { MAX_HISTORY_BYTES, seriesKey, type History, type HistoryEntry, type HistoryRow } from './model.js';

const round = (v: number): number => Math.round(v * 100) / 100;

export interface EntryMeta {
  commit: string;
  branch: string;
  event: string;
  runUrl?: string;
}

/**
 * Summaries of every measured function × memory × strategy (groups without a cold start are left out), UNROUNDED: the
 * report's Trend and the drift judgement use them as the tables do (one rounding, when printed); `roundEntry` rounds
 * them for history.json.
 */
export function entryFromResults(results: RunResults, meta: EntryMeta): HistoryEntry {
  const stats = results.statistics.filter((s) => s.init.n > 0);
  const functions: HistoryEntry['functions'] = {};
  const info = new Map(results.functions.map((f) => [f.name, f]));
  for (const s of stats) functions[s.function] = historyFunction(s, info.get(s.function), results.samples);
  const rows: HistoryRow[] = stats.map((s) => ({
    function: s.function,
    memory: s.memory,
    ...(s.strategy === 'burst' ? { strategy: 'burst' as const } : {}),
    n: s.init.n,
    p50: s.init.p50,
    p90: s.init.p90,
    ci: s.init.medianCi === null ? null : [s.init.medianCi[0], s.init.medianCi[1]],
    mean: s.init.mean,
    coldP50: s.durationP50,
    billedP50: s.billedP50,
  }));
  return {
    time: results.run.startedAt,
    commit: meta.commit,
    branch: meta.branch,
    event: meta.event,
    ...(meta.runUrl === undefined ? {} : { runUrl: meta.runUrl }),
    region: results.run.region,
    functions,
    rows,
  };
}

/** `entry` with its durations rounded to 0.01 ms, as history.json stores them. */
export function roundEntry(entry: HistoryEntry): HistoryEntry {
  return {
    ...entry,
    rows: entry.rows.map((r) => ({
      ...r,
      p50: round(r.p50),
      p90: r.p90 === null ? null : round(r.p90),
      ci: r.ci === null ? null : [round(r.ci[0]), round(r.ci[1])],
      mean: round(r.mean),
      coldP50: round(r.coldP50),
      billedP50: round(r.billedP50),
    })),
  };
}

export function emptyHistory(name: string, repository?: string): History {
  return { schemaVersion: 1, name, ...(repository === undefined ? {} : { repository }), entries: [] };
}

/**
 * `history` with `entry` appended, ordered by time, at most `limit` entries and about `maxBytes` of JSON (the oldest
 * dropped). An entry of the same workflow run (same run URL) is merged by series: `entry`'s rows replace the rows of the
 * same function × memory × strategy (a re-run attempt, or a retried write, is never counted twice) and the other rows are
 * kept (several jobs of one run — matrix shards — writing one history each add theirs).
 */
export function appendEntry(history: History, entry: HistoryEntry, limit: number, maxBytes = MAX_HISTORY_BYTES): History {
  const same = (e: HistoryEntry) => e.runUrl !== undefined && e.runUrl === entry.runUrl;
  const earlier = history.entries.find(same);
  const keys = new Set(entry.rows.map(seriesKey));
  const merged: HistoryEntry =
    earlier === undefined
      ? entry
      : {
          ...entry,
          functions: { ...earlier.functions, ...entry.functions },
          rows: [...earlier.rows.filter((r) => !keys.has(seriesKey(r))), ...entry.rows],
        };
  const entries = [...history.entries.filter((e) => !same(e)), merged];
  entries.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  let kept = entries.slice(Math.max(0, entries.length - limit));
  let bytes = Buffer.byteLength(JSON.stringify({ ...history, entries: [] }));
  let from = kept.length;
  while (from > 0) {
    const size = Buffer.byteLength(JSON.stringify(kept[from - 1])) + 2;
    if (bytes + size > maxBytes) break;
    bytes += size;
    from--;
  }
  kept = kept.slice(from);
  return { ...history, entries: kept };
}
