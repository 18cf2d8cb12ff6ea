/**
 * Runs the bundled action exactly as the GitHub runner does: `node dist/index.js` with every INPUT_ variable
 * (defaults from action.yml), the file commands (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY), an event file,
 * then the post entry with the saved state as STATE_ variables.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readAction } from './action-docs.js';
import { SDK_NODE_WARNING_SWITCH } from '../src/core/node-version.js';

export const ROOT = resolve(import.meta.dirname, '..');

/** Where the bundles are: $LAMBDA_COLDSTART_DIST (the e2e tests' fresh build of src/, or the committed dist/ in CI), else dist/. */
export const DIST = process.env['LAMBDA_COLDSTART_DIST'] === undefined ? join(ROOT, 'dist') : resolve(process.env['LAMBDA_COLDSTART_DIST']);

/** An entry given as `dist/…` (action.yml's spelling) is looked up in DIST; any other path is relative to the repository. */
export function bundlePath(entry: string): string {
  return entry.startsWith('dist/') ? join(DIST, entry.slice('dist/'.length)) : join(ROOT, entry);
}

/** The oldest Node major we support: package.json's `engines.node` (">=22"). */
export const OLDEST_SUPPORTED_NODE = Number(
  /\d+/.exec((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node)?.[0],
);

/** True on a Node that package.json's engines supports. */
export const SUPPORTED_NODE = Number(process.versions.node.split('.')[0]) >= OLDEST_SUPPORTED_NODE;

/** Dummy credentials and a region, as aws-actions/configure-aws-credentials would leave them (the emulator accepts any). */
export const AWS_TEST_ENV: Record<string, string> = {
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret-for-tests',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  // The SDK warns below Node 22, which we do not support (engines) but still test on where a machine has it.
  ...(SUPPORTED_NODE ? {} : { [SDK_NODE_WARNING_SWITCH]: 'true' }),
};

export interface RunnerJob {
  dir: string;
  workspace: string;
  files: { output: string; state: string; summary: string; event: string; env: string; path: string };
  env: Record<string, string>;
}

export interface StepResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
}

/** Parses a file-command file (`name=value` lines or `name<<DELIM … DELIM` blocks); later values win. */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delim] = heredoc as unknown as [string, string, string];
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delim; i++) value.push(lines[i] ?? '');
      out[name] = value.join('\n');
    } else if (line.includes('=')) {
      const at = line.indexOf('=');
      out[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return out;
}

export interface JobOptions {
  inputs?: Record<string, string>;
  event?: { name: string; payload: unknown };
  env?: Record<string, string>;
}

/** A job: a workspace, the runner's files and environment. Steps of one job share them (like main and post). */
export function createJob(opts: JobOptions = {}): RunnerJob {
  const dir = mkdtempSync(join(tmpdir(), 'lcs-job-'));
  const workspace = join(dir, 'workspace');
  mkdirSync(workspace);
  const files = {
    output: join(dir, 'output'),
    state: join(dir, 'state'),
    summary: join(dir, 'summary.md'),
    event: join(dir, 'event.json'),
    env: join(dir, 'env'),
    path: join(dir, 'path'),
  };
  for (const f of [files.output, files.state, files.summary, files.env, files.path]) writeFileSync(f, '');
  const event = opts.event ?? { name: 'workflow_dispatch', payload: {} };
  writeFileSync(files.event, JSON.stringify(event.payload));

  const action = readAction(join(ROOT, 'action.yml'));
  const inputs: Record<string, string> = {};
  for (const [name, input] of Object.entries(action.inputs)) inputs[name] = input.default ?? '';
  Object.assign(inputs, opts.inputs);
  const token = inputs['github-token'] === '${{ github.token }}' ? 'ghs_testtoken' : (inputs['github-token'] ?? '');
  inputs['github-token'] = token;

  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: dir,
    RUNNER_TEMP: join(dir, 'tmp'),
    RUNNER_OS: 'Linux',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REPOSITORY: 'octo-org/hello-lambdas',
    GITHUB_REPOSITORY_OWNER: 'octo-org',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_RUN_NUMBER: '7',
    GITHUB_SHA: 'c0ffee0000000000000000000000000000000000',
    GITHUB_REF: 'refs/pull/12/merge',
    GITHUB_WORKFLOW: 'Cold starts',
    GITHUB_JOB: 'coldstart',
    GITHUB_ACTOR: 'octocat',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'http://127.0.0.1:9', // a closed port unless a test starts the fake GitHub
    ...AWS_TEST_ENV,
    ...opts.env,
  };
  mkdirSync(env['RUNNER_TEMP'] as string, { recursive: true });
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  return { dir, workspace, files, env };
}

function collect(job: RunnerJob, child: ChildProcess): Promise<StepResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolvePromise({
        code,
        signal,
        stdout,
        stderr,
        outputs: parseFileCommands(readFileSync(job.files.output, 'utf8')),
        state: parseFileCommands(readFileSync(job.files.state, 'utf8')),
        summary: existsSync(job.files.summary) ? readFileSync(job.files.summary, 'utf8') : '',
      });
    });
  });
}

/** Starts `node dist/index.js` (or another entry); returns the child so a test can signal it, and its result. */
export function startStep(
  job: RunnerJob,
  entry = 'dist/index.js',
  extraEnv: Record<string, string> = {},
): { child: ChildProcess; done: Promise<StepResult> } {
  const child = spawn(process.execPath, [bundlePath(entry)], {
    cwd: job.workspace,
    env: { ...job.env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { child, done: collect(job, child) };
}

export function runMain(job: RunnerJob): Promise<StepResult> {
  return startStep(job).done;
}

/** The post step gets the state the main step saved as STATE_<name> variables, as the runner does. */
export function runPost(job: RunnerJob): Promise<StepResult> {
  const saved = parseFileCommands(readFileSync(job.files.state, 'utf8'));
  const stateEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(saved)) stateEnv[`STATE_${k}`] = v;
  writeFileSync(job.files.output, '');
  return startStep(job, 'dist/post/index.js', stateEnv).done;
}

/** `::error::` lines (workflow commands) in a step's stdout. */
export function annotations(stdout: string, kind: 'error' | 'warning' | 'notice'): string[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith(`::${kind}`))
    .map((l) => l.slice(l.indexOf('::', 2) + 2));
}
