/**
 * The workspace the action may read and write: `output-dir` and a `baseline` path must lie inside it (or the runner's
 * temp folder): a path elsewhere is refused — the job summary must never show a file from outside
 * (`baseline: /proc/self/environ`). Checked twice: lexically before anything runs, and where the file really is
 * (symbolic links resolved) when it is opened.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute as isAbsolutePath, relative as relativePath, resolve, resolve as resolvePath } from 'node:path';
import type { InputName } from '../config/inputs.js';
import type { Config } from '../config/model.js';
import { UserError } from '../core/errors.js';

export interface WorkspaceRoots {
  workspace: string;
  temp?: string | undefined;
}

/** The job's workspace (GITHUB_WORKSPACE), or the current folder off a runner. */
export function workspace(env: NodeJS.ProcessEnv = process.env): string {
  return env['GITHUB_WORKSPACE'] || process.cwd();
}

/** Where output-dir and baseline may point: the workspace, and the runner's temp folder. */
export function workspaceRoots(env: NodeJS.ProcessEnv = process.env): WorkspaceRoots {
  const temp = env['RUNNER_TEMP'];
  return temp ? { workspace: workspace(env), temp } : { workspace: workspace(env) };
}

/** The path inputs that lead outside the roots, one problem each. Lexical. PURE. */
export function workspaceProblems(config: Pick<Config, 'outputDir' | 'baseline' | 'mode'>, roots: WorkspaceRoots): string[] {
  const problems: string[] = [];
  const check = (input: InputName, value: string): void => {
    if (!isInside(value, roots)) {
      problems.push(
        `${input}: "${value}" is outside the workspace (${roots.workspace}${roots.temp ? ` or the runner's temp folder ${roots.temp}` : ''}); give a path inside it`,
      );
    }
  };
  if (config.mode !== 'restore') check('output-dir', config.outputDir);
  if (config.baseline !== '' && config.baseline !== 'auto') check('baseline', config.baseline);
  return problems;
}

/** `value` (relative to the workspace) resolves inside the workspace or `temp`. PURE. */
export function isInside(value: string, roots: WorkspaceRoots): boolean {
  const full = resolvePath(roots.workspace, value);
  return [roots.workspace, roots.temp].some((root) => {
    if (root === undefined || root === '') return false;
    const rel = relativePath(resolvePath(root), full);
    return rel === '' || (!rel.startsWith('..') && !isAbsolutePath(rel));
  });
}

/**
 * The absolute path of `value` (relative to the workspace), checked where the file really is: a link in the workspace
 * pointing at /proc/self/environ is refused like the path itself (a UserError naming the input).
 */
export async function insideWorkspace(input: string, value: string, roots: WorkspaceRoots): Promise<string> {
  const path = resolve(roots.workspace, value);
  const real = await realpath(path).catch(() => undefined); // missing: the reader says so
  if (real === undefined) return path;
  const realRoots = {
    workspace: await realpath(roots.workspace).catch(() => roots.workspace),
    temp: roots.temp ? await realpath(roots.temp).catch(() => roots.temp) : undefined,
  };
  if (!isInside(real, realRoots)) {
    throw new UserError(`${input}: "${value}" leads outside the workspace (a symbolic link); give a path inside it`);
  }
  return path;
}
