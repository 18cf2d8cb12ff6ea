import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setOutputs } from '../../src/github/outputs.js';
import { tempDir } from './helpers.js';

afterEach(() => {
  delete process.env['GITHUB_OUTPUT'];
});

function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2\n/gm;
  for (const m of text.matchAll(re)) out[m[1] ?? ''] = m[3] ?? '';
  return out;
}

describe('setOutputs', () => {
  it('writes the defined outputs under their action.yml names to $GITHUB_OUTPUT', () => {
    const file = join(tempDir(), 'output');
    writeFileSync(file, '');
    process.env['GITHUB_OUTPUT'] = file;
    setOutputs({
      csv: '/out/speed.csv',
      json: '/out/results.json',
      report: '/out/report.md',
      results: '[{"function":"a","memory":128,"n":5,"p50":100,"p90":null}]',
      fastest: 'a',
      commentUrl: 'https://github.com/o/r/pull/1#issuecomment-2',
      artifactUrl: 'https://github.com/o/r/actions/runs/3/artifacts/4',
      regressions: '[]',
    });
    expect(parseOutputFile(readFileSync(file, 'utf8'))).toEqual({
      csv: '/out/speed.csv',
      json: '/out/results.json',
      report: '/out/report.md',
      results: '[{"function":"a","memory":128,"n":5,"p50":100,"p90":null}]',
      fastest: 'a',
      'comment-url': 'https://github.com/o/r/pull/1#issuecomment-2',
      'artifact-url': 'https://github.com/o/r/actions/runs/3/artifacts/4',
      regressions: '[]',
    });
  });

  it('skips undefined values', () => {
    const file = join(tempDir(), 'output');
    writeFileSync(file, '');
    process.env['GITHUB_OUTPUT'] = file;
    setOutputs({ csv: 'x' });
    expect(Object.keys(parseOutputFile(readFileSync(file, 'utf8')))).toEqual(['csv']);
  });
});

describe('resultsOutput', () => {
  it('rounds p50 and p90 as the report does: no float noise, half away from zero on the printed decimal', async () => {
    const { resultsOutput } = await import('../../src/github/outputs.js');
    const { coldSamples, fnInfo, makeResults } = await import('../helpers/results-fixtures.js');
    // medians of two values: (56.80 + 56.81) / 2 = 56.805, (209.3 + 209.4) / 2 = 209.35; and float noise as such
    const r = makeResults(
      [fnInfo('a'), fnInfo('b'), fnInfo('c')],
      [...coldSamples('a', 128, [56.8, 56.81]), ...coldSamples('b', 128, [209.3, 209.4]), ...coldSamples('c', 256, [56.80500000000001])],
    );
    expect(r.statistics.map((s) => s.init.p50)).not.toEqual([56.8, 209.4]);
    expect(JSON.parse(resultsOutput(r.statistics))).toEqual([
      { function: 'a', memory: 128, strategy: 'sequential', n: 2, p50: 56.8, p90: null },
      { function: 'b', memory: 128, strategy: 'sequential', n: 2, p50: 209.4, p90: null },
      { function: 'c', memory: 256, strategy: 'sequential', n: 1, p50: 56.8, p90: null },
    ]);
  });
});
