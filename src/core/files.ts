/**
 * The one way a file given by a user (or downloaded for one) is read, and the one way a result file is written.
 * Read: a regular file only, and no more than its kind's limit. A named pipe would hang the step until the job's timeout
 * (`open` waits for a writer); a device is endless (`/dev/zero`) or has side effects; a file beyond any size we write
 * is not ours to parse. Every refusal is one FileReadError naming the path and, for size, the limit — never the file's
 * contents. Written: never through a symbolic link or into anything but a regular file (a link committed in the
 * output folder would otherwise carry the write outside it).
 */
import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { UserError } from './errors.js';

export interface ReadLimit {
  /** What such a file is, for the message: "a results file (results.json or speed.csv)". */
  what: string;
  maxBytes: number;
}

/**
 * A file that is missing, unreadable, not a regular file, or over its limit. The message is "no such file: <path>" for
 * a missing one, else "cannot read <path>: <why>".
 */
export class FileReadError extends UserError {
  override name = 'FileReadError';
  constructor(
    readonly path: string,
    readonly reason: 'missing' | 'unreadable' | 'not-a-file' | 'too-large',
    detail: string,
    options?: ErrorOptions,
  ) {
    super(reason === 'missing' ? `no such file: ${path}` : `cannot read ${path}: ${detail}`, options);
  }
}

/** "900 KB", "3.6 MB", "128 MB": sizes as the messages print them (decimal units, as the limits are set). */
export function byteSize(n: number): string {
  if (n < 1000) return `${n} bytes`;
  const [v, unit] = n < 1_000_000 ? [n / 1000, 'KB'] : n < 1_000_000_000 ? [n / 1_000_000, 'MB'] : [n / 1_000_000_000, 'GB'];
  return `${Number(v.toFixed(1))} ${unit}`;
}

/** What a path that is not a regular file is. */
function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isDirectory()) return 'a folder';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function notAFile(path: string, st: Stats): FileReadError {
  const kind = kindOf(st);
  return new FileReadError(path, 'not-a-file', kind.startsWith('not') ? kind : `${kind}, not a regular file`);
}

/** `size` undefined: the file said less than it held (it grew, or reports none) — more than the limit was read. */
function tooLarge(path: string, size: number | undefined, limit: ReadLimit): FileReadError {
  const max = byteSize(limit.maxBytes);
  // "128 MB, over the 128 MB limit" says nothing: the bytes then
  const shown = size === undefined ? `more than ${max}` : byteSize(size) === max ? `${size} bytes` : byteSize(size);
  return new FileReadError(path, 'too-large', `${shown}, over the ${max} limit of ${limit.what}`);
}

/** An error of the file system in words: a user reads "no such file", not ENOENT. */
function unreadable(path: string, e: unknown): FileReadError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new FileReadError(path, 'missing', 'no such file', { cause: e });
  const detail = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? (e instanceof Error ? e.message : String(e)));
  return new FileReadError(path, 'unreadable', detail, { cause: e });
}

/** Reads at most `max` + 1 bytes: enough to tell "over the limit" without reading what lies beyond. */
async function readUpTo(handle: FileHandle, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const want = Math.min(1 << 20, max + 1 - total);
    if (want <= 0) break;
    const buf = Buffer.alloc(want);
    const { bytesRead } = await handle.read(buf, 0, want, null);
    if (bytesRead === 0) break;
    chunks.push(bytesRead === want ? buf : buf.subarray(0, bytesRead));
    total += bytesRead;
  }
  return Buffer.concat(chunks, total);
}

/**
 * The file's text (UTF-8). Checked before it is opened (a pipe is never opened, a device never touched), opened without
 * blocking, checked again on what was opened (the path may have changed meanwhile), then read up to the limit — a file
 * that grows, or one that reports no size (in /proc), is still cut off there.
 */
export async function readTextFile(path: string, limit: ReadLimit): Promise<string> {
  const before = await stat(path).catch((e: unknown) => {
    throw unreadable(path, e);
  });
  if (!before.isFile()) throw notAFile(path, before);
  if (before.size > limit.maxBytes) throw tooLarge(path, before.size, limit);
  // O_NONBLOCK: a pipe put in the file's place after the check opens at once instead of waiting for a writer
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)).catch((e: unknown) => {
    throw unreadable(path, e);
  });
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw notAFile(path, st);
    if (st.size > limit.maxBytes) throw tooLarge(path, st.size, limit);
    const data = await readUpTo(handle, limit.maxBytes).catch((e: unknown) => {
      throw unreadable(path, e);
    });
    if (data.length > limit.maxBytes) throw tooLarge(path, undefined, limit);
    return data.toString('utf8');
  } finally {
    await handle.close();
  }
}

/** A file that cannot be written where asked: a symbolic link, or not a regular file. */
export class FileWriteError extends UserError {
  override name = 'FileWriteError';
  constructor(
    readonly path: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`cannot write ${path}: ${detail}`, options);
  }
}

/**
 * Writes `text` to `path`, created or truncated — but never through a symbolic link at `path` (O_NOFOLLOW: ELOOP), and
 * only into a regular file (a pipe or a device in its place is refused, not opened for a writer to wait on).
 */
export async function writeTextFile(path: string, text: string): Promise<void> {
  const flags = constants.O_WRONLY | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
  const handle = await open(path, flags, 0o644).catch((e: unknown) => {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new FileWriteError(path, 'it is a symbolic link; remove it or choose another folder', { cause: e });
    if (code === 'ENXIO') throw new FileWriteError(path, 'a named pipe (FIFO), not a regular file', { cause: e });
    throw e;
  });
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new FileWriteError(path, `${kindOf(st)}${kindOf(st).startsWith('not') ? '' : ', not a regular file'}`);
    await handle.truncate(0);
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
}
