/**
 * Causes beside effects in the report: what ran (runtime version, package, layers, architecture), the cold starts whose
 * init failed or timed out, and what changed since a baseline besides the code. PURE.
 */
import { bytesText, causesOf, changeText, shortVersion, type FunctionCauseDiff } from '../results/causes.js';
import { initFailureGroups, initFailureSentence, durationText } from '../results/init-failures.js';
import type { RunResults } from '../results/model.js';
import { markdownOf, type Table } from './table.js';

/** The "What ran" table, or undefined when the results know none of it (files written before it was recorded). */
export function whatRanTable(results: Pick<RunResults, 'functions' | 'samples'>): Table | undefined {
  const causes = causesOf(results);
  const knows = causes.some(
    (c) => c.codeSize !== undefined || c.layers !== undefined || c.runtimeVersions.length > 0 || c.runtimeVersionArn,
  );
  if (!knows) return undefined;
  return {
    columns: [
      { header: 'Function', align: 'l' },
      { header: 'Runtime', align: 'l', drop: 2 },
      { header: 'Runtime version', align: 'l' },
      { header: 'Arch', align: 'l', drop: 1 },
      { header: 'Package', align: 'r' },
      { header: 'Layers', align: 'l' },
    ],
    rows: causes.map((c) => [
      c.function,
      c.runtime ?? '',
      c.runtimeVersions.length > 0 ? c.runtimeVersions.join(', ') : c.runtimeVersionArn ? shortVersion(c.runtimeVersionArn) : '',
      c.architecture ?? '',
      c.codeSize === undefined ? '' : bytesText(c.codeSize),
      c.layers === undefined ? '' : c.layers.length === 0 ? 'none' : `${c.layers.length} (${bytesText(c.layersSize ?? 0)})`,
    ]),
  };
}

/** The failed inits, one row per function × memory size (× strategy), or undefined when every init succeeded. */
export function initFailuresTable(results: Pick<RunResults, 'samples'>): Table | undefined {
  const groups = initFailureGroups(results.samples);
  if (groups.length === 0) return undefined;
  const showStrategy = new Set(results.samples.map((s) => s.strategy)).size > 1;
  return {
    columns: [
      { header: 'Function', align: 'l' },
      { header: 'Memory', align: 'r' },
      { header: 'Failed inits', align: 'l' },
      { header: 'Init phase ran (max)', align: 'r' },
      { header: 'Error type', align: 'l', drop: 1 },
    ],
    rows: groups.map((g) => [
      g.function,
      `${g.memory} MB${showStrategy ? ` (${g.strategy})` : ''}`,
      initFailureSentence(g),
      durationText(Math.max(...g.byStatus.map((s) => s.maxMs))),
      [...new Set(g.byStatus.flatMap((s) => s.errorTypes))].join(', '),
    ]),
  };
}

/** What failed inits are, under their table. */
export const INIT_FAILURES_NOTE =
  'An init that failed or outlasted the 10 s limit of on-demand init: Lambda re-ran it inside the invoke (a suppressed init), so the ' +
  'REPORT has no Init Duration. These cold starts are counted here, apart: not retried, not in the init statistics, not in speed.csv.';

/** "What ran" and "Failed inits" as report sections (markdown), each only when there is something to show. */
export function causesSections(results: RunResults): string[] {
  const out: string[] = [];
  const failed = initFailuresTable(results);
  if (failed) out.push(`### Failed inits\n\n${markdownOf(failed)}\n\n_${INIT_FAILURES_NOTE}_`);
  const ran = whatRanTable(results);
  if (ran) {
    out.push(
      `### What ran\n\n${markdownOf(ran)}\n\n_Runtime version as INIT_START printed it (Lambda patches managed runtimes without a deploy); package and layers as GetFunction showed them._`,
    );
  }
  return out;
}

/** What changed since the baseline besides the code, one line per function (`text` escapes a name). */
export function baselineCausesText(diffs: readonly FunctionCauseDiff[], text: (s: string) => string): string | undefined {
  if (diffs.length === 0) return undefined;
  const lines = diffs.map((d) => `- ${text(d.function)}: ${text(d.changes.map(changeText).join('; '))}`);
  return `What else changed since the baseline:\n${lines.join('\n')}`;
}
