/** Shared set-up for the GitHub tests: the fake on 127.0.0.1 and the env the real @actions/* clients read. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, vi } from 'vitest';
import type { Logger } from '../../src/core/logger.js';
import { startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from '../fakes/github-server.js';

export interface RecordingLog extends Logger {
  lines: { level: string; message: string }[];
}

export function recordingLog(): RecordingLog {
  const lines: { level: string; message: string }[] = [];
  return {
    lines,
    info: (message) => lines.push({ level: 'info', message }),
    warning: (message) => lines.push({ level: 'warning', message }),
    notice: (message) => lines.push({ level: 'notice', message }),
    group: (title, group) => lines.push({ level: 'group', message: [title, ...group].join('\n') }),
    debug: (message) => lines.push({ level: 'debug', message }),
  };
}

/**
 * Starts the fake and points the process at it. Must run BEFORE src/github (and so @actions/github) is
 * imported: @actions/github reads GITHUB_API_URL once, at import. Tests import the modules dynamically.
 */
export async function fakeGitHubEnv(opts: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const fake = await startFakeGitHub(opts);
  process.env['GITHUB_API_URL'] = fake.url;
  process.env['ACTIONS_RESULTS_URL'] = `${fake.url}/`;
  process.env['GITHUB_SERVER_URL'] = 'https://github.com';
  process.env['GITHUB_REPOSITORY'] = `${fake.owner}/${fake.repo}`;
  delete process.env['ACTIONS_RUNTIME_TOKEN'];
  delete process.env['GITHUB_RUN_ATTEMPT'];
  // Keep @actions/core quiet and off the real runner files.
  delete process.env['GITHUB_OUTPUT'];
  delete process.env['GITHUB_STEP_SUMMARY'];
  return fake;
}

export function tempDir(prefix = 'lcs-gh-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function prContext(number: number, extra: Record<string, unknown> = {}) {
  return {
    eventName: 'pull_request',
    payload: { number, pull_request: { number, ...extra } },
    repo: { owner: 'octo-org', repo: 'octo-repo' },
    sha: 'a'.repeat(40),
  };
}

/**
 * The artifact client reports every step through @actions/core — `::debug::` workflow commands and info lines
 * ("Found 0 artifact(s)", "::add-mask::…") on stdout, for a runner's log. Here that output is kept per test and printed
 * only when the test fails, where it helps; the assertions read the results and a recording logger, not stdout.
 */
export function holdStdout(): void {
  let held: string[] = [];
  beforeEach(({ onTestFailed }) => {
    held = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array) => {
      held.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof process.stdout.write);
    onTestFailed(() => {
      spy.mockRestore();
      for (const text of held) process.stdout.write(text);
    });
  });
  afterEach(() => {
    vi.mocked(process.stdout.write).mockRestore?.();
  });
}
