/**
 * Cold starts whose init failed or timed out (kind `init-failed`): Lambda gave up the init phase (the 10 s limit of an
 * on-demand init, or a crash) and re-ran it inside the invoke. They are counted and reported apart — never retried as
 * warm, never in the init statistics, never in speed.csv. PURE.
 */
import type { Sample, SampleStrategy } from './model.js';
import { median } from './stats.js';

export interface InitFailureStatus {
  /** `timeout`, `error` (or another word Lambda printed). */
  status: string;
  n: number;
  /** Error Types the INIT_REPORTs named, in order of appearance. */
  errorTypes: string[];
  /** How long the failed init phases ran, ms (the INIT_REPORT's Init Duration). */
  medianMs: number;
  maxMs: number;
}

export interface InitFailureGroup {
  function: string;
  memory: number;
  strategy: SampleStrategy;
  /** Samples whose init failed. */
  failed: number;
  /** New execution environments: cold samples and failed inits. */
  inits: number;
  byStatus: InitFailureStatus[];
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** A duration as a person reads it: "10 s", "1.7 s", "200 ms". */
export function durationText(ms: number): string {
  if (ms < 999.5) return `${Math.round(ms)} ms`;
  return `${Math.round(ms / 100) / 10} s`;
}

function statuses(failed: readonly Sample[]): InitFailureStatus[] {
  const by = new Map<string, Sample[]>();
  for (const s of failed) {
    const k = s.initStatus ?? 'unknown';
    by.set(k, [...(by.get(k) ?? []), s]);
  }
  return [...by]
    .map(([status, list]) => {
      const ms = list.flatMap((s) => (s.init === null ? [] : [s.init]));
      return {
        status,
        n: list.length,
        errorTypes: [...new Set(list.flatMap((s) => (s.initErrorType ? [s.initErrorType] : [])))],
        medianMs: ms.length > 0 ? median(ms) : 0,
        maxMs: ms.length > 0 ? Math.max(...ms) : 0,
      };
    })
    .sort((a, b) => b.n - a.n || a.status.localeCompare(b.status));
}

/** The failed inits of one group of samples (one function × memory × strategy), or undefined when there is none. */
export function initFailureGroup(group: readonly Sample[]): InitFailureGroup | undefined {
  const failed = group.filter((s) => s.kind === 'init-failed');
  const first = failed[0];
  if (!first) return undefined;
  const inits = failed.length + group.filter((s) => s.kind === 'cold').length;
  return {
    function: first.function,
    memory: first.memory,
    strategy: first.strategy,
    failed: failed.length,
    inits,
    byStatus: statuses(failed),
  };
}

/** Every group with a failed init, by function (as they appear), memory and strategy. */
export function initFailureGroups(samples: readonly Sample[]): InitFailureGroup[] {
  const groups = new Map<string, Sample[]>();
  for (const s of samples) {
    const key = JSON.stringify([s.function, s.memory, s.strategy]);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.values()].flatMap((g) => {
    const f = initFailureGroup(g);
    return f ? [f] : [];
  });
}

/** "timed out (after 10 s)", "failed (Runtime.ExitError, after 1.7 s)". */
export function statusPhrase(s: InitFailureStatus): string {
  const after = `after ${durationText(s.medianMs)}`;
  if (s.status === 'timeout') return `timed out (${after})`;
  const types = s.errorTypes.length > 0 ? `${s.errorTypes.slice(0, 2).join(', ')}, ` : '';
  return s.status === 'error' ? `failed (${types}${after})` : `ended with status ${s.status} (${types}${after})`;
}

/** "2 of 20 inits timed out (after 10 s)" (and "… and 1 failed (…)" for a second status). */
export function initFailureSentence(g: InitFailureGroup): string {
  const [first, ...rest] = g.byStatus;
  if (!first) return '';
  const more = rest.map((s) => ` and ${s.n} ${statusPhrase(s)}`).join('');
  return `${first.n} of ${plural(g.inits, 'init')} ${statusPhrase(first)}${more}`;
}

/** The note of one group's failed inits (none when every init succeeded). `label`: "fn at 128 MB". */
export function initFailureNotes(group: readonly Sample[], label: string): string[] {
  const g = initFailureGroup(group);
  if (!g) return [];
  return [
    `${label}: ${initFailureSentence(g)}; Lambda re-ran ${g.failed === 1 ? 'that init' : 'those inits'} inside the invoke (a suppressed init). ` +
      `Counted apart: not retried, not in the init statistics, not in speed.csv.`,
  ];
}
