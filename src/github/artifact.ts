/**
 * The run's artifact (upload), the merge step's download of this run's shard artifacts, and the baseline
 * lookup in the base branch's latest successful run — all through @actions/artifact, degrading to a
 * warning / notice where the platform says no.
 *
 * Re-runs: a re-run attempt of a job reuses its workflow run, where the name is already taken (the service
 * answers 409). Strategy: when `name` is taken in this run, upload as `<name>-attempt-<GITHUB_RUN_ATTEMPT>`
 * (the first free `<name>-attempt-<N>-<k>` after that). Readers take the highest attempt: the merge download
 * keeps one artifact per name (suffix stripped), the baseline lookup accepts `<name>` and `<name>-attempt-N`.
 */
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { getOctokit } from '@actions/github';
import { DefaultArtifactClient, type Artifact, type ArtifactClient } from '@actions/artifact';
import { firstLine, type Octokit } from './context.js';
import { errorInfo } from './errors.js';
import { type Logger } from '../core/logger.js';
import { globMatch } from './glob.js';

const ATTEMPT_SUFFIX = /-attempt-(\d+)(?:-(\d+))?$/;

/** The name without a re-run suffix, and the attempt it came from (1 without suffix). */
export function parseAttemptName(name: string): { base: string; attempt: number; k: number } {
  const m = name.match(ATTEMPT_SUFFIX);
  if (!m) return { base: name, attempt: 1, k: 0 };
  return { base: name.slice(0, m.index), attempt: Number(m[1]), k: Number(m[2] ?? 0) };
}

/** One artifact per logical name: the highest attempt (then the highest id) wins. */
export function latestAttempts<T extends { name: string; id: number }>(artifacts: T[]): (T & { logicalName: string })[] {
  const best = new Map<string, { a: T; attempt: number; k: number }>();
  for (const a of artifacts) {
    const { base, attempt, k } = parseAttemptName(a.name);
    const prev = best.get(base);
    if (!prev || attempt > prev.attempt || (attempt === prev.attempt && (k > prev.k || (k === prev.k && a.id > prev.a.id)))) {
      best.set(base, { a, attempt, k });
    }
  }
  return [...best.entries()].map(([logicalName, { a }]) => ({ ...a, logicalName }));
}

/** Why the artifact service cannot be used here, or undefined when it can. */
export function artifactServiceUnavailable(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!env['ACTIONS_RUNTIME_TOKEN']) {
    return 'the artifact service is not available (no ACTIONS_RUNTIME_TOKEN: not running inside a GitHub Actions job)';
  }
  if (!env['ACTIONS_RESULTS_URL']) {
    return 'the artifact service is not available (no ACTIONS_RESULTS_URL: a runner without the results service)';
  }
  let host: string;
  try {
    host = new URL(env['GITHUB_SERVER_URL'] || 'https://github.com').hostname.toUpperCase();
  } catch {
    return `GITHUB_SERVER_URL is not a URL`;
  }
  if (host !== 'GITHUB.COM' && !host.endsWith('.GHE.COM') && !host.endsWith('.LOCALHOST')) {
    return 'GitHub Enterprise Server does not support this artifact service (@actions/artifact v2+)';
  }
  return undefined;
}

const isConflict = (message: string) => /\(409\)|already exists/i.test(message);

export interface UploadResultsOptions {
  name: string;
  /** Root directory of the files (their paths inside the artifact are relative to it). */
  dir: string;
  /** Files to upload, absolute or relative to `dir`; missing ones are left out (logged). */
  files: string[];
  retentionDays?: number;
  log: Logger;
  /** Defaults to process.env (read at call time): ACTIONS_RUNTIME_TOKEN, GITHUB_RUN_ATTEMPT, GITHUB_SERVER_URL, … */
  env?: NodeJS.ProcessEnv;
  client?: ArtifactClient;
}

export interface UploadResultsResult {
  id?: number;
  /** The artifact-url output. */
  url?: string;
  /** The name the artifact was uploaded under (differs from the requested one on re-run attempts). */
  name?: string;
  warning?: string;
}

