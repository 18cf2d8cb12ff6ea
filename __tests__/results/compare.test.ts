import { describe, expect, it } from 'vitest';
import { compareRuns, regressions, type BaselineRow } from '../../src/results/compare.js';
import { DEFAULT_ALLOWANCE } from '../../src/results/allowance.js';
import { renderComparisonTable } from '../../src/report/markdown.js';
import { strategyMismatchNote } from '../../src/report/strategy-note.js';
import { renderTerminalComparison } from '../../src/report/terminal.js';
import { coldSamples, fnInfo, makeResults } from '../helpers/results-fixtures.js';

const base10 = [100, 102, 98, 101, 99, 103, 97, 100.5, 99.5, 101.5];

describe('compareRuns', () => {
  const base = makeResults(
    [fnInfo('slow'), fnInfo('same'), fnInfo('gone')],
    [...coldSamples('slow', 128, base10), ...coldSamples('same', 128, base10), ...coldSamples('gone', 128, base10)],
  );
  const head = makeResults(
    [fnInfo('slow'), fnInfo('same'), fnInfo('fresh')],
    [
      ...coldSamples(
        'slow',
        128,
        base10.map((x) => x * 1.3),
      ),
      ...coldSamples(
        'same',
        128,
        base10.map((x) => x + 0.25),
      ),
      ...coldSamples('fresh', 128, [5, 6, 7]),
    ],
  );
  const rows = compareRuns(base, head);
  const by = (f: string) => rows.find((r) => r.function === f)!;

  it('calls a clear slowdown slower, noise no change, and flags new and missing', () => {
    expect(rows.map((r) => `${r.function}:${r.verdict}`)).toEqual([
      'fresh:new',
      'gone:missing',
      'same:no significant change',
      'slow:slower',
    ]);
    expect(by('slow').ratio).toBeCloseTo(1.3, 10);
    // across runs (the default): the interval and the p-value allow for the default ±5 % day-to-day drift
    expect(by('slow').kind).toBe('across-runs');
    expect(by('slow').allowance).toEqual(DEFAULT_ALLOWANCE);
    expect(by('slow').pValue).toBeLessThan(0.01);
    expect(by('slow').ratioCi![0]).toBeGreaterThan(1.1);
    expect(by('slow').ratioCi![0]).toBeLessThan(1.2);
    // within one job the same samples are judged by Mann–Whitney: complete separation, 10 vs 10 (exact)
    const within = compareRuns(base, head, { kind: 'within-job' }).find((r) => r.function === 'slow')!;
    expect(within.pValue).toBeCloseTo(1.082508822446903e-5, 12);
    expect(within.ratioCi![0]).toBeGreaterThan(1.2);
    expect(within.allowance).toBeNull();
    expect(by('slow').baseP50).toBe(100.25);
    expect(by('same').pValue).toBeGreaterThan(0.5);
    expect(by('fresh').baseP50).toBeNaN();
    expect(by('fresh').headP50).toBe(6);
    expect(by('gone').headP50).toBeNaN();
  });

  it('calls a speed-up faster', () => {
    const r = compareRuns(head, base).find((x) => x.function === 'slow')!;
    expect(r.verdict).toBe('faster');
    expect(r.ratio).toBeCloseTo(1 / 1.3, 10);
  });

  it('compares like with like when a run has both strategies', () => {
    const b = makeResults(
      [fnInfo('f')],
      [
        ...coldSamples('f', 128, base10),
        ...coldSamples(
          'f',
          128,
          base10.map((x) => x / 2),
          { strategy: 'burst' },
        ),
      ],
    );
    const h = makeResults([fnInfo('f')], coldSamples('f', 128, base10));
    expect(compareRuns(b, h)[0]!.verdict).toBe('no significant change');
    expect(compareRuns(b, h)[0]!.baseN).toBe(10);
  });

  it('regressions: significant AND above the threshold; null threshold = gate off', () => {
    expect(regressions(rows, 0.15).map((r) => r.function)).toEqual(['slow']);
    expect(regressions(rows, 0.35)).toEqual([]);
    expect(regressions(rows, null)).toEqual([]);
    const noisy: BaselineRow = { ...by('same'), ratio: 1.5 }; // big ratio but not significant
    expect(regressions([noisy], 0.1)).toEqual([]);
  });

  it('across runs, a change within the day-to-day allowance is no change; the history’s own allowance is used when given', () => {
    const b = makeResults([fnInfo('f')], coldSamples('f', 128, base10));
    const h = makeResults(
      [fnInfo('f')],
      coldSamples(
        'f',
        128,
        base10.map((x) => x * 1.08),
      ),
    );
    expect(compareRuns(b, h)[0]!.verdict).toBe('no significant change');
    expect(compareRuns(b, h, { kind: 'within-job' })[0]!.verdict).toBe('slower');
    const calm = { sigma: 0.005, source: 'history' as const, runs: 10, df: 9 };
    const [row] = compareRuns(b, h, { allowanceFor: (s) => (s.function === 'f' && s.strategy === 'sequential' ? calm : undefined) });
    expect(row!.allowance).toEqual(calm);
    expect(row!.verdict).toBe('slower');
  });

  it('the gate trips on evidence beyond the threshold: a +17 % point estimate is not enough across runs', () => {
    const b = makeResults([fnInfo('f')], coldSamples('f', 128, base10));
    const h = makeResults(
      [fnInfo('f')],
      coldSamples(
        'f',
        128,
        base10.map((x) => x * 1.17),
      ),
    );
    const [row] = compareRuns(b, h, { allowanceFor: () => ({ sigma: 0.04, source: 'history', runs: 10, df: 9 }) });
    expect(row!.verdict).toBe('slower');
    expect(row!.ratio - 1).toBeGreaterThan(0.15);
    expect(regressions([row!], 0.15)).toEqual([]);
    expect(regressions([row!], 0.05)).toHaveLength(1);
  });

  it('too few samples for any test: "too few to tell", never "no significant change", and no regression', () => {
    const b = makeResults([fnInfo('f')], coldSamples('f', 128, [100, 101]));
    const h = makeResults([fnInfo('f')], coldSamples('f', 128, [300, 303]));
    const [row] = compareRuns(b, h);
    expect(row!.verdict).toBe('too few to tell');
    expect(renderComparisonTable([row!])).toContain('| ? +200.0% |');
    expect(regressions([row!], 0.1)).toEqual([]);
  });
});

