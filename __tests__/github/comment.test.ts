import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeGitHub, ACTIONS_BOT } from '../fakes/github-server.js';
import type { EventContext } from '../../src/github/context.js';
import { fakeGitHubEnv, prContext, recordingLog } from './helpers.js';

let fake: FakeGitHub;
let comment: typeof import('../../src/github/comment.js');
let github: typeof import('@actions/github');

beforeAll(async () => {
  fake = await fakeGitHubEnv();
  comment = await import('../../src/github/comment.js');
  github = await import('@actions/github');
});
afterAll(async () => fake.close());
beforeEach(() => {
  fake.state.comments.length = 0;
  fake.state.pulls.length = 0;
  fake.state.requests.length = 0;
  fake.setMode({ token: 'user', commentWrites: 'ok' });
});

const post = (body: string, tag = 'default', ctx: EventContext = prContext(7), token: string | undefined = 'ghp_test') =>
  comment.postComment({ token, tag, body, context: ctx, log: recordingLog() });

describe('marker', () => {
  it('is a hidden HTML comment naming the tag, safe for any tag', () => {
    expect(comment.marker('default')).toBe('<!-- lambda-coldstart:comment tag="default" -->');
    expect(comment.marker('a"-->b')).not.toMatch(/"[^"]*"[^"]*"[^ ]/);
    expect(comment.marker('a"-->b')).not.toContain('-->b');
  });
});