/** Uploads the result files as one artifact. Never throws: problems come back as `warning`. */
export async function uploadResults(opts: UploadResultsOptions): Promise<UploadResultsResult> {
  const env = opts.env ?? process.env;
  const { log } = opts;
  const unavailable = artifactServiceUnavailable(env);
  if (unavailable) return { warning: `Artifact not uploaded: ${unavailable}. The files are in ${opts.dir}.` };

  const files = opts.files.map((f) => path.resolve(opts.dir, f));
  const present = files.filter((f) => existsSync(f));
  for (const f of files) if (!present.includes(f)) log.info(`Not in the artifact (missing): ${f}`);
  if (present.length === 0) return { warning: `Artifact not uploaded: none of the files exist in ${opts.dir}.` };

  const client = opts.client ?? new DefaultArtifactClient();
  const attempt = Math.max(1, Number(env['GITHUB_RUN_ATTEMPT'] ?? '1') || 1);
  const candidates = [opts.name, `${opts.name}-attempt-${attempt}`, ...[2, 3, 4, 5].map((k) => `${opts.name}-attempt-${attempt}-${k}`)];

  // Skip names already taken in this run (a re-run attempt) instead of provoking a 409.
  let taken = new Set<string>();
  try {
    taken = new Set((await client.listArtifacts()).artifacts.map((a) => a.name));
  } catch (error) {
    log.debug?.(`Listing this run's artifacts failed (${firstLine(errorInfo(error).message)}); uploading anyway`);
  }

  let lastError = '';
  for (const name of candidates) {
    if (taken.has(name)) {
      log.info(`Artifact name ${name} is already taken in this run (a re-run?): trying the next one`);
      continue;
    }
    try {
      const options = opts.retentionDays !== undefined ? { retentionDays: opts.retentionDays } : {};
      const { id } = await client.uploadArtifact(name, present, path.resolve(opts.dir), options);
      const result: UploadResultsResult = { name };
      if (id !== undefined) {
        result.id = id;
        const url = artifactUrl(id, env);
        if (url) result.url = url;
      }
      if (name !== opts.name && attempt > 1) log.info(`Uploaded as ${name}: ${opts.name} was taken by an earlier attempt of this run`);
      if (name !== opts.name && attempt === 1) {
        // Not a re-run: another job of this run uses the same artifact-name (a matrix whose shards share it). A merge
        // would keep only one of them.
        result.warning = `artifact-name "${opts.name}" is already used by another job of this run, so this one was uploaded as ${name}; give every matrix shard its own artifact-name, or a merge keeps only one of them`;
      }
      return result;
    } catch (error) {
      lastError = firstLine(errorInfo(error).message);
      if (!isConflict(lastError)) break;
      log.info(`Artifact name ${name} is taken in this run (${lastError}): trying the next one`);
    }
  }
  return { warning: `Artifact not uploaded: ${lastError || 'every candidate name is taken in this run'}. The files are in ${opts.dir}.` };
}

/** `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}/artifacts/${id}`. */
export function artifactUrl(id: number, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const server = (env['GITHUB_SERVER_URL'] || 'https://github.com').replace(/\/+$/, '');
  const repository = env['GITHUB_REPOSITORY'];
  const runId = env['GITHUB_RUN_ID'];
  if (!repository || !runId) return undefined;
  return `${server}/${repository}/actions/runs/${runId}/artifacts/${id}`;
}

export interface DownloadedArtifact {
  /** The logical name: the artifact's name without a `-attempt-N` re-run suffix. */
  name: string;
  /** The name the artifact has in the run. */
  artifactName: string;
  id: number;
  /** Directory the artifact was extracted into: `<dir>/<name>`. */
  path: string;
}

/**
 * Downloads every artifact of the current run whose name matches `pattern` (glob: `*`, `?`, `[..]`, `{a,b}`)
 * into `<dir>/<name>/` — one per logical name (the latest re-run attempt). Throws when the artifact service is
 * unavailable or fails (merge mode cannot work without it); returns [] when nothing matches.
 */
export async function downloadCurrentRunArtifacts(opts: {
  pattern: string;
  dir: string;
  log: Logger;
  /**
   * A logical name never to download: the merge job's own artifact-name. A re-run of the merge job uploads
   * `<name>-attempt-N`, which the default pattern `<name>-*` matches — without this, the next attempt would
   * merge the earlier merged run as one more shard (every sample twice).
   */
  exclude?: string;
  env?: NodeJS.ProcessEnv;
  client?: ArtifactClient;
}): Promise<DownloadedArtifact[]> {
  const unavailable = artifactServiceUnavailable(opts.env ?? process.env);
  if (unavailable) throw new Error(`Cannot download this run's artifacts: ${unavailable}`);
  const client = opts.client ?? new DefaultArtifactClient();
  const { artifacts } = await client.listArtifacts({ latest: true });
  const matching = latestAttempts(artifacts.filter((a) => globMatch(opts.pattern, a.name)))
    .filter((a) => opts.exclude === undefined || opts.exclude === '' || a.logicalName !== opts.exclude)
    .sort((a, b) => a.logicalName.localeCompare(b.logicalName));
  opts.log.info(
    `${matching.length} of ${artifacts.length} artifact(s) of this run match ${opts.pattern}${matching.length ? `: ${matching.map((a) => a.name).join(', ')}` : ''}`,
  );
  const out: DownloadedArtifact[] = [];
  for (const a of matching) {
    const target = path.join(opts.dir, a.logicalName);
    await client.downloadArtifact(a.id, { path: target });
    out.push({ name: a.logicalName, artifactName: a.name, id: a.id, path: target });
  }
  return out;
}

