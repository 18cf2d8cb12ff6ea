/** The verdict wording: A/B sections (markdown and terminal), the kind of a baseline comparison, "fastest". */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALLOWANCE } from '../../src/results/allowance.js';
import { compareRuns } from '../../src/results/compare.js';
import { clearlyFastest } from '../../src/results/fastest.js';
import { allowanceText, acrossRunsSentence } from '../../src/report/comparison-kind.js';
import { headline, renderReport } from '../../src/report/markdown.js';
import { pairKindSentence, pairRegressionLine, pairVerdictSentence } from '../../src/report/pairs.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { pairRun } from '../helpers/pair-fixtures.js';
import { coldSamples, fnInfo, makeResults } from '../helpers/results-fixtures.js';

const ab = pairRun([
  ['pr-api', 'main-api', 1.3, 10],
  ['pr-worker', 'main-worker', 1.0, 3],
]);

describe('the A/B section of a pair', () => {
  it('markdown: heading, the kind of comparison, the verdict with both medians and the interval, a table and a chart', () => {
    const md = renderReport(ab);
    const api = md.slice(md.indexOf('### A/B: pr-api against main-api'), md.indexOf('### A/B: pr-worker'));
    expect(api).toMatch(
      /^### A\/B: pr-api against main-api\n\nSide by side in this job \(10 pairs\)\. \*\*pr-api\*\* is slower than main-api at 128 MB: median init 221\.6 ms against 168\.2 ms, \+30\.6% \(95% CI \+26\.\d% to \+34\.\d%, p < 0\.001\)\.\n\n\| Memory /,
    );
    expect(api).toMatch(
      /\| 128 MB +\| +221\.6 \(n 10\) \| +168\.2 \(n 10\) \| ▲ \+30\.6% \| \+26\.\d% to \+34\.\d% \| < 0\.001 \| +10 \| \*\*slower\*\* +\|/,
    );
    // one bar series, quoted labels, the table beside it
    expect(api).toContain('  x-axis ["pr-api · 128 MB", "main-api · 128 MB"]\n');
    expect(api.match(/^ {2}bar /gm)).toHaveLength(1);
    const worker = md.slice(md.indexOf('### A/B: pr-worker'));
    expect(worker).toContain(
      'Side by side in this job (unpaired: fewer than 6 complete pairs). Too few cold starts to tell **pr-worker** from main-worker at 128 MB (3 against 3): median init 157.1 ms against 150.0 ms.',
    );
    expect(md.indexOf('### A/B: pr-api')).toBeLessThan(md.indexOf('### 128 MB'));
  });

  it('terminal: the same sentences, plain, and the table fitted to the width', () => {
    const t = renderTerminal(ab, { width: 100 });
    const section = t.slice(t.indexOf('A/B: pr-api against main-api'));
    expect(section.split('\n')[1]).toBe(
      'Side by side in this job (10 pairs). pr-api is slower than main-api at 128 MB: median init 221.6 ms',
    );
    expect(section).not.toContain('**');
    expect(section).toMatch(/^128 MB +221\.6 \(n 10\) +168\.2 \(n 10\) +▲ \+30\.6% .* slower$/m);
    expect(t).toContain('Side by side in this job (unpaired: fewer than 6 complete pairs).');
  });

  it('says "not significantly different" where the test could tell, per memory size when the kinds differ', () => {
    const same = pairRun([['pr-api', 'main-api', 1.0, 10]]).pairs![0]!;
    expect(pairVerdictSentence(same)).toMatch(
      /^\*\*pr-api\*\* and main-api are not significantly different at 128 MB: median init \d+\.\d ms against 168\.2 ms, [+−]\d\.\d% \(95% CI −\d\.\d% to \+\d\.\d%, p = 0\.\d{3}\)\.$/,
    );
    const unpaired = { ...same, memory: 1024, method: 'unpaired' as const, pairs: 4 };
    expect(pairKindSentence([same, unpaired])).toBe(
      'Side by side in this job (128 MB: 10 pairs; 1024 MB: unpaired: fewer than 6 complete pairs).',
    );
    expect(pairRegressionLine(ab.pairs![0]!)).toBe('pr-api @ 128 MB: 1.31× main-api (side by side, 10 pairs)');
  });
});

describe('a baseline section says which kind of comparison it is and its allowance', () => {
  const base = makeResults(
    [fnInfo('a'), fnInfo('b')],
    [...coldSamples('a', 128, [100, 101, 102, 103, 104, 105]), ...coldSamples('b', 128, [50, 51, 52, 53, 54, 55])],
  );
  const history = { sigma: 0.043, source: 'history' as const, runs: 10, df: 9.4 };

  it('default: no history', () => {
    expect(acrossRunsSentence(compareRuns(base, base), '2026-03-01T09:00:00.000Z')).toBe(
      'Against a run from 2026-03-01; day-to-day allowance ±5 % (default: no history).',
    );
  });

  it('the spread of the last N runs, where the history has them; both parts when mixed', () => {
    const rows = compareRuns(base, base, { allowanceFor: (s) => (s.function === 'a' ? history : undefined) });
    expect(acrossRunsSentence(rows, '2026-03-01T09:00:00.000Z')).toBe(
      'Against a run from 2026-03-01; day-to-day allowance ±4.3 % (the spread of the last 10 runs where the history has them), ±5 % (default: too little history elsewhere).',
    );
    expect(allowanceText([history, { ...history, sigma: 0.061, runs: 6 }])).toBe('±4.3–6.1 % (the spread of the last 6–10 runs)');
    expect(allowanceText([DEFAULT_ALLOWANCE])).toBe('±5 % (default: no history)');
  });
});

describe('"fastest" only where the difference is significant', () => {
  const clear = makeResults(
    [fnInfo('go'), fnInfo('py')],
    [...coldSamples('go', 128, [50, 51, 52, 53, 54, 55]), ...coldSamples('py', 128, [150, 151, 152, 153, 154, 155])],
  );
  const few = makeResults(
    [fnInfo('go'), fnInfo('py')],
    [...coldSamples('go', 128, [50, 52, 55]), ...coldSamples('py', 128, [150, 160, 170])],
  );

  it('the headline and the `fastest` output agree', () => {
    expect(headline(clear)).toMatch(/^\*\*go\*\* cold-starts fastest at 128 MB/);
    expect(clearlyFastest(clear.statistics)).toBe('go');
    expect(headline(few)).toBe(
      'No function is clearly fastest at 128 MB: too few cold starts to tell (3 against 3). Lowest median init: go (52.0 ms).',
    );
    expect(clearlyFastest(few.statistics)).toBeUndefined();
    expect(clearlyFastest(makeResults([fnInfo('go')], coldSamples('go', 128, [50, 51, 52])).statistics)).toBeUndefined(); // alone
  });
});
