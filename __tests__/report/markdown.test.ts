import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/results/compare.js';
import { readSpeedCsv } from '../../src/results/csv.js';
import type { Sample } from '../../src/results/model.js';
import {
  PLAIN,
  baselineSentence,
  escapeMarkdown,
  headline,
  renderComparisonTable,
  renderReport,
  renderTables,
} from '../../src/report/markdown.js';
import { coldSamples, fnInfo, makeResults } from '../helpers/results-fixtures.js';

const seed = (f: string) => readFileSync(new URL(`../fixtures/seed-data/${f}`, import.meta.url), 'utf8');

/** Cells of the markdown table rows that start with `| name` (split on unescaped pipes). */
function rowCells(md: string, startsWith: string): string[] {
  const line = md.split('\n').find((l) => l.startsWith(`| ${startsWith}`));
  if (!line) throw new Error(`no row starting with ${startsWith}`);
  return line
    .split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((c) => c.trim());
}

describe('the study’s data (speed-x86-128.csv)', () => {
  const r = readSpeedCsv(seed('speed-x86-128.csv'), { name: 'speed-x86-128.csv' });
  const md = renderReport(r);

  it('names hello-runtime-al2 the fastest and hello-node ≈ 3.3× it', () => {
    const al2 = r.statistics.find((s) => s.function === 'hello-runtime-al2')!;
    const node = r.statistics.find((s) => s.function === 'hello-node')!;
    expect(r.statistics[0]!.function).toBe('hello-runtime-al2');
    expect(al2.init.p50).toBeCloseTo(50.065, 10);
    expect(node.vsFastest!.ratio).toBeGreaterThan(3.25);
    expect(node.vsFastest!.ratio).toBeLessThan(3.32);
    expect(node.vsFastest!.significant).toBe(true);
    expect(headline(r)).toBe(
      '**hello-runtime-al2** cold-starts fastest at 128 MB (median init 50.1 ms). Compared with it, median init is ' +
        '1.67× (95% CI 1.58–1.75) for hello-runtime-go, 2.28× (1.82–2.84) for hello-py311 and 3.29× (3.20–3.38) for hello-node.',
    );
  });

  it('has one table per memory size with the agreed columns, rounded to 0.1 ms; no Runtime/Arch columns when the data has none', () => {
    expect(md).toContain('### 128 MB');
    expect(rowCells(md, 'Function')).toEqual([
      'Function',
      'n',
      'Init p50 (ms)',
      'Init p90 (ms)',
      'Init min–max (ms)',
      'Cold p50 (ms)',
      'Billed p50 (ms)',
      'Max mem (MB)',
      'vs fastest',
    ]);
    expect(rowCells(md, 'hello-node ')).toEqual([
      'hello-node',
      '10',
      '164.6',
      '167.9',
      '135.4–170.3',
      '8.4',
      '9.0',
      '–',
      '**3.29×** (3.20–3.38)',
    ]);
    expect(rowCells(md, 'hello-runtime-al2 ')[8]).toBe('fastest');
    expect(md).not.toMatch(/\| unknown/);
  });

  it('draws one horizontal bar chart right under its table: quoted labels, one series, values on the bars', () => {
    const charts = md.match(/```mermaid\n[\s\S]*?```/g)!;
    expect(charts).toHaveLength(1);
    expect(charts[0]).toBe(
      [
        '```mermaid',
        '---',
        'config:',
        '  xyChart:',
        '    width: 700',
        '    height: 214',
        '    showDataLabel: true',
        '  themeVariables:',
        '    xyChart:',
        '      plotColorPalette: "#6CA6D9"',
        '---',
        'xychart-beta horizontal',
        '  title "Median init at 128 MB, ms"',
        '  x-axis ["hello-runtime-al2", "hello-runtime-go", "hello-py311", "hello-node"]',
        '  y-axis "Init (ms)" 0 --> 200',
        '  bar [50.1, 83.4, 114.1, 164.6]',
        '```',
      ].join('\n'),
    );
    const table = md.indexOf('| hello-node ');
    expect(md.indexOf('```mermaid')).toBeGreaterThan(table);
    expect(md.slice(table, md.indexOf('```mermaid')).trim().split('\n')).toHaveLength(1); // nothing between them
  });

  it('shows mean ± sd, the median with its interval and the p-value behind each ratio in a details table', () => {
    const details = md
      .split('<details><summary>Mean, spread and tests per function and memory size</summary>\n\n')[1]!
      .split('</details>')[0]!;
    expect(rowCells(details, 'hello-node ')).toEqual([
      'hello-node',
      '128 MB',
      '10',
      '161.8 ± 9.8',
      '164.6 (158.6–167.6)',
      '3.29×',
      '< 0.001',
      'significant',
    ]);
    expect(rowCells(details, 'hello-runtime-al2 ')).toEqual([
      'hello-runtime-al2',
      '128 MB',
      '10',
      '50.0 ± 2.8',
      '50.1 (49.5–52.7)',
      'fastest',
      '',
      '',
    ]);
  });

  it('puts the raw samples in a details block and the notes in a list', () => {
    expect(md).toMatch(
      /<details><summary>Raw samples: 40 invocations<\/summary>\n\n\| Function \| MB \| Seq \| Kind \| Init \| Duration \| Billed \| Source \|/,
    );
    expect(md).toContain('| hello-node | 128 | 1 | cold | 135.38 | 15.65 | 16 | insights |');
    expect(md).toContain('### Notes\n\n- Read from speed-x86-128.csv');
    expect(md).not.toMatch(/<!--/); // the GitHub code adds the hidden marker
  });
});

