/** Pure: the burst-vs-sequential comparison (results/strategy-compare.ts) and its markdown (report/strategy-compare.ts). */
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/results/model.js';
import { compareStrategies, hasBothStrategies, strategyVerdict } from '../../src/results/strategy-compare.js';
import { renderStrategyComparison, renderStrategyTable } from '../../src/report/strategy-compare.js';

function mk(fn: string, strategy: Sample['strategy'], values: number[], memory = 128, kind: Sample['kind'] = 'cold'): Sample[] {
  return values.map((v, i) => ({
    function: fn,
    memory,
    sequence: i + 1,
    attempt: 1,
    requestId: `${fn}-${strategy}-${memory}-${i}`,
    kind,
    init: kind === 'cold' ? v : null,
    restore: null,
    duration: 2,
    billed: 3,
    maxMemory: 60,
    source: 'tail',
    timestamp: '2026-01-01T00:00:00.000Z',
    strategy,
  }));
}

/** Exact two-sided Mann–Whitney p for two samples of 10 without ties, by counting rank-sum subsets (independent of stats.ts). */
function exactP(u: number, m: number, n: number): number {
  // count[k][s]: subsets of size k of ranks 1..N with rank sum s
  const N = m + n;
  const maxS = (N * (N + 1)) / 2;
  let count: number[][] = Array.from({ length: m + 1 }, () => new Array<number>(maxS + 1).fill(0));
  count[0]![0] = 1;
  for (let r = 1; r <= N; r++) {
    const next = count.map((row) => [...row]);
    for (let k = 1; k <= m; k++) for (let s = r; s <= maxS; s++) next[k]![s]! += count[k - 1]![s - r]!;
    count = next;
  }
  const total = count[m]!.reduce((a, b) => a + b, 0);
  const minSum = (m * (m + 1)) / 2;
  // U = W − m(m+1)/2; P(U ≥ u) by symmetry doubled
  const tail = Math.max(u, m * n - u);
  let c = 0;
  for (let s = 0; s <= maxS; s++) if (s - minSum >= tail) c += count[m]![s]!;
  return Math.min(1, (2 * c) / total);
}

const SEQ = [100, 102, 104, 106, 108, 110, 112, 114, 116, 118];

describe('compareStrategies', () => {
  it('burst 20 % lower everywhere → significant, "reads 20 % lower: prefer sequential"', () => {
    const rows = compareStrategies([
      ...mk('a', 'sequential', SEQ),
      ...mk(
        'a',
        'burst',
        SEQ.map((v) => v * 0.8),
      ),
    ]);
    expect(rows).toHaveLength(1);
    const r = rows[0]!;
    expect(r.sequentialP50).toBe(109);
    expect(r.burstP50).toBeCloseTo(87.2, 10);
    expect(r.ratio).toBeCloseTo(0.8, 12);
    // complete separation of 10 vs 10: p = 2 / C(20, 10) = 2 / 184756
    expect(r.pValue).toBeCloseTo(2 / 184756, 12);
    expect(r.ratioCi![0]).toBeLessThan(0.8);
    expect(r.ratioCi![1]).toBeGreaterThan(0.8);
    expect(r.ratioCi![1]).toBeLessThan(1);
    expect(r.kind).toBe('lower');
    expect(r.significant).toBe(true);
    expect(r.verdict).toBe('burst reads 20 % lower: prefer sequential for absolute numbers');
  });

  it('burst 1 ms above sequential → not significant, "matches within X %" with X from the interval', () => {
    const burst = SEQ.map((v) => v + 1);
    const rows = compareStrategies([...mk('a', 'burst', burst), ...mk('a', 'sequential', SEQ)]);
    const r = rows[0]!;
    expect(r.ratio).toBeCloseTo(110 / 109, 12);
    // U = #(burst > seq) = 55 of 100 pairs
    expect(r.pValue).toBeCloseTo(exactP(55, 10, 10), 10);
    expect(r.pValue).toBeGreaterThan(0.7);
    expect(r.kind).toBe('matches');
    expect(r.ratioCi![0]).toBeLessThan(1);
    expect(r.ratioCi![1]).toBeGreaterThan(1);
    const x = Math.ceil(Math.max(1 - r.ratioCi![0], r.ratioCi![1] - 1) * 100);
    expect(x).toBe(10); // the Price–Bonett interval of the ratio of medians at n = 10 a side (see results/stats.test.ts)
    expect(r.verdict).toBe('burst matches sequential within 10 %');
  });

  it('burst 15 % higher → "reads 15 % higher"', () => {
    const r = compareStrategies([
      ...mk('a', 'sequential', SEQ),
      ...mk(
        'a',
        'burst',
        SEQ.map((v) => v * 1.15),
      ),
    ])[0]!;
    expect(r.kind).toBe('higher');
    expect(r.verdict).toBe('burst reads 15 % higher: prefer sequential for absolute numbers');
  });

  it('one row per function × memory, in first-seen order; only cold samples count; a missing side is insufficient', () => {
    const samples = [
      ...mk('b', 'sequential', [50, 51, 52], 512),
      ...mk('a', 'sequential', [100, 101, 102], 128),
      ...mk('a', 'burst', [99, 100, 103], 128),
      ...mk('a', 'burst', [5, 5, 5], 128, 'warm'),
      ...mk('a', 'burst', [1], 128, 'error'),
    ];
    const rows = compareStrategies(samples);
    expect(rows.map((r) => [r.function, r.memory, r.sequentialN, r.burstN, r.kind])).toEqual([
      ['b', 512, 3, 0, 'insufficient'],
      ['a', 128, 3, 3, 'matches'],
    ]);
    expect(rows[0]!.verdict).toBe('not enough cold samples to compare (sequential 3, burst 0)');
    expect(rows[0]!.burstP50).toBeNaN();
    expect(rows[1]!.burstP50).toBe(100);
    // 3 vs 3: no 95 % interval exists → "within |ratio − 1|" said plainly
    expect(rows[1]!.ratioCi).toBeNull();
    expect(rows[1]!.verdict).toBe('burst matches sequential within 1 % (too few samples for an interval)');
  });

  it('SnapStart restore durations count as the cold value', () => {
    const s = mk('snap', 'sequential', [300, 310], 128).map((x) => ({ ...x, init: null, restore: x.init }));
    const b = mk('snap', 'burst', [305, 315], 128).map((x) => ({ ...x, init: null, restore: x.init }));
    const r = compareStrategies([...s, ...b])[0]!;
    expect([r.sequentialP50, r.burstP50]).toEqual([305, 310]);
  });

  it('hasBothStrategies', () => {
    expect(hasBothStrategies(mk('a', 'sequential', [1, 2]))).toBe(false);
    expect(hasBothStrategies([...mk('a', 'sequential', [1]), ...mk('a', 'burst', [1])])).toBe(true);
  });
});

