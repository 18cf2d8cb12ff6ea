/**
 * Publishing a run's results on the runner: the comparison with a baseline (a file, or the base branch's latest run),
 * the files and their artifact, the job summary, the sticky PR comment, the step outputs and the history.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config/model.js';
import { UserError } from '../core/errors.js';
import { findBaselineArtifact, uploadResults } from '../github/artifact.js';
import { fitComment, postComment } from '../github/comment.js';
import { runUrl } from '../github/context.js';
import { openHistory, type HistoryStep } from '../github/history-run.js';
import { costOutput, resultsOutput, setOutputs } from '../github/outputs.js';
import { diffRuns } from '../results/causes.js';
import { writeSummary } from '../github/summary.js';
import { pClause, ratioText } from '../report/format.js';
import { renderReport, type BaselineSource } from '../report/markdown.js';
import { compareRuns, regressions, type BaselineRow } from '../results/compare.js';
import { clearlyFastest } from '../results/fastest.js';
import { pairRegressionOutput, pairRegressions } from '../results/pair-results.js';
import { pairRegressionLine } from '../report/pairs.js';
import { historyAllowance } from '../history/allowance.js';
import { readResultsFile } from '../results/json.js';
import type { RunResults } from '../results/model.js';
import { FILE_NAMES, writeResultFiles } from '../run/output-files.js';
import { actionsLogger } from './logger.js';
import { outputDirectory } from './workspace.js';

type Baseline = { results: RunResults; source: BaselineSource };

async function loadBaseline(config: Config, results: RunResults, baseFile: RunResults | undefined): Promise<Baseline | undefined> {
  if (config.baseline !== 'auto') {
    return baseFile && { results: baseFile, source: { kind: 'file', path: config.baseline, startedAt: baseFile.run.startedAt } };
  }
  const { context } = await import('@actions/github');
  const baseBranch = (context.payload.pull_request?.['base'] as { ref?: string } | undefined)?.ref;
  if (baseBranch === undefined) {
    actionsLogger.notice('baseline: auto needs a pull_request event (to know the base branch); no comparison this time');
    return undefined;
  }
  const found = await findBaselineArtifact({
    token: config.githubToken,
    owner: context.repo.owner,
    repo: context.repo.repo,
    runId: context.runId,
    baseBranch,
    artifactName: config.artifactName,
    dir: await mkdtemp(join(tmpdir(), 'lambda-coldstart-baseline-')),
    log: actionsLogger,
  });
  if ('notice' in found) {
    actionsLogger.notice(found.notice);
    return undefined;
  }
  actionsLogger.info(`Baseline: run ${found.runId} on ${baseBranch} (${results.functions.length} function(s) to compare)`);
  try {
    const base = await readResultsFile(join(found.path, FILE_NAMES.json));
    const source: BaselineSource = {
      kind: 'run',
      branch: baseBranch,
      sha: found.headSha,
      runId: found.runId,
      url: found.runUrl,
      startedAt: base.run.startedAt,
    };
    return { results: base, source };
  } catch (e) {
    // This run's results matter more than the comparison: publish them without it.
    actionsLogger.notice(
      `baseline: the artifact of run ${found.runId} has no readable results.json (${e instanceof Error ? e.message : String(e)}); no comparison this time`,
    );
    return undefined;
  }
}

/**
 * Everything a finished run publishes: files, the artifact, the job summary, the PR comment, the step outputs and the
 * history — then the step fails when nothing cold was measured or a regression is significant.
 */
