/**
 * The repository side of the fake GitHub: the contents API (GET/PUT with sha preconditions), the git data API
 * (blobs, trees, commits, refs), GET /repos/{o}/{r}, and issues (list, create, update) — with the status codes and
 * messages GitHub answers: a stale sha on PUT is 409 "<path> does not match <sha>", a missing sha for an existing
 * file 422 "\"sha\" wasn't supplied.", an existing ref 422 "Reference already exists", a missing ref on a read 404
 * "No commit found for the ref <ref>", a PUT whose branch moved meanwhile (another file written) 409 "is at <head> but
 * expected <head it was based on>" although the file's own sha matches. Files over 1 MB come back with `encoding: "none"` and empty content, as on
 * GitHub. Mounted by github-server.ts; returns undefined for paths it does not serve.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface RepoUser {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  stateReason: string | null;
  user: RepoUser;
  createdAt: string;
  updatedAt: string;
}

export interface RepoModes {
  /** `forbidden`: writes to contents and git data are 403 (token without contents: write); `protected`: a rule refuses them. */
  contentsWrites: 'ok' | 'forbidden' | 'protected';
  /** `forbidden`: issue writes are 403 (no issues: write); `disabled`: 410, issues are off in the repository. */
  issueWrites: 'ok' | 'forbidden' | 'disabled';
}

export interface FakeCommit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
}

interface Reply {
  status: number;
  json?: unknown;
  headers?: Record<string, string>;
}

export interface RepoFake {
  modes: RepoModes;
  defaultBranch: string;
  issues: FakeIssue[];
  /** Content of `path` on `branch` (UTF-8), undefined when the branch or the file is missing. */
  fileOf(branch: string, path: string): string | undefined;
  /** Commits of a branch, newest first (following first parents). */
  commitsOf(branch: string): FakeCommit[];
  branchExists(branch: string): boolean;
  /** Seeds a file (one commit; creates the branch without a parent when missing). */
  putFile(branch: string, path: string, content: string, message?: string): void;
  /**
   * The next `count` PUTs to `path` wait until all `count` have arrived, then run in arrival order: concurrent writers
   * that read the same sha are guaranteed to collide (no sleeps in tests).
   */
  holdWrites(path: string, count: number): void;
  /**
   * The next `count` PUTs to `path` lose a race on the BRANCH: just before each, another writer commits a different
   * file to the branch, and GitHub answers 409 "is at <new head> but expected <old head>" while `path` is unchanged.
   */
  moveBranchOnWrite(path: string, count: number): void;
  handle(method: string, path: string, query: URLSearchParams, body: unknown, url: string, author: RepoUser): Promise<Reply | undefined>;
}

const DOCS = 'https://docs.github.com/rest';
const err = (status: number, message: string, extra: Record<string, unknown> = {}): Reply => ({
  status,
  json: { message, documentation_url: DOCS, status: String(status), ...extra },
});
const forbidden = () => err(403, 'Resource not accessible by integration');
const notFound = (message = 'Not Found') => err(404, message);

function blobSha(data: Buffer): string {
  return createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
}

