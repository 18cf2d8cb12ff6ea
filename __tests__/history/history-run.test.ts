/** openHistory / record against the fake GitHub: what the Trend compares with and what the drift warning says. */
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INPUT_DEFAULTS, type InputName } from '../../src/config/inputs.js';
import { parseConfig } from '../../src/config/parse.js';
import { openHistory } from '../../src/github/history-run.js';
import { toHistoryJson } from '../../src/history/json.js';
import type { HistoryEntry } from '../../src/history/model.js';
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
