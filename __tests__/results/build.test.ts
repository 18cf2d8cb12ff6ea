import { describe, expect, it } from 'vitest';
import { buildResults } from '../../src/results/build.js';
import { coldSamples, fnInfo, makeResults } from '../helpers/results-fixtures.js';
import { expectValidResults, resultsSchemaErrors } from '../helpers/validate-results.js';

describe('buildResults', () => {
  it('computes statistics and writes notes for errors, tail fallbacks, failures and small n (not warm retries)', () => {
    const warm = { ...coldSamples('a', 128, [1])[0]!, kind: 'warm' as const, init: null, sequence: 2, attempt: 1 };
    const err = { ...coldSamples('a', 128, [1])[0]!, kind: 'error' as const, init: null, error: 'Runtime.ExitError' };
    const tail = coldSamples('b', 128, [50, 51, 52], { source: 'tail' });
    const r = makeResults(
      [fnInfo('a'), fnInfo('b'), fnInfo('c', { failure: 'AccessDenied on GetFunction' })],
      [...coldSamples('a', 128, [100, 101, 102]), warm, err, ...tail],
      ['caller note'],
    );
    expect(r.schemaVersion).toBe(1);
    expect(r.tool).toEqual({ name: 'lambda-coldstart', version: '0.1.0' });
    expect(r.run.url).toBe('https://github.com/o/r/actions/runs/1');
    expect(r.statistics.map((s) => s.function)).toEqual(['b', 'a']);
    expect(r.notes[0]).toBe('caller note');
    expect(r.notes).toContain('c: not measured: AccessDenied on GetFunction');
    expect(r.notes.join('\n')).not.toMatch(/warm/); // the engine notes warm retries, with their cause
    expect(r.notes).toContain('a at 128 MB: 1 invocation failed (Runtime.ExitError); not counted.');
    expect(r.notes).toContain(
      'b at 128 MB: 3 samples from the invoke log tail: Logs Insights did not return their REPORT line (see the other notes for why).',
    );
    expect(r.notes.some((n) => n.startsWith('Fewer than 10 cold starts'))).toBe(true);
    expectValidResults(r);
  });

  it('omits url when not given and notes a function without any cold start', () => {
    const err = coldSamples('x', 256, [1]).map((s) => ({ ...s, kind: 'error' as const, init: null }));
    const r = buildResults({
      version: '1',
      startedAt: '2026-01-01T00:00:00Z',
      endedAt: '2026-01-01T00:00:01Z',
      region: 'us-east-1',
      inputs: { functions: ['x'], memory: [256], repetitions: 1, reportSource: 'tail', strategy: 'burst', concurrency: 1 },
      functions: [fnInfo('x')],
      samples: err,
    });
    expect('url' in r.run).toBe(false);
    expect(r.statistics).toEqual([]);
    expect(r.notes).toContain('x at 256 MB: no cold start was measured.');
    expectValidResults(r);
  });

  it('the schema rejects what it should', () => {
    const r = makeResults([fnInfo('a')], coldSamples('a', 128, [1, 2, 3]));
    expect(resultsSchemaErrors({ ...r, schemaVersion: 2 })).toMatch(/schemaVersion/);
    const bad = structuredClone(r);
    (bad.samples[0] as unknown as Record<string, unknown>).kind = 'lukewarm';
    expect(resultsSchemaErrors(bad)).toMatch(/samples\/0\/kind/);
  });
});