describe('small samples and raw samples', () => {
  it('says "too few cold starts to tell" where no test could reach significance, not "not significantly different"', () => {
    // a 3× gap with 3 cold starts each: the exact Mann–Whitney test cannot go below p = 0.1
    const r = makeResults(
      [fnInfo('hello-go'), fnInfo('hello-py')],
      [...coldSamples('hello-go', 128, [50, 52, 55]), ...coldSamples('hello-py', 128, [150, 160, 170])],
    );
    expect(headline(r)).toBe(
      'No function is clearly fastest at 128 MB: too few cold starts to tell (3 against 3). Lowest median init: hello-go (52.0 ms).',
    );
    const md = renderReport(r);
    expect(md).not.toContain('not significantly different');
    expect(rowCells(md, 'hello-py ')[11]).toBe('3.08× too few to tell');
    // 4 against 4 can reach p = 0.029: a real test, and here a significant one
    const r4 = makeResults(
      [fnInfo('hello-go'), fnInfo('hello-py')],
      [...coldSamples('hello-go', 128, [50, 52, 55, 51]), ...coldSamples('hello-py', 128, [150, 160, 170, 155])],
    );
    expect(headline(r4)).toContain('Compared with it, median init is 3.06× for hello-py.');
  });

  it('counts warm retries and errors in the raw samples’ summary only when there are some', () => {
    const samples = [
      ...coldSamples('a', 128, [100, 101]),
      { ...coldSamples('a', 128, [0])[0]!, sequence: 3, kind: 'warm' as const, init: null },
      { ...coldSamples('a', 128, [0])[0]!, sequence: 4, kind: 'error' as const, init: null, error: 'Runtime.ExitError' },
    ];
    expect(renderReport(makeResults([fnInfo('a')], samples))).toContain(
      '<summary>Raw samples: 4 invocations, including 1 warm retry and 1 error</summary>',
    );
    expect(renderReport(makeResults([fnInfo('a')], samples.slice(0, 2)))).toContain('<summary>Raw samples: 2 invocations</summary>');
  });

  it('leaves a runtime the data does not carry blank, and keeps the column when another function has one', () => {
    const r = makeResults(
      [fnInfo('a', { runtime: 'unknown' }), fnInfo('b', { runtime: 'python3.12' })],
      [...coldSamples('a', 128, [10, 11, 12]), ...coldSamples('b', 128, [20, 21, 22])],
    );
    const md = renderReport(r);
    expect(rowCells(md, 'a ')[1]).toBe('');
    expect(rowCells(md, 'b ')[1]).toBe('python3.12');
  });
});

