/**
 * The post step has main's shape: src/action/post.ts exports run() and does nothing on import (so @github/local-action and
 * tests can import it); src/action/post-entry.ts, bundled as runs.post, only calls it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';

vi.mock('@actions/core', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@actions/core')>()),
  info: vi.fn(),
  setFailed: vi.fn(),
  getState: vi.fn(() => ''),
}));

const core = await import('@actions/core');
const { run } = await import('../../src/action/post.js');

describe('src/action/post.ts', () => {
  it('does nothing on import; run() with no saved state says there is nothing to undo', async () => {
    expect(core.info).not.toHaveBeenCalled();
    await run();
    expect(core.info).toHaveBeenCalledWith(expect.stringContaining('nothing to undo'));
    expect(core.setFailed).not.toHaveBeenCalled();
  });

  it('src/action/post-entry.ts only calls run()', () => {
    const code = readFileSync('src/action/post-entry.ts', 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('//'));
    expect(code).toEqual(["import { run } from './post.js';", 'await run();']);
  });
});
