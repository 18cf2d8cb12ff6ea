/** output-dir and baseline are checked where they really are: symbolic links resolved, also above a folder not made yet. */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { insideWorkspace, outputDirectory } from '../../src/action/workspace.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'lcs-ws-')));
const workspace = join(root, 'workspace');
const outside = join(root, 'outside');
mkdirSync(workspace);
mkdirSync(outside);
mkdirSync(join(workspace, 'real'));
symlinkSync(outside, join(workspace, 'out-link'));
symlinkSync(join(workspace, 'real'), join(workspace, 'in-link'));
symlinkSync(join(root, 'gone'), join(workspace, 'dangling'));
const roots = { workspace };
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(process.platform === 'win32')('insideWorkspace', () => {
  it('refuses an output folder that is a link leading outside', async () => {
    await expect(outputDirectory({ outputDir: 'out-link' }, roots)).rejects.toThrow(
      'output-dir: "out-link" leads outside the workspace (a symbolic link); give a path inside it',
    );
  });

  it('refuses a folder not made yet under such a link (mkdir -p would have written outside)', async () => {
    await expect(outputDirectory({ outputDir: 'out-link/coldstart/run' }, roots)).rejects.toThrow('leads outside the workspace');
  });

  it('refuses a link that leads nowhere (whatever appears there later would be written to)', async () => {
    await expect(outputDirectory({ outputDir: 'dangling/x' }, roots)).rejects.toThrow(
      'output-dir: "dangling/x" goes through a symbolic link to a missing path',
    );
  });

  it('takes a link that stays inside, and returns the resolved path (what is written is what was checked)', async () => {
    expect(await outputDirectory({ outputDir: 'in-link/coldstart' }, roots)).toBe(join(workspace, 'real', 'coldstart'));
    expect(await outputDirectory({ outputDir: 'coldstart' }, roots)).toBe(join(workspace, 'coldstart'));
    expect(await insideWorkspace('baseline', 'real', roots)).toBe(join(workspace, 'real'));
  });

  it('the runner temp folder is a root too', async () => {
    expect(await insideWorkspace('output-dir', join(outside, 'x'), { workspace, temp: outside })).toBe(join(outside, 'x'));
  });
});
