/**
 * A local fake of GitHub for tests: the REST API parts the action uses, the Actions results service (twirp,
 * JSON) that @actions/artifact talks to, and the Azure Blob endpoint its signed URLs point at — all on one
 * 127.0.0.1 ephemeral port, answering with the shapes, status codes and headers of the real services, so the
 * real @actions/github (GITHUB_API_URL=url) and @actions/artifact (ACTIONS_RESULTS_URL=url,
 * ACTIONS_RUNTIME_TOKEN=runtimeToken(...)) work against it unchanged, in-process or from a child process.
 *
 * Note: @actions/github reads GITHUB_API_URL when it is first imported, and @actions/artifact treats any
 * GITHUB_SERVER_URL other than github.com / *.ghe.com / *.localhost as GHES (unsupported): leave
 * GITHUB_SERVER_URL unset or https://github.com when the artifact client should work.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readZip, writeZip } from './zip.js';
import { createRepoFake, type RepoFake } from './git-repo.js';

export interface FakeUser {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

export const ACTIONS_BOT: FakeUser = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };
export const DEFAULT_USER: FakeUser = { login: 'octocat', id: 583231, type: 'User' };

export interface FakeComment {
  id: number;
  owner: string;
  repo: string;
  issue: number;
  body: string;
  user: FakeUser;
  created_at: string;
  updated_at: string;
}

export interface FakePull {
  owner: string;
  repo: string;
  number: number;
  state: 'open' | 'closed';
  headSha: string;
  headRef: string;
  baseRef: string;
}

export interface FakeRun {
  id: number;
  owner: string;
  repo: string;
  workflowId: number;
  branch: string;
  headSha: string;
  event: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: 'success' | 'failure' | 'cancelled' | null;
  runAttempt: number;
  /** The results-service id of the run (the `<run>` of the runtime token's `Actions.Results:<run>:<job>`). */
  backendId: string;
  createdAt: string;
}

export interface FakeArtifact {
  id: number;
  name: string;
  runBackendId: string;
  jobBackendId: string;
  finalized: boolean;
  /** The blob as uploaded (a zip for normal uploads). */
  blob: Buffer | null;
  contentType: string;
  /** Files of the zip, filename → UTF-8 content (set on finalize when the blob is a zip). */
  files: Record<string, string>;
  size: number;
  digest?: string;
  createdAt: string;
  expiresAt?: string;
  /** Secret of the signed blob URLs handed out for this artifact. */
  sig: string;
  blocks: Map<string, Buffer>;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** Parsed JSON body of JSON requests (twirp and REST writes). */
  body?: unknown;
  authorization?: string;
}

export interface FakeModes {
  /** `user`: GET /user answers (PAT). `installation`: GET /user is 403, comments are written by github-actions[bot] (GITHUB_TOKEN). */
  token: 'user' | 'installation';
  /** `forbidden`: comment writes are 403 "Resource not accessible by integration" (fork PR); `not-found`: 404. */
  commentWrites: 'ok' | 'forbidden' | 'not-found';
  /** `forbidden`: Actions REST reads (runs, artifacts) are 403 (token without actions: read). */
  actionsRead: 'ok' | 'forbidden';
  /** `down`: every twirp call answers 400 `{code:"malformed"}` (non-retryable) — a service that says no. */
  artifactService: 'ok' | 'down';
}

export interface FakeState {
  requests: RequestLogEntry[];
  comments: FakeComment[];
  pulls: FakePull[];
  runs: FakeRun[];
  /** Every artifact ever created (finalized or not, deleted ones removed). */
  artifactList: FakeArtifact[];
  /** The latest finalized artifact of each name: `state.artifacts[name].files[filename]`. */
  artifacts: Record<string, FakeArtifact>;
  modes: FakeModes;
  user: FakeUser;
}

export interface FakeGitHubOptions {
  owner?: string;
  repo?: string;
  user?: FakeUser;
  modes?: Partial<FakeModes>;
}

