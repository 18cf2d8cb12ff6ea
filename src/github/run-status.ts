/**
 * The status of a workflow run, read with the REST API (`GET /repos/{owner}/{repo}/actions/runs/{run_id}`, which needs
 * `actions: read`) with the token the reading run has. Used to tell whether the run that wrote an undo record has
 * completed. Plain `fetch` (no Octokit): the CLI bundle stays small, and one GET needs no pagination or retries.
 */

export interface RunStatusRequest {
  /** The REST API root, e.g. https://api.github.com or http(s)://<host>/api/v3. */
  apiUrl: string;
  token: string;
  owner: string;
  repo: string;
  runId: string;
  /** Injected for tests; default the global fetch. */
  fetch?: typeof fetch;
  /** Give up after this many ms (default 10 s). */
  timeoutMs?: number;
}

export interface RunStatus {
  /** queued, in_progress, completed, waiting, requested, pending … (GitHub's `status`). */
  status: string;
  /** The run's latest attempt (a re-run starts a new one once the previous has completed). */
  attempt: number;
}

/** Why the status could not be read: an HTTP status, or the kind of failure — never a response body. */
export class RunStatusError extends Error {
  override name = 'RunStatusError';
}

const DEFAULT_TIMEOUT_MS = 10_000;

export async function workflowRunStatus(r: RunStatusRequest): Promise<RunStatus> {
  const url = `${r.apiUrl.replace(/\/+$/, '')}/repos/${encodeURIComponent(r.owner)}/${encodeURIComponent(r.repo)}/actions/runs/${encodeURIComponent(r.runId)}`;
  let res: Response;
  try {
    res = await (r.fetch ?? fetch)(url, {
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${r.token}`,
        'user-agent': 'lambda-coldstart',
        'x-github-api-version': '2022-11-28',
      },
      signal: AbortSignal.timeout(r.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch (e) {
    const kind = e instanceof Error && e.name === 'TimeoutError' ? 'no answer in time' : 'could not connect';
    throw new RunStatusError(`GitHub: ${kind}`, { cause: e });
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new RunStatusError(
      `GitHub answered ${res.status}${res.status === 403 || res.status === 404 ? ' (the token may lack actions: read)' : ''}`,
    );
  }
  const body = (await res.json().catch(() => undefined)) as { status?: unknown; run_attempt?: unknown } | undefined;
  if (typeof body?.status !== 'string' || !/^[a-z_]{1,30}$/.test(body.status))
    throw new RunStatusError('GitHub answered without a run status');
  const attempt = typeof body.run_attempt === 'number' && Number.isInteger(body.run_attempt) ? body.run_attempt : 1;
  return { status: body.status, attempt };
}