export function createRepoFake(owner: string, repo: string): RepoFake {
  const blobs = new Map<string, Buffer>();
  const trees = new Map<string, Map<string, string>>();
  const commits = new Map<string, FakeCommit>();
  const refs = new Map<string, string>(); // branch → commit sha
  const holds = new Map<string, { count: number; waiting: (() => void)[] }>();
  const branchMoves = new Map<string, number>(); // path → PUTs left that find the branch moved
  const now = () => new Date().toISOString();
  let nextIssue = 1;

  const storeBlob = (data: Buffer) => {
    const sha = blobSha(data);
    blobs.set(sha, data);
    return sha;
  };
  const storeTree = (entries: Map<string, string>) => {
    const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : 1));
    const sha = createHash('sha1')
      .update(`tree ${JSON.stringify(sorted)}`)
      .digest('hex');
    trees.set(sha, new Map(sorted));
    return sha;
  };
  const storeCommit = (tree: string, parents: string[], message: string) => {
    const sha = createHash('sha1')
      .update(`commit ${tree} ${parents.join(',')} ${message} ${randomBytes(8).toString('hex')}`)
      .digest('hex');
    const c: FakeCommit = { sha, tree, parents, message };
    commits.set(sha, c);
    return c;
  };
  const treeOf = (branch: string) => {
    const head = refs.get(branch);
    return head === undefined ? undefined : trees.get(commits.get(head)!.tree)!;
  };
  const commitFile = (branch: string, path: string, data: Buffer, message: string) => {
    const base = treeOf(branch) ?? new Map<string, string>();
    const entries = new Map(base);
    entries.set(path, storeBlob(data));
    const head = refs.get(branch);
    const c = storeCommit(storeTree(entries), head === undefined ? [] : [head], message);
    refs.set(branch, c.sha);
    return c;
  };

  const api = (url: string) => `${url}/repos/${owner}/${repo}`;
  const contentJson = (url: string, path: string, sha: string, data: Buffer, branch: string) => {
    const big = data.length > 1024 * 1024;
    return {
      type: 'file',
      name: path.split('/').at(-1),
      path,
      sha,
      size: data.length,
      url: `${api(url)}/contents/${path}?ref=${branch}`,
      html_url: `https://github.com/${owner}/${repo}/blob/${branch}/${path}`,
      git_url: `${api(url)}/git/blobs/${sha}`,
      download_url: `https://raw.githubusercontent.com/${owner}/${repo}/${branch}/${path}`,
      // GitHub wraps base64 at 60 characters; over 1 MB the content is not inlined
      content: big ? '' : (data.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + '\n',
      encoding: big ? 'none' : 'base64',
    };
  };
  const commitJson = (url: string, c: FakeCommit) => ({
    sha: c.sha,
    url: `${api(url)}/git/commits/${c.sha}`,
    html_url: `https://github.com/${owner}/${repo}/commit/${c.sha}`,
    message: c.message,
    tree: { sha: c.tree, url: `${api(url)}/git/trees/${c.tree}` },
    parents: c.parents.map((p) => ({ sha: p, url: `${api(url)}/git/commits/${p}` })),
  });
  const issueJson = (i: FakeIssue) => ({
    id: 7_000_000 + i.number,
    number: i.number,
    title: i.title,
    body: i.body,
    state: i.state,
    state_reason: i.stateReason,
    html_url: `https://github.com/${owner}/${repo}/issues/${i.number}`,
    user: { login: i.user.login, id: i.user.id, type: i.user.type },
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    labels: [],
  });

  const contentsWriteRefused = (): Reply | undefined => {
    if (fake.modes.contentsWrites === 'forbidden') return forbidden();
    if (fake.modes.contentsWrites === 'protected') {
      return err(409, 'Repository rule violations found\n\nCannot update this protected ref.\n\n');
    }
    return undefined;
  };
  const issueWriteRefused = (): Reply | undefined => {
    if (fake.modes.issueWrites === 'forbidden') return forbidden();
    if (fake.modes.issueWrites === 'disabled') return err(410, 'Issues are disabled for this repo');
    return undefined;
  };

  const wait = async (path: string) => {
    const hold = holds.get(path);
    if (!hold) return;
    await new Promise<void>((resolve) => {
      hold.waiting.push(resolve);
      if (hold.waiting.length >= hold.count) {
        holds.delete(path);
        for (const release of hold.waiting) release();
      }
    });
  };

  const fake: RepoFake = {
    modes: { contentsWrites: 'ok', issueWrites: 'ok' },
    defaultBranch: 'main',
    issues: [],
    fileOf(branch, path) {
      const sha = treeOf(branch)?.get(path);
      return sha === undefined ? undefined : blobs.get(sha)!.toString('utf8');
    },
    commitsOf(branch) {
      const out: FakeCommit[] = [];
      let sha = refs.get(branch);
      while (sha !== undefined) {
        const c = commits.get(sha)!;
        out.push(c);
        sha = c.parents[0];
      }
      return out;
    },
    branchExists: (branch) => refs.has(branch),
    putFile(branch, path, content, message = `seed ${path}`) {
      commitFile(branch, path, Buffer.from(content, 'utf8'), message);
    },
    holdWrites(path, count) {
      holds.set(path, { count, waiting: [] });
    },
    moveBranchOnWrite(path, count) {
      branchMoves.set(path, count);
    },
    async handle(method, path, query, body, url, author) {
      const prefix = `/repos/${owner}/${repo}`;
      if (!path.startsWith(`${prefix}/`) && path !== prefix) return undefined;
      const rest = path.slice(prefix.length);
      const b = (body ?? {}) as Record<string, unknown>;
      let m: RegExpMatchArray | null;

      if (rest === '' && method === 'GET') {
        return {
          status: 200,
          json: {
            id: 1,
            name: repo,
            full_name: `${owner}/${repo}`,
            default_branch: fake.defaultBranch,
            html_url: `https://github.com/${owner}/${repo}`,
            private: false,
          },
        };
      }

      if ((m = rest.match(/^\/contents\/(.+)$/))) {
        const file = decodeURIComponent(m[1] ?? '');
        if (method === 'GET') {
          const ref = query.get('ref') ?? fake.defaultBranch;
          const tree = treeOf(ref);
          if (tree === undefined) return notFound(`No commit found for the ref ${ref}`);
          const sha = tree.get(file);
          if (sha === undefined) return notFound();
          return { status: 200, json: contentJson(url, file, sha, blobs.get(sha)!, ref) };
        }
        if (method === 'PUT') {
          await wait(file);
          const refused = contentsWriteRefused();
          if (refused) return refused;
          const branch = typeof b['branch'] === 'string' ? b['branch'] : fake.defaultBranch;
          if (typeof b['message'] !== 'string' || typeof b['content'] !== 'string') {
            return err(422, 'Invalid request.\n\n"message" and "content" are required.');
          }
          const tree = treeOf(branch);
          if (tree === undefined) return notFound(`Branch ${branch} not found`);
          const existing = tree.get(file);
          const moves = branchMoves.get(file) ?? 0;
          if (moves > 0) {
            branchMoves.set(file, moves - 1);
            const expected = refs.get(branch)!;
            const other = commitFile(branch, `other-${moves}.txt`, Buffer.from(`another job ${moves}`), 'another job');
            return err(409, `is at ${other.sha} but expected ${expected}`);
          }
          if (existing !== undefined && b['sha'] === undefined) return err(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
          if (existing !== undefined && b['sha'] !== existing) return err(409, `${file} does not match ${String(b['sha'])}`);
          if (existing === undefined && b['sha'] !== undefined) return err(409, `${file} does not match ${String(b['sha'])}`);
          const data = Buffer.from(b['content'], 'base64');
          const c = commitFile(branch, file, data, b['message']);
          return {
            status: existing === undefined ? 201 : 200,
            json: { content: contentJson(url, file, blobSha(data), data, branch), commit: commitJson(url, c) },
          };
        }
      }

      if (method === 'GET' && (m = rest.match(/^\/git\/ref\/(.+)$/))) {
        const ref = decodeURIComponent(m[1] ?? '');
        const branch = ref.replace(/^heads\//, '');
        const sha = ref.startsWith('heads/') ? refs.get(branch) : undefined;
        if (sha === undefined) return notFound();
        return { status: 200, json: { ref: `refs/${ref}`, url: `${api(url)}/git/refs/${ref}`, object: { sha, type: 'commit' } } };
      }
      if (method === 'GET' && (m = rest.match(/^\/git\/blobs\/([0-9a-f]{40})$/))) {
        const data = blobs.get(m[1] ?? '');
        if (!data) return notFound();
        return { status: 200, json: { sha: m[1], size: data.length, content: data.toString('base64'), encoding: 'base64' } };
      }
      if (method === 'POST' && rest.startsWith('/git/')) {
        const refused = fake.modes.contentsWrites === 'forbidden' ? forbidden() : undefined;
        if (refused) return refused;
        if (rest === '/git/blobs') {
          if (typeof b['content'] !== 'string') return err(422, 'Invalid request.\n\n"content" wasn\'t supplied.');
          const data = Buffer.from(b['content'], b['encoding'] === 'base64' ? 'base64' : 'utf8');
          const sha = storeBlob(data);
          return { status: 201, json: { sha, url: `${api(url)}/git/blobs/${sha}` } };
        }
        if (rest === '/git/trees') {
          const entries = new Map<string, string>(
            typeof b['base_tree'] === 'string' ? (trees.get(b['base_tree']) ?? new Map<string, string>()) : [],
          );
          for (const e of (b['tree'] ?? []) as { path: string; sha?: string; content?: string }[]) {
            if (e.sha !== undefined && !blobs.has(e.sha)) return err(422, `Invalid tree info: ${e.sha} is not a blob`);
            entries.set(e.path, e.sha ?? storeBlob(Buffer.from(e.content ?? '', 'utf8')));
          }
          const sha = storeTree(entries);
          return {
            status: 201,
            json: {
              sha,
              url: `${api(url)}/git/trees/${sha}`,
              truncated: false,
              tree: [...entries].map(([p, s]) => ({ path: p, mode: '100644', type: 'blob', sha: s })),
            },
          };
        }
        if (rest === '/git/commits') {
          const tree = b['tree'];
          const parents = (b['parents'] ?? []) as string[];
          if (typeof tree !== 'string' || !trees.has(tree)) return err(422, 'Tree SHA does not exist');
          if (parents.some((p) => !commits.has(p))) return err(422, 'Parent SHA does not exist or is not a commit object');
          return { status: 201, json: commitJson(url, storeCommit(tree, parents, String(b['message'] ?? ''))) };
        }
        if (rest === '/git/refs') {
          const ref = String(b['ref'] ?? '');
          const sha = String(b['sha'] ?? '');
          if (!ref.startsWith('refs/heads/')) return err(422, "Reference name must start with 'refs/' and have at least two slashes.");
          if (!commits.has(sha)) return err(422, 'Object does not exist');
          if (fake.modes.contentsWrites === 'protected') {
            return err(422, 'Repository rule violations found\n\nCannot create ref due to creations being restricted.\n\n');
          }
          const branch = ref.slice('refs/heads/'.length);
          if (refs.has(branch)) return err(422, 'Reference already exists');
          refs.set(branch, sha);
          return { status: 201, json: { ref, url: `${api(url)}/git/${ref}`, object: { sha, type: 'commit' } } };
        }
      }

      if (rest === '/issues') {
        if (method === 'GET') {
          const state = query.get('state') ?? 'open';
          const list = fake.issues
            .filter((i) => state === 'all' || i.state === state)
            .sort((x, y) => y.number - x.number)
            .map(issueJson);
          const perPage = Math.min(100, Math.max(1, Number(query.get('per_page') ?? 30)));
          const page = Math.max(1, Number(query.get('page') ?? 1));
          const last = Math.max(1, Math.ceil(list.length / perPage));
          const headers: Record<string, string> = {};
          if (page < last) {
            const q = new URLSearchParams(query);
            q.set('page', String(page + 1));
            q.set('per_page', String(perPage));
            headers['link'] = `<${url}${path}?${q.toString()}>; rel="next"`;
          }
          return { status: 200, json: list.slice((page - 1) * perPage, page * perPage), headers };
        }
        if (method === 'POST') {
          const refused = issueWriteRefused();
          if (refused) return refused;
          if (typeof b['title'] !== 'string' || b['title'] === '')
            return err(422, 'Validation Failed', { errors: [{ field: 'title', code: 'missing_field' }] });
          const issue: FakeIssue = {
            number: nextIssue++,
            title: b['title'],
            body: typeof b['body'] === 'string' ? b['body'] : '',
            state: 'open',
            stateReason: null,
            user: author,
            createdAt: now(),
            updatedAt: now(),
          };
          fake.issues.push(issue);
          return { status: 201, json: issueJson(issue) };
        }
      }
      if ((m = rest.match(/^\/issues\/(\d+)$/))) {
        const issue = fake.issues.find((i) => i.number === Number(m![1]));
        if (!issue) return notFound();
        if (method === 'GET') return { status: 200, json: issueJson(issue) };
        if (method === 'PATCH') {
          const refused = issueWriteRefused();
          if (refused) return refused;
          if (typeof b['title'] === 'string') issue.title = b['title'];
          if (typeof b['body'] === 'string') issue.body = b['body'];
          if (b['state'] === 'open' || b['state'] === 'closed') {
            issue.state = b['state'];
            issue.stateReason = b['state'] === 'closed' ? String(b['state_reason'] ?? 'completed') : 'reopened';
          }
          issue.updatedAt = now();
          return { status: 200, json: issueJson(issue) };
        }
      }
      return undefined;
    },
  };
  return fake;
}