export interface FakeGitHub {
  url: string;
  owner: string;
  repo: string;
  state: FakeState;
  setMode(modes: Partial<FakeModes>): void;
  /** Seeds a comment (e.g. someone else's, or an old sticky comment). */
  addComment(issue: number, body: string, user?: FakeUser): FakeComment;
  addPull(pull: Partial<FakePull> & { number: number; headSha: string }): FakePull;
  addRun(run: Partial<FakeRun> & { id: number }): FakeRun;
  /** Seeds a finalized artifact holding `files` (zipped) in the given run. */
  addArtifact(runId: number, name: string, files: Record<string, string>): FakeArtifact;
  /** A runtime token (unsigned JWT) for the given run: put it in ACTIONS_RUNTIME_TOKEN. */
  runtimeToken(runBackendId: string, jobBackendId?: string): string;
  /**
   * The environment a process (the bundled action in a child process, or this one) needs to use the fake as
   * GitHub for `run`: GITHUB_API_URL, ACTIONS_RESULTS_URL, ACTIONS_RUNTIME_TOKEN, GITHUB_SERVER_URL
   * (https://github.com: any other host is GHES to @actions/artifact), GITHUB_REPOSITORY, GITHUB_RUN_ID,
   * GITHUB_RUN_ATTEMPT. Add GITHUB_TOKEN / INPUT_GITHUB-TOKEN yourself (any non-empty string works).
   */
  actionsEnv(run: FakeRun, jobBackendId?: string): Record<string, string>;
  /** The comments of one issue / PR, oldest first. */
  commentsOf(issue: number): FakeComment[];
  /** The repository: contents, git data, refs and issues (see git-repo.ts). */
  git: RepoFake;
  close(): Promise<void>;
}

const base64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

/** An unsigned JWT with the claims @actions/artifact reads (`scp`), like the runner's ACTIONS_RUNTIME_TOKEN. */
export function makeRuntimeToken(runBackendId: string, jobBackendId = 'job-1'): string {
  const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'none' }));
  const now = Math.floor(Date.now() / 1000);
  const payload = base64url(
    JSON.stringify({
      scp: `Actions.ExampleScope Actions.Results:${runBackendId}:${jobBackendId}`,
      iat: now,
      exp: now + 6 * 3600,
    }),
  );
  return `${header}.${payload}.fake-signature`;
}

function scopeOf(authorization: string | undefined): { run: string; job: string } | null {
  const token = authorization?.replace(/^Bearer\s+/i, '');
  const payload = token?.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { scp?: string };
    for (const scope of (claims.scp ?? '').split(' ')) {
      const parts = scope.split(':');
      if (parts[0] === 'Actions.Results' && parts.length === 3) return { run: parts[1] ?? '', job: parts[2] ?? '' };
    }
  } catch {
    return null;
  }
  return null;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly payload: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

const forbiddenIntegration = (docs: string) =>
  new HttpError(403, { message: 'Resource not accessible by integration', documentation_url: docs, status: '403' });
