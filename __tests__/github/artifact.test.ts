import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeGitHub, FakeRun } from '../fakes/github-server.js';
import { fakeGitHubEnv, holdStdout, recordingLog, tempDir } from './helpers.js';

holdStdout();

let fake: FakeGitHub;
let artifact: typeof import('../../src/github/artifact.js');
let run: FakeRun;

const SPEED = 'Name;Memory;Init;Cold;Billed\nnode;128;171.2;3.1;175\n';

function resultsDir(extra: Record<string, string> = {}): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'speed.csv'), SPEED);
  writeFileSync(join(dir, 'results.json'), JSON.stringify({ schemaVersion: 1, samples: [] }));
  writeFileSync(join(dir, 'report.md'), '# Cold starts\n');
  for (const [name, content] of Object.entries(extra)) writeFileSync(join(dir, name), content);
  return dir;
}

beforeAll(async () => {
  fake = await fakeGitHubEnv();
  artifact = await import('../../src/github/artifact.js');
});
afterAll(async () => fake.close());
beforeEach(() => {
  fake.state.artifactList.length = 0;
  for (const k of Object.keys(fake.state.artifacts)) delete fake.state.artifacts[k];
  fake.state.runs.length = 0;
  fake.state.requests.length = 0;
  fake.setMode({ artifactService: 'ok', actionsRead: 'ok' });
  run = fake.addRun({ id: 1001, branch: 'feature', event: 'pull_request', status: 'in_progress', conclusion: null });
  process.env['ACTIONS_RUNTIME_TOKEN'] = fake.runtimeToken(run.backendId, 'job-a');
  process.env['GITHUB_RUN_ID'] = String(run.id);
  delete process.env['GITHUB_RUN_ATTEMPT'];
});

