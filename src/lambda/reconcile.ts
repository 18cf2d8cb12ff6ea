/** Insights values are authoritative: apply them to the samples measured from the log tails. PURE. */
import type { ReportLine, Sample } from '../results/model.js';
import { findInvocations, type LogEvent } from '../logs/invocation.js';
import { classifyReport } from './cycle.js';
import { applyInitLines } from './init-outcome.js';

/**
 * For every sample whose request id Insights found: take Insights' numbers (source 'insights'); warn (via `warn`)
 * where they differ from the tail. A warm sample stays warm (it was retried already and is never turned into a cold
 * one); an error stays an error. Samples Insights did not find keep the tail's numbers (source 'tail').
 *
 * With Insights' log `events` (its REPORT and INIT lines with their log streams), each sample also gets the runtime
 * version of its environment (INIT_START), and a failed or timed-out init the tail did not show (its INIT_REPORT was
 * cut from the 4 KB tail) makes the sample `init-failed` — a warm one included: it was retried, and is now told for what
 * it was. An `init-failed` sample stays one: its REPORT has no Init Duration by nature.
 */
export function applyInsights(
  samples: Sample[],
  found: Map<string, ReportLine>,
  warn: (message: string) => void,
  events?: readonly LogEvent[],
): { found: number; missing: number; differing: number } {
  const logs = events
    ? findInvocations(
        events,
        samples.flatMap((s) => (s.requestId && found.has(s.requestId) ? [s.requestId] : [])),
      )
    : undefined;
  let missing = 0;
  let hits = 0;
  let differing = 0;
  for (const s of samples) {
    if (!s.requestId) continue;
    const ins = found.get(s.requestId);
    if (!ins) {
      missing++;
      continue;
    }
    hits++;
    const diffs: string[] = [];
    const cmp = (label: string, a: number | null, b: number | undefined): void => {
      const bb = b ?? null;
      if (a !== bb) diffs.push(`${label} ${a ?? '—'} vs ${bb ?? '—'}`);
    };
    const inits = logs?.get(s.requestId);
    if (inits && s.kind !== 'init-failed') {
      const told = applyInitLines(s, inits, s.memory);
      if (told.kind === 'init-failed') {
        warn(
          `${s.function}: Logs Insights shows that the init of ${s.requestId} ${told.initStatus === 'timeout' ? 'timed out' : 'failed'} (the log tail did not); counted apart as a failed init`,
        );
        Object.assign(s, told);
      }
    }
    if (s.kind === 'init-failed') {
      if (inits) Object.assign(s, applyInitLines(s, inits));
      s.duration = ins.durationMs;
      s.billed = ins.billedDurationMs;
      s.maxMemory = ins.maxMemoryUsedMb;
      s.source = 'insights';
      continue;
    }
    const keepWarm = s.kind === 'warm';
    const insKind = s.kind === 'error' ? 'error' : classifyReport(ins);
    if (!keepWarm) {
      cmp('init', s.init, ins.initDurationMs);
      cmp('restore', s.restore, ins.restoreDurationMs);
      if (insKind !== s.kind) diffs.push(`kind ${s.kind} vs ${insKind}`);
    }
    cmp('duration', s.duration, ins.durationMs);
    cmp('billed', s.billed, ins.billedDurationMs);
    cmp('max memory', s.maxMemory, ins.maxMemoryUsedMb);
    if (diffs.length > 0) {
      differing++;
      warn(
        `${s.function}: Logs Insights differs from the log tail for ${s.requestId} (tail vs Insights: ${diffs.join(', ')}); using Insights`,
      );
    }
    if (!keepWarm) {
      s.init = ins.initDurationMs ?? null;
      s.restore = ins.restoreDurationMs ?? null;
      if (s.kind !== 'error') s.kind = insKind;
    }
    s.duration = ins.durationMs;
    s.billed = ins.billedDurationMs;
    s.maxMemory = ins.maxMemoryUsedMb;
    s.source = 'insights';
    if (inits) Object.assign(s, applyInitLines(s, inits));
  }
  return { found: hits, missing, differing };
}