describe('postComment against the fake GitHub', () => {
  it('creates one sticky comment, updates it on the next run, and leaves an unchanged body alone', async () => {
    const first = await post('## Cold starts\nrun 1');
    expect(first).toMatchObject({ action: 'created' });
    expect(first.url).toMatch(/^https:\/\/github\.com\/octo-org\/octo-repo\/pull\/7#issuecomment-\d+$/);
    expect(first.warning).toBeUndefined();
    const [created] = fake.commentsOf(7);
    expect(created?.body).toContain('run 1');
    expect(created?.body).toContain(comment.marker('default'));

    const second = await post('## Cold starts\nrun 2');
    expect(second).toMatchObject({ action: 'updated', url: first.url });
    expect(fake.commentsOf(7)).toHaveLength(1);
    expect(fake.commentsOf(7)[0]?.body).toContain('run 2');

    const writesBefore = fake.state.requests.filter((r) => r.method === 'PATCH' || r.method === 'POST').length;
    const third = await post('## Cold starts\nrun 2');
    expect(third).toMatchObject({ action: 'unchanged', url: first.url });
    const writesAfter = fake.state.requests.filter((r) => r.method === 'PATCH' || r.method === 'POST').length;
    expect(writesAfter).toBe(writesBefore);
  });

  it('keeps one comment per tag', async () => {
    await post('report A', 'lambda-a');
    await post('report B', 'lambda-b');
    await post('report A v2', 'lambda-a');
    const bodies = fake.commentsOf(7).map((c) => c.body);
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toContain('report A v2');
    expect(bodies[0]).toContain(comment.marker('lambda-a'));
    expect(bodies[1]).toContain('report B');
    expect(bodies[1]).toContain(comment.marker('lambda-b'));
  });

  it('reads all pages of comments: finds the marker on page 3', async () => {
    for (let i = 0; i < 230; i++) fake.addComment(7, `chatter ${i}`, { login: 'someone', id: 2, type: 'User' });
    const ours = fake.addComment(7, `old report\n\n${comment.marker('default')}\n`);
    for (let i = 0; i < 5; i++) fake.addComment(7, `more chatter ${i}`, { login: 'someone', id: 2, type: 'User' });
    const result = await post('new report');
    expect(result.action).toBe('updated');
    expect(result.url).toContain(`#issuecomment-${ours.id}`);
    expect(fake.commentsOf(7).find((c) => c.id === ours.id)?.body).toContain('new report');
    const pages = fake.state.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/issues/7/comments'));
    expect(pages.map((r) => r.query['page'] ?? '1')).toEqual(['1', '2', '3']);
    expect(fake.commentsOf(7)).toHaveLength(236);
  });

  it("does not take over someone else's comment that carries the marker", async () => {
    const theirs = fake.addComment(7, `quoted\n${comment.marker('default')}`, { login: 'mallory', id: 3, type: 'User' });
    const result = await post('mine');
    expect(result.action).toBe('created');
    expect(fake.commentsOf(7).find((c) => c.id === theirs.id)?.body).toBe(`quoted\n${comment.marker('default')}`);
  });

  it('with an installation token (GET /user is 403) finds the github-actions[bot] comment', async () => {
    fake.setMode({ token: 'installation' });
    fake.addComment(7, `not ours\n${comment.marker('default')}`, { login: 'octocat', id: 1, type: 'User' });
    const bot = fake.addComment(7, `bot report\n${comment.marker('default')}`, ACTIONS_BOT);
    const result = await post('bot report v2');
    expect(result.action).toBe('updated');
    expect(result.url).toContain(`#issuecomment-${bot.id}`);
    expect(fake.state.requests.some((r) => r.path === '/user' && r.status === 403)).toBe(true);
    const created = await post('other tag', 'second');
    expect(created.action).toBe('created');
    expect(fake.commentsOf(7).at(-1)?.user.login).toBe('github-actions[bot]');
  });

  it('turns a 403 (read-only token) into a warning with the permission fix, never a throw', async () => {
    fake.setMode({ commentWrites: 'forbidden' });
    const result = await post('report');
    expect(result.url).toBeUndefined();
    expect(result.warning).toMatch(/403/);
    expect(result.warning).toContain('Resource not accessible by integration');
    expect(result.warning).toContain('pull-requests: write');
    expect(fake.commentsOf(7)).toHaveLength(0);
  });

  it('names the workflow_run pattern for a fork PR', async () => {
    fake.setMode({ commentWrites: 'forbidden' });
    const ctx = prContext(7, {
      head: { repo: { full_name: 'forker/octo-repo' } },
      base: { repo: { full_name: 'octo-org/octo-repo' } },
    });
    const result = await post('report', 'default', ctx);
    expect(result.warning).toContain('fork');
    expect(result.warning).toContain('workflow_run');
  });

  it('turns a 404 into a warning', async () => {
    fake.setMode({ commentWrites: 'not-found' });
    const result = await post('report');
    expect(result.warning).toMatch(/404/);
  });

  it('warns without a token', async () => {
    const result = await post('report', 'default', prContext(7), '');
    expect(result.warning).toContain('no GitHub token');
    expect(fake.state.requests).toHaveLength(0);
  });

  it('refuses a body over 65,536 characters with a warning, writing nothing', async () => {
    const result = await post('x'.repeat(65_536));
    expect(result.warning).toMatch(/65,536/);
    expect(fake.state.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
    await expect(
      comment.upsertComment(
        github.getOctokit('t'),
        { owner: 'octo-org', repo: 'octo-repo', number: 7 },
        'x'.repeat(70_000),
        'd',
        recordingLog(),
      ),
    ).rejects.toBeInstanceOf(comment.CommentTooLongError);
  });

  it('on push finds the PR through the commit', async () => {
    const sha = 'b'.repeat(40);
    fake.addPull({ number: 12, headSha: sha, state: 'closed' });
    fake.addPull({ number: 13, headSha: sha });
    const ctx = { eventName: 'push', payload: {}, repo: { owner: 'octo-org', repo: 'octo-repo' }, sha };
    const result = await post('pushed', 'default', ctx);
    expect(result.action).toBe('created');
    expect(fake.commentsOf(13)).toHaveLength(1);
    expect(fake.commentsOf(12)).toHaveLength(0);
    expect(fake.state.requests.some((r) => r.path === `/repos/octo-org/octo-repo/commits/${sha}/pulls`)).toBe(true);
  });

  it('on push without an open PR skips with a notice', async () => {
    const ctx = { eventName: 'push', payload: {}, repo: { owner: 'octo-org', repo: 'octo-repo' }, sha: 'c'.repeat(40) };
    const result = await post('pushed', 'default', ctx);
    expect(result.warning).toBeUndefined();
    expect(result.notice).toContain('no open pull request');
    expect(fake.state.comments).toHaveLength(0);
  });

  it('on other events skips with a notice and no API call', async () => {
    const ctx = { eventName: 'schedule', payload: {}, repo: { owner: 'octo-org', repo: 'octo-repo' }, sha: 'd'.repeat(40) };
    const result = await post('nightly', 'default', ctx);
    expect(result.notice).toContain('schedule');
    expect(result.warning).toBeUndefined();
    expect(fake.state.requests).toHaveLength(0);
  });
});

describe('fitComment', () => {
  it('shortens a long report so that it posts, and leaves a short one alone', async () => {
    const long = Array.from({ length: 3000 }, (_, i) => `| fn-${i} | ${'1'.repeat(30)} |`).join('\n');
    const fitted = comment.fitComment(long, 'default');
    expect(fitted.length).toBeLessThan(long.length);
    expect(comment.withMarker(fitted, 'default').length).toBeLessThanOrEqual(comment.MAX_COMMENT_LENGTH);
    expect(fitted).toContain(comment.COMMENT_SHORTENED_NOTE);
    expect(comment.fitComment('short', 'default')).toBe('short');
    const result = await post(fitted);
    expect(result).toMatchObject({ action: 'created' });
  });
});