describe('uploadResults', () => {
  it('uploads the files through the real client into the fake (twirp + blob) and returns the artifact URL', async () => {
    const dir = resultsDir();
    const log = recordingLog();
    const result = await artifact.uploadResults({
      name: 'cold-starts',
      dir,
      files: ['speed.csv', 'results.json', 'report.md', 'boxplot.svg'],
      retentionDays: 5,
      log,
    });
    expect(result.warning).toBeUndefined();
    expect(result.name).toBe('cold-starts');
    const stored = fake.state.artifacts['cold-starts'];
    expect(stored?.finalized).toBe(true);
    expect(result.id).toBe(stored?.id);
    expect(result.url).toBe(`https://github.com/octo-org/octo-repo/actions/runs/1001/artifacts/${stored?.id}`);
    expect(stored?.files).toEqual({
      'speed.csv': SPEED,
      'results.json': JSON.stringify({ schemaVersion: 1, samples: [] }),
      'report.md': '# Cold starts\n',
    });
    expect(stored?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(stored?.expiresAt).toBeDefined();
    expect(log.lines.some((l) => l.message.includes('boxplot.svg'))).toBe(true);
    const methods = fake.state.requests.map((r) => `${r.method} ${r.path.replace(/\/\d+\//, '/N/')}`);
    expect(methods).toContain('POST /twirp/github.actions.results.api.v1.ArtifactService/CreateArtifact');
    expect(methods).toContain('POST /twirp/github.actions.results.api.v1.ArtifactService/FinalizeArtifact');
    expect(fake.state.requests.some((r) => r.method === 'PUT' && r.query['comp'] === 'blocklist')).toBe(true);
  });

  it('on a re-run attempt whose name is taken, uploads as <name>-attempt-N instead of failing', async () => {
    const dir = resultsDir();
    const first = await artifact.uploadResults({ name: 'cold-starts', dir, files: ['speed.csv'], log: recordingLog() });
    expect(first.name).toBe('cold-starts');
    process.env['GITHUB_RUN_ATTEMPT'] = '2';
    writeFileSync(join(dir, 'speed.csv'), `${SPEED}python;128;120;2;123\n`);
    const second = await artifact.uploadResults({ name: 'cold-starts', dir, files: ['speed.csv'], log: recordingLog() });
    expect(second.warning).toBeUndefined();
    expect(second.name).toBe('cold-starts-attempt-2');
    expect(fake.state.artifacts['cold-starts-attempt-2']?.files['speed.csv']).toContain('python');
    expect(fake.state.artifacts['cold-starts']?.files['speed.csv']).toBe(SPEED);
    expect(second.url).toMatch(/\/artifacts\/\d+$/);
  });

  it('on the first attempt, a name another job took (matrix shards sharing it) is uploaded aside with a warning', async () => {
    const dir = resultsDir();
    await artifact.uploadResults({ name: 'shared', dir, files: ['speed.csv'], log: recordingLog() });
    process.env['GITHUB_RUN_ATTEMPT'] = '1';
    const second = await artifact.uploadResults({ name: 'shared', dir, files: ['speed.csv'], log: recordingLog() });
    expect(second.name).toBe('shared-attempt-1');
    expect(second.url).toMatch(/\/artifacts\/\d+$/);
    expect(second.warning).toMatch(
      /artifact-name "shared" is already used by another job of this run.*give every matrix shard its own artifact-name/,
    );
  });

  it('handles the 409 itself when the listing did not show the name (unfinalized upload of an earlier attempt)', async () => {
    // An artifact created but never finalized (a cancelled attempt): ListArtifacts does not show it, CreateArtifact is 409.
    const dir = resultsDir();
    const token = process.env['ACTIONS_RUNTIME_TOKEN'];
    const res = await fetch(`${fake.url}/twirp/github.actions.results.api.v1.ArtifactService/CreateArtifact`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        workflow_run_backend_id: run.backendId,
        workflow_job_run_backend_id: 'job-a',
        name: 'cold-starts',
        version: 7,
      }),
    });
    expect(res.status).toBe(200);
    process.env['GITHUB_RUN_ATTEMPT'] = '3';
    const result = await artifact.uploadResults({ name: 'cold-starts', dir, files: ['speed.csv'], log: recordingLog() });
    expect(result.warning).toBeUndefined();
    expect(result.name).toBe('cold-starts-attempt-3');
    expect(fake.state.requests.some((r) => r.path.endsWith('/CreateArtifact') && r.status === 409)).toBe(true);
  });

  it('warns (no throw, no request) without ACTIONS_RUNTIME_TOKEN', async () => {
    delete process.env['ACTIONS_RUNTIME_TOKEN'];
    const result = await artifact.uploadResults({ name: 'x', dir: resultsDir(), files: ['speed.csv'], log: recordingLog() });
    expect(result.warning).toContain('ACTIONS_RUNTIME_TOKEN');
    expect(result.id).toBeUndefined();
    expect(fake.state.requests).toHaveLength(0);
  });

  it('warns on GHES', async () => {
    const result = await artifact.uploadResults({
      name: 'x',
      dir: resultsDir(),
      files: ['speed.csv'],
      log: recordingLog(),
      env: { ...process.env, GITHUB_SERVER_URL: 'https://ghes.example.com' },
    });
    expect(result.warning).toContain('Enterprise Server');
    expect(fake.state.requests).toHaveLength(0);
  });

  it('warns when the service says no', async () => {
    fake.setMode({ artifactService: 'down' });
    const result = await artifact.uploadResults({ name: 'x', dir: resultsDir(), files: ['speed.csv'], log: recordingLog() });
    expect(result.warning).toMatch(/Artifact not uploaded: .*400/);
  });

  it('warns when no file exists', async () => {
    const result = await artifact.uploadResults({ name: 'x', dir: tempDir(), files: ['speed.csv'], log: recordingLog() });
    expect(result.warning).toContain('none of the files exist');
  });
});

