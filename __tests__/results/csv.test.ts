import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSpeedCsv, SPEED_CSV_HEADER, toSpeedCsv } from '../../src/results/csv.js';
import { coldSamples, fnInfo, makeResults } from '../helpers/results-fixtures.js';
import { expectValidResults } from '../helpers/validate-results.js';

const seed = (f: string) => readFileSync(new URL(`../fixtures/seed-data/${f}`, import.meta.url), 'utf8');

describe('toSpeedCsv', () => {
  it('writes the header, only cold samples, numbers as printed', () => {
    const warm = { ...coldSamples('hello', 2048, [1])[0]!, kind: 'warm' as const, init: null, sequence: 2 };
    const r = makeResults(
      [fnInfo('hello', { runtime: 'provided.al2', architecture: 'arm64' })],
      [
        ...coldSamples('hello', 2048, [166.76], {
          duration: 2.72,
          billed: 3,
          maxMemory: 64,
          requestId: 'f4ac073d-e814-456a-bbfb-d41b5b485c28',
          timestamp: '2023-07-30T07:53:29.000Z',
        }),
        warm,
      ],
    );
    const csv = toSpeedCsv(r);
    expect(csv).toBe(
      'Name;Memory;Init;Cold;Billed;MaxMemory;Restore;Runtime;Architecture;RequestId;Timestamp\n' +
        'hello;2048;166.76;2.72;3;64;;provided.al2;arm64;f4ac073d-e814-456a-bbfb-d41b5b485c28;2023-07-30T07:53:29.000Z\n',
    );
    expect(csv.split('\n')[0]!.split(';')).toEqual([...SPEED_CSV_HEADER]);
  });

  it('quotes names that contain the separator and round-trips them', () => {
    const r = makeResults([fnInfo('a;b"c')], coldSamples('a;b"c', 128, [1.1, 2.2, 3.3]));
    const csv = toSpeedCsv(r);
    expect(csv).toContain('"a;b""c";128;1.1');
    const back = readSpeedCsv(csv);
    expect(back.functions.map((f) => f.name)).toEqual(['a;b"c']);
  });

  it('round-trips the cold samples of a run', () => {
    const samples = [
      ...coldSamples('node', 128, [164.32, 170.33, 135.38], { duration: 15.65 }),
      ...coldSamples('snap', 1024, [0, 0], { init: null, restore: 412.07 }),
      ...coldSamples('node', 1024, [0.1 + 0.2]),
    ];
    const r = makeResults([fnInfo('node'), fnInfo('snap', { snapStart: true, runtime: 'java21' })], samples);
    const back = readSpeedCsv(toSpeedCsv(r), { version: '0.1.0' });
    const strip = (s: (typeof samples)[number]) => ({ ...s, source: 'insights' });
    expect(back.samples).toEqual(
      [...r.samples].sort((x, y) => (x.function === y.function ? x.memory - y.memory : x.function === 'node' ? -1 : 1)).map(strip),
    );
    expect(back.samples.find((s) => s.memory === 1024 && s.function === 'node')!.init).toBe(0.30000000000000004);
    expect(back.functions.find((f) => f.name === 'snap')).toMatchObject({ runtime: 'java21', snapStart: true });
    // a speed.csv names no region: its cold starts have no price
    expect(back.statistics).toEqual(r.statistics.map(({ cost: _cost, ...st }) => st));
    expectValidResults(back);
  });
});