export async function publish(config: Config, results: RunResults, baseFile: RunResults | undefined): Promise<void> {
  const base = await loadBaseline(config, results, baseFile);
  const history = await loadHistory(config, results);
  const trend = history?.trend === undefined ? {} : { trend: history.trend };
  // Another run is another day: its verdicts allow for the day-to-day spread the history shows (else the default).
  const allowance = history?.trend === undefined ? {} : { allowanceFor: historyAllowance(history.trend.history) };
  const baseline: BaselineRow[] | undefined = base === undefined ? undefined : compareRuns(base.results, results, allowance);
  const compared =
    baseline === undefined || base === undefined
      ? {}
      : { baseline, baselineSource: base.source, baselineCauses: diffRuns(base.results, results) };
  const files = await writeResultFiles(results, await outputDirectory(config), { ...compared, ...trend });

  const uploaded =
    config.artifactName === ''
      ? {}
      : await uploadResults({
          name: config.artifactName,
          dir: files.dir,
          files: [files.csv, files.json, files.report, files.svg],
          log: actionsLogger,
        });
  if (uploaded.warning !== undefined) actionsLogger.warning(uploaded.warning);

  const url = runUrl();
  const markdown = renderReport(results, {
    ...(url === undefined ? {} : { runUrl: url }),
    ...(uploaded.url === undefined ? {} : { artifactUrl: uploaded.url }),
    ...compared,
    ...trend,
    tag: config.commentTag,
  });
  await writeSummary(markdown, actionsLogger);

  let commentUrl: string | undefined;
  if (config.comment) {
    const { context } = await import('@actions/github');
    const body = fitComment(markdown, config.commentTag);
    const posted = await postComment({ token: config.githubToken, tag: config.commentTag, body, context, log: actionsLogger });
    if (posted.warning !== undefined) actionsLogger.warning(posted.warning);
    if (posted.notice !== undefined) actionsLogger.notice(posted.notice);
    commentUrl = posted.url;
  }

  const regressed = baseline === undefined ? [] : regressions(baseline, config.failOnRegression);
  const pairsRegressed = pairRegressions(results.pairs ?? [], config.failOnRegression);
  const cold = results.statistics.filter((s) => s.init.n > 0);
  setOutputs({
    csv: files.csv,
    json: files.json,
    report: files.report,
    results: resultsOutput(cold),
    // empty unless one function is significantly faster than every other at every memory size (as the headline says)
    fastest: clearlyFastest(cold) ?? '',
    ...(commentUrl === undefined ? {} : { commentUrl }),
    ...(uploaded.url === undefined ? {} : { artifactUrl: uploaded.url }),
    regressions: JSON.stringify([...regressed, ...pairsRegressed.map(pairRegressionOutput)]),
    cost: costOutput(results),
  });
  // After publishing: append to the history (trusted default-branch runs), judge drift (schedules)
  setOutputs({ drift: JSON.stringify((await history?.record()) ?? []) });

  warnAboutFailedInvocations(results);
  if (cold.length === 0) throw new UserError('no function produced a genuine cold start; see the warnings above and the report');
  if (regressed.length > 0 || pairsRegressed.length > 0) {
    const list = [
      ...regressed.map((r) => `${r.function} @ ${r.memory} MB: ${ratioText(r.ratio)} (${pClause(r.pValue)})`),
      ...pairsRegressed.map(pairRegressionLine),
    ].join('; ');
    throw new UserError(`cold starts regressed significantly beyond fail-on-regression: ${list}`);
  }
}

/** `history` set → the history step (reads now, for the Trend; records after publishing). */
async function loadHistory(config: Config, results: RunResults): Promise<HistoryStep | undefined> {
  if (config.history === '') return undefined;
  const { context } = await import('@actions/github');
  const url = runUrl();
  const server = process.env['GITHUB_SERVER_URL'];
  return openHistory({
    config,
    results,
    context,
    log: actionsLogger,
    ...(url === undefined ? {} : { runUrl: url }),
    ...(server === undefined ? {} : { serverUrl: server }),
  });
}

/** Partial problems are warnings (the step goes on): invocations that failed, functions without a cold start. */
function warnAboutFailedInvocations(results: RunResults): void {
  for (const f of results.functions) {
    if (f.failure) continue; // the engine warned already
    const mine = results.samples.filter((s) => s.function === f.name);
    const errors = mine.filter((s) => s.kind === 'error');
    if (errors.length === 0) continue;
    const types = [...new Set(errors.map((e) => e.error ?? 'unknown error'))].slice(0, 3).join(', ');
    const cold = mine.some((s) => s.kind === 'cold');
    actionsLogger.warning(
      `${f.name}: ${errors.length} of ${mine.length} invocations failed (${types})${cold ? '; they are not counted' : '; no cold start was measured'}`,
    );
  }
}
