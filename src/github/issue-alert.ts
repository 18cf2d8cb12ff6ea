/**
 * One sticky issue per benchmark history for drift on schedules (a schedule has no PR to comment on): found among the
 * open issues by a hidden marker, created or updated while cold starts drift, commented on and closed when they are
 * back. Never throws: API failures come back as a warning naming the permission.
 */
import { type Octokit, firstLine } from './context.js';
import { errorInfo } from './errors.js';
import { type Logger } from '../core/logger.js';

export function alertMarker(key: string): string {
  return `<!-- lambda-coldstart:drift key="${encodeURIComponent(key)}" -->`;
}

export interface DriftIssueOptions {
  owner: string;
  repo: string;
  /** The identity of the history watched (branch and path). */
  key: string;
  title: string;
  /** The issue body while drifting; null when there is no drift (an open issue is closed). */
  body: string | null;
  /** The comment left when closing. */
  recoveredComment: string;
  log: Logger;
}

export interface DriftIssueResult {
  action?: 'created' | 'updated' | 'unchanged' | 'closed' | 'none';
  url?: string;
  warning?: string;
}

interface IssueLike {
  number: number;
  body?: string | null;
  html_url: string;
  pull_request?: unknown;
}

export async function syncDriftIssue(octokit: Octokit, opts: DriftIssueOptions): Promise<DriftIssueResult> {
  const { owner, repo } = opts;
  const marker = alertMarker(opts.key);
  try {
    const open: IssueLike[] = await octokit.paginate(octokit.rest.issues.listForRepo, { owner, repo, state: 'open', per_page: 100 });
    const existing = open.find((i) => i.pull_request === undefined && (i.body ?? '').includes(marker));
    if (opts.body === null) {
      if (!existing) return { action: 'none' };
      await octokit.rest.issues.createComment({ owner, repo, issue_number: existing.number, body: opts.recoveredComment });
      await octokit.rest.issues.update({ owner, repo, issue_number: existing.number, state: 'closed', state_reason: 'completed' });
      opts.log.info(`Drift issue closed: ${existing.html_url}`);
      return { action: 'closed', url: existing.html_url };
    }
    const body = `${opts.body.replace(/\s+$/, '')}\n\n${marker}\n`;
    if (existing) {
      if (existing.body === body) return { action: 'unchanged', url: existing.html_url };
      await octokit.rest.issues.update({ owner, repo, issue_number: existing.number, title: opts.title, body });
      opts.log.info(`Drift issue updated: ${existing.html_url}`);
      return { action: 'updated', url: existing.html_url };
    }
    const { data } = await octokit.rest.issues.create({ owner, repo, title: opts.title, body });
    opts.log.info(`Drift issue opened: ${data.html_url}`);
    return { action: 'created', url: data.html_url };
  } catch (e) {
    const { status, message } = errorInfo(e);
    const why = `GitHub answered ${status ?? 'an error'} (${firstLine(message)})`;
    if (status === 403) {
      return { warning: `alert: ${why}: the token may not write issues; grant the job \`permissions: issues: write\`.` };
    }
    if (status === 410) return { warning: `alert: ${why}: issues are disabled in this repository; enable them or leave \`alert\` empty.` };
    return { warning: `alert: the drift issue was not updated: ${why}.` };
  }
}
