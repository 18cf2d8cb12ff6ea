/**
 * Costs in the report, the terminal and the log: the cost of one cold start per function × memory size, which memory size
 * of a sweep gives the lowest init per dollar, and what the run itself cost (and was estimated to cost). PURE.
 */
import { BILLED_MS_GUESS, lowestInitPerDollar, type RunCostEstimate, type SweepChoice } from '../results/cost.js';
import { regionOf } from '../results/cost-stats.js';
import type { CostInfo, FunctionStats, RunCostSummary, RunResults, SampleStrategy } from '../results/model.js';
import { decimal, ms } from './format.js';
import { markdownOf, type Cell, type Column, type Table } from './table.js';

/**
 * US dollars with `sig` significant digits and no exponent: $0.00000208, $0.0042, $1.27; cents for a dollar and more.
 */
export function usd(v: number, sig = 3): string {
  if (!Number.isFinite(v)) return '–';
  if (v === 0) return '$0';
  if (Math.abs(v) >= 1) return `$${decimal(v, 2)}`;
  const digits = Math.min(12, sig - 1 - Math.floor(Math.log10(Math.abs(v))));
  return `$${decimal(v, digits)}`;
}

/** The stats table's cost column: a million cold starts like these (blank without a price). */
export const COST_COLUMN: Column = { header: 'Per 1M cold starts', align: 'r', drop: 2.5 };

