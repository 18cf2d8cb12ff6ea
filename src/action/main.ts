/**
 * The action's main step, orchestration only: config → preflight → measure → results → outputs.
 * Every stage lives in its own module; this file wires them to the runner.
 */
import * as core from '@actions/core';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config/model.js';
import { ConfigError, CancelledError, UserError, describeError } from '../core/errors.js';
import { logText } from '../core/escape.js';
import { loadConfig } from '../config/parse.js';
import { mergeRuns, readResultsFile } from '../results/json.js';
import type { RunResults } from '../results/model.js';
import { escapeMarkdown, renderReport } from '../report/markdown.js';
import { FILE_NAMES, writeResultFiles } from '../run/output-files.js';
import { downloadCurrentRunArtifacts } from '../github/artifact.js';
import { runUrl } from '../github/context.js';
import { actionInputs } from './inputs.js';
import { actionsLogger } from './logger.js';
import { saveUndoState } from './state.js';
import { writeSummary } from '../github/summary.js';
import { measureRun, type MeasuredRun } from '../run/measure-run.js';
import { ACTION_REGION, resolveRegion } from '../run/region.js';
import { publish } from './publish.js';
import { restoreMode } from './restore-mode.js';
import { insideWorkspace, outputDirectory, workspaceProblems, workspaceRoots } from './workspace.js';

export async function run(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(actionInputs);
    const outside = workspaceProblems(config, workspaceRoots());
    if (outside.length > 0) throw new ConfigError(outside);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const problem of e.problems) core.error(logText(problem));
    process.exitCode = 1;
    return;
  }
  if (config.mode === 'restore') return restoreMode(config);
  try {
    // A baseline file is read first, and the output folder checked: a wrong path fails in a second, before any
    // function is changed (found after measuring, the run's results would be lost with the error).
    const baseFile = await loadBaselineFile(config);
    await outputDirectory(config);
    const { results, cancelled, accessErrors } =
      config.mode === 'merge' ? { results: await merge(config), cancelled: false, accessErrors: [] } : await measure(config);
    if (cancelled) {
      // The runner kills the step seconds after cancelling: keep what was measured (files and summary), skip the rest.
      const files = await writeResultFiles(results, await outputDirectory(config));
      await writeSummary(renderReport(results, { tag: config.commentTag }), actionsLogger);
      throw new CancelledError(`the run was cancelled; what was measured is in ${files.dir} and the job summary`);
    }
    await publish(config, results, baseFile);
    // Published first (the numbers are sound), then failed: a role that cannot query the logs must be fixed.
    if (accessErrors.length > 0) throw new UserError(accessErrors.join('; '));
  } catch (e) {
    const { message, stack } = describeError(e);
    if (stack !== undefined) core.debug(logText(stack));
    core.setFailed(logText(message));
    // The job summary needs no token: say there what went wrong, too (unless the report is already there).
    if (!(e instanceof CancelledError)) {
      await writeSummary(`## Lambda cold starts\n\n**The run failed:** ${escapeMarkdown(message)}\n`, actionsLogger).catch(() => undefined);
    }
  }
}

async function measure(config: Config): Promise<MeasuredRun> {
  const url = runUrl();
  return measureRun(config, {
    region: await resolveRegion({ ...ACTION_REGION, value: config.awsRegion }),
    log: actionsLogger,
    onCancel: (signal) =>
      actionsLogger.warning(`${signal} received (the run was cancelled): no new samples; restoring the functions before exiting`),
    onUndoState: (state) => saveUndoState(state, config.restore),
    url,
  });
}

/** mode: merge — one run from the artifacts the matrix shards uploaded in this workflow run. */
async function merge(config: Config): Promise<RunResults> {
  const dir = await mkdtemp(join(tmpdir(), 'lambda-coldstart-merge-'));
  const shards = await downloadCurrentRunArtifacts({
    pattern: config.mergePattern,
    dir,
    log: actionsLogger,
    exclude: config.artifactName,
  });
  if (shards.length === 0) {
    throw new UserError(`merge-pattern: no artifact of this run matches "${config.mergePattern}"; check the shards' artifact-name values`);
  }
  const runs = await Promise.all(
    shards.map(async (s) => {
      try {
        return { shard: s.name, results: await readResultsFile(join(s.path, FILE_NAMES.json)) };
      } catch (e) {
        throw new UserError(`merge: artifact ${s.name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
    }),
  );
  actionsLogger.info(`Merging ${runs.length} shard(s): ${runs.map((r) => r.shard).join(', ')}`);
  return mergeRuns(runs);
}

/** `baseline: <path>` → the file's results (errors name the input); '' or 'auto' → undefined. */
async function loadBaselineFile(config: Config): Promise<RunResults | undefined> {
  if (config.baseline === '' || config.baseline === 'auto') return undefined;
  const path = await insideWorkspace('baseline', config.baseline, workspaceRoots());
  try {
    return await readResultsFile(path);
  } catch (e) {
    throw new UserError(`baseline: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}
