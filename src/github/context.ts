/**
 * Which pull request a run belongs to, and the run's URL. Takes the event context as an argument (the
 * shape of `@actions/github`'s `context`), never reads it at module load.
 */
import type { getOctokit } from '@actions/github';
import { errorInfo } from './errors.js';
import { type Logger } from '../core/logger.js';

export type Octokit = ReturnType<typeof getOctokit>;

export interface PrTarget {
  owner: string;
  repo: string;
  number: number;
}

/** The parts of `@actions/github`'s `context` this module needs. */
export interface EventContext {
  eventName: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  payload: any;
  repo: { owner: string; repo: string };
  sha: string;
}

/**
 * pull_request / pull_request_target → the event's PR; push → the open PR whose head is this commit
 * (repos.listPullRequestsAssociatedWithCommit), else skip; any other event → skip. `skip` is a sentence
 * suitable for a notice.
 */
export async function findPullRequest(octokit: Octokit, ctx: EventContext, log: Logger): Promise<PrTarget | { skip: string }> {
  const { owner, repo } = ctx.repo;
  if (ctx.eventName === 'pull_request' || ctx.eventName === 'pull_request_target') {
    const number = Number(ctx.payload?.pull_request?.number ?? ctx.payload?.number);
    if (!Number.isInteger(number) || number <= 0) {
      return { skip: `the ${ctx.eventName} event payload has no pull request number; no PR comment written` };
    }
    return { owner, repo, number };
  }
  if (ctx.eventName === 'push') {
    let pulls: { number: number; state: string; head?: { sha?: string } }[];
    try {
      const response = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
        owner,
        repo,
        commit_sha: ctx.sha,
        per_page: 100,
      });
      pulls = response.data;
    } catch (error) {
      const { status, message } = errorInfo(error);
      log.debug?.(`listPullRequestsAssociatedWithCommit failed: ${message}`);
      return {
        skip: `could not look up the pull request of commit ${ctx.sha.slice(0, 7)} (${status ?? 'error'}: ${firstLine(message)}); no PR comment written`,
      };
    }
    const open = pulls.filter((p) => p.state === 'open');
    const pr = open.find((p) => p.head?.sha === ctx.sha) ?? open[0];
    if (!pr) return { skip: `no open pull request has commit ${ctx.sha.slice(0, 7)}; no PR comment written` };
    log.info(`Commit ${ctx.sha.slice(0, 7)} belongs to pull request #${pr.number}`);
    return { owner, repo, number: pr.number };
  }
  return {
    skip: `the ${ctx.eventName || 'unknown'} event has no pull request; no PR comment written (the job summary has the report)`,
  };
}

/** `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}`, or undefined off GitHub. */
export function runUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const server = (env['GITHUB_SERVER_URL'] || 'https://github.com').replace(/\/+$/, '');
  const repository = env['GITHUB_REPOSITORY'];
  const runId = env['GITHUB_RUN_ID'];
  if (!repository || !runId) return undefined;
  return `${server}/${repository}/actions/runs/${runId}`;
}

export function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}
