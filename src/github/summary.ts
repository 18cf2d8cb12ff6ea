/** The job summary: always written (it needs no token), kept under GitHub's 1 MiB per step. */
import * as core from '@actions/core';
import { firstLine } from './context.js';
import { errorInfo } from './errors.js';
import { type Logger } from '../core/logger.js';
import { shortenMarkdown } from './shorten.js';

/** GitHub's limit on one step's summary. */
export const MAX_SUMMARY_BYTES = 1024 * 1024;

export const SUMMARY_SHORTENED_NOTE =
  "> **Report shortened** to fit the 1 MiB job summary limit: the full report is report.md in the run's artifact.";

/**
 * Appends `markdown` to the job summary (core.summary → $GITHUB_STEP_SUMMARY), shortened with a note when it is
 * over 1 MiB. Where there is no job summary (GITHUB_STEP_SUMMARY unset: local runs, the CLI) it logs and returns;
 * it never throws.
 */
export async function writeSummary(markdown: string, log: Logger): Promise<void> {
  if (!process.env['GITHUB_STEP_SUMMARY']) {
    log.info('No job summary written: GITHUB_STEP_SUMMARY is not set (not running in GitHub Actions)');
    return;
  }
  // Leave a little room for the line end core.summary may add.
  const { text, shortened } = shortenMarkdown(markdown, {
    max: MAX_SUMMARY_BYTES - 16,
    unit: 'bytes',
    note: SUMMARY_SHORTENED_NOTE,
  });
  if (shortened) log.info(`The report is ${Buffer.byteLength(markdown)} bytes: shortened for the job summary`);
  try {
    await core.summary.addRaw(text, true).write();
  } catch (error) {
    core.summary.emptyBuffer();
    log.info(`No job summary written: ${firstLine(errorInfo(error).message)}`);
  }
}
