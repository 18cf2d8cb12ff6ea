/**
 * The history step of a run: read the branch's history for the report's Trend, then — after publishing —
 * append this run when it is a trusted default-branch run, judge drift on schedules and keep the drift issue in step.
 * Degrades like the rest of the action: every GitHub refusal is a warning naming the permission, never a failure.
 */
import { getOctokit } from '@actions/github';
import type { Config } from '../config/model.js';
import { entryFromResults } from '../history/build.js';
import { DRIFT_WINDOW, judgeDrift, type Drift } from '../history/drift.js';
import { recentChanges } from '../history/markers.js';
import { HistoryFormatError } from '../core/errors.js';
import type { HistoryEntry } from '../history/model.js';
import type { Logger } from '../core/logger.js';
import { renderDashboard } from '../report/dashboard.js';
import { driftClause, renderDriftIssue, type TrendInput } from '../report/trend.js';
import { ms } from '../report/format.js';
import { markdownLink } from '../core/escape.js';
import type { RunResults } from '../results/model.js';
import { firstLine, type EventContext, type Octokit } from './context.js';
import {
  appendToHistory,
  HistoryContentionError,
  HistoryWriteRefusedError,
  historyFilePath,
  readHistory,
  type HistoryLocation,
} from './history-store.js';
import { syncDriftIssue } from './issue-alert.js';
import { errorInfo } from './errors.js';

/** Events whose default-branch runs append (a PR's code is not trusted to write, and is not the default branch). */
export const WRITING_EVENTS = ['push', 'schedule', 'workflow_dispatch'] as const;

export interface HistoryContext extends EventContext {
  /** GITHUB_REF, e.g. refs/heads/main. */
  ref: string;
}

export interface HistoryStep {
  /** For renderReport's Trend (undefined when the history could not be read). */
  trend: TrendInput | undefined;
  /** Appends (when allowed), judges drift (schedules), syncs the issue. Returns the drift list (the `drift` output). */
  record(): Promise<Drift[]>;
}

export interface HistoryStepOptions {
  config: Config;
  results: RunResults;
  context: HistoryContext;
  log: Logger;
  runUrl?: string;
  serverUrl?: string;
  /** Tests; default getOctokit(config.githubToken). */
  octokit?: Octokit;
}

/** The benchmark's name: the comment tag when set, else the history folder, else the workflow's name. */
export function benchmarkName(config: Config, workflow: string | undefined): string {
  if (config.commentTag !== '' && config.commentTag !== 'default') return config.commentTag;
  if (config.historyPath !== '') return config.historyPath;
  return workflow || 'lambda-coldstart';
}

function readWarning(loc: HistoryLocation, e: unknown): string {
  if (e instanceof HistoryFormatError) {
    return `history: ${historyFilePath(loc)} in branch ${loc.branch} is not a history this version can use (${e.message}); it is left unchanged and no trend is shown`;
  }
  const { status, message } = errorInfo(e);
  // no HTTP status: it failed here (decoding, memory, a bug), not at GitHub
  if (status === undefined) return `history: could not read ${historyFilePath(loc)} in branch ${loc.branch}: ${firstLine(message)}`;
  const why = `GitHub answered ${status} (${firstLine(message)})`;
  if (status === 403 || status === 404) {
    return `history: ${why} reading branch ${loc.branch}: the token cannot read this repository's contents; grant the job \`permissions: contents: read\` (\`contents: write\` to append)`;
  }
  return `history: could not read branch ${loc.branch}: ${why}`;
}