describe('downloadCurrentRunArtifacts (merge)', () => {
  it('downloads the matching artifacts of this run, one per shard, latest attempt', async () => {
    const shards = ['cold-starts-eu', 'cold-starts-us', 'cold-starts-ap'];
    for (const [i, name] of shards.entries()) {
      // Each matrix shard is its own job of the same run.
      process.env['ACTIONS_RUNTIME_TOKEN'] = fake.runtimeToken(run.backendId, `shard-job-${i}`);
      const dir = resultsDir();
      writeFileSync(join(dir, 'speed.csv'), `${SPEED}shard;${i};1;1;1\n`);
      const r = await artifact.uploadResults({ name, dir, files: ['speed.csv'], log: recordingLog() });
      expect(r.name).toBe(name);
    }
    // A re-run of the us shard, and an artifact that must not match.
    process.env['GITHUB_RUN_ATTEMPT'] = '2';
    const rerun = resultsDir();
    writeFileSync(join(rerun, 'speed.csv'), `${SPEED}shard;us-rerun;1;1;1\n`);
    await artifact.uploadResults({ name: 'cold-starts-us', dir: rerun, files: ['speed.csv'], log: recordingLog() });
    await artifact.uploadResults({ name: 'other', dir: resultsDir(), files: ['speed.csv'], log: recordingLog() });
    // Another run's artifact with a matching name is not this run's.
    const otherRun = fake.addRun({ id: 999 });
    fake.addArtifact(otherRun.id, 'cold-starts-old', { 'speed.csv': 'old' });

    process.env['ACTIONS_RUNTIME_TOKEN'] = fake.runtimeToken(run.backendId, 'merge-job');
    const out = tempDir();
    const got = await artifact.downloadCurrentRunArtifacts({ pattern: 'cold-starts-*', dir: out, log: recordingLog() });
    expect(got.map((g) => [g.name, g.artifactName])).toEqual([
      ['cold-starts-ap', 'cold-starts-ap'],
      ['cold-starts-eu', 'cold-starts-eu'],
      ['cold-starts-us', 'cold-starts-us-attempt-2'],
    ]);
    for (const g of got) expect(g.path).toBe(join(out, g.name));
    expect(readFileSync(join(out, 'cold-starts-eu', 'speed.csv'), 'utf8')).toContain('shard;0;');
    expect(readFileSync(join(out, 'cold-starts-us', 'speed.csv'), 'utf8')).toContain('us-rerun');
  });

  it('returns [] when nothing matches, and throws without the artifact service', async () => {
    expect(await artifact.downloadCurrentRunArtifacts({ pattern: 'nope-*', dir: tempDir(), log: recordingLog() })).toEqual([]);
    delete process.env['ACTIONS_RUNTIME_TOKEN'];
    await expect(artifact.downloadCurrentRunArtifacts({ pattern: '*', dir: tempDir(), log: recordingLog() })).rejects.toThrow(
      /ACTIONS_RUNTIME_TOKEN/,
    );
  });
});

