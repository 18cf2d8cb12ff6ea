import { describe, expect, it } from 'vitest';
import { renderTerminal, terminalTable, wrap } from '../../src/report/terminal.js';
import { coldSamples, fnInfo, makeResults } from '../helpers/results-fixtures.js';

const ten = (base: number) => Array.from({ length: 10 }, (_, i) => base + (i % 5) * 1.5);

describe('terminalTable', () => {
  const t = {
    columns: [
      { header: 'Function', align: 'l' as const },
      { header: 'Runtime', align: 'l' as const, drop: 1 },
      { header: 'Init p50 (ms)', align: 'r' as const },
    ],
    rows: [
      ['a-very-long-function-name', 'nodejs22.x', '164.6'],
      [{ text: '3.29×', md: '**3.29×**' }, 'x86_64', '50.1'],
    ],
  };
  it('aligns columns (numbers right), shows no markdown, and fits the width', () => {
    expect(terminalTable(t, 80).split('\n')).toEqual([
      'Function                   Runtime     Init p50 (ms)',
      '─────────────────────────  ──────────  ─────────────',
      'a-very-long-function-name  nodejs22.x          164.6',
      '3.29×                      x86_64               50.1',
    ]);
  });
  it('drops the lowest-ranked columns first, then shortens the first column, and says what it left out', () => {
    expect(terminalTable(t, 30).split('\n')).toEqual([
      'Function         Init p50 (ms)',
      '───────────────  ─────────────',
      'a-very-long-fu…          164.6',
      '3.29×                     50.1',
      '(left out at this width:',
      'Runtime)',
    ]);
  });
  it('wrap breaks prose on spaces', () => {
    expect(wrap('one two three four', 9)).toBe('one two\nthree\nfour');
  });
});

describe('renderTerminal', () => {
  it('a memory sweep: a table per memory size and the sweep table (function × memory)', () => {
    const r = makeResults(
      [fnInfo('go'), fnInfo('py')],
      [128, 1024].flatMap((m) => [...coldSamples('go', m, ten(m === 128 ? 60 : 40)), ...coldSamples('py', m, ten(m === 128 ? 160 : 120))]),
    );
    const text = renderTerminal(r, { width: 100 });
    expect(text).toContain(
      [
        'Median init (ms) by memory size',
        'Function  128 MB  1024 MB',
        '────────  ──────  ───────',
        'go          63.0     43.0',
        'py         163.0    123.0',
      ].join('\n'),
    );
    expect(text.startsWith('go cold-starts fastest at every memory size (median init 63.0 ms at 128 MB and 43.0 ms at 1024 MB).')).toBe(
      true,
    );
  });

  it('both strategies: the burst-vs-sequential table and its verdict, which used to be in report.md only', () => {
    const r = makeResults([fnInfo('a')], [...coldSamples('a', 128, ten(100)), ...coldSamples('a', 128, ten(100.2), { strategy: 'burst' })]);
    const text = renderTerminal(r, { width: 160 });
    const section = text.split('Burst vs sequential (median init)\n')[1]!;
    expect(section.split('\n')[0]).toMatch(
      /^Function +Memory +Sequential p50, ms \(n\) +Burst p50, ms \(n\) +Burst \/ sequential +95 % CI +p \(Mann–Whitney\) +Verdict$/,
    );
    expect(section.split('\n')[2]).toMatch(/^a +128 MB +103\.0 \(10\) +103\.2 \(10\) +1\.00× .*= burst matches sequential within \d+ %$/);
    expect(section).toContain('Burst and sequential cold starts agree (no significant difference in 1 of 1 comparisons)');
    expect(text).not.toMatch(/\*\*|\\/);
  });
});

describe('terminalTable leaves out columns without a value', () => {
  it('p90 below 10 cold starts ("–" in every row) takes no room', () => {
    const text = terminalTable(
      {
        columns: [
          { header: 'Function', align: 'l' },
          { header: 'Init p90 (ms)', align: 'r' },
          { header: 'Init p50 (ms)', align: 'r' },
        ],
        rows: [
          ['a', '–', '3.1'],
          ['b', '–', '67.8'],
        ],
      },
      80,
    );
    expect(text.split('\n')[0]).toBe('Function  Init p50 (ms)');
  });
});

describe('a pipe (100 columns) keeps the runtime: what a reader compares', () => {
  it('the demo’s three functions: Runtime stays, Arch (the same for all) is left out and its value said', () => {
    const fns = [
      fnInfo('hello-provided', { runtime: 'provided.al2023' }),
      fnInfo('hello-node', { runtime: 'nodejs20.x' }),
      fnInfo('hello-py', { runtime: 'python3.11' }),
    ];
    const r = makeResults(fns, [
      ...coldSamples('hello-provided', 128, [4.2, 2.8, 9.0, 3.5, 4.4]),
      ...coldSamples('hello-node', 128, [43.6, 33.6, 53.4, 40.1, 45.2]),
      ...coldSamples('hello-py', 128, [78.1, 49.0, 88.3, 70.2, 80.0]),
    ]);
    const [, table] = renderTerminal(r, { width: 100 }).split('\n\n');
    const lines = table!.split('\n');
    expect(lines[1]).toMatch(/^Function +Runtime +n +Init p50 \(ms\) /);
    expect(lines[3]).toMatch(/^hello-provided +provided\.al2023 +5 /);
    // said once where every row has the same value (this fixture's Max mem, Billed and Cold too)
    expect(table!.split('\n(left out')[1]!.replace(/\n/g, ' ')).toBe(
      ' at this width: Max mem (MB): all 64, Billed p50 (ms): all 3.0, Per 1M cold starts: all $0.206, Cold p50 (ms): all 2.5, Arch: all x86_64)',
    );
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(100);
  });
});