describe('escapeMarkdown', () => {
  it('escapes markdown and HTML', () => {
    expect(escapeMarkdown('a|b<script>alert(1)</script>')).toBe('a\\|b&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(escapeMarkdown('*x* _y_ [l](u) `c` ~s~ $m$ \\')).toBe('\\*x\\* \\_y\\_ \\[l\\](u) \\`c\\` \\~s\\~ \\$m\\$ \\\\');
    expect(escapeMarkdown('@octocat & "q"\nnext')).toBe('&#64;octocat &amp; &quot;q&quot; next');
    expect(escapeMarkdown('hello-node')).toBe('hello-node');
  });

  it('a hostile function name breaks neither the table nor the HTML', () => {
    const evil = 'a|b<script>x</script>`"\n@team';
    const r = makeResults([fnInfo(evil), fnInfo('ok')], [...coldSamples(evil, 128, [10, 11, 12]), ...coldSamples('ok', 128, [20, 21, 22])]);
    const md = renderReport(r);
    expect(md).not.toMatch(/<script/i);
    expect(md.replace(/```mermaid[\s\S]*?```/g, '')).not.toContain('@team'); // no mention outside code blocks
    // every row of the stats table still has 12 cells
    const table = md.split('### 128 MB\n\n')[1]!.split('\n\n')[0]!.split('\n');
    for (const line of table) expect(line.split(/(?<!\\)\|/).length - 2).toBe(12);
    // the mermaid label is still one quoted string
    expect(md).toContain('x-axis ["a|b‹script›x‹/script›\'\' @team", "ok"]');
  });
});

describe('size limit', () => {
  function big(n: number) {
    const names = Array.from({ length: 8 }, (_, i) => `function-with-a-rather-long-name-${i}`);
    const samples: Sample[] = names.flatMap((f, i) =>
      coldSamples(
        f,
        1024,
        Array.from({ length: n }, (_, k) => 100 + i * 10 + (k % 7)),
      ),
    );
    return makeResults(
      names.map((f) => fnInfo(f)),
      samples,
    );
  }

  it('shortens the raw samples first and says so', () => {
    const r = big(200); // 1600 raw rows: far above 65,000 characters
    const md = renderReport(r);
    expect(md.length).toBeLessThanOrEqual(65_000);
    expect(md.length).toBeGreaterThan(60_000); // it kept as many rows as fit
    expect(md).toMatch(/Showing the first \d+ of 1600 samples to fit the size limit/);
    expect(md).toContain('### 1024 MB');
    expect(md).toContain('```mermaid');
  });

  it('drops raw samples, then charts, then cuts, for tiny limits', () => {
    const r = big(20);
    const full = renderReport(r);
    // room for everything but the raw samples (and the line that says they were left out)
    const noRaw = renderReport(r, { maxLength: full.indexOf('<details><summary>Raw') + (full.length - full.indexOf('<sub>')) + 100 });
    expect(noRaw).not.toContain('<details><summary>Raw');
    expect(noRaw).toContain('Raw samples left out');
    expect(noRaw).toContain('```mermaid');
    const tiny = renderReport(r, { maxLength: 500 });
    expect(tiny.length).toBeLessThanOrEqual(500);
    expect(tiny).toMatch(/report cut to fit the size limit/);
  });
});

describe('memory sweep, strategies, baseline, links', () => {
  it('a memory sweep: one bar chart per memory size on one shared axis, and one line per function across memory', () => {
    const tenish = (base: number) => Array.from({ length: 10 }, (_, i) => base + (i % 5) * 1.5);
    const r = makeResults(
      [fnInfo('go'), fnInfo('py'), fnInfo('node')],
      [128, 512, 1024].flatMap((m) => [
        ...coldSamples('go', m, tenish(m === 128 ? 60 : 40)),
        ...coldSamples('py', m, tenish(m === 128 ? 160 : 120)),
        ...coldSamples('node', m, tenish(m === 128 ? 210 : 170)),
      ]),
    );
    const md = renderReport(r);
    const charts = md.match(/```mermaid\n[\s\S]*?```/g)!;
    expect(charts).toHaveLength(4);
    // three bar charts, one per memory size, all on 0 → 250 ms: a 43 ms bar looks a fifth of a 213 ms one in every chart
    expect(charts.slice(0, 3).map((c) => /title "([^"]+)"/.exec(c)![1])).toEqual([
      'Median init at 128 MB, ms',
      'Median init at 512 MB, ms',
      'Median init at 1024 MB, ms',
    ]);
    for (const c of charts.slice(0, 3)) {
      expect(c).toContain('  y-axis "Init (ms)" 0 --> 250');
      expect(c).toContain('  x-axis ["go", "py", "node"]');
      expect(c.match(/^ {2}bar /gm)).toHaveLength(1);
    }
    const sweep = md.split('### Median init by memory size\n\n')[1]!.split('\n\n<details>')[0]!;
    expect(sweep).toBe(
      [
        '| Function | 128 MB | 512 MB | 1024 MB |',
        '| :------- | -----: | -----: | ------: |',
        '| go       |   63.0 |   43.0 |    43.0 |',
        '| py       |  163.0 |  123.0 |   123.0 |',
        '| node     |  213.0 |  173.0 |   173.0 |',
        '',
        '```mermaid',
        '---',
        'config:',
        '  xyChart:',
        '    width: 700',
        '    height: 400',
        '  themeVariables:',
        '    xyChart:',
        '      plotColorPalette: "#0072B2, #E69F00, #009E73"',
        '---',
        'xychart-beta',
        '  title "Median init by memory size, ms"',
        '  x-axis ["128 MB", "512 MB", "1024 MB"]',
        '  y-axis "Init (ms)" 0 --> 250',
        '  line "go" [63.0, 43.0, 43.0]',
        '  line "py" [163.0, 123.0, 123.0]',
        '  line "node" [213.0, 173.0, 173.0]',
        '```',
        '',
        // no emoji squares (they fall back to empty boxes without an emoji font): the colours named in words
        '_Lines: go blue, py orange, node green._',
      ].join('\n'),
    );
    expect(md.match(/^### .+$/gm)).toEqual(['### 128 MB', '### 512 MB', '### 1024 MB', '### Median init by memory size', '### Cost']);
  });

  it('a sweep where few cold starts cannot tell functions apart says so, not "not significantly different"', () => {
    const r = makeResults(
      [fnInfo('a'), fnInfo('b')],
      [128, 512, 1024].flatMap((m) => [
        ...coldSamples('a', m, m === 1024 ? [90, 91, 92] : [100, 101, 102]),
        ...coldSamples('b', m, [200, 201, 202]),
      ]),
    );
    // "fastest" at no memory size: each one says why
    expect(headline(r)).toBe(
      [128, 512, 1024]
        .map(
          (m) =>
            `No function is clearly fastest at ${m} MB: too few cold starts to tell (3 against 3). Lowest median init: a (${m === 1024 ? 91 : 101}.0 ms).`,
        )
        .join(' '),
    );
    expect(renderReport(r)).toContain('Fewer than 10 cold starts');
  });

  it('says plainly when a difference is not significant', () => {
    const r = makeResults(
      [fnInfo('a'), fnInfo('b')],
      [...coldSamples('a', 128, [100, 101, 102, 103, 104, 105]), ...coldSamples('b', 128, [100.5, 101.5, 102.5, 103.5, 104.5, 105.5])],
    );
    expect(headline(r)).toMatch(
      /^No function is clearly fastest at 128 MB: a and b are not significantly different \(p = 0\.\d{3}\)\. Lowest median init: a \(102\.5 ms\)\.$/,
    );
    expect(headline(r, PLAIN)).not.toContain('*');
    expect(renderReport(r)).toMatch(/\| 1\.00× \(0\.9\d–1\.0\d\) n\.s\. \|/);
  });

  it('labels strategies when a run has both', () => {
    const r = makeResults(
      [fnInfo('a')],
      [...coldSamples('a', 128, [100, 101, 102]), ...coldSamples('a', 128, [90, 91, 92], { strategy: 'burst' })],
    );
    const md = renderReport(r);
    expect(md).toContain('### 128 MB (sequential)');
    expect(md).toContain('### 128 MB (burst)');
    expect(md).toContain('### Burst vs sequential'); // issue 8's section, from src/report/strategy-compare.ts
    expect(md.indexOf('### Burst vs sequential')).toBeGreaterThan(md.indexOf('### 128 MB (burst)'));
    expect(renderReport(makeResults([fnInfo('a')], coldSamples('a', 128, [1, 2, 3])))).not.toContain('Burst vs sequential');
  });

  it('shows the baseline table with arrows, and the links', () => {
    const base = makeResults([fnInfo('a')], coldSamples('a', 128, [100, 101, 102, 103, 104, 105, 106, 107, 108, 109]));
    const head = makeResults([fnInfo('a')], coldSamples('a', 128, [130, 131, 132, 133, 134, 135, 136, 137, 138, 139]));
    const rows = compareRuns(base, head);
    const md = renderReport(head, { baseline: rows, artifactUrl: 'https://github.com/o/r/actions/runs/1/artifacts/2', tag: 'nightly' });
    expect(md.startsWith('## Lambda cold starts · nightly\n')).toBe(true);
    expect(renderReport(head, { tag: 'default' }).startsWith('## Lambda cold starts\n')).toBe(true);
    expect(md).toContain('### Compared with the baseline');
    const sentence =
      'Compared with the baseline given. Against a run from an unknown date; day-to-day allowance ±5 % (default: no history).';
    const cmp = md.split(`### Compared with the baseline\n\n${sentence}\n\n`)[1]!.split('\n\n')[0]!;
    expect(rowCells(cmp, 'a ')).toEqual([
      'a',
      '128',
      '104.5',
      '134.5',
      '▲ +28.7%',
      expect.stringMatching(/^\+\d+\.\d% to \+\d+\.\d%$/),
      '< 0.001',
      '**slower**',
    ]);
    expect(md).toContain('[workflow run](https://github.com/o/r/actions/runs/1)');
    expect(md).toContain('[results (speed.csv, results.json, boxplot.svg)](https://github.com/o/r/actions/runs/1/artifacts/2)');
  });
});

describe('renderTables', () => {
  it('prints the per-memory tables with headings only', () => {
    const r = readSpeedCsv(seed('speed-x86-128.csv'));
    const t = renderTables(r);
    expect(t.startsWith('### 128 MB\n\n| Function')).toBe(true);
    expect(t).not.toContain('mermaid');
    expect(t.split('\n')).toHaveLength(2 + 2 + 4);
    expect(renderTables(makeResults([], []))).toBe('No cold start was measured.');
  });
});

describe('renderComparisonTable', () => {
  it('renders every verdict', () => {
    const t = renderComparisonTable([
      { function: 'f', memory: 128, baseP50: 100, headP50: 80, ratio: 0.8, ratioCi: [0.75, 0.85], pValue: 0.0002, verdict: 'faster' },
      {
        function: 's',
        memory: 128,
        baseP50: 100,
        headP50: 101,
        ratio: 1.01,
        ratioCi: [0.97, 1.05],
        pValue: 0.6,
        verdict: 'no significant change',
      },
      {
        function: 'n',
        memory: 128,
        baseP50: Number.NaN,
        headP50: 50,
        ratio: Number.NaN,
        ratioCi: null,
        pValue: Number.NaN,
        verdict: 'new',
      },
      {
        function: 'm',
        memory: 128,
        baseP50: 50,
        headP50: Number.NaN,
        ratio: Number.NaN,
        ratioCi: null,
        pValue: Number.NaN,
        verdict: 'missing',
      },
    ]);
    expect(rowCells(t, 'f ')).toEqual(['f', '128', '100.0', '80.0', '▼ −20.0%', '−25.0% to −15.0%', '< 0.001', 'faster']);
    expect(rowCells(t, 's ')).toEqual(['s', '128', '100.0', '101.0', '= +1.0%', '−3.0% to +5.0%', '0.600', 'no significant change']);
    expect(rowCells(t, 'n ')).toEqual(['n', '128', '–', '50.0', 'new', '–', '–', 'new']);
    expect(rowCells(t, 'm ')).toEqual(['m', '128', '50.0', '–', 'missing', '–', '–', 'missing']);
    expect(renderComparisonTable([])).toMatch(/Nothing to compare/);
  });
});

describe('baselineSentence: a comparison says what it compares with', () => {
  const run = { kind: 'run', branch: 'main', sha: 'ba5e0001234567', runId: 42, url: 'https://github.com/o/r/actions/runs/42' } as const;
  it('names the base branch, its commit and links the run whose artifact was used', () => {
    expect(baselineSentence(run)).toBe(
      'Compared with main at ba5e000: the results artifact of [run 42](https://github.com/o/r/actions/runs/42).',
    );
    expect(baselineSentence(run, PLAIN)).toBe(
      'Compared with main at ba5e000: the results artifact of run 42 (https://github.com/o/r/actions/runs/42).',
    );
    expect(baselineSentence({ ...run, branch: 'feat/*x*' })).toContain('Compared with feat/\\*x\\* at ba5e000');
  });
  it('names the file given', () => {
    expect(baselineSentence({ kind: 'file', path: 'base/results.json' })).toBe('Compared with the file `base/results.json`.');
    const head = makeResults([fnInfo('a')], coldSamples('a', 128, [1, 2, 3, 4, 5, 6]));
    const baselineSource = { kind: 'file', path: 'base/results.json', startedAt: head.run.startedAt } as const;
    const md = renderReport(head, { baseline: compareRuns(head, head), baselineSource });
    expect(md).toContain(
      '### Compared with the baseline\n\nCompared with the file `base/results.json`. Against a run from 2026-01-01; day-to-day allowance ±5 % (default: no history).\n\n| Function',
    );
  });
});

describe('a wide memory sweep', () => {
  it('beyond 3 memory sizes: the line chart alone (tables stay), not a bar chart per memory size', () => {
    const memories = [128, 256, 512, 1024, 2048, 3008];
    const r = makeResults(
      [fnInfo('a'), fnInfo('b')],
      memories.flatMap((m) => [...coldSamples('a', m, [50, 51, 52, 53]), ...coldSamples('b', m, [150, 151, 152, 153])]),
    );
    const md = renderReport(r);
    const charts = md.match(/```mermaid\n[\s\S]*?```/g)!;
    expect(charts).toHaveLength(1);
    expect(charts[0]).toContain('  x-axis ["128 MB", "256 MB", "512 MB", "1024 MB", "2048 MB", "3008 MB"]');
    expect(charts[0]!.match(/^ {2}line /gm)).toHaveLength(2);
    expect(md.match(/^### \d+ MB$/gm)).toHaveLength(6);
  });
});

describe('links from data are http(s) only', () => {
  const EVIL = 'javascript:alert(document.cookie)';
  const r = makeResults([fnInfo('a')], coldSamples('a', 128, [10, 11, 12]));

  it('a results.json whose run URL is javascript: (report re-renders a file) gets no link', () => {
    const md = renderReport({ ...r, run: { ...r.run, url: EVIL } }, { artifactUrl: 'data:text/html,x' });
    expect(md).not.toMatch(/\]\((javascript|data):/i);
    expect(md).toContain('workflow run · ');
    expect(md).not.toMatch(/\[workflow run\]/);
  });

  it('the baseline run, the workflow run and the artifact link when they are https, with ) encoded', () => {
    const md = renderReport(r, {
      runUrl: 'https://github.com/o/r/actions/runs/1',
      artifactUrl: 'https://github.com/o/r/actions/runs/1/artifacts/2)',
    });
    expect(md).toContain('[workflow run](https://github.com/o/r/actions/runs/1)');
    expect(md).toContain('](https://github.com/o/r/actions/runs/1/artifacts/2%29)');
    const run = { kind: 'run', branch: 'main', sha: 'abc1234def', runId: 7 } as const;
    expect(baselineSentence({ ...run, url: EVIL })).toBe('Compared with main at abc1234: the results artifact of run 7.');
    expect(baselineSentence({ ...run, url: 'https://github.com/o/r/actions/runs/7' })).toContain(
      '[run 7](https://github.com/o/r/actions/runs/7)',
    );
    expect(baselineSentence({ kind: 'file', path: 'a`b\n\n# c' })).toBe("Compared with the file `a'b # c`.");
  });
});
