import { describe, expect, it } from 'vitest';
import { sampleFromInvoke } from '../../src/lambda/cycle.js';
import { applyInsights } from '../../src/lambda/reconcile.js';
import type { ReportLine, Sample } from '../../src/results/model.js';

const rep = (id: string, over: Partial<ReportLine> = {}): ReportLine => ({
  requestId: id,
  durationMs: 2.5,
  billedDurationMs: 3,
  memorySizeMb: 256,
  maxMemoryUsedMb: 60,
  initDurationMs: 150.25,
  status: 'success',
  format: 'text',
  ...over,
});
const ctx = { function: 'f', memory: 256, sequence: 1, attempt: 1, strategy: 'sequential' as const, expectedMemory: 256 };

describe('sampleFromInvoke', () => {
  it('cold sample with the REPORT numbers', () => {
    expect(sampleFromInvoke({ requestId: 'a', report: rep('a'), at: 0 }, ctx)).toEqual({
      function: 'f',
      memory: 256,
      sequence: 1,
      attempt: 1,
      requestId: 'a',
      kind: 'cold',
      init: 150.25,
      restore: null,
      duration: 2.5,
      billed: 3,
      maxMemory: 60,
      source: 'tail',
      timestamp: '1970-01-01T00:00:00.000Z',
      strategy: 'sequential',
    });
  });
  it('a cold start at another memory size is not counted (warm, explained)', () => {
    const s = sampleFromInvoke({ requestId: 'a', report: rep('a', { memorySizeMb: 333 }), at: 0 }, ctx);
    expect(s).toMatchObject({ kind: 'warm', init: null, memory: 256, error: 'ran at 333 MB: the memory was changed by someone else' });
  });
  it('function errors and missing REPORTs are errors', () => {
    expect(sampleFromInvoke({ requestId: 'a', report: rep('a'), functionError: 'Unhandled: Boom', at: 0 }, ctx)).toMatchObject({
      kind: 'error',
      error: 'Unhandled: Boom',
      init: 150.25,
    });
    expect(sampleFromInvoke({ requestId: 'a', at: 0 }, ctx)).toMatchObject({
      kind: 'error',
      error: 'no REPORT line in the log tail',
      init: null,
    });
  });
});

describe('applyInsights', () => {
  const mk = (id: string, kind: Sample['kind'], init: number | null): Sample => ({
    function: 'f',
    memory: 256,
    sequence: 1,
    attempt: 1,
    requestId: id,
    kind,
    init,
    restore: null,
    duration: 2.5,
    billed: 3,
    maxMemory: 60,
    source: 'tail',
    timestamp: '',
    strategy: 'sequential',
  });
  it('Insights wins and differences are warned; missing ids keep the tail', () => {
    const samples = [mk('same', 'cold', 150.25), mk('diff', 'cold', 150.25), mk('gone', 'cold', 99), mk('warm', 'warm', null)];
    const warnings: string[] = [];
    const found = new Map([
      ['same', rep('same')],
      ['diff', rep('diff', { initDurationMs: 151, durationMs: 2.6 })],
      ['warm', rep('warm', { initDurationMs: 120 })],
    ]);
    const r = applyInsights(samples, found, (m) => warnings.push(m));
    expect(r).toEqual({ found: 3, missing: 1, differing: 1 });
    expect(samples.map((s) => [s.requestId, s.kind, s.init, s.duration, s.source])).toEqual([
      ['same', 'cold', 150.25, 2.5, 'insights'],
      ['diff', 'cold', 151, 2.6, 'insights'],
      ['gone', 'cold', 99, 2.5, 'tail'],
      ['warm', 'warm', null, 2.5, 'insights'], // a retried warm sample never becomes cold
    ]);
    expect(warnings).toEqual([
      'f: Logs Insights differs from the log tail for diff (tail vs Insights: init 150.25 vs 151, duration 2.5 vs 2.6); using Insights',
    ]);
  });
});
