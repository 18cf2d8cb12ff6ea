/**
 * One sticky comment per pull request and tag: found by a hidden marker among the comments written by the
 * token's user, updated in place or created, left alone when its body is unchanged.
 */
import { getOctokit } from '@actions/github';
import { ColdstartError } from '../core/errors.js';
import { findPullRequest, firstLine, type EventContext, type Octokit, type PrTarget } from './context.js';
import { errorInfo } from './errors.js';
import { type Logger } from '../core/logger.js';
import { shortenMarkdown } from './shorten.js';

/** GitHub's limit on an issue / PR comment body, in characters. */
export const MAX_COMMENT_LENGTH = 65_536;

/** The bot that writes comments made with the workflow's GITHUB_TOKEN. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

/** The hidden HTML comment that identifies our comment for a tag. The tag is URI-encoded so it cannot end the comment. */
export function marker(tag: string): string {
  return `<!-- lambda-coldstart:comment tag="${encodeURIComponent(tag)}" -->`;
}

/** `body` with the tag's marker appended (unless it already holds it): what upsertComment writes. */
export function withMarker(body: string, tag: string): string {
  const m = marker(tag);
  return body.includes(m) ? body : `${body.replace(/\s+$/, '')}\n\n${m}\n`;
}

export const COMMENT_SHORTENED_NOTE =
  "> **Comment shortened** to fit GitHub's 65,536-character limit: the full report is in the job summary and report.md in the artifact.";

/**
 * `body` shortened (at a line, code fences closed, with a note) so that `withMarker(body, tag)` fits in a PR
 * comment; unchanged when it already fits. Use it before postComment, which refuses an over-long body.
 */
export function fitComment(body: string, tag: string, note = COMMENT_SHORTENED_NOTE): string {
  const room = MAX_COMMENT_LENGTH - (withMarker('', tag).length + 2);
  return shortenMarkdown(body, { max: room, unit: 'chars', note }).text;
}

export class CommentTooLongError extends ColdstartError {
  override name = 'CommentTooLongError';
  constructor(readonly length: number) {
    super(
      `The PR comment would be ${length.toLocaleString('en-US')} characters, more than GitHub's limit of ${MAX_COMMENT_LENGTH.toLocaleString('en-US')}: shorten the body (the full report is in the job summary and the artifact)`,
    );
  }
}

interface CommentLike {
  id: number;
  body?: string | null;
  html_url: string;
  user?: { login?: string; type?: string } | null;
}

/**
 * Creates or updates this tag's comment on the PR. Reads ALL pages of comments. The author must be the token's
 * user (GET /user); when that is 403 (GITHUB_TOKEN / app installation tokens) a Bot author is accepted,
 * github-actions[bot] first. Throws CommentTooLongError for a body over 65,536 characters (marker included),
 * and Octokit's RequestError for API failures (postComment turns those into warnings).
 */
export async function upsertComment(
  octokit: Octokit,
  target: PrTarget,
  body: string,
  tag: string,
  log: Logger,
): Promise<{ url: string; action: 'created' | 'updated' | 'unchanged' }> {
  const full = withMarker(body, tag);
  if (full.length > MAX_COMMENT_LENGTH) throw new CommentTooLongError(full.length);
  const m = marker(tag);

  let login: string | undefined;
  try {
    login = (await octokit.rest.users.getAuthenticated()).data.login;
  } catch (error) {
    const { status, message } = errorInfo(error);
    if (status !== 403 && status !== 404) throw error;
    log.debug?.(`GET /user answered ${status} (${firstLine(message)}): an installation token; looking for a Bot's comment`);
  }

  const comments: CommentLike[] = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.number,
    per_page: 100,
  });
  const ours = comments.filter((c) => (c.body ?? '').includes(m));
  const existing = login
    ? ours.find((c) => c.user?.login === login)
    : (ours.find((c) => c.user?.login === ACTIONS_BOT_LOGIN) ?? ours.find((c) => c.user?.type === 'Bot'));

  if (existing) {
    if ((existing.body ?? '') === full) {
      log.info(`PR comment unchanged: ${existing.html_url}`);
      return { url: existing.html_url, action: 'unchanged' };
    }
    const { data } = await octokit.rest.issues.updateComment({
      owner: target.owner,
      repo: target.repo,
      comment_id: existing.id,
      body: full,
    });
    log.info(`PR comment updated: ${data.html_url}`);
    return { url: data.html_url, action: 'updated' };
  }
  const { data } = await octokit.rest.issues.createComment({
    owner: target.owner,
    repo: target.repo,
    issue_number: target.number,
    body: full,
  });
  log.info(`PR comment created: ${data.html_url}`);
  return { url: data.html_url, action: 'created' };
}

