import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSpeedCsv, toSpeedCsv } from '../../src/results/csv.js';
import { mergeRuns, readResultsFile, readResultsJson } from '../../src/results/json.js';
import { coldSamples, fnInfo, makeResults } from '../helpers/results-fixtures.js';
import { expectValidResults } from '../helpers/validate-results.js';

const seed = (f: string) => readFileSync(new URL(`../fixtures/seed-data/${f}`, import.meta.url), 'utf8');

function sample() {
  const warm = { ...coldSamples('a', 128, [1])[0]!, kind: 'warm' as const, init: null };
  return makeResults(
    [fnInfo('a'), fnInfo('b')],
    [...coldSamples('a', 128, [10, 11, 12, 13, 14, 15]), warm, ...coldSamples('b', 128, [20, 21, 22, 23, 24, 25])],
  );
}

describe('readResultsJson', () => {
  it('round-trips results.json exactly', () => {
    const r = sample();
    const back = readResultsJson(JSON.stringify(r, null, 2));
    expect(back).toEqual(r);
    expectValidResults(back);
  });

  it('names the problem', () => {
    const r = sample();
    expect(() => readResultsJson('{', { name: 'old.json' })).toThrow(/^old\.json: not valid JSON/);
    expect(() => readResultsJson(JSON.stringify({ ...r, schemaVersion: 2 }))).toThrow(
      'results.json: not a valid results.json: schemaVersion must be 1 (this version of lambda-coldstart reads schemaVersion 1 only) (got a number)',
    );
    const bad = structuredClone(r) as unknown as { samples: Record<string, unknown>[] };
    bad.samples[3]!.init = 'x';
    expect(() => readResultsJson(JSON.stringify(bad))).toThrow(
      /samples\[3\]\.init must be a number or null \(got a string of 1 characters\)/,
    );
    const noStats = structuredClone(r) as unknown as Record<string, unknown>;
    delete noStats.statistics;
    expect(() => readResultsJson(JSON.stringify(noStats))).toThrow(/statistics must be an array \(got missing\)/);
    expect(() => readResultsJson('[]')).toThrow(/results must be an object/);
  });

  it('never echoes the file: a secrets file given as results.json yields its kind and place only', () => {
    const secret = 'ghs_0123456789abcdef';
    const messages = [
      '{"auths":{"ghcr.io":{"auth":"' + secret + '"}}}',
      '{"schemaVersion":"' + secret + '"}',
      '{"token": ' + secret + '}',
      secret,
    ].map((t) => {
      try {
        readResultsJson(t, { name: 'creds.json' });
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    });
    expect(messages[0]).toMatch(/^creds\.json: not a valid results\.json: /);
    expect(messages[2]).toBe('creds.json: not valid JSON');
    for (const m of messages) {
      expect(m).not.toBe('');
      expect(m).not.toContain(secret.slice(0, 8));
    }
  });

  it('keeps unknown optional fields from newer writers', () => {
    const r = sample() as unknown as Record<string, unknown>;
    const back = readResultsJson(JSON.stringify({ ...r, extra: 1 })) as unknown as Record<string, unknown>;
    expect(back.extra).toBe(1);
  });
});

describe('readResultsFile', () => {
  it('reads results.json and speed.csv by content', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lcs-'));
    const r = sample();
    writeFileSync(join(dir, 'results.json'), JSON.stringify(r));
    writeFileSync(join(dir, 'speed.csv'), toSpeedCsv(r));
    writeFileSync(join(dir, 'study.txt'), seed('speed-arm-1024.csv'));
    expect(await readResultsFile(join(dir, 'results.json'))).toEqual(r);
    expect((await readResultsFile(join(dir, 'speed.csv'))).samples).toHaveLength(12);
    const study = await readResultsFile(join(dir, 'study.txt'));
    expect(study.samples).toHaveLength(60);
    expect(study.notes[0]).toMatch(/^Read from study\.txt/);
    await expect(readResultsFile(join(dir, 'nope.json'))).rejects.toThrow(`no such file: ${join(dir, 'nope.json')}`);
  });
});

describe('mergeRuns', () => {
  it('combines shards, keeps shard and region, recomputes statistics', () => {
    const a = makeResults([fnInfo('a')], coldSamples('a', 128, [10, 11, 12, 13, 14, 15]), ['note a']);
    const b = { ...makeResults([fnInfo('b')], coldSamples('b', 128, [30, 31, 32, 33, 34, 35])) };
    b.run = { ...b.run, region: 'us-east-1', startedAt: '2025-12-31T23:00:00.000Z' };
    const m = mergeRuns([
      { results: a, shard: 'one' },
      { results: b, shard: 'two' },
    ]);
    expect(m.functions.map((f) => [f.name, f.shard, f.region])).toEqual([
      ['a', 'one', 'eu-west-1'],
      ['b', 'two', 'us-east-1'],
    ]);
    expect(m.run.region).toBe('eu-west-1, us-east-1');
    expect(m.run.startedAt).toBe('2025-12-31T23:00:00.000Z');
    expect(m.samples).toHaveLength(12);
    expect(m.statistics.map((s) => s.function)).toEqual(['a', 'b']);
    expect(m.statistics[1]!.vsFastest!.against).toBe('a'); // compared across shards after the merge
    expect(m.notes[0]).toBe('[one] note a');
    expect(m.notes.filter((n) => n.startsWith('Fewer than 10'))).toHaveLength(1);
    expectValidResults(m);
  });

  it('keeps one function measured at different memory sizes in different shards together', () => {
    const s128 = makeResults([fnInfo('f')], coldSamples('f', 128, [10, 11, 12]));
    const s1024 = makeResults([fnInfo('f')], coldSamples('f', 1024, [8, 9, 10]));
    const m = mergeRuns([
      { results: s128, shard: 'm128' },
      { results: s1024, shard: 'm1024' },
    ]);
    expect(m.functions.map((f) => [f.name, f.shard])).toEqual([['f', 'm128, m1024']]);
    expect(m.statistics.map((s) => `${s.function}@${s.memory}`)).toEqual(['f@128', 'f@1024']);
    expect(m.run.inputs.memory).toEqual([128, 1024]);
  });

  it('renames a function that two shards measured at the same memory (e.g. x86 and arm)', () => {
    const x86 = readSpeedCsv(seed('speed-x86-1024.csv'), { architecture: 'x86_64' });
    const arm = readSpeedCsv(seed('speed-arm-1024.csv'), { architecture: 'arm64' });
    const m = mergeRuns([
      { results: x86, shard: 'x86' },
      { results: arm, shard: 'arm' },
    ]);
    expect(m.functions.map((f) => f.name)).toContain('hello-node [arm]');
    expect(m.statistics).toHaveLength(8);
    expect(m.statistics.find((s) => s.function === 'hello-node [arm]')!.init.n).toBe(20);
    expect(m.notes[0]).toMatch(/shown per shard: hello-node, hello-py311, hello-runtime-al2, hello-runtime-go/);
    expectValidResults(m);
  });

  it('refuses an empty list', () => {
    expect(() => mergeRuns([])).toThrow(/no results/);
  });
});