describe('readSpeedCsv', () => {
  it("reads the study's five-column files", () => {
    const r = readSpeedCsv(seed('speed-x86-128.csv'), { name: 'speed-x86-128.csv' });
    expect(r.functions.map((f) => f.name)).toEqual(['hello-node', 'hello-py311', 'hello-runtime-al2', 'hello-runtime-go']);
    expect(r.functions[0]).toMatchObject({ runtime: 'unknown', architecture: 'unknown', originalMemory: 128 });
    expect(r.samples).toHaveLength(40);
    expect(r.samples[0]).toMatchObject({
      function: 'hello-node',
      memory: 128,
      init: 135.38,
      duration: 15.65,
      billed: 16,
      maxMemory: null,
      restore: null,
      sequence: 1,
      kind: 'cold',
    });
    expect(r.samples[9]!.sequence).toBe(10);
    expect(r.run.inputs.repetitions).toBe(10);
    expect(r.run.inputs.memory).toEqual([128]);
    expect(r.notes[0]).toMatch(/^Read from speed-x86-128\.csv/);
    expectValidResults(r);
    // uneven counts (8 py311 samples at x86 1024) are read as they are
    const r2 = readSpeedCsv(seed('speed-x86-1024.csv'), { architecture: 'x86_64' });
    expect(r2.statistics.find((s) => s.function === 'hello-py311')!.init.n).toBe(8);
    expect(r2.functions.every((f) => f.architecture === 'x86_64')).toBe(true);
  });

  it('accepts comma separators, CRLF, a BOM and lower-case headers', () => {
    const r = readSpeedCsv('\uFEFFname,memory,init,cold,billed\r\nf,512,10.5,1,2\r\n');
    expect(r.samples[0]).toMatchObject({ function: 'f', memory: 512, init: 10.5, duration: 1, billed: 2 });
  });

  it('names the file, line and column of bad input', () => {
    expect(() => readSpeedCsv('', { name: 'x.csv' })).toThrow(/x\.csv: empty file/);
    expect(() => readSpeedCsv('Name;Init\nf;1', { name: 'x.csv' })).toThrow(/x\.csv: not a results file: .*no "Memory" column/);
    expect(() => readSpeedCsv('Name;Memory;Init\nf;128;abc', { name: 'x.csv' })).toThrow(/x\.csv line 2: Init is not a number$/);
    expect(() => readSpeedCsv('Name;Memory;Init\nf;12.5;1')).toThrow(/line 2: Memory must be a whole number/);
    expect(() => readSpeedCsv('Name;Memory;Init\nf;128;')).toThrow(/line 2: neither Init nor Restore/);
    expect(() => readSpeedCsv('Name;Memory;Init\n;128;1')).toThrow(/line 2: the Name column is empty/);
  });
});

describe('a file that is no results file (baseline: /proc/self/environ)', () => {
  it('the error names the file and what is wrong, never a byte of its contents', () => {
    const environ = 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG\0GITHUB_TOKEN=ghs_abc123;x\0';
    const cases = [
      environ,
      'TOKEN=ghs_abc123;Memory;Init\nf;"unterminated',
      'Name;Memory;Init\nghs_abc123;12.5x;1',
      'Name;Memory;Init\nf;ghs_abc123;1',
    ];
    for (const text of cases) {
      const err = (() => {
        try {
          readSpeedCsv(text, { name: 'environ' });
        } catch (e) {
          return e as Error;
        }
        return undefined;
      })();
      expect(err?.message).toMatch(/^environ( line \d+)?: /);
      for (const secret of ['wJalrXUtnFEMI', 'ghs_abc123', 'AWS_SECRET', 'TOKEN']) expect(err!.message).not.toContain(secret);
    }
  });
});

describe('repeated rows', () => {
  it("notes rows that repeat an earlier one exactly (the study's arm file has two such blocks) and keeps them", () => {
    const text = readFileSync('__tests__/fixtures/seed-data/speed-arm-1024.csv', 'utf8');
    const r = readSpeedCsv(text, { name: 'speed-arm-1024.csv' });
    expect(r.samples).toHaveLength(60);
    expect(r.notes[1]).toMatch(/^speed-arm-1024\.csv: 20 rows repeat an earlier row exactly \(hello-node ×10, hello-runtime-al2 ×10\)/);
    expect(readSpeedCsv('Name;Memory;Init;Cold;Billed\na;128;1;1;1\na;128;2;1;1\n').notes).toHaveLength(1);
  });
});
