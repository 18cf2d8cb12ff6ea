/** openHistory / record against the fake GitHub: what the Trend compares with and what the drift warning says. */
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INPUT_DEFAULTS, type InputName } from '../../src/config/inputs.js';
import { parseConfig } from '../../src/config/parse.js';
import { openHistory } from '../../src/github/history-run.js';
import { toHistoryJson } from '../../src/history/json.js';
import { HISTORY_FILE_MAX_BYTES, type HistoryEntry } from '../../src/history/model.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github-server.js';
import { recordingLog } from '../github/helpers.js';
import { entry, row } from '../helpers/history-fixtures.js';
import { coldSamples, fnInfo, makeResults } from '../helpers/results-fixtures.js';

let gh: FakeGitHub;
beforeAll(async () => {
  gh = await startFakeGitHub({ owner: 'o', repo: 'r' });
});
afterAll(async () => {
  await gh?.close();
});

const RUN = 'https://github.com/o/r/actions/runs/4242';
const config = (history: string) =>
  parseConfig((name: InputName) => ({ functions: 'api', history })[name as string] ?? INPUT_DEFAULTS[name]).config!;
const seed = (branch: string, entries: HistoryEntry[]) =>
  gh.git.putFile(branch, 'history.json', toHistoryJson({ schemaVersion: 1, name: 'n', entries }));
const logger = () => ({ ...recordingLog(), notice: () => {}, group: () => {} });
const open = (branch: string, inits: number[], log = logger()) =>
  openHistory({
    config: config(branch),
    results: makeResults([fnInfo('api')], coldSamples('api', 256, inits)),
    context: { eventName: 'schedule', payload: {}, repo: { owner: 'o', repo: 'r' }, sha: 'c0ffee', ref: 'refs/heads/main' },
    log,
    runUrl: RUN,
    octokit: getOctokit('t0ken', { baseUrl: gh.url }),
  });

describe('openHistory', () => {
  it('a re-run is not compared with its own earlier attempt (same run URL)', async () => {
    const earlier = [0, 1, 2].map((i) => entry(i, [row('api', 256, 100)]));
    seed('h-rerun', [...earlier, entry(3, [row('api', 256, 500)], { runUrl: RUN })]);
    const step = await open('h-rerun', [100, 101, 102]);
    expect(step!.trend!.history).toEqual(earlier);
  });

  it('the drift warning rounds as the report does (209.35 → 209.4, a toFixed would print 209.3)', async () => {
    seed(
      'h-drift',
      [0, 1, 2].map((i) => entry(i, [row('api', 256, 100)])),
    );
    const log = logger();
    const step = await open('h-drift', [205, 206, 207, 208, 209.35, 209.35, 211, 212, 213, 214], log);
    const drift = await step!.record();
    expect(drift).toHaveLength(1);
    const warning = log.lines.find((l) => l.level === 'warning' && l.message.startsWith('drift:'))!.message;
    expect(warning).toMatch(
      /^drift: api @ 256 MB: median init 209\.4 ms; the median init lies \+109\.\d% above the recent runs' centre \(limit \+\d+\.\d%\), over the last 3 runs$/,
    );
  });
});

describe('what a history read error says', () => {
  it('a history over the read limit is named as too large — before it is downloaded — and left unchanged', async () => {
    // over 1 MB: the contents API gives no content, only the size (what made the old code read a blob it then broke on)
    const big = toHistoryJson({ schemaVersion: 1, name: 'n', entries: [] }).replace('[]', `[${' '.repeat(HISTORY_FILE_MAX_BYTES)}]`);
    gh.git.putFile('h-big', 'history.json', big);
    const log = logger();
    const step = await open('h-big', [100, 101, 102], log);
    expect(step!.trend).toBeUndefined();
    expect(log.lines.filter((l) => l.level === 'warning').map((l) => l.message)).toEqual([
      `history: history.json in branch h-big is not a history this version can use (${(big.length / 1e6).toFixed(1)} MB, over the 3.6 MB limit of a history.json); it is left unchanged and no trend is shown`,
    ]);
    expect(gh.git.fileOf('h-big', 'history.json')).toBe(big);
  });

  it('a failure that is not GitHub’s is not reported as "GitHub answered"', async () => {
    const octokit = getOctokit('t0ken', { baseUrl: gh.url });
    octokit.rest.repos.getContent = (() => Promise.reject(new TypeError('The first argument must be of type string'))) as never;
    const log = logger();
    await openHistory({
      config: config('h-local'),
      results: makeResults([fnInfo('api')], coldSamples('api', 256, [1, 2, 3])),
      context: { eventName: 'schedule', payload: {}, repo: { owner: 'o', repo: 'r' }, sha: 'c0ffee', ref: 'refs/heads/main' },
      log,
      octokit,
    });
    expect(log.lines.map((l) => l.message)).toEqual([
      'history: could not read history.json in branch h-local: The first argument must be of type string',
    ]);
  });
});
