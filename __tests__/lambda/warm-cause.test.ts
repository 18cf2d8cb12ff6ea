/** Why a response was warm, and the note that names only what happened (no "another client" where there was none). */
import { describe, expect, it } from 'vitest';
import { warmCauses, warmNote } from '../../src/lambda/warm-cause.js';

// A burst of 4 released at t = 0: cold starts return after init (~150 ms) and the invoke overhead.
const cold = (at: number) => ({ kind: 'cold' as const, at, durationMs: 3.1 });
const warm = (at: number, durationMs = 2.4) => ({ kind: 'warm' as const, at, durationMs });

describe('warmCauses', () => {
  it('a burst request that began after another of the same burst had returned got that environment: our own burst', () => {
    expect(warmCauses('burst', [cold(190), cold(195), cold(201), warm(260)])).toEqual(['own-burst']);
  });
  it('one that began before any of ours had returned found an environment someone else started', () => {
    // back after 45 ms with 2.4 ms of handler time: it began long before the first cold start (190 ms) was back
    expect(warmCauses('burst', [warm(45), cold(190), cold(195), cold(201)])).toEqual(['elsewhere']);
    expect(warmCauses('burst', [warm(45), warm(50)])).toEqual(['elsewhere', 'elsewhere']); // no cold start at all
  });
  it('sequential samples are a burst of one: a warm one is always someone else’s; another memory size is said as such', () => {
    expect(warmCauses('sequential', [warm(400)])).toEqual(['elsewhere']);
    expect(warmCauses('burst', [cold(190), { ...warm(260), otherMemory: true }])).toEqual(['memory']);
  });
});

describe('warmNote', () => {
  it('names only the causes seen, with the counts', () => {
    expect(warmNote('burst-fn', { 'own-burst': 2, elsewhere: 0, memory: 0 })).toBe(
      'burst-fn: 2 invocations were warm (2 requests of a burst began after another request of the same burst had returned and were given its environment); retried after a fresh configuration update and not counted.',
    );
    expect(warmNote('f', { 'own-burst': 0, elsewhere: 1, memory: 1 })).toBe(
      "f: 2 invocations were warm (another client's traffic or proactive initialisation took the cold start; the memory was changed by someone else); retried after a fresh configuration update and not counted.",
    );
    expect(warmNote('f', { 'own-burst': 1, elsewhere: 0, memory: 0 })).not.toMatch(/another client/);
  });
});