export interface PostCommentOptions {
  /** github-token input; empty or undefined → a warning, no comment. */
  token: string | undefined;
  tag: string;
  body: string;
  /** The event context (`@actions/github`'s `context` satisfies it). */
  context: EventContext;
  log: Logger;
  /** Octokit to use (tests); default `getOctokit(token)` — which honours GITHUB_API_URL as read when @actions/github loaded. */
  octokit?: Octokit;
}

export interface PostCommentResult {
  url?: string;
  action?: 'created' | 'updated' | 'unchanged';
  /** Something the user should fix (emit with core.warning). */
  warning?: string;
  /** Why nothing was posted, when that is expected (emit with core.notice or info). */
  notice?: string;
}

const PR_EVENTS = new Set(['pull_request', 'pull_request_target']);

/**
 * The degrade wrapper around findPullRequest + upsertComment: never throws. Other events and pushes without
 * an open PR → notice. Missing token, 403 (read-only token, fork PRs), 404, an over-long body or any other
 * API failure → warning naming the fix.
 */
export async function postComment(opts: PostCommentOptions): Promise<PostCommentResult> {
  const { context: ctx, log } = opts;
  if (!PR_EVENTS.has(ctx.eventName) && ctx.eventName !== 'push') {
    return { notice: `PR comment skipped: the ${ctx.eventName || 'unknown'} event has no pull request (the job summary has the report)` };
  }
  if (!opts.token && !opts.octokit) {
    return {
      warning:
        'PR comment skipped: no GitHub token. Pass `github-token: ${{ github.token }}` and grant the job `permissions: pull-requests: write`.',
    };
  }
  try {
    const octokit = opts.octokit ?? getOctokit(opts.token ?? '');
    const target = await findPullRequest(octokit, ctx, log);
    if ('skip' in target) return { notice: `PR comment skipped: ${target.skip}` };
    const result = await upsertComment(octokit, target, opts.body, opts.tag, log);
    return { url: result.url, action: result.action };
  } catch (error) {
    if (error instanceof CommentTooLongError) return { warning: `PR comment skipped: ${error.message}` };
    const { status, message } = errorInfo(error);
    if (status === 403) return { warning: forbiddenWarning(ctx, message) };
    if (status === 404) {
      return {
        warning: `PR comment skipped: GitHub answered 404 Not Found (${firstLine(message)}). The token cannot see this repository or pull request: use the workflow's token (\`github-token: \${{ github.token }}\`) with \`permissions: pull-requests: write\`, or a token with access to the repository.`,
      };
    }
    if (status === 401) {
      return { warning: `PR comment skipped: the GitHub token was rejected (401 Bad credentials). Check the \`github-token\` input.` };
    }
    return { warning: `PR comment skipped: ${status ? `GitHub answered ${status}: ` : ''}${firstLine(message)}` };
  }
}

function forbiddenWarning(ctx: EventContext, message: string): string {
  const head = ctx.payload?.pull_request?.head?.repo?.full_name;
  const base = ctx.payload?.pull_request?.base?.repo?.full_name ?? `${ctx.repo.owner}/${ctx.repo.repo}`;
  const fork = typeof head === 'string' && head !== base;
  const why = `GitHub answered 403 (${firstLine(message)})`;
  if (fork) {
    return (
      `PR comment skipped: ${why}. This pull request comes from a fork (${head}), and GitHub gives fork PRs a read-only token. ` +
      'The report is in the job summary and the artifact. To comment on fork PRs, post the comment from a second workflow triggered by ' +
      '`workflow_run` (it runs with a write token in the base repository): download the artifact there and post report.md.'
    );
  }
  return (
    `PR comment skipped: ${why}. The token may not write pull request comments: grant the job ` +
    '`permissions: pull-requests: write` (and keep `contents: read`), or pass a token that can.'
  );
}
