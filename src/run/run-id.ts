/** Who changes the functions: the id each undo record names, so a later actor can tell whose record it is. */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { parseRunId, type RecordWriter } from '../lambda/undo/record.js';
import { thisProcess } from './process-identity.js';

/** The GitHub run (with its attempt) and this job's own suffix — matrix jobs of one run share the URL. */
export function githubRunId(url: string, env: NodeJS.ProcessEnv = process.env): string {
  return `${githubRunPrefix(url, env)}#${randomBytes(3).toString('hex')}`;
}

/** What every run id of this workflow run attempt starts with (the post step's own records). */
export function githubRunPrefix(url: string, env: NodeJS.ProcessEnv = process.env): string {
  return `${url}/attempts/${env['GITHUB_RUN_ATTEMPT'] || '1'}`;
}

/** A run outside GitHub Actions: the machine's name (as the record grammar allows it) and a random part (never a secret). */
export function cliRunId(host: string = hostname()): string {
  const label =
    host
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '')
      .slice(0, 63) || 'localhost';
  return `cli:${label}:${randomBytes(3).toString('hex')}`;
}

/**
 * This run as its records name it: on a runner, the workflow run's job attempt (whose status GitHub tells); elsewhere
 * (the CLI, the action run locally) a CLI run id with this process, which a later run on this machine can check.
 */
export function runWriter(url: string | undefined, env: NodeJS.ProcessEnv = process.env): RecordWriter {
  if (url !== undefined) {
    const runId = githubRunId(url, env);
    if (parseRunId(runId)?.kind === 'github') return { runId };
  }
  return { runId: cliRunId(), process: thisProcess() };
}
