import * as core from '@actions/core';
import { logText } from '../core/escape.js';
import type { Logger } from '../core/logger.js';

/**
 * The engine's logger on a runner: annotations for warnings and notices, a collapsible group per function. The one
 * place the action writes to its log: every line goes through logText, because messages carry text from outside (a
 * function's error, an undo record, a branch, an artifact name) and `core.info` writes raw — a line of theirs starting
 * with `::` would be a workflow command (`::add-mask::`, `::stop-commands::`, `::error::`).
 */
export const actionsLogger: Logger = {
  info: (m) => core.info(logText(m)),
  warning: (m) => core.warning(logText(m)),
  notice: (m) => core.notice(logText(m)),
  group: (title, lines) => {
    core.startGroup(logText(title));
    for (const line of lines) core.info(logText(line));
    core.endGroup();
  },
  debug: (m) => core.debug(logText(m)),
};