describe('strategyVerdict', () => {
  it('significance needs p < 0.05 AND an interval excluding 1', () => {
    expect(strategyVerdict(0.9, [0.85, 1.01], 0.03, { sequential: 10, burst: 10 })).toEqual({
      kind: 'matches',
      verdict: 'burst matches sequential within 15 %',
      significant: false,
    });
    expect(strategyVerdict(0.9, [0.85, 0.95], 0.2, { sequential: 10, burst: 10 }).kind).toBe('matches');
    expect(strategyVerdict(0.9, [0.85, 0.95], 0.01, { sequential: 10, burst: 10 })).toEqual({
      kind: 'lower',
      verdict: 'burst reads 10 % lower: prefer sequential for absolute numbers',
      significant: true,
    });
  });
  it('never claims "within 0 %"', () => {
    expect(strategyVerdict(1, [0.999, 1.001], 0.9, { sequential: 30, burst: 30 }).verdict).toBe('burst matches sequential within 1 %');
  });
  it('too few samples', () => {
    expect(strategyVerdict(1, null, NaN, { sequential: 1, burst: 5 }).kind).toBe('insufficient');
  });
});

describe('markdown', () => {
  const rows = compareStrategies([
    ...mk('a|b<script>alert(1)</script>', 'sequential', SEQ),
    ...mk(
      'a|b<script>alert(1)</script>',
      'burst',
      SEQ.map((v) => v * 0.8),
    ),
    ...mk('plain', 'sequential', SEQ, 256),
    ...mk(
      'plain',
      'burst',
      SEQ.map((v) => v + 1),
      256,
    ),
  ]);

  it('escapes function names for markdown and HTML', () => {
    const md = renderStrategyTable(rows);
    expect(md).not.toContain('<script>');
    expect(md).toContain('a\\|b&lt;script&gt;alert(1)&lt;/script&gt;');
    // every row has exactly the 8 columns of the header (no `|` leaked out of a cell)
    const cells = (line: string): number => line.split(/(?<!\\)\|/).length - 2;
    const lines = md.split('\n');
    for (const l of lines) expect(cells(l)).toBe(8);
  });

  it('renders medians, n, ratio, interval, p and verdict with units', () => {
    const md = renderStrategyTable(rows);
    const lines = md.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe(
      '| a\\|b&lt;script&gt;alert(1)&lt;/script&gt; | 128 MB | 109.0 (10) | 87.2 (10) | 0.80× | 0.73–0.87 | < 0.001 | ▼ burst reads 20 % lower: prefer sequential for absolute numbers |',
    );
    expect(lines[3]).toBe(
      '| plain | 256 MB | 109.0 (10) | 110.0 (10) | 1.01× | 0.93–1.10 | 0.739 | = burst matches sequential within 10 % |',
    );
  });

  it('the section names which comparisons differ; empty input renders nothing', () => {
    const md = renderStrategyComparison(rows);
    expect(md.startsWith('### Burst vs sequential\n')).toBe(true);
    expect(md).toContain('Burst differs significantly for a\\|b&lt;script&gt;alert(1)&lt;/script&gt; at 128 MB');
    expect(renderStrategyComparison(rows.slice(1))).toContain(
      'Burst and sequential cold starts agree (no significant difference in 1 of 1 comparisons)',
    );
    expect(renderStrategyComparison([])).toBe('');
    expect(renderStrategyTable([])).toBe('');
  });
});
