/** Who changes the functions: the id each undo record names, so a later actor can tell whose record it is. */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** The GitHub run (with its attempt) and this job's own suffix — matrix jobs of one run share the URL. */
export function githubRunId(url: string, env: NodeJS.ProcessEnv = process.env): string {
  return `${githubRunPrefix(url, env)}#${randomBytes(3).toString('hex')}`;
}

/** What every run id of this workflow run attempt starts with (the post step's own records). */
export function githubRunPrefix(url: string, env: NodeJS.ProcessEnv = process.env): string {
  return `${url}/attempts/${env['GITHUB_RUN_ATTEMPT'] || '1'}`;
}

/** A CLI run: the machine and a random part (never a secret). */
export function cliRunId(): string {
  return `cli:${hostname() || 'localhost'}:${randomBytes(3).toString('hex')}`;
}
