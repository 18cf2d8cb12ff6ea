import { describe, expect, it } from 'vitest';
import { runUrl } from '../../src/github/context.js';
import { globMatch, globToRegExp } from '../../src/github/glob.js';

describe('runUrl', () => {
  it('builds the run URL from the runner env', () => {
    expect(runUrl({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '123' })).toBe(
      'https://github.com/o/r/actions/runs/123',
    );
    expect(runUrl({ GITHUB_SERVER_URL: 'https://ghe.example.com/', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '9' })).toBe(
      'https://ghe.example.com/o/r/actions/runs/9',
    );
    expect(runUrl({ GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '9' })).toBe('https://github.com/o/r/actions/runs/9');
  });
  it('is undefined off GitHub', () => {
    expect(runUrl({})).toBeUndefined();
    expect(runUrl({ GITHUB_REPOSITORY: 'o/r' })).toBeUndefined();
  });
});

describe('globMatch', () => {
  it('matches artifact names like download-artifact does', () => {
    expect(globMatch('cold-starts-*', 'cold-starts-eu')).toBe(true);
    expect(globMatch('cold-starts-*', 'cold-starts')).toBe(false);
    expect(globMatch('cold-starts-*', 'xcold-starts-eu')).toBe(false);
    expect(globMatch('shard-?', 'shard-1')).toBe(true);
    expect(globMatch('shard-?', 'shard-12')).toBe(false);
    expect(globMatch('shard-[12]', 'shard-2')).toBe(true);
    expect(globMatch('shard-[!12]', 'shard-2')).toBe(false);
    expect(globMatch('{eu,us}-*', 'us-east')).toBe(true);
    expect(globMatch('{eu,us}-*', 'ap-east')).toBe(false);
    expect(globMatch('a.b+c(1)', 'a.b+c(1)')).toBe(true);
    expect(globMatch('a.b', 'axb')).toBe(false);
    expect(globMatch('x\\*', 'x*')).toBe(true);
    expect(globMatch('x\\*', 'xy')).toBe(false);
    expect(globToRegExp('*').test('anything at all')).toBe(true);
  });
});
