/**
 * history.json (and the dashboard beside it) in a branch of the repository, through the REST API only: the contents API
 * to read and to write conditionally on the file's sha; the git data API to create the branch, without a parent, when it
 * is missing. A write that loses a race (409/422 after someone else's write) re-reads, re-appends and retries, so
 * concurrent jobs never lose an entry. GitHub also answers 409 ("is at <head> but expected <head>") when the BRANCH
 * moved because another file was written while this one is unchanged: that is a race too, retried after a short
 * back-off. It is a refusal (a protected branch, a ruleset) when the message names a rule, or when the file is still
 * unchanged after the last attempt.
 */
import { appendEntry, emptyHistory, roundEntry } from '../history/build.js';
import { HISTORY_READ_LIMIT, historyTooLarge, parseHistory, toHistoryJson } from '../history/json.js';
import { DASHBOARD_FILE, HISTORY_FILE, type History, type HistoryEntry } from '../history/model.js';
import { setTimeout as delay } from 'node:timers/promises';
import { ColdstartError, HistoryFormatError } from '../core/errors.js';
import type { Octokit } from './context.js';
import { errorInfo } from './errors.js';
import { type Logger } from '../core/logger.js';

export interface HistoryLocation {
  owner: string;
  repo: string;
  branch: string;
  /** Folder in the branch, '' for its root. */
  dir: string;
}

/** Attempts of one conditional write before giving up (each after a fresh read). */
export const MAX_WRITE_ATTEMPTS = 6;
/** First back-off after a 409/422 that left the file unchanged (the branch moved); doubled for each further one. */
export const WRITE_BACKOFF_MS = 100;

export type Sleep = (ms: number) => Promise<void>;

export function historyFilePath(loc: HistoryLocation, file: string = HISTORY_FILE): string {
  return loc.dir === '' ? file : `${loc.dir}/${file}`;
}

/** GitHub refused a write: a branch protection rule or ruleset (named, or the file unchanged after every attempt). */
export class HistoryWriteRefusedError extends ColdstartError {
  override name = 'HistoryWriteRefusedError';
  constructor(
    readonly status: number,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`GitHub answered ${status} (${detail}) to a write of an unchanged file`, options);
  }
}

/** Every attempt lost a race: too many writers at once. */
export class HistoryContentionError extends ColdstartError {
  override name = 'HistoryContentionError';
  constructor(readonly attempts: number) {
    super(`the history changed under every one of ${attempts} attempts to write it`);
  }
}

interface StoredFile {
  text: string;
  sha: string;
}

const isStatus = (e: unknown, ...codes: number[]) => {
  const { status } = errorInfo(e);
  return status !== undefined && codes.includes(status);
};

/** GitHub's own message (the response's `message`, without the documentation link Octokit appends), first line. */
function apiMessage(e: unknown): string {
  const data = (e as { response?: { data?: { message?: unknown } } } | null)?.response?.data;
  const message = typeof data?.message === 'string' ? data.message : errorInfo(e).message;
  return message.split('\n')[0] ?? '';
}

/** A refusal GitHub explains by a rule: "Repository rule violations found", "Protected branch update failed…". */
const namesRule = (message: string) => /\brule|protected/i.test(message);

/**
 * A file of the branch, or null when the branch or the file is missing. Files over 1 MB come from the blob API; a file
 * over HISTORY_READ_LIMIT (by the size the contents API reports) is refused before it is downloaded.
 */
