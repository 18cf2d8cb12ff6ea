/** The fake GitHub itself: answers like the real services where the clients (and e2e tests) depend on it. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRuntimeToken, startFakeGitHub, type FakeGitHub } from '../fakes/github-server.js';
import { crc32, readZip, writeZip } from '../fakes/zip.js';

let fake: FakeGitHub;
beforeAll(async () => {
  fake = await startFakeGitHub();
});
afterAll(async () => fake.close());

const twirp = (method: string, body: unknown, token?: string) =>
  fetch(`${fake.url}/twirp/github.actions.results.api.v1.ArtifactService/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

describe('zip helpers', () => {
  it('round-trips files and checks CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    const zip = writeZip({ 'speed.csv': 'a;b\n1;2\n', 'dir/r.json': '{}' });
    expect(Object.fromEntries(Object.entries(readZip(zip)).map(([k, v]) => [k, v.toString()]))).toEqual({
      'speed.csv': 'a;b\n1;2\n',
      'dir/r.json': '{}',
    });
    const broken = Buffer.from(zip);
    const at = 31 + 'speed.csv'.length; // a byte of the first entry's data
    broken[at] = (broken[at] ?? 0) ^ 0xff;
    expect(() => readZip(broken)).toThrow(/CRC mismatch/);
  });
});

describe('REST', () => {
  it('requires a token (401) like api.github.com', async () => {
    const res = await fetch(`${fake.url}/user`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ message: 'Requires authentication' });
  });

  it('answers GET /user per token kind', async () => {
    const ok = await fetch(`${fake.url}/user`, { headers: { authorization: 'token x' } });
    expect(await ok.json()).toMatchObject({ login: 'octocat', type: 'User' });
    fake.setMode({ token: 'installation' });
    const no = await fetch(`${fake.url}/user`, { headers: { authorization: 'token x' } });
    expect(no.status).toBe(403);
    expect(await no.json()).toMatchObject({ message: 'Resource not accessible by integration' });
    fake.setMode({ token: 'user' });
  });

  it('paginates with Link headers', async () => {
    for (let i = 0; i < 5; i++) fake.addComment(3, `c${i}`);
    const res = await fetch(`${fake.url}/repos/octo-org/octo-repo/issues/3/comments?per_page=2&page=2`, {
      headers: { authorization: 'token x' },
    });
    expect(((await res.json()) as { body: string }[]).map((c) => c.body)).toEqual(['c2', 'c3']);
    const link = res.headers.get('link') ?? '';
    expect(link).toContain(`<${fake.url}/repos/octo-org/octo-repo/issues/3/comments?per_page=2&page=3>; rel="next"`);
    expect(link).toContain('page=3>; rel="last"');
    expect(link).toContain('page=1>; rel="prev"');
  });

  it('serves a comment to a child process using the real @actions/github', async () => {
    const script = `
      import { getOctokit } from '@actions/github';
      const gh = getOctokit('ghp_child');
      const { data } = await gh.rest.issues.createComment({ owner: 'octo-org', repo: 'octo-repo', issue_number: 4, body: 'from child' });
      console.log(JSON.stringify({ id: data.id, url: data.html_url }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: process.cwd(),
      env: { ...process.env, GITHUB_API_URL: fake.url },
    });
    const out = JSON.parse(stdout.trim()) as { id: number; url: string };
    expect(fake.commentsOf(4).map((c) => [c.id, c.body])).toEqual([[out.id, 'from child']]);
    expect(fake.state.requests.at(-1)).toMatchObject({ method: 'POST', status: 201, authorization: 'token ghp_child' });
  });
});

describe('artifact service', () => {
  it('checks the runtime token against the run and job of the request', async () => {
    const body = { workflow_run_backend_id: 'run-1', workflow_job_run_backend_id: 'job-1', name: 'a', version: 7 };
    expect((await twirp('CreateArtifact', body)).status).toBe(401);
    const wrong = await twirp('CreateArtifact', body, makeRuntimeToken('run-2', 'job-1'));
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ code: 'permission_denied' });
  });

  it('implements the block blob protocol behind the signed URL, then 409 on a duplicate name', async () => {
    const token = makeRuntimeToken('run-9', 'job-1');
    const ids = { workflow_run_backend_id: 'run-9', workflow_job_run_backend_id: 'job-1' };
    const created = (await (await twirp('CreateArtifact', { ...ids, name: 'blocks', version: 7 }, token)).json()) as {
      ok: boolean;
      signed_upload_url: string;
    };
    expect(created.ok).toBe(true);
    const zip = writeZip({ 'f.txt': 'hello blocks' });
    const half = Math.floor(zip.length / 2);
    const b1 = Buffer.from('block-1').toString('base64');
    const b2 = Buffer.from('block-2').toString('base64');
    const put = (query: string, data: Buffer | string) => fetch(`${created.signed_upload_url}&${query}`, { method: 'PUT', body: data });
    expect((await put(`comp=block&blockid=${encodeURIComponent(b1)}`, zip.subarray(0, half))).status).toBe(201);
    expect((await put(`comp=block&blockid=${encodeURIComponent(b2)}`, zip.subarray(half))).status).toBe(201);
    const bad = await fetch(created.signed_upload_url.replace(/sig=[^&]+/, 'sig=nope') + '&comp=blocklist', { method: 'PUT', body: '' });
    expect(bad.status).toBe(403);
    expect(bad.headers.get('x-ms-error-code')).toBe('AuthenticationFailed');
    const commit = await put(
      'comp=blocklist',
      `<?xml version="1.0" encoding="utf-8"?><BlockList><Latest>${b1}</Latest><Latest>${b2}</Latest></BlockList>`,
    );
    expect(commit.status).toBe(201);
    expect(commit.headers.get('etag')).toMatch(/^"0x[0-9A-F]+"$/);
    const fin = (await (await twirp('FinalizeArtifact', { ...ids, name: 'blocks', size: String(zip.length) }, token)).json()) as {
      ok: boolean;
      artifact_id: string;
    };
    expect(fin.ok).toBe(true);
    expect(fake.state.artifacts['blocks']?.files).toEqual({ 'f.txt': 'hello blocks' });
    const signed = (await (await twirp('GetSignedArtifactURL', { ...ids, name: 'blocks' }, token)).json()) as { signed_url: string };
    const download = await fetch(signed.signed_url);
    expect(download.headers.get('content-type')).toBe('application/zip');
    expect(Buffer.from(await download.arrayBuffer()).equals(zip)).toBe(true);
    const dup = await twirp('CreateArtifact', { ...ids, name: 'blocks', version: 7 }, token);
    expect(dup.status).toBe(409);
    expect(await dup.json()).toEqual({ code: 'already_exists', msg: 'an artifact with this name already exists on the workflow run' });
  });
});
