/** history-store and issue-alert against the fake GitHub (real Octokit, real HTTP). */
import { getOctokit } from '@actions/github';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  appendToHistory,
  HistoryWriteRefusedError,
  MAX_WRITE_ATTEMPTS,
  readHistory,
  type AppendOptions,
  type HistoryLocation,
} from '../../src/github/history-store.js';
import { alertMarker, syncDriftIssue } from '../../src/github/issue-alert.js';
import { toHistoryJson } from '../../src/history/json.js';
import type { History } from '../../src/history/model.js';
import { renderDashboard } from '../../src/report/dashboard.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github-server.js';
import { recordingLog } from '../github/helpers.js';
import { entry, row } from '../helpers/history-fixtures.js';
import { expectValidHistory } from '../helpers/validate-history.js';

let gh: FakeGitHub;
let octokit: ReturnType<typeof getOctokit>;
let branchNo = 0;
let loc: HistoryLocation;
const log = recordingLog();
/** Back-offs asked for (never waited). */
let slept: number[] = [];
const opts = (extra: Partial<AppendOptions> = {}): AppendOptions => ({
  name: 'nightly',
  repository: 'https://github.com/o/r',
  limit: 500,
  renderPage: renderDashboard,
  log,
  sleep: async (ms) => {
    slept.push(ms);
  },
  ...extra,
});
const stored = (l = loc, file = 'history.json'): History => JSON.parse(gh.git.fileOf(l.branch, l.dir ? `${l.dir}/${file}` : file)!);

beforeEach(async () => {
  gh ??= await startFakeGitHub({ owner: 'o', repo: 'r' });
  octokit = getOctokit('t0ken', { baseUrl: gh.url });
  gh.git.modes.contentsWrites = 'ok';
  gh.git.modes.issueWrites = 'ok';
  loc = { owner: 'o', repo: 'r', branch: `history-${++branchNo}`, dir: '' };
  slept = [];
});
afterAll(async () => {
  await gh?.close();
});