export function costCell(st: FunctionStats): Cell {
  return st.cost ? usd(st.cost.usdPerMillion) : '';
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function unpricedText(list: RunCostSummary['unpriced']): string {
  return list.map((u) => `${u.function} (${plural(u.invokes, 'invoke')}): ${u.reason}`).join('; ');
}

/** The log line before a run: what it will cost. */
export function estimateCostLine(e: RunCostEstimate): string {
  const unpriced = e.unpriced.length > 0 ? `; not priced: ${unpricedText(e.unpriced)}` : '';
  if (e.invokes === 0) return `Estimated cost: unknown${unpriced}`;
  return (
    `Estimated cost: about ${usd(e.usd, 2)} for ${plural(e.invokes, 'invoke')} (each billed as a ${BILLED_MS_GUESS} ms cold start at ` +
    `first-tier prices; warm retries not counted)${unpriced}`
  );
}

/** What the run's invokes cost, in one sentence (the log after a run, the report, the terminal). Plain text. */
export function runCostSentence(c: CostInfo): string {
  const r = c.run;
  const unpriced = r.unpriced.length > 0 ? ` Not priced: ${unpricedText(r.unpriced)}.` : '';
  const estimate = c.estimate && c.estimate.invokes > 0 ? ` (estimated before it started: about ${usd(c.estimate.usd, 2)})` : '';
  if (r.invokes === 0) return `This run's cost is unknown: no invoke could be priced.${unpriced}`;
  return `This run cost ${usd(r.usd, 2)} for ${plural(r.invokes, 'billed invoke')}, warm retries and failures included${estimate}.${unpriced}`;
}

/** The log line after a run. */
export function runCostLine(c: CostInfo): string {
  return `${runCostSentence(c)} First-tier prices of ${c.prices.asOf}.`;
}

/** Where the prices come from and what they leave out (the report's footnote to the cost section). */
export function pricesNote(c: CostInfo): string {
  return (
    `Lambda on-demand prices of the first usage tier (USD) as of ${c.prices.asOf}, from the price table bundled with lambda-coldstart: ` +
    `each invoke costs its Billed Duration (which includes init since 1 August 2025) × memory (GB) × the price per GB-second of its ` +
    `architecture and region, plus the request charge. Accounts past the first tier pay less. Not counted: the free tier, SnapStart ` +
    `cache and restore charges, ephemeral storage beyond 512 MB, data transfer, CloudWatch Logs.`
  );
}

const where = (memory: number, strategy: SampleStrategy, showStrategy: boolean): string =>
  `${memory} MB${showStrategy ? ` (${strategy})` : ''}`;

/** One row per priced function × memory size (× strategy): median, p90 and a million cold starts. */
export function costTable(results: RunResults): Table | undefined {
  const priced = results.statistics.filter((s) => s.cost !== undefined);
  if (priced.length === 0) return undefined;
  const showStrategy = new Set(results.statistics.map((s) => s.strategy)).size > 1;
  const info = new Map(results.functions.map((f) => [f.name, f]));
  return {
    columns: [
      { header: 'Function', align: 'l' },
      { header: 'Memory', align: 'r' },
      { header: 'Arch', align: 'l', drop: 2 },
      { header: 'Region', align: 'l', drop: 1 },
      { header: 'Per cold start (p50)', align: 'r' },
      { header: 'p90', align: 'r', drop: 3 },
      { header: 'Per 1M cold starts', align: 'r' },
    ],
    rows: priced.map((st) => [
      st.function,
      where(st.memory, st.strategy, showStrategy),
      st.architecture,
      regionOf(info.get(st.function), results.run.region) ?? '',
      usd(st.cost!.medianUsd),
      st.cost!.p90Usd === null ? '–' : usd(st.cost!.p90Usd),
      usd(st.cost!.usdPerMillion),
    ]),
  };
}

/** For each function (and strategy) priced at two or more memory sizes: the size with the lowest init per dollar. */
export function sweepChoices(results: RunResults): { function: string; strategy: SampleStrategy; sizes: number; choice: SweepChoice }[] {
  const series = new Map<string, FunctionStats[]>();
  for (const st of results.statistics) {
    if (!st.cost) continue;
    const k = JSON.stringify([st.function, st.strategy]);
    series.set(k, [...(series.get(k) ?? []), st]);
  }
  return [...series.values()].flatMap((list) => {
    const choice = lowestInitPerDollar(
      list.map((st) => ({ memory: st.memory, initMedianMs: st.init.p50, costMedianUsd: st.cost!.medianUsd })),
    );
    return choice ? [{ function: list[0]!.function, strategy: list[0]!.strategy, sizes: list.length, choice }] : [];
  });
}

/** "hello-node: 512 MB gives the lowest init per dollar (median init 120.3 ms at $0.00000208 per cold start; …)". */
function sweepSentences(results: RunResults): string[] {
  const showStrategy = new Set(results.statistics.map((s) => s.strategy)).size > 1;
  return sweepChoices(results).map(
    (c) =>
      `${c.function}${showStrategy ? ` (${c.strategy})` : ''}: ${c.choice.memory} MB gives the lowest init per dollar of the ${c.sizes} sizes measured ` +
      `(median init ${ms(c.choice.initMedianMs)} ms at ${usd(c.choice.costMedianUsd)} per cold start: the smallest product of the two).`,
  );
}

function noPriceSentences(c: CostInfo): string[] {
  return c.noPrice.map((n) => `No cost for ${n.function}: ${n.reason}.`);
}

/** The report's "Cost" section (markdown; `text` escapes), or undefined for results without costs (older files, speed.csv). */
export function costSection(results: RunResults, text: (s: string) => string): string | undefined {
  const c = results.cost;
  if (!c) return undefined;
  const table = costTable(results);
  // Escaped whole: names and reasons are data, and a bare `$` pair would read as math in GitHub markdown.
  const lines = [...sweepSentences(results), ...noPriceSentences(c), runCostSentence(c)].map(text);
  return ['### Cost', ...(table ? [markdownOf(table)] : []), lines.join('\n\n'), `_${text(pricesNote(c))}_`].join('\n\n');
}

/** The terminal's cost lines: the table, the sweep's choice, the run's cost. */
export function costTerminal(results: RunResults, table: (t: Table) => string, wrap: (s: string) => string): string | undefined {
  const c = results.cost;
  if (!c) return undefined;
  const t = costTable(results);
  const lines = [...sweepSentences(results), ...noPriceSentences(c), runCostLine(c)];
  return [`Cost (USD)${t ? `\n${table(t)}` : ''}`, ...lines.map(wrap)].join('\n');
}