async function readFile(octokit: Octokit, loc: HistoryLocation, path: string): Promise<StoredFile | null> {
  try {
    const { data } = await octokit.rest.repos.getContent({ owner: loc.owner, repo: loc.repo, path, ref: loc.branch });
    if (Array.isArray(data) || data.type !== 'file') throw new HistoryFormatError(`${path} in branch ${loc.branch} is not a file`);
    const file = data as { sha: string; size?: number; content?: string; encoding?: string };
    if (typeof file.size === 'number' && file.size > HISTORY_READ_LIMIT.maxBytes) throw historyTooLarge(file.size);
    if (file.encoding === 'base64' && typeof file.content === 'string') {
      return { text: Buffer.from(file.content, 'base64').toString('utf8'), sha: file.sha };
    }
    const blob = await octokit.rest.git.getBlob({ owner: loc.owner, repo: loc.repo, file_sha: file.sha });
    const content = (blob.data as { content?: unknown }).content;
    if (typeof content !== 'string') throw new Error(`GitHub's blob API answered without the content of ${path}`);
    const bytes = Buffer.from(content, 'base64');
    if (bytes.length > HISTORY_READ_LIMIT.maxBytes) throw historyTooLarge(bytes.length);
    return { text: bytes.toString('utf8'), sha: file.sha };
  } catch (e) {
    if (isStatus(e, 404)) return null;
    throw e;
  }
}

async function branchExists(octokit: Octokit, loc: HistoryLocation): Promise<boolean> {
  try {
    await octokit.rest.git.getRef({ owner: loc.owner, repo: loc.repo, ref: `heads/${loc.branch}` });
    return true;
  } catch (e) {
    if (isStatus(e, 404)) return false;
    throw e;
  }
}

export type ReadResult = { history: History; sha: string } | { missing: 'branch' | 'file' };

/** The stored history. Throws HistoryFormatError for a file this version cannot read, Octokit errors for API failures. */
export async function readHistory(octokit: Octokit, loc: HistoryLocation): Promise<ReadResult> {
  const file = await readFile(octokit, loc, historyFilePath(loc));
  if (file !== null) return { history: parseHistory(file.text), sha: file.sha };
  return { missing: (await branchExists(octokit, loc)) ? 'file' : 'branch' };
}

/**
 * Creates the branch holding `files`, as one commit WITHOUT a parent (the history has nothing to do with the code).
 * Returns false when the branch appeared meanwhile (another writer created it: 422 "Reference already exists").
 */
