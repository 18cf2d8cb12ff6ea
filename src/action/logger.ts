import * as core from '@actions/core';
import type { Logger } from '../core/logger.js';

/** The engine's logger on a runner: annotations for warnings and notices, a collapsible group per function. */
export const actionsLogger: Logger = {
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
  notice: (m) => core.notice(m),
  group: (title, lines) => {
    core.startGroup(title);
    for (const line of lines) core.info(line);
    core.endGroup();
  },
};
