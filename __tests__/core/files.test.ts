/** Files are read regular and bounded, and written never through a link (src/core/files.ts). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileReadError, FileWriteError, byteSize, readTextFile, writeTextFile } from '../../src/core/files.js';
import { RESULTS_FILE_MAX_BYTES } from '../../src/config/limits.js';
import { RESULTS_READ_LIMIT, readResultsFile } from '../../src/results/json.js';

const dir = mkdtempSync(join(tmpdir(), 'lcs-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const LIMIT = { what: 'a test file', maxBytes: 100 };
const posix = process.platform !== 'win32';

describe('readTextFile', () => {
  it('reads a regular file within the limit', async () => {
    writeFileSync(join(dir, 'ok.txt'), 'x'.repeat(100));
    expect(await readTextFile(join(dir, 'ok.txt'), LIMIT)).toBe('x'.repeat(100));
  });

  it('refuses a file over the limit by its size, naming the limit, never the contents', async () => {
    writeFileSync(join(dir, 'big.txt'), `SECRET${'y'.repeat(200)}`);
    const e = await readTextFile(join(dir, 'big.txt'), LIMIT).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FileReadError);
    expect((e as FileReadError).reason).toBe('too-large');
    expect((e as Error).message).toBe(`cannot read ${join(dir, 'big.txt')}: 206 bytes, over the 100 bytes limit of a test file`);
  });

  it.skipIf(!posix)('refuses a named pipe at once (opening one waits for a writer: the step hung until its timeout)', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    await expect(readTextFile(fifo, LIMIT)).rejects.toThrow(`cannot read ${fifo}: a named pipe (FIFO), not a regular file`);
    // a link to it too: what is checked is what the link leads to
    symlinkSync(fifo, join(dir, 'pipe-link'));
    await expect(readTextFile(join(dir, 'pipe-link'), LIMIT)).rejects.toThrow('a named pipe (FIFO), not a regular file');
  });

  it.skipIf(!existsSync('/dev/zero'))('refuses a device (report /dev/zero read 660 MB) and a folder', async () => {
    await expect(readTextFile('/dev/zero', RESULTS_READ_LIMIT)).rejects.toThrow(
      'cannot read /dev/zero: a character device, not a regular file',
    );
    await expect(readTextFile(dir, LIMIT)).rejects.toThrow(`cannot read ${dir}: a folder, not a regular file`);
  });

  it.skipIf(!existsSync('/proc/self/status'))('stops at the limit in a file that reports no size (/proc)', async () => {
    await expect(readTextFile('/proc/self/status', LIMIT)).rejects.toThrow('more than 100 bytes, over the 100 bytes limit');
  });

  it('a missing file: the error code, as before', async () => {
    await expect(readTextFile(join(dir, 'nope'), LIMIT)).rejects.toThrow(`no such file: ${join(dir, 'nope')}`);
  });

  it('results files: a sparse file one byte over RESULTS_FILE_MAX_BYTES is refused before a byte is read', async () => {
    const path = join(dir, 'huge.json');
    writeFileSync(path, '');
    truncateSync(path, RESULTS_FILE_MAX_BYTES + 1);
    expect(RESULTS_READ_LIMIT.maxBytes).toBe(RESULTS_FILE_MAX_BYTES);
    await expect(readResultsFile(path)).rejects.toThrow(
      `cannot read ${path}: 128000001 bytes, over the 128 MB limit of a results file (results.json or speed.csv)`,
    );
  });
});

describe('writeTextFile', () => {
  it('creates and truncates a regular file', async () => {
    const path = join(dir, 'out.txt');
    await writeTextFile(path, 'a longer first text');
    await writeTextFile(path, 'short');
    expect(readFileSync(path, 'utf8')).toBe('short');
  });

  it.skipIf(!posix)('never writes through a symbolic link (one committed in the output folder pointed outside)', async () => {
    const outside = join(dir, 'outside.txt');
    writeFileSync(outside, 'theirs');
    mkdirSync(join(dir, 'out'));
    symlinkSync(outside, join(dir, 'out', 'results.json'));
    const e = await writeTextFile(join(dir, 'out', 'results.json'), 'ours').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FileWriteError);
    expect((e as Error).message).toMatch(/results\.json: it is a symbolic link/);
    expect(readFileSync(outside, 'utf8')).toBe('theirs');
  });

  it.skipIf(!posix)('refuses a pipe in the file’s place without waiting for a reader', async () => {
    const fifo = join(dir, 'out-pipe');
    execFileSync('mkfifo', [fifo]);
    await expect(writeTextFile(fifo, 'x')).rejects.toThrow('a named pipe (FIFO), not a regular file');
  });
});

it('byteSize prints decimal units, as the limits are set', () => {
  expect([999, 1000, 900_000, 3_600_000, 128_000_000, 18_200_000].map(byteSize)).toEqual([
    '999 bytes',
    '1 KB',
    '900 KB',
    '3.6 MB',
    '128 MB',
    '18.2 MB',
  ]);
});