const notFound = () => new HttpError(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
const twirpError = (status: number, code: string, msg: string) => new HttpError(status, { code, msg });

export async function startFakeGitHub(opts: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const owner = opts.owner ?? 'octo-org';
  const repo = opts.repo ?? 'octo-repo';
  const state: FakeState = {
    requests: [],
    comments: [],
    pulls: [],
    runs: [],
    artifactList: [],
    artifacts: {},
    modes: { token: 'user', commentWrites: 'ok', actionsRead: 'ok', artifactService: 'ok', ...opts.modes },
    user: opts.user ?? DEFAULT_USER,
  };
  const git = createRepoFake(owner, repo);
  let nextCommentId = 1000;
  let nextArtifactId = 5000;
  let url = '';

  const author = (): FakeUser => (state.modes.token === 'installation' ? ACTIONS_BOT : state.user);
  const now = () => new Date().toISOString();

  const commentJson = (c: FakeComment) => ({
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${url}/repos/${c.owner}/${c.repo}/issues/comments/${c.id}`,
    html_url: `https://github.com/${c.owner}/${c.repo}/pull/${c.issue}#issuecomment-${c.id}`,
    issue_url: `${url}/repos/${c.owner}/${c.repo}/issues/${c.issue}`,
    body: c.body,
    user: { login: c.user.login, id: c.user.id, type: c.user.type, site_admin: false },
    created_at: c.created_at,
    updated_at: c.updated_at,
    author_association: c.user.type === 'Bot' ? 'NONE' : 'OWNER',
  });

  const pullJson = (p: FakePull) => ({
    id: 900000 + p.number,
    number: p.number,
    state: p.state,
    title: `PR #${p.number}`,
    html_url: `https://github.com/${p.owner}/${p.repo}/pull/${p.number}`,
    head: { sha: p.headSha, ref: p.headRef, label: `${p.owner}:${p.headRef}` },
    base: { sha: '0'.repeat(40), ref: p.baseRef, label: `${p.owner}:${p.baseRef}` },
  });

  const runJson = (r: FakeRun) => ({
    id: r.id,
    name: 'cold starts',
    node_id: `WFR_${r.id}`,
    head_branch: r.branch,
    head_sha: r.headSha,
    run_number: r.id,
    run_attempt: r.runAttempt,
    event: r.event,
    status: r.status,
    conclusion: r.conclusion,
    workflow_id: r.workflowId,
    url: `${url}/repos/${r.owner}/${r.repo}/actions/runs/${r.id}`,
    html_url: `https://github.com/${r.owner}/${r.repo}/actions/runs/${r.id}`,
    created_at: r.createdAt,
    updated_at: r.createdAt,
  });

  const artifactRestJson = (a: FakeArtifact, run: FakeRun | undefined) => ({
    id: a.id,
    node_id: `MDg6QXJ0aWZhY3Q${a.id}`,
    name: a.name,
    size_in_bytes: a.size,
    url: `${url}/repos/${owner}/${repo}/actions/artifacts/${a.id}`,
    archive_download_url: `${url}/repos/${owner}/${repo}/actions/artifacts/${a.id}/zip`,
    expired: false,
    digest: a.digest ?? null,
    created_at: a.createdAt,
    updated_at: a.createdAt,
    expires_at: a.expiresAt ?? null,
    workflow_run: run ? { id: run.id, repository_id: 1, head_repository_id: 1, head_branch: run.branch, head_sha: run.headSha } : null,
  });

  const blobUrl = (a: FakeArtifact, perm: 'w' | 'r') => {
    const expiry = new Date(Date.now() + 3600_000).toISOString();
    return `${url}/blob/${a.id}/${perm === 'w' ? 'upload' : 'download'}.zip?sv=2025-01-05&se=${encodeURIComponent(expiry)}&sr=b&sp=${perm}&sig=${encodeURIComponent(a.sig)}`;
  };

  const finalize = (a: FakeArtifact) => {
    a.finalized = true;
    a.files = {};
    if (a.blob && a.contentType === 'application/zip') {
      for (const [name, data] of Object.entries(readZip(a.blob))) a.files[name] = data.toString('utf8');
    }
    state.artifacts[a.name] = a;
  };

  const runByBackend = (backendId: string) => state.runs.find((r) => r.backendId === backendId);

  // ── REST ──────────────────────────────────────────────────────────────────────────────────────
  const rest = (
    method: string,
    path: string,
    query: URLSearchParams,
    body: unknown,
    req: IncomingMessage,
  ): { status: number; json?: unknown; headers?: Record<string, string> } => {
    if (!req.headers.authorization) {
      throw new HttpError(401, { message: 'Requires authentication', documentation_url: 'https://docs.github.com/rest' });
    }
    let m: RegExpMatchArray | null;
    if (method === 'GET' && path === '/user') {
      if (state.modes.token === 'installation') {
        throw forbiddenIntegration('https://docs.github.com/rest/users/users#get-the-authenticated-user');
      }
      return { status: 200, json: { login: state.user.login, id: state.user.id, type: state.user.type } };
    }
    if ((m = path.match(/^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/))) {
      const [o, r, n] = [m[1] ?? '', m[2] ?? '', Number(m[3])];
      if (method === 'GET') {
        const all = state.comments.filter((c) => c.owner === o && c.repo === r && c.issue === n);
        return paginate(path, query, all.map(commentJson));
      }
      if (method === 'POST') {
        writeAllowed('https://docs.github.com/rest/issues/comments#create-an-issue-comment');
        const text = (body as { body?: unknown } | undefined)?.body;
        if (typeof text !== 'string') throw new HttpError(422, { message: 'Invalid request.\n\n"body" wasn\'t supplied.' });
        if (text.length > 65536) {
          throw new HttpError(422, {
            message: 'Validation Failed',
            errors: [
              { resource: 'IssueComment', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' },
            ],
          });
        }
        const c: FakeComment = {
          id: nextCommentId++,
          owner: o,
          repo: r,
          issue: n,
          body: text,
          user: author(),
          created_at: now(),
          updated_at: now(),
        };
        state.comments.push(c);
        return { status: 201, json: commentJson(c), headers: { location: commentJson(c).url } };
      }
    }
    if ((m = path.match(/^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/))) {
      const c = state.comments.find((x) => x.owner === m![1] && x.repo === m![2] && x.id === Number(m![3]));
      if (!c) throw notFound();
      if (method === 'GET') return { status: 200, json: commentJson(c) };
      if (method === 'PATCH') {
        writeAllowed('https://docs.github.com/rest/issues/comments#update-an-issue-comment');
        const text = (body as { body?: unknown } | undefined)?.body;
        if (typeof text !== 'string') throw new HttpError(422, { message: 'Invalid request.' });
        if (text.length > 65536) throw new HttpError(422, { message: 'Validation Failed' });
        c.body = text;
        c.updated_at = now();
        return { status: 200, json: commentJson(c) };
      }
    }
    if (method === 'GET' && (m = path.match(/^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)\/pulls$/))) {
      const list = state.pulls.filter((p) => p.owner === m![1] && p.repo === m![2] && p.headSha === m![3]);
      return paginate(path, query, list.map(pullJson));
    }
    if (method === 'GET' && (m = path.match(/^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/))) {
      const p = state.pulls.find((x) => x.owner === m![1] && x.repo === m![2] && x.number === Number(m![3]));
      if (!p) throw notFound();
      return { status: 200, json: pullJson(p) };
    }
    if (path.includes('/actions/')) return actionsRest(method, path, query);
    throw notFound();
  };

  const writeAllowed = (docs: string) => {
    if (state.modes.commentWrites === 'forbidden') throw forbiddenIntegration(docs);
    if (state.modes.commentWrites === 'not-found') throw notFound();
  };

  const paginate = (path: string, query: URLSearchParams, items: unknown[], wrap?: (page: unknown[]) => unknown) => {
    const perPage = Math.min(100, Math.max(1, Number(query.get('per_page') ?? 30)));
    const page = Math.max(1, Number(query.get('page') ?? 1));
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const link = (p: number) => {
      const q = new URLSearchParams(query);
      q.set('per_page', String(perPage));
      q.set('page', String(p));
      return `<${url}${path}?${q.toString()}>`;
    };
    const rels: string[] = [];
    if (page < last) rels.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
    if (page > 1) rels.push(`${link(1)}; rel="first"`, `${link(page - 1)}; rel="prev"`);
    return { status: 200, json: wrap ? wrap(slice) : slice, headers: rels.length ? { link: rels.join(', ') } : {} };
  };

  const actionsRest = (method: string, path: string, query: URLSearchParams) => {
    if (state.modes.actionsRead === 'forbidden') {
      throw forbiddenIntegration('https://docs.github.com/rest/actions');
    }
    let m: RegExpMatchArray | null;
    if (method === 'GET' && (m = path.match(/^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)$/))) {
      const run = state.runs.find((r) => r.owner === m![1] && r.repo === m![2] && r.id === Number(m![3]));
      if (!run) throw notFound();
      return { status: 200, json: runJson(run) };
    }
    if (method === 'GET' && (m = path.match(/^\/repos\/([^/]+)\/([^/]+)\/actions\/workflows\/([^/]+)\/runs$/))) {
      const branch = query.get('branch');
      const status = query.get('status');
      const runs = state.runs
        .filter((r) => r.owner === m![1] && r.repo === m![2] && String(r.workflowId) === m![3])
        .filter((r) => !branch || r.branch === branch)
        .filter((r) => !status || r.status === status || r.conclusion === status)
        .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : b.id - a.id));
      return paginate(path, query, runs.map(runJson), (page) => ({ total_count: runs.length, workflow_runs: page }));
    }
    if (method === 'GET' && (m = path.match(/^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)\/artifacts$/))) {
      const run = state.runs.find((r) => r.owner === m![1] && r.repo === m![2] && r.id === Number(m![3]));
      if (!run) throw notFound();
      const name = query.get('name');
      const list = state.artifactList
        .filter((a) => a.finalized && a.runBackendId === run.backendId && (!name || a.name === name))
        .sort((a, b) => b.id - a.id);
      return paginate(
        path,
        query,
        list.map((a) => artifactRestJson(a, run)),
        (page) => ({
          total_count: list.length,
          artifacts: page,
        }),
      );
    }
    if ((m = path.match(/^\/repos\/([^/]+)\/([^/]+)\/actions\/artifacts\/(\d+)(?:\/(zip))?$/))) {
      const a = state.artifactList.find((x) => x.finalized && x.id === Number(m![3]));
      if (!a) throw notFound();
      if (method === 'GET' && m[4] === 'zip') return { status: 302, headers: { location: blobUrl(a, 'r') } };
      if (method === 'GET') return { status: 200, json: artifactRestJson(a, runByBackend(a.runBackendId)) };
      if (method === 'DELETE') {
        state.artifactList = state.artifactList.filter((x) => x !== a);
        if (state.artifacts[a.name] === a) delete state.artifacts[a.name];
        return { status: 204 };
      }
    }
    throw notFound();
  };

  // ── Artifact service (twirp, JSON) ──────────────────────────────────────────────────────────────
  const twirp = (method: string, body: Record<string, unknown>, req: IncomingMessage): unknown => {
    if (state.modes.artifactService === 'down') throw twirpError(400, 'malformed', 'the artifact service is not available');
    const scope = scopeOf(req.headers.authorization);
    if (!scope) throw twirpError(401, 'unauthenticated', 'invalid or missing runtime token');
    const runId = String(body['workflow_run_backend_id'] ?? '');
    const jobId = String(body['workflow_job_run_backend_id'] ?? '');
    // Reads (List, GetSignedArtifactURL) and Delete name another job's artifact in the same run: only the run
    // must match. Writes (Create, Finalize) are the token's own job's.
    const writes = method === 'CreateArtifact' || method === 'FinalizeArtifact';
    if (runId !== scope.run || (writes && jobId !== scope.job)) {
      throw twirpError(403, 'permission_denied', 'the token is not valid for this workflow run/job');
    }
    const name = typeof body['name'] === 'string' ? body['name'] : '';
    const inRun = (a: FakeArtifact) => a.runBackendId === runId;
    switch (method) {
      case 'CreateArtifact': {
        if (!name) throw twirpError(400, 'invalid_argument', 'name is required');
        if (state.artifactList.some((a) => inRun(a) && a.name === name)) {
          throw twirpError(409, 'already_exists', 'an artifact with this name already exists on the workflow run');
        }
        const a: FakeArtifact = {
          id: nextArtifactId++,
          name,
          runBackendId: runId,
          jobBackendId: jobId,
          finalized: false,
          blob: null,
          contentType: 'application/zip',
          files: {},
          size: 0,
          createdAt: now(),
          sig: randomBytes(12).toString('hex'),
          blocks: new Map(),
        };
        const expiresAt = body['expires_at'];
        if (typeof expiresAt === 'string') a.expiresAt = expiresAt;
        const mime = (body['mime_type'] as string | { value?: string } | undefined) ?? undefined;
        const mimeValue = typeof mime === 'string' ? mime : mime?.value;
        if (mimeValue) a.contentType = mimeValue;
        state.artifactList.push(a);
        return { ok: true, signed_upload_url: blobUrl(a, 'w') };
      }
      case 'FinalizeArtifact': {
        const a = state.artifactList.find((x) => inRun(x) && x.name === name && !x.finalized);
        if (!a) throw twirpError(404, 'not_found', `artifact ${name} not found`);
        if (!a.blob) throw twirpError(400, 'failed_precondition', 'the artifact has no uploaded content');
        a.size = Number(body['size'] ?? a.blob.length);
        const hash = body['hash'] as string | { value?: string } | undefined;
        const hashValue = typeof hash === 'string' ? hash : hash?.value;
        if (hashValue) a.digest = hashValue;
        finalize(a);
        return { ok: true, artifact_id: String(a.id) };
      }
      case 'ListArtifacts': {
        const nameFilter = body['name_filter'] as string | { value?: string } | undefined;
        const idFilter = body['id_filter'] as string | { value?: string } | undefined;
        const nf = typeof nameFilter === 'string' ? nameFilter : nameFilter?.value;
        const idf = typeof idFilter === 'string' ? idFilter : idFilter?.value;
        const list = state.artifactList.filter(
          (a) => a.finalized && inRun(a) && (nf === undefined || a.name === nf) && (idf === undefined || String(a.id) === idf),
        );
        return {
          artifacts: list.map((a) => ({
            workflow_run_backend_id: a.runBackendId,
            workflow_job_run_backend_id: a.jobBackendId,
            database_id: String(a.id),
            name: a.name,
            size: String(a.size),
            created_at: a.createdAt,
            ...(a.digest ? { digest: a.digest } : {}),
          })),
        };
      }
      case 'GetSignedArtifactURL': {
        const a = state.artifactList.find((x) => x.finalized && inRun(x) && x.name === name);
        if (!a) throw twirpError(404, 'not_found', `artifact ${name} not found`);
        return { signed_url: blobUrl(a, 'r') };
      }
      case 'DeleteArtifact': {
        const a = state.artifactList.find((x) => x.finalized && inRun(x) && x.name === name);
        if (!a) throw twirpError(404, 'not_found', `artifact ${name} not found`);
        state.artifactList = state.artifactList.filter((x) => x !== a);
        if (state.artifacts[a.name] === a) delete state.artifacts[a.name];
        return { ok: true, artifact_id: String(a.id) };
      }
      default:
        throw twirpError(404, 'bad_route', `no handler for ${method}`);
    }
  };

  // ── Azure Blob (signed URLs) ─────────────────────────────────────────────────────────────────────
  const azureHeaders = () => ({
    'x-ms-request-id': randomUUID(),
    'x-ms-version': '2025-01-05',
    date: new Date().toUTCString(),
  });
  const azureError = (status: number, code: string, message: string) =>
    new HttpError(
      status,
      `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}\nRequestId:${randomUUID()}\nTime:${now()}</Message></Error>`,
      { 'content-type': 'application/xml', 'x-ms-error-code': code, ...azureHeaders() },
    );

  const blob = (method: string, id: number, query: URLSearchParams, raw: Buffer, req: IncomingMessage) => {
    const a = state.artifactList.find((x) => x.id === id);
    if (!a) throw azureError(404, 'BlobNotFound', 'The specified blob does not exist.');
    const perm = query.get('sp') ?? '';
    const expiry = Date.parse(query.get('se') ?? '');
    if (query.get('sig') !== a.sig || !(expiry > Date.now())) {
      throw azureError(403, 'AuthenticationFailed', 'Server failed to authenticate the request.');
    }
    const md5 = createHash('md5');
    if (method === 'PUT') {
      if (!perm.includes('w'))
        throw azureError(
          403,
          'AuthorizationPermissionMismatch',
          'This request is not authorized to perform this operation using this permission.',
        );
      const comp = query.get('comp');
      if (comp === 'block') {
        const blockId = query.get('blockid');
        if (!blockId) throw azureError(400, 'InvalidQueryParameterValue', 'blockid is required');
        a.blocks.set(blockId, raw);
        return {
          status: 201,
          headers: {
            ...azureHeaders(),
            'content-md5': md5.update(raw).digest('base64'),
            'x-ms-request-server-encrypted': 'true',
          },
        };
      }
      if (comp === 'blocklist') {
        const ids = [...raw.toString('utf8').matchAll(/<(Latest|Uncommitted|Committed)>([^<]*)<\/\1>/g)].map((x) => x[2] ?? '');
        const parts: Buffer[] = [];
        for (const blockId of ids) {
          const block = a.blocks.get(blockId);
          if (!block) throw azureError(400, 'InvalidBlockList', 'The specified block list is invalid.');
          parts.push(block);
        }
        a.blob = Buffer.concat(parts);
        a.blocks.clear();
        const ct = req.headers['x-ms-blob-content-type'];
        if (typeof ct === 'string' && ct) a.contentType = ct;
        return {
          status: 201,
          headers: {
            ...azureHeaders(),
            etag: `"0x${randomBytes(7).toString('hex').toUpperCase()}"`,
            'last-modified': new Date().toUTCString(),
            'content-md5': createHash('md5').update(a.blob).digest('base64'),
            'x-ms-request-server-encrypted': 'true',
          },
        };
      }
      if (comp === null) {
        // Put Blob: a single-shot upload.
        a.blob = raw;
        const ct = req.headers['x-ms-blob-content-type'];
        if (typeof ct === 'string' && ct) a.contentType = ct;
        return {
          status: 201,
          headers: {
            ...azureHeaders(),
            etag: `"0x${randomBytes(7).toString('hex').toUpperCase()}"`,
            'last-modified': new Date().toUTCString(),
            'content-md5': md5.update(raw).digest('base64'),
            'x-ms-request-server-encrypted': 'true',
          },
        };
      }
      throw azureError(400, 'InvalidQueryParameterValue', `unsupported comp=${comp}`);
    }
    if (method === 'GET' || method === 'HEAD') {
      if (!perm.includes('r'))
        throw azureError(
          403,
          'AuthorizationPermissionMismatch',
          'This request is not authorized to perform this operation using this permission.',
        );
      if (!a.blob || !a.finalized) throw azureError(404, 'BlobNotFound', 'The specified blob does not exist.');
      return {
        status: 200,
        raw: method === 'GET' ? a.blob : Buffer.alloc(0),
        headers: {
          ...azureHeaders(),
          'content-type': a.contentType,
          'content-length': String(a.blob.length),
          'x-ms-blob-type': 'BlockBlob',
          'accept-ranges': 'bytes',
          etag: `"0x${createHash('md5').update(a.blob).digest('hex').slice(0, 14).toUpperCase()}"`,
        },
      };
    }
    throw azureError(405, 'UnsupportedHttpVerb', "The resource doesn't support specified Http Verb.");
  };

  // ── server ───────────────────────────────────────────────────────────────────────────────────────
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const method = req.method ?? 'GET';
    const parsed = new URL(req.url ?? '/', url);
    const path = parsed.pathname;
    const query = parsed.searchParams;
    const entry: RequestLogEntry = { method, path, query: Object.fromEntries(query), status: 0 };
    if (req.headers.authorization) entry.authorization = req.headers.authorization;
    const isJson = String(req.headers['content-type'] ?? '').includes('json');
    let body: unknown;
    if (isJson && raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8'));
        entry.body = body;
      } catch {
        body = undefined;
      }
    }
    state.requests.push(entry);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      if (payload === undefined) {
        res.writeHead(status, headers);
        res.end();
      } else if (Buffer.isBuffer(payload)) {
        res.writeHead(status, headers);
        res.end(payload);
      } else if (typeof payload === 'string') {
        res.writeHead(status, headers);
        res.end(payload);
      } else {
        const text = JSON.stringify(payload);
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(text);
      }
    };
    try {
      let m: RegExpMatchArray | null;
      if ((m = path.match(/^\/twirp\/github\.actions\.results\.api\.v1\.ArtifactService\/(\w+)$/))) {
        if (method !== 'POST') throw twirpError(404, 'bad_route', 'twirp requires POST');
        if (!isJson) throw twirpError(400, 'malformed', 'only JSON is served by this fake');
        send(200, twirp(m[1] ?? '', (body ?? {}) as Record<string, unknown>, req));
      } else if ((m = path.match(/^\/blob\/(\d+)\/[^/]+$/))) {
        const r = blob(method, Number(m[1]), query, raw, req);
        send(r.status, 'raw' in r ? r.raw : '', r.headers);
      } else {
        if (!req.headers.authorization) {
          throw new HttpError(401, { message: 'Requires authentication', documentation_url: 'https://docs.github.com/rest' });
        }
        const r = (await git.handle(method, path, query, body, url, author())) ?? rest(method, path, query, body, req);
        send(r.status, r.json, {
          'x-github-request-id': randomUUID(),
          'x-ratelimit-remaining': '4999',
          ...(r.headers ?? {}),
        });
      }
    } catch (error) {
      if (error instanceof HttpError) send(error.status, error.payload, error.headers);
      else send(500, { message: String(error) });
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: FakeGitHub = {
    get url() {
      return url;
    },
    owner,
    repo,
    state,
    setMode(modes) {
      Object.assign(state.modes, modes);
    },
    addComment(issue, body, user = state.user) {
      const c: FakeComment = { id: nextCommentId++, owner, repo, issue, body, user, created_at: now(), updated_at: now() };
      state.comments.push(c);
      return c;
    },
    addPull(pull) {
      const p: FakePull = { owner, repo, state: 'open', headRef: `branch-${pull.number}`, baseRef: 'main', ...pull };
      state.pulls.push(p);
      return p;
    },
    addRun(run) {
      const r: FakeRun = {
        owner,
        repo,
        workflowId: 77,
        branch: 'main',
        headSha: randomBytes(20).toString('hex'),
        event: 'push',
        status: 'completed',
        conclusion: 'success',
        runAttempt: 1,
        backendId: randomUUID(),
        createdAt: new Date(Date.now() + state.runs.length).toISOString(),
        ...run,
      };
      state.runs.push(r);
      return r;
    },
    addArtifact(runId, name, files) {
      const run = state.runs.find((r) => r.id === runId);
      if (!run) throw new Error(`addArtifact: no run ${runId} (addRun first)`);
      const zip = writeZip(files);
      const a: FakeArtifact = {
        id: nextArtifactId++,
        name,
        runBackendId: run.backendId,
        jobBackendId: 'job-1',
        finalized: false,
        blob: zip,
        contentType: 'application/zip',
        files: {},
        size: zip.length,
        digest: `sha256:${createHash('sha256').update(zip).digest('hex')}`,
        createdAt: now(),
        sig: randomBytes(12).toString('hex'),
        blocks: new Map(),
      };
      state.artifactList.push(a);
      finalize(a);
      return a;
    },
    runtimeToken: makeRuntimeToken,
    actionsEnv(run, jobBackendId = 'job-1') {
      return {
        GITHUB_API_URL: url,
        ACTIONS_RESULTS_URL: `${url}/`,
        ACTIONS_RUNTIME_TOKEN: makeRuntimeToken(run.backendId, jobBackendId),
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: `${run.owner}/${run.repo}`,
        GITHUB_RUN_ID: String(run.id),
        GITHUB_RUN_ATTEMPT: String(run.runAttempt),
      };
    },
    commentsOf(issue) {
      return state.comments.filter((c) => c.issue === issue).sort((a, b) => a.id - b.id);
    },
    git,
    close() {
      return new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
  return fake;
}
