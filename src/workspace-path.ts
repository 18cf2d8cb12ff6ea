/**
 * A path input that must stay inside the workspace, checked where the file really is (symbolic links resolved): a link
 * in the workspace pointing at /proc/self/environ is refused like the path itself.
 */
import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isInside } from './config.js';
import { UserError } from './errors.js';

/** The absolute path of `value` (relative to the workspace); throws a UserError naming the input when it leads outside. */
export async function insideWorkspace(
  input: string,
  value: string,
  roots: { workspace: string; temp?: string | undefined },
): Promise<string> {
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
