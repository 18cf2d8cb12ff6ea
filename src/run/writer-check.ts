/**
 * Looking at the writer of another run's undo record (lambda/undo/liveness.ts decides what it means):
 * - a record naming a process on this machine (a run outside GitHub Actions): is that process running?
 * - a record of a workflow run: has its attempt completed? Asked of GitHub with the token this run has, only for a run
 *   on this run's own GitHub server (the token is never sent anywhere a record names);
 * - anything else cannot be checked, and the answer says why.
 */
import { RunStatusError, workflowRunStatus, type RunStatus, type RunStatusRequest } from '../github/run-status.js';
import { runName, type CheckWriter, type WriterStatus } from '../lambda/undo/liveness.js';
import { parseRunId, type RunRef, type UndoRecord } from '../lambda/undo/record.js';
import { machineKey, processRunning } from './process-identity.js';

/** How this run may ask GitHub about workflow runs. */
export interface GitHubAccess {
  /** This run's GitHub (GITHUB_SERVER_URL, default https://github.com), to compare with a record's. */
  serverUrl: string;
  /** Its REST API (GITHUB_API_URL, default https://api.github.com). */
  apiUrl: string;
  /** '' = none: no check. */
  token: string;
}

/** GitHub access from the environment and a token (the action's github-token, or GITHUB_TOKEN for the CLI). */
export function githubAccess(token: string, env: NodeJS.ProcessEnv = process.env): GitHubAccess {
  return {
    serverUrl: (env['GITHUB_SERVER_URL'] || 'https://github.com').replace(/\/+$/, ''),
    apiUrl: env['GITHUB_API_URL'] || 'https://api.github.com',
    token,
  };
}

export interface WriterCheckOptions {
  github?: GitHubAccess | undefined;
  /** Injected for tests. */
  machine?: string;
  running?: (record: NonNullable<UndoRecord['process']>) => boolean;
  status?: (r: RunStatusRequest) => Promise<RunStatus>;
}

export function writerCheck(o: WriterCheckOptions = {}): CheckWriter {
  let machine: string | undefined = o.machine;
  const running = o.running ?? ((p) => processRunning(p));
  // One question to GitHub per workflow run, however many functions carry its records.
  const asked = new Map<string, Promise<WriterStatus>>();
  return async (record) => {
    if (record.process) {
      machine ??= machineKey();
      if (record.process.host === machine) return { by: 'process', pid: record.process.pid, running: running(record.process) };
    }
    const ref = parseRunId(record.runId);
    if (ref?.kind !== 'github') {
      return { by: 'none', why: record.process ? 'it ran on another machine' : 'its record names no process (written by version 1.0.0)' };
    }
    const key = `${ref.server}/${ref.owner}/${ref.repo}/${ref.runId}/${ref.attempt}`;
    let status = asked.get(key);
    if (!status) asked.set(key, (status = workflowRun(ref, runName(record), o)));
    return status;
  };
}

async function workflowRun(ref: Extract<RunRef, { kind: 'github' }>, run: string, o: WriterCheckOptions): Promise<WriterStatus> {
  const gh = o.github;
  if (!gh || gh.token === '') return { by: 'none', why: `no GitHub token to ask for the status of ${run}` };
  if (ref.server !== gh.serverUrl) return { by: 'none', why: `${run} is on another GitHub server` };
  try {
    const s = await (o.status ?? workflowRunStatus)({
      apiUrl: gh.apiUrl,
      token: gh.token,
      owner: ref.owner,
      repo: ref.repo,
      runId: ref.runId,
    });
    // A later attempt exists only once the record's attempt has completed.
    return { by: 'github', run, completed: s.status === 'completed' || s.attempt > ref.attempt };
  } catch (e) {
    return { by: 'none', why: `the status of ${run} could not be read (${e instanceof RunStatusError ? e.message : 'unexpected error'})` };
  }
}
