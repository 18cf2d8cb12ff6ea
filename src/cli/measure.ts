/** `lambda-coldstart measure`: a benchmark from a terminal, with a progress bar; the same engine and files as the action. */
import { resolve } from 'node:path';
import { loadConfig } from '../config/parse.js';
import { renderTerminal } from '../report/terminal.js';
import { pairRegressionLine } from '../report/pairs.js';
import { pairRegressions } from '../results/pair-results.js';
import { plannedSamples, RunEstimate } from '../run/estimate.js';
import { measureRun, type MeasuredRun } from '../run/measure-run.js';
import { writeResultFiles } from '../run/output-files.js';
import { CLI_REGION, resolveRegion } from '../run/region.js';
import { EXIT, widthOf, type Command, type Out, type Parsed } from './command.js';
import { MEASURE_FLAGS, MEASURE_HELP, measureInputs } from './measure-flags.js';
import { createProgress, progressLogger } from './progress.js';

async function measureCommand(parsed: Parsed, out: Out): Promise<number> {
  const v = parsed.values;
  const config = loadConfig(measureInputs(parsed));
  const region = await resolveRegion({ ...CLI_REGION, value: config.awsRegion });

  const estimate = new RunEstimate(config, Date.now);
  const progress = createProgress(process.stderr, plannedSamples(config), Date.now, () => estimate.current());
  const log = progressLogger(progress, v['verbose'] === true);
  let measured: MeasuredRun;
  try {
    measured = await measureRun(config, {
      region,
      log,
      estimate,
      onCancel: () =>
        progress.line(
          'interrupted: no new samples; restoring the functions before exiting, each said as it is put back (a second interrupt does not stop the undo)',
        ),
      onUndoState: () => undefined,
      onSample: (s) => progress.tick(s),
      exit: (code) => {
        progress.stop();
        process.exit(code);
      },
    });
  } finally {
    progress.stop();
  }
  const { results, cancelled, accessErrors, unrestored } = measured;
  const files = await writeResultFiles(results, resolve(config.outputDir));
  out.log(`\n${renderTerminal(results, { width: widthOf(out) })}`);
  out.log(`\nspeed.csv: ${files.csv}\nresults.json: ${files.json}\nreport.md: ${files.report}\nboxplot.svg: ${files.svg}`);
  for (const problem of accessErrors) out.error(`error: ${problem}`);
  if (unrestored.length > 0) {
    // No post step runs after the CLI: say once what is left changed and the exact command that puts it back.
    const left = unrestored.map((u) => `${u.name} (original memory ${u.restoreMemory} MB)`).join(', ');
    const each = unrestored.length === 1 ? 'it keeps its' : 'each keeps its';
    out.error(`error: could not be restored: ${left}; ${each} undo record: put it back with: ${measured.restoreCommand ?? ''}`);
    return EXIT.failed;
  }
  if (cancelled || accessErrors.length > 0) return EXIT.failed;
  if (!results.statistics.some((s) => s.init.n > 0)) return EXIT.failed;
  const regressed = pairRegressions(results.pairs ?? [], config.failOnRegression);
  if (regressed.length > 0) {
    out.error(`error: cold starts regressed significantly beyond --fail-on-regression: ${regressed.map(pairRegressionLine).join('; ')}`);
    return EXIT.regression;
  }
  return EXIT.ok;
}

export const measure: Command = {
  summary: 'measure --functions a,b [options]   measure cold starts (uses the default AWS credential chain)',
  help: MEASURE_HELP,
  flags: MEASURE_FLAGS,
  run: measureCommand,
};