async function createBranch(octokit: Octokit, loc: HistoryLocation, files: Record<string, string>, message: string): Promise<boolean> {
  const { owner, repo } = loc;
  const tree = await Promise.all(
    Object.entries(files).map(async ([path, content]) => {
      const blob = await octokit.rest.git.createBlob({ owner, repo, content: Buffer.from(content).toString('base64'), encoding: 'base64' });
      return { path, mode: '100644' as const, type: 'blob' as const, sha: blob.data.sha };
    }),
  );
  const t = await octokit.rest.git.createTree({ owner, repo, tree });
  const commit = await octokit.rest.git.createCommit({ owner, repo, message, tree: t.data.sha, parents: [] });
  try {
    await octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${loc.branch}`, sha: commit.data.sha });
    return true;
  } catch (e) {
    if (isStatus(e, 422) && (await branchExists(octokit, loc))) return false;
    throw e;
  }
}

async function putFile(octokit: Octokit, loc: HistoryLocation, path: string, text: string, sha: string | undefined, message: string) {
  await octokit.rest.repos.createOrUpdateFileContents({
    owner: loc.owner,
    repo: loc.repo,
    path,
    branch: loc.branch,
    message,
    content: Buffer.from(text).toString('base64'),
    ...(sha === undefined ? {} : { sha }),
  });
}

/**
 * Writes `update(current)` to `path` conditionally on the sha read; on a 409/422 re-reads and retries (a race: the file
 * changed, or only the branch moved — then after a back-off). Throws HistoryWriteRefusedError when GitHub names a rule,
 * or when the file is still unchanged after the last attempt; HistoryContentionError when it changed under every one.
 */
async function conditionalWrite(
  octokit: Octokit,
  loc: HistoryLocation,
  path: string,
  update: (current: StoredFile | null) => Promise<string> | string,
  message: string,
  sleep: Sleep,
): Promise<number> {
  let current = await readFile(octokit, loc, path);
  let backoffs = 0;
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    try {
      await putFile(octokit, loc, path, await update(current), current?.sha, message);
      return attempt;
    } catch (e) {
      if (!isStatus(e, 409, 422)) throw e;
      const detail = apiMessage(e);
      const refused = () => new HistoryWriteRefusedError(errorInfo(e).status ?? 0, detail, { cause: e });
      if (namesRule(detail)) throw refused();
      const again = await readFile(octokit, loc, path);
      if (again?.sha === current?.sha) {
        if (attempt === MAX_WRITE_ATTEMPTS) throw refused();
        await sleep(WRITE_BACKOFF_MS * 2 ** backoffs++);
      }
      current = again;
    }
  }
  throw new HistoryContentionError(MAX_WRITE_ATTEMPTS);
}

export interface AppendOptions {
  /** The benchmark's name (kept in the file). */
  name: string;
  repository?: string;
  limit: number;
  /** index.html for a history (the dashboard). */
  renderPage: (history: History) => string;
  log: Logger;
  /** Back-off between attempts after the branch moved; default a real timer (tests inject one that does not wait). */
  sleep?: Sleep;
}

export interface AppendResult {
  action: 'created-branch' | 'created-file' | 'appended';
  /** Entries in the file after the write. */
  entries: number;
  /** Writes it took (more than 1 after a race). */
  attempts: number;
}

/** Appends `entry` (rounded as history.json stores it) to the branch's history.json (creating branch or file when missing), then rewrites index.html beside it. */
export async function appendToHistory(
  octokit: Octokit,
  loc: HistoryLocation,
  entry: HistoryEntry,
  opts: AppendOptions,
): Promise<AppendResult> {
  const path = historyFilePath(loc);
  const pagePath = historyFilePath(loc, DASHBOARD_FILE);
  const stored = roundEntry(entry);
  const build = (base: History | undefined) =>
    appendEntry({ ...emptyHistory(opts.name, opts.repository), entries: base?.entries ?? [] }, stored, opts.limit);
  const message = `lambda-coldstart: ${entry.event} run of ${entry.commit.slice(0, 7)}`;

  const sleep = opts.sleep ?? ((ms: number) => delay(ms).then(() => undefined));
  let written: History | undefined;
  let action: AppendResult['action'] = 'appended';
  if (!(await branchExists(octokit, loc))) {
    written = build(undefined);
    const created = await createBranch(octokit, loc, { [path]: toHistoryJson(written), [pagePath]: opts.renderPage(written) }, message);
    if (created) return { action: 'created-branch', entries: written.entries.length, attempts: 1 };
    opts.log.info(`History: branch ${loc.branch} appeared meanwhile (another job created it); appending instead`);
  }
  const attempts = await conditionalWrite(
    octokit,
    loc,
    path,
    (current) => {
      action = current === null ? 'created-file' : 'appended'; // what the attempt that lands does
      written = build(current === null ? undefined : parseHistory(current.text));
      return toHistoryJson(written);
    },
    message,
    sleep,
  );
  if (attempts > 1) opts.log.info(`History: ${attempts - 1} write(s) lost a race with another job; re-read and appended again`);
  // The page always shows the newest history: on a race it is rendered again from what is stored then. The entry is
  // stored already: a failure here costs only a stale page.
  try {
    await conditionalWrite(
      octokit,
      loc,
      pagePath,
      async () => {
        const latest = await readFile(octokit, loc, path);
        return opts.renderPage(latest === null ? written! : parseHistory(latest.text));
      },
      `lambda-coldstart: dashboard for ${entry.commit.slice(0, 7)}`,
      sleep,
    );
  } catch (e) {
    opts.log.warning(
      `history: the run was appended, but ${pagePath} was not rewritten (${errorInfo(e).message.split('\n')[0]}); the next run rewrites it`,
    );
  }
  return { action, entries: written!.entries.length, attempts };
}