describe('compareRuns across strategies', () => {
  const seq = (f: string, xs: number[]) => coldSamples(f, 128, xs, { strategy: 'sequential' });
  const burst = (f: string, xs: number[]) => coldSamples(f, 128, xs, { strategy: 'burst' });
  const base = makeResults([fnInfo('a'), fnInfo('b')], [...seq('a', base10), ...seq('b', base10), ...burst('b', base10)]);
  // a burst head three times slower: the strategies differ for a; b has burst on both sides
  const head = makeResults(
    [fnInfo('a'), fnInfo('b')],
    [
      ...burst(
        'a',
        base10.map((x) => x * 3.08),
      ),
      ...burst('b', base10),
    ],
  );
  const rows = compareRuns(base, head);

  it('gives no verdict where the sides share no strategy, and compares like with like where they do', () => {
    expect(rows.map((r) => [r.function, r.verdict, r.strategies])).toEqual([
      ['a', 'different strategies', { base: ['sequential'], head: ['burst'] }],
      ['b', 'no significant change', undefined],
    ]);
    expect(rows[0]!.ratio).toBeCloseTo(3.08, 10);
    expect(regressions(rows, 0.15)).toEqual([]); // no gate trips on a comparison that was not made
  });

  it('the tables say why: the change in brackets, the strategies named above it', async () => {
    const md = renderComparisonTable(rows);
    expect(md).toMatch(/\| a +\| +128 \| +100\.3 \| +308\.8 \| \(\+208\.0%\) \| +– \| +– \| different strategies +\|/);
    expect(strategyMismatchNote(rows)).toBe(
      '1 of the rows was measured with different strategies (base sequential, head burst): a burst reads cold starts differently from sequential updates, so the change is shown in brackets and no verdict is given. Compare runs made with the same strategy (strategy: compare measures both in one run).',
    );
    expect(
      strategyMismatchNote(compareRuns(makeResults([fnInfo('a')], seq('a', base10)), makeResults([fnInfo('a')], burst('a', base10)))),
    ).toMatch(/^The two runs were measured with different strategies \(base sequential, head burst\)/);
    expect(strategyMismatchNote(compareRuns(base, base))).toBeUndefined();
    // the terminal (the compare command) says it above its table
    const text = renderTerminalComparison(rows, 100);
    expect(text.split('\n').slice(0, 3).join(' ')).toMatch(
      /^1 of the rows was measured with different strategies \(base sequential, head burst\)/,
    );
    expect(text).toMatch(/^a +128 +100\.3 +308\.8 +\(\+208\.0%\) .*different strategies$/m);
  });
});