describe('findBaselineArtifact (baseline: auto)', () => {
  const baseline = (dir: string, extra: Partial<Parameters<typeof artifact.findBaselineArtifact>[0]> = {}) =>
    artifact.findBaselineArtifact({
      token: 'ghs_test',
      owner: 'octo-org',
      repo: 'octo-repo',
      runId: run.id,
      baseBranch: 'main',
      artifactName: 'cold-starts',
      dir,
      log: recordingLog(),
      ...extra,
    });

  it('downloads the artifact of the newest successful run of the same workflow on the base branch', async () => {
    const old = fake.addRun({ id: 10, branch: 'main', createdAt: '2026-01-01T00:00:00Z' });
    fake.addArtifact(old.id, 'cold-starts', { 'results.json': '{"run":"old"}' });
    const newest = fake.addRun({ id: 20, branch: 'main', createdAt: '2026-03-01T00:00:00Z' });
    fake.addArtifact(newest.id, 'cold-starts', { 'results.json': '{"run":"newest"}' });
    const failed = fake.addRun({ id: 30, branch: 'main', conclusion: 'failure', createdAt: '2026-04-01T00:00:00Z' });
    fake.addArtifact(failed.id, 'cold-starts', { 'results.json': '{"run":"failed"}' });
    const otherWorkflow = fake.addRun({ id: 40, branch: 'main', workflowId: 88, createdAt: '2026-05-01T00:00:00Z' });
    fake.addArtifact(otherWorkflow.id, 'cold-starts', { 'results.json': '{"run":"other workflow"}' });
    const forkPr = fake.addRun({ id: 50, branch: 'main', event: 'pull_request', createdAt: '2026-06-01T00:00:00Z' });
    fake.addArtifact(forkPr.id, 'cold-starts', { 'results.json': '{"run":"fork pr from main"}' });

    const dir = tempDir();
    const result = await baseline(dir);
    expect(result).toEqual({
      path: dir,
      runId: 20,
      artifactName: 'cold-starts',
      headSha: newest.headSha,
      runUrl: 'https://github.com/octo-org/octo-repo/actions/runs/20',
    });
    expect(readFileSync(join(dir, 'results.json'), 'utf8')).toBe('{"run":"newest"}');
    const list = fake.state.requests.find((r) => r.path.endsWith('/actions/workflows/77/runs'));
    expect(list?.query).toMatchObject({ branch: 'main', status: 'success' });
    expect(fake.state.requests.some((r) => r.path.endsWith('/zip') && r.status === 302)).toBe(true);
  });

  it('takes the latest re-run attempt and looks past a run without the artifact', async () => {
    const withIt = fake.addRun({ id: 20, branch: 'main', createdAt: '2026-03-01T00:00:00Z' });
    fake.addArtifact(withIt.id, 'cold-starts', { 'results.json': '{"attempt":1}' });
    fake.addArtifact(withIt.id, 'cold-starts-attempt-2', { 'results.json': '{"attempt":2}' });
    fake.addRun({ id: 21, branch: 'main', createdAt: '2026-03-02T00:00:00Z' }); // e.g. docs-only run, no artifact
    const dir = tempDir();
    const result = await baseline(dir);
    expect(result).toMatchObject({ runId: 20, artifactName: 'cold-starts-attempt-2' });
    expect(readFileSync(join(dir, 'results.json'), 'utf8')).toBe('{"attempt":2}');
  });

  it('gives a notice when there is no successful run on the base branch', async () => {
    fake.addRun({ id: 20, branch: 'main', conclusion: 'failure' });
    const result = await baseline(tempDir());
    expect(result).toEqual({ notice: expect.stringContaining('no successful run on main') });
  });

  it('gives a notice naming the artifact when the runs do not have it', async () => {
    const r = fake.addRun({ id: 20, branch: 'main' });
    fake.addArtifact(r.id, 'something-else', { 'a.txt': 'a' });
    const result = await baseline(tempDir());
    expect('notice' in result && result.notice).toContain('artifact named cold-starts');
  });

  it('gives a notice naming actions: read on 403', async () => {
    fake.setMode({ actionsRead: 'forbidden' });
    const result = await baseline(tempDir());
    expect('notice' in result && result.notice).toContain('actions: read');
  });

  it('gives a notice without a token', async () => {
    const result = await baseline(tempDir(), { token: '' });
    expect('notice' in result && result.notice).toContain('token');
    expect(fake.state.requests).toHaveLength(0);
  });
});

describe('helpers', () => {
  it('parses and picks re-run attempts', () => {
    expect(artifact.parseAttemptName('x-attempt-3')).toEqual({ base: 'x', attempt: 3, k: 0 });
    expect(artifact.parseAttemptName('x-attempt-3-2')).toEqual({ base: 'x', attempt: 3, k: 2 });
    expect(artifact.parseAttemptName('x')).toEqual({ base: 'x', attempt: 1, k: 0 });
    const picked = artifact.latestAttempts([
      { name: 'a', id: 1 },
      { name: 'a-attempt-2', id: 2 },
      { name: 'a-attempt-2-2', id: 3 },
      { name: 'b', id: 4 },
    ]);
    expect(picked.map((p) => [p.logicalName, p.id])).toEqual([
      ['a', 3],
      ['b', 4],
    ]);
  });

  it('builds the artifact URL from the run', () => {
    expect(artifact.artifactUrl(42, { GITHUB_SERVER_URL: 'https://github.com/', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '7' })).toBe(
      'https://github.com/o/r/actions/runs/7/artifacts/42',
    );
    expect(artifact.artifactUrl(42, {})).toBeUndefined();
  });
});

mkdirSync(tempDir(), { recursive: true });