describe('appendToHistory', () => {
  it('creates a missing branch as ONE commit without a parent, holding history.json and index.html', async () => {
    expect(await readHistory(octokit, loc)).toEqual({ missing: 'branch' });
    const result = await appendToHistory(octokit, loc, entry(0, [row('a', 128, 100)]), opts());
    expect(result).toEqual({ action: 'created-branch', entries: 1, attempts: 1 });
    const commits = gh.git.commitsOf(loc.branch);
    expect(commits).toHaveLength(1);
    expect(commits[0]!.parents).toEqual([]);
    const h = stored();
    expectValidHistory(h);
    expect(h.entries.map((e) => e.rows[0]!.p50)).toEqual([100]);
    expect(gh.git.fileOf(loc.branch, 'index.html')).toBe(renderDashboard(h));
    // the contents API read back: the same history, with its sha
    const read = await readHistory(octokit, loc);
    expect('history' in read && read.history).toEqual(h);
  });

  it('stores the entry rounded to 0.01 ms (the caller keeps the unrounded one for its report)', async () => {
    const raw = entry(0, [row('a', 128, 43.24500000001, { ci: [41.0049, 46.0051], mean: 43.4444 })]);
    await appendToHistory(octokit, loc, raw, opts());
    expect(stored().entries[0]!.rows[0]).toMatchObject({ p50: 43.25, ci: [41, 46.01], mean: 43.44 });
    expect(raw.rows[0]!.p50).toBe(43.24500000001);
  });

  it('later runs append (sha-conditional PUTs) and rewrite the page; the limit drops the oldest', async () => {
    for (let i = 0; i < 4; i++) await appendToHistory(octokit, loc, entry(i, [row('a', 128, 100 + i)]), opts({ limit: 3 }));
    const h = stored();
    expect(h.entries.map((e) => e.rows[0]!.p50)).toEqual([101, 102, 103]);
    expect(gh.git.fileOf(loc.branch, 'index.html')).toBe(renderDashboard(h));
    // 1 creating commit + 2 commits (history.json, index.html) per later run
    expect(gh.git.commitsOf(loc.branch)).toHaveLength(1 + 3 * 2);
    const puts = gh.state.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/contents/history.json'));
    expect(puts.every((r) => typeof (r.body as { sha?: unknown }).sha === 'string')).toBe(true);
  });

  it('history-path puts both files in a folder of the branch (several benchmarks share one branch)', async () => {
    const a = { ...loc, dir: 'svc/a' };
    const b = { ...loc, dir: 'svc/b' };
    await appendToHistory(octokit, a, entry(0, [row('a', 128, 1)]), opts());
    await appendToHistory(octokit, b, entry(0, [row('b', 128, 2)]), opts());
    expect(stored(a).entries[0]!.rows[0]!.function).toBe('a');
    expect(stored(b).entries[0]!.rows[0]!.function).toBe('b');
    expect(gh.git.fileOf(loc.branch, 'svc/b/index.html')).toContain('<!doctype html>');
    expect(gh.git.fileOf(loc.branch, 'history.json')).toBeUndefined();
  });

  it('two writers at once: the one that loses the race re-reads, re-appends and lands too', async () => {
    await appendToHistory(octokit, loc, entry(0, [row('a', 128, 100)]), opts());
    gh.git.holdWrites('history.json', 2); // both PUTs carry the sha both read: exactly one gets 409
    const [x, y] = await Promise.all([
      appendToHistory(octokit, loc, entry(1, [row('a', 128, 101)]), opts()),
      appendToHistory(octokit, loc, entry(2, [row('a', 128, 102)]), opts()),
    ]);
    expect([x.attempts, y.attempts].sort()).toEqual([1, 2]);
    const h = stored();
    expect(h.entries.map((e) => e.rows[0]!.p50)).toEqual([100, 101, 102]);
    expect(gh.state.requests.filter((r) => r.path.endsWith('/contents/history.json') && r.status === 409)).toHaveLength(1);
    expect(gh.git.fileOf(loc.branch, 'index.html')).toBe(renderDashboard(h));
  });

  it('two writers that both find no branch: one creates it, the other appends', async () => {
    await Promise.all([
      appendToHistory(octokit, loc, entry(0, [row('a', 128, 100)]), opts()),
      appendToHistory(octokit, loc, entry(1, [row('a', 128, 101)]), opts()),
    ]);
    expect(stored().entries.map((e) => e.rows[0]!.p50)).toEqual([100, 101]);
  });

  it('a protected branch (409 while the file is unchanged) is a refusal, not a race: no retry loop, nothing lost', async () => {
    await appendToHistory(octokit, loc, entry(0, [row('a', 128, 100)]), opts());
    gh.git.modes.contentsWrites = 'protected';
    const before = gh.state.requests.length;
    const error = await appendToHistory(octokit, loc, entry(1, [row('a', 128, 101)]), opts()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HistoryWriteRefusedError);
    expect((error as HistoryWriteRefusedError).status).toBe(409);
    expect((error as HistoryWriteRefusedError).detail).toBe('Repository rule violations found');
    expect(gh.state.requests.slice(before).filter((r) => r.method === 'PUT')).toHaveLength(1);
    expect(stored().entries).toHaveLength(1);
  });

  it('the branch moved under the write (another file committed, history.json unchanged): a race, retried after a back-off', async () => {
    await appendToHistory(octokit, loc, entry(0, [row('a', 128, 100)]), opts());
    gh.git.moveBranchOnWrite('history.json', 2); // GitHub: 409 "is at <head> but expected <old head>"
    const result = await appendToHistory(octokit, loc, entry(1, [row('a', 128, 101)]), opts());
    expect(result).toEqual({ action: 'appended', entries: 2, attempts: 3 });
    expect(stored().entries.map((e) => e.rows[0]!.p50)).toEqual([100, 101]);
    expect(slept).toHaveLength(2);
    expect(slept[1]!).toBeGreaterThan(slept[0]!);
    expect(gh.git.fileOf(loc.branch, 'other-2.txt')).toBe('another job 2'); // the other job's write is kept
  });

  it('a 409 with the file unchanged after every attempt is a refusal (no rule named), after MAX_WRITE_ATTEMPTS PUTs', async () => {
    await appendToHistory(octokit, loc, entry(0, [row('a', 128, 100)]), opts());
    gh.git.moveBranchOnWrite('history.json', MAX_WRITE_ATTEMPTS);
    const before = gh.state.requests.length;
    const error = await appendToHistory(octokit, loc, entry(1, [row('a', 128, 101)]), opts()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HistoryWriteRefusedError);
    expect((error as HistoryWriteRefusedError).detail).toMatch(/^is at [0-9a-f]{40} but expected [0-9a-f]{40}$/);
    const puts = gh.state.requests.slice(before).filter((r) => r.method === 'PUT' && r.path.endsWith('/contents/history.json'));
    expect(puts).toHaveLength(MAX_WRITE_ATTEMPTS);
    expect(slept).toHaveLength(MAX_WRITE_ATTEMPTS - 1);
    expect(stored().entries).toHaveLength(1);
  });

  it('two writers that both find no file: the one that appends after a lost race says "appended", not "created-file"', async () => {
    gh.git.putFile(loc.branch, 'README.md', 'another benchmark lives here');
    gh.git.holdWrites('history.json', 2); // both PUT without a sha: the second gets 422 "sha wasn't supplied"
    const results = await Promise.all([
      appendToHistory(octokit, loc, entry(0, [row('a', 128, 100)]), opts()),
      appendToHistory(octokit, loc, entry(1, [row('a', 128, 101)]), opts()),
    ]);
    expect(results.map((r) => [r.action, r.attempts]).sort()).toEqual([
      ['appended', 2],
      ['created-file', 1],
    ]);
    expect(stored().entries).toHaveLength(2);
  });

  it('a token without contents: write: the 403 reaches the caller (which warns)', async () => {
    gh.git.modes.contentsWrites = 'forbidden';
    const error = await appendToHistory(octokit, loc, entry(0, [row('a', 128, 100)]), opts()).catch((e: unknown) => e);
    expect((error as { status?: number }).status).toBe(403);
    expect(gh.git.branchExists(loc.branch)).toBe(false);
  });

  it('a failed page write costs only a warning: the entry is stored', async () => {
    await appendToHistory(octokit, loc, entry(0, [row('a', 128, 100)]), opts());
    const warned = recordingLog();
    const renderPage = () => {
      throw new Error('boom');
    };
    const result = await appendToHistory(octokit, loc, entry(1, [row('a', 128, 101)]), opts({ renderPage, log: warned }));
    expect(result.entries).toBe(2);
    expect(stored().entries).toHaveLength(2);
    expect(warned.lines).toEqual([
      { level: 'warning', message: 'history: the run was appended, but index.html was not rewritten (boom); the next run rewrites it' },
    ]);
  });

  it('a file over 1 MB (no inline content from the contents API) is read through the blob API', async () => {
    const rows = ['f1', 'f2', 'f3'].flatMap((f) => [128, 256, 512, 1024, 2048].map((m) => row(f, m, 123.45)));
    const big: History = { schemaVersion: 1, name: 'big', entries: Array.from({ length: 500 }, (_, i) => entry(i, rows)) };
    const text = toHistoryJson(big);
    expect(text.length).toBeGreaterThan(1024 * 1024);
    gh.git.putFile(loc.branch, 'history.json', text);
    const read = await readHistory(octokit, loc);
    expect('history' in read && read.history.entries).toHaveLength(500);
  });
});