export interface FindBaselineOptions {
  token: string;
  owner: string;
  repo: string;
  /** The current run (GITHUB_RUN_ID). */
  runId: number;
  /** The PR's base branch (payload.pull_request.base.ref). */
  baseBranch: string;
  artifactName: string;
  /** Where to extract the baseline artifact. */
  dir: string;
  log: Logger;
  /** How many of the newest successful base-branch runs to look through for the artifact (default 5). */
  maxRuns?: number;
  env?: NodeJS.ProcessEnv;
  octokit?: Octokit;
  client?: ArtifactClient;
}

const ACTIONS_READ_FIX =
  "the token cannot read this repository's Actions runs or artifacts: grant the job `permissions: actions: read` (with `contents: read`)";

/**
 * baseline: auto. The workflow of the current run → its newest successful runs on `baseBranch` (pull request
 * runs excluded) → the first that has `artifactName` (or a `-attempt-N` re-run of it) → downloaded into `dir`.
 * Never throws: nothing found, 403 or other failures → `{ notice }` naming what was missing.
 */
/** The baseline found: where it was downloaded, and which run (and commit of the base branch) made it. */
export interface BaselineArtifact {
  path: string;
  runId: number;
  artifactName: string;
  /** The commit the baseline run measured. */
  headSha: string;
  /** The run's page (html_url), for the report's link. */
  runUrl: string;
}

export async function findBaselineArtifact(opts: FindBaselineOptions): Promise<BaselineArtifact | { notice: string }> {
  const { log } = opts;
  const env = opts.env ?? process.env;
  let host = 'github.com';
  try {
    host = new URL(env['GITHUB_SERVER_URL'] || 'https://github.com').hostname.toUpperCase();
  } catch {
    /* checked below */
  }
  if (host !== 'GITHUB.COM' && !host.endsWith('.GHE.COM') && !host.endsWith('.LOCALHOST')) {
    return { notice: 'No baseline: GitHub Enterprise Server does not support this artifact service (@actions/artifact v2+)' };
  }
  if (!opts.token)
    return { notice: 'No baseline: baseline `auto` needs a GitHub token (`github-token: ${{ github.token }}`) with `actions: read`' };
  const octokit = opts.octokit ?? getOctokit(opts.token);
  const client = opts.client ?? new DefaultArtifactClient();
  const repoRef = { owner: opts.owner, repo: opts.repo };
  try {
    const { data: run } = await octokit.rest.actions.getWorkflowRun({ ...repoRef, run_id: opts.runId });
    const workflowId = run.workflow_id;
    const { data } = await octokit.rest.actions.listWorkflowRuns({
      ...repoRef,
      workflow_id: workflowId,
      branch: opts.baseBranch,
      status: 'success',
      per_page: 30,
    });
    const runs = data.workflow_runs
      .filter((r) => r.id !== opts.runId && r.event !== 'pull_request' && r.event !== 'pull_request_target')
      .slice(0, opts.maxRuns ?? 5);
    if (runs.length === 0) {
      return { notice: `No baseline: this workflow has no successful run on ${opts.baseBranch} yet` };
    }
    for (const r of runs) {
      const findBy = { token: opts.token, workflowRunId: r.id, repositoryOwner: opts.owner, repositoryName: opts.repo };
      const { artifacts } = await client.listArtifacts({ findBy, latest: true });
      const named = artifacts.filter((a: Artifact) => parseAttemptName(a.name).base === opts.artifactName);
      const pick = latestAttempts(named)[0];
      if (!pick) {
        log.debug?.(`Run ${r.id} on ${opts.baseBranch} has no artifact ${opts.artifactName}`);
        continue;
      }
      await client.downloadArtifact(pick.id, { path: opts.dir, findBy });
      log.info(`Baseline: artifact ${pick.name} of run ${r.id} (${opts.baseBranch}, ${r.head_sha.slice(0, 7)})`);
      return { path: opts.dir, runId: r.id, artifactName: pick.name, headSha: r.head_sha, runUrl: r.html_url };
    }
    return {
      notice: `No baseline: none of the last ${runs.length} successful run(s) of this workflow on ${opts.baseBranch} has an artifact named ${opts.artifactName} (expired, or measured with another artifact-name)`,
    };
  } catch (error) {
    const { status, message } = errorInfo(error);
    if (status === 403 || /\b403\b/.test(message)) return { notice: `No baseline: ${ACTIONS_READ_FIX} (403: ${firstLine(message)})` };
    if (status === 404)
      return { notice: `No baseline: GitHub answered 404 (${firstLine(message)}): ${ACTIONS_READ_FIX}, or the run does not exist` };
    return { notice: `No baseline: ${status ? `GitHub answered ${status}: ` : ''}${firstLine(message)}` };
  }
}
