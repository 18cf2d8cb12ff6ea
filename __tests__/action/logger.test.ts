/** The action's logger is the one sink of its log: what @actions/core writes to stdout holds no command of theirs. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { actionsLogger } from '../../src/action/logger.js';
import { runnerCommands } from '../helpers/workflow-commands.js';

const HOSTILE = 'api-node\n::add-mask::ghp_x\r::stop-commands::t0k\n ##[error]fake \u001b[31mred';

let out = '';
beforeEach(() => {
  out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

describe('actionsLogger', () => {
  it('info and group lines: no command but the group markers; the text still reads', () => {
    actionsLogger.info(`Restored ${HOSTILE}`);
    actionsLogger.group(`── ${HOSTILE}`, [`${HOSTILE} · error · x`, 'ok']);
    expect(runnerCommands(out).map((c) => c.command)).toEqual(['group', 'endgroup']);
    expect(out).toContain('add-mask::ghp_x');
    expect(out).not.toContain('\u001b');
  });

  it('warning, notice and debug: one command each, whose data is the message (unescaped by the runner)', () => {
    actionsLogger.warning(HOSTILE);
    actionsLogger.notice(HOSTILE);
    actionsLogger.debug?.(HOSTILE);
    const cmds = runnerCommands(out);
    expect(cmds.map((c) => c.command)).toEqual(['warning', 'notice', 'debug']);
    for (const c of cmds)
      expect(c.data.replace(/\u200b/g, '')).toBe('api-node\n::add-mask::ghp_x\n::stop-commands::t0k\n ##[error]fake red');
  });

  it('without the logger, core.info would have let them through (the test can fail)', async () => {
    const core = await import('@actions/core');
    core.info(HOSTILE);
    expect(runnerCommands(out).map((c) => c.command)).toEqual(['add-mask', 'stop-commands']);
  });
});
