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