describe('syncDriftIssue', () => {
  const base = {
    owner: 'o',
    repo: 'r',
    key: 'history:history.json',
    title: 'Cold-start drift: nightly',
    recoveredComment: 'back to normal',
    log,
  };

  it('opens one issue, updates it in place, leaves an unchanged body alone, and closes it with a comment', async () => {
    const open = () => gh.git.issues.filter((i) => i.state === 'open' && i.body.includes(alertMarker(base.key)));
    const created = await syncDriftIssue(octokit, { ...base, body: 'api is slower' });
    expect(created.action).toBe('created');
    expect(open()).toHaveLength(1);
    expect(open()[0]!.title).toBe('Cold-start drift: nightly');
    expect((await syncDriftIssue(octokit, { ...base, body: 'api is slower' })).action).toBe('unchanged');
    expect((await syncDriftIssue(octokit, { ...base, body: 'api is much slower' })).action).toBe('updated');
    expect(open()).toHaveLength(1);
    expect(open()[0]!.body).toMatch(/^api is much slower\n\n<!-- lambda-coldstart:drift/);
    // another benchmark's issue is not ours
    expect((await syncDriftIssue(octokit, { ...base, key: 'other', body: null })).action).toBe('none');
    const closed = await syncDriftIssue(octokit, { ...base, body: null });
    expect(closed.action).toBe('closed');
    expect(open()).toHaveLength(0);
    const issue = gh.git.issues.find((i) => i.number === Number(created.url!.split('/').at(-1)))!;
    expect([issue.state, issue.stateReason]).toEqual(['closed', 'completed']);
    expect(gh.commentsOf(issue.number).map((c) => c.body)).toEqual(['back to normal']);
  });

  it('degrades: 403 names `issues: write`, 410 says issues are disabled', async () => {
    gh.git.modes.issueWrites = 'forbidden';
    expect((await syncDriftIssue(octokit, { ...base, key: 'k403', body: 'x' })).warning).toMatch(/403.*`permissions: issues: write`/);
    gh.git.modes.issueWrites = 'disabled';
    expect((await syncDriftIssue(octokit, { ...base, key: 'k410', body: 'x' })).warning).toMatch(/410.*issues are disabled/);
  });
});
