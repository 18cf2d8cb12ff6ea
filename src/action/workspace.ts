/**
 * The workspace the action may read and write: `output-dir` and a `baseline` path must lie inside it (or the runner's
 * temp folder): a path elsewhere is refused — the job summary must never show a file from outside
 * (`baseline: /proc/self/environ`). Checked twice: lexically before anything runs, and where the file really is
 * (symbolic links resolved) when it is opened.
 */
import { lstat, realpath } from 'node:fs/promises';
import {
  basename,
  dirname,
  isAbsolute as isAbsolutePath,
  join,
  relative as relativePath,
  resolve,
  resolve as resolvePath,
} from 'node:path';
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
 * `path` with every symbolic link resolved, also where its last parts do not exist yet (an output folder made later):
 * the deepest existing ancestor is resolved and the rest appended. A link that leads nowhere is refused — whatever
 * appears at its target later would be written through it.
 */
async function realPathOf(input: string, value: string, path: string): Promise<string> {
  const rest: string[] = [];
  for (let current = path; ; current = dirname(current)) {
    try {
      return join(await realpath(current), ...rest);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
      const entry = await lstat(current).catch(() => undefined);
      if (entry?.isSymbolicLink()) {
        throw new UserError(`${input}: "${value}" goes through a symbolic link to a missing path; give a path inside the workspace`);
      }
      if (dirname(current) === current) return path;
      rest.unshift(basename(current));
    }
  }
}

/**
 * The absolute path of `value` (relative to the workspace) as it really is (symbolic links resolved, also those above a
 * folder not created yet), checked against the roots as they really are: a link in the workspace pointing at
 * /proc/self/environ, or an output folder under a link to /tmp, is refused like the path itself (a UserError naming the
 * input). Returns the resolved path: what is written or read is what was checked.
 */
export async function insideWorkspace(input: string, value: string, roots: WorkspaceRoots): Promise<string> {
  const path = resolve(roots.workspace, value);
  const real = await realPathOf(input, value, path);
  const realRoots = {
    workspace: await realpath(roots.workspace).catch(() => roots.workspace),
    temp: roots.temp ? await realpath(roots.temp).catch(() => roots.temp) : undefined,
  };
  if (!isInside(real, realRoots)) {
    throw new UserError(`${input}: "${value}" leads outside the workspace (a symbolic link); give a path inside it`);
  }
  return real;
}

/** `output-dir` resolved through symbolic links, inside the workspace (or the runner's temp folder); else a UserError. */
export function outputDirectory(config: Pick<Config, 'outputDir'>, roots: WorkspaceRoots = workspaceRoots()): Promise<string> {
  return insideWorkspace('output-dir', config.outputDir, roots);
}