function writeWarning(loc: HistoryLocation, e: unknown): string {
  if (e instanceof HistoryFormatError) return readWarning(loc, e);
  if (e instanceof HistoryWriteRefusedError) {
    return `history: GitHub refused the write to branch ${loc.branch} (${e.status}: ${e.detail}): a branch protection rule or ruleset blocks it; exempt that branch (or choose another \`history\` branch) and grant the job \`permissions: contents: write\``;
  }
  if (e instanceof HistoryContentionError) return `history: not appended: ${e.message}; the next run appends its own entry`;
  const { status, message } = errorInfo(e);
  if (status === undefined) return `history: not appended: ${firstLine(message)}`;
  const why = `GitHub answered ${status} (${firstLine(message)})`;
  if (status === 403 || status === 404) {
    return `history: not appended: ${why}: the token may not write to branch ${loc.branch}; grant the job \`permissions: contents: write\``;
  }
  return `history: not appended: ${why}`;
}

/** The drift warning of one series, in the issue's words and with the report's formatters (both round alike). */
export function driftWarning(d: Drift): string {
  return `drift: ${d.function} @ ${d.memory} MB: median init ${ms(d.p50)} ms; ${driftClause(d)}, over the last ${d.runs} runs`;
}

/** What openHistory read and decided, for recordRun. */
interface OpenedHistory {
  opts: HistoryStepOptions;
  octokit: Octokit;
  loc: HistoryLocation;
  repository: string;
  historyUrl: string;
  branch: string;
  entry: HistoryEntry;
  /** Earlier runs (this workflow run's own earlier attempt left out). */
  previous: HistoryEntry[];
}

/** Reads the history (for the Trend) and decides whether this run appends. Undefined when `history` is empty. */
export async function openHistory(opts: HistoryStepOptions): Promise<HistoryStep | undefined> {
  const { config, results, context: ctx, log } = opts;
  if (config.history === '') return undefined;
  const none: HistoryStep = { trend: undefined, record: async () => [] };
  let repoRef: { owner: string; repo: string };
  try {
    repoRef = ctx.repo; // @actions/github's getter throws without GITHUB_REPOSITORY
  } catch (e) {
    log.warning(`history: skipped: the repository is unknown (${firstLine(errorInfo(e).message)})`);
    return none;
  }
  const loc: HistoryLocation = { owner: repoRef.owner, repo: repoRef.repo, branch: config.history, dir: config.historyPath };
  const server = (opts.serverUrl || 'https://github.com').replace(/\/+$/, '');
  const repository = `${server}/${loc.owner}/${loc.repo}`;
  const historyUrl = `${repository}/tree/${loc.branch}${loc.dir === '' ? '' : `/${loc.dir}`}`;
  const branch = ctx.ref.startsWith('refs/heads/') ? ctx.ref.slice('refs/heads/'.length) : ctx.ref;
  const entry: HistoryEntry = entryFromResults(results, {
    commit: ctx.sha,
    branch,
    event: ctx.eventName,
    ...(opts.runUrl === undefined ? {} : { runUrl: opts.runUrl }),
  });
  if (!config.githubToken && !opts.octokit) {
    log.warning('history: no GitHub token; pass `github-token: ${{ github.token }}` with `permissions: contents: write`');
    return none;
  }
  const octokit = opts.octokit ?? getOctokit(config.githubToken);

  let previous: HistoryEntry[];
  try {
    const read = await readHistory(octokit, loc);
    if ('history' in read) previous = read.history.entries;
    else {
      previous = [];
      log.info(
        `History: ${read.missing === 'branch' ? `branch ${loc.branch} does not exist yet` : `no ${historyFilePath(loc)} in branch ${loc.branch} yet`}`,
      );
    }
  } catch (e) {
    log.warning(readWarning(loc, e));
    return none;
  }
  // a re-run (same workflow run) is not compared with its own earlier attempt
  previous = previous.filter((e) => e.runUrl === undefined || e.runUrl !== entry.runUrl);
  const opened: OpenedHistory = { opts, octokit, loc, repository, historyUrl, branch, entry, previous };
  return {
    trend: { history: previous, current: entry, historyUrl, threshold: config.failOnRegression ?? 0 },
    record: async () => {
      try {
        return await recordRun(opened);
      } catch (e) {
        // Nothing here may fail the benchmark: its results are published already.
        log.warning(`history: ${firstLine(errorInfo(e).message)}`);
        return [];
      }
    },
  };
}

/** Appends (when allowed), judges drift (schedules), syncs the issue. */
async function recordRun(h: OpenedHistory): Promise<Drift[]> {
  const { opts, octokit, loc, entry } = h;
  const { config, context: ctx, log } = opts;
  if (entry.rows.length === 0) return [];
  const why = await whyNotWrite(octokit, ctx, h.branch);
  if (why !== undefined) {
    log.info(`History: read only (${why})`);
  } else {
    try {
      const result = await appendToHistory(octokit, loc, entry, {
        name: benchmarkName(config, process.env['GITHUB_WORKFLOW']),
        repository: h.repository,
        limit: config.historyLimit,
        renderPage: renderDashboard,
        log,
      });
      const what = { 'created-branch': `created branch ${loc.branch} with`, 'created-file': 'created', appended: 'appended to' }[
        result.action
      ];
      log.info(`History: ${what} ${historyFilePath(loc)} (${result.entries} run(s)) and rewrote ${historyFilePath(loc, 'index.html')}`);
    } catch (e) {
      log.warning(writeWarning(loc, e));
    }
  }
  if (ctx.eventName !== 'schedule') return [];
  const threshold = config.failOnRegression ?? 0;
  const judged = judgeDrift(h.previous, entry, threshold);
  for (const d of judged.drift) log.warning(driftWarning(d));
  const causes = [...new Set(judged.drift.map((d) => d.function))].map((fn) => ({
    function: fn,
    changes: recentChanges(h.previous, entry, fn, DRIFT_WINDOW),
  }));
  for (const c of causes) if (c.changes.length > 0) log.info(`Changed besides the code for ${c.function}: ${c.changes.join('; ')}`);
  if (judged.skipped.length > 0) log.info(`Drift not judged for: ${judged.skipped.join('; ')}`);
  if (config.alert === 'issue' && judged.judged > 0) {
    const name = benchmarkName(config, process.env['GITHUB_WORKFLOW']);
    const synced = await syncDriftIssue(octokit, {
      owner: loc.owner,
      repo: loc.repo,
      key: `${loc.branch}:${historyFilePath(loc)}`,
      title: `Cold-start drift: ${name}`,
      body:
        judged.drift.length === 0
          ? null
          : renderDriftIssue(name, judged.drift, {
              ...(opts.runUrl === undefined ? {} : { runUrl: opts.runUrl }),
              historyUrl: h.historyUrl,
              threshold,
              causes,
            }),
      recoveredComment: `Cold starts are back within the drift limits of the recent runs${opts.runUrl ? ` in ${markdownLink('this run', opts.runUrl)}` : ''}: closing.`,
      log,
    });
    if (synced.warning !== undefined) log.warning(synced.warning);
  }
  return judged.drift;
}

/** Why this run must not append (undefined = it may): not a writing event, or not the default branch. */
async function whyNotWrite(octokit: Octokit, ctx: HistoryContext, branch: string): Promise<string | undefined> {
  if (!(WRITING_EVENTS as readonly string[]).includes(ctx.eventName)) {
    return `${ctx.eventName || 'this'} runs only read the history; default-branch runs from push, schedule or workflow_dispatch append`;
  }
  if (!ctx.ref.startsWith('refs/heads/')) return `${ctx.ref} is not a branch`;
  let defaultBranch = ctx.payload?.repository?.default_branch as string | undefined;
  // A schedule always runs on the default branch (its payload names no repository).
  if (defaultBranch === undefined && ctx.eventName === 'schedule') defaultBranch = branch;
  if (defaultBranch === undefined) {
    try {
      defaultBranch = (await octokit.rest.repos.get({ owner: ctx.repo.owner, repo: ctx.repo.repo })).data.default_branch;
    } catch (e) {
      return `the default branch is unknown (${firstLine(errorInfo(e).message)})`;
    }
  }
  return branch === defaultBranch ? undefined : `branch ${branch} is not the default branch ${defaultBranch}`;
}
