/**
 * Costs in a run's results: what one cold start cost per function × memory size × strategy (from the REPORT lines of its
 * cold samples), what the run's own invokes cost, and which functions have no price. PURE.
 *
 * A function is priced in its own region (from its ARN; the run's region otherwise) and architecture, from the bundled
 * first-tier price table; a region or architecture the table does not know gets no cost, with the reason.
 */
import { actualRunCost, coldStartCost, lookupPrice, type PriceLookup, type RunCostEstimate, type RunInvoke } from './cost.js';
import type { PriceTable } from './price-table.js';
import { PRICES } from './prices.js';
import type { CostInfo, FunctionInfo, RunCostSummary, RunResults, Sample } from './model.js';

/** The region a function is priced in: its own (from its ARN), else the run's when the run has exactly one. */
export function regionOf(f: FunctionInfo | undefined, runRegion: string): string | undefined {
  if (f?.region) return f.region;
  return runRegion === '' || runRegion.includes(',') ? undefined : runRegion;
}

/** The date the table's prices are of. */
export const pricesAsOf = (table: PriceTable = PRICES): string => table.publicationDate ?? table.retrievedOn;

function priceLookups(results: RunResults, table: PriceTable): (fn: string) => PriceLookup {
  const info = new Map(results.functions.map((f) => [f.name, f]));
  const cache = new Map<string, PriceLookup>();
  return (fn) => {
    let l = cache.get(fn);
    if (!l) {
      const f = info.get(fn);
      cache.set(fn, (l = lookupPrice(regionOf(f, results.run.region), f?.architecture, table)));
    }
    return l;
  };
}

/** Every invoke the run made, as billed: samples with a request id (those without one never reached a function). */
function runInvokes(results: RunResults, lookup: (fn: string) => PriceLookup): RunInvoke[] {
  const info = new Map(results.functions.map((f) => [f.name, f]));
  return results.samples
    .filter((s) => s.requestId !== '' || s.billed !== null)
    .map((s) => {
      const price = lookup(s.function);
      const f = info.get(s.function);
      return {
        function: s.function,
        billedDurationMs: s.billed,
        memorySizeMb: s.memory,
        region: price.ok ? price.price.region : regionOf(f, results.run.region),
        architecture: f?.architecture,
      };
    });
}

const isPricedCold = (s: Sample): s is Sample & { billed: number } => s.kind === 'cold' && s.billed !== null;

/**
 * `results` with costs: statistics[].cost for every priced function × memory × strategy, and `cost` (the price table's
 * date, the functions without a price, what the run cost, and the estimate made before it when given). The table
 * defaults to the bundled one.
 */
export function withCosts(results: RunResults, opts: { estimate?: RunCostEstimate | undefined; table?: PriceTable } = {}): RunResults {
  const table = opts.table ?? PRICES;
  const lookup = priceLookups(results, table);
  const statistics = results.statistics.map((st) => {
    const group = results.samples.filter((s) => s.function === st.function && s.memory === st.memory && s.strategy === st.strategy);
    const c = coldStartCost(
      group.filter(isPricedCold).map((s) => ({ billedDurationMs: s.billed, memorySizeMb: s.memory })),
      lookup(st.function),
    );
    if (!c.ok) return st;
    const { n, medianUsd, p90Usd, usdPerMillion, price } = c;
    return {
      ...st,
      cost: {
        n,
        medianUsd,
        p90Usd,
        usdPerMillion,
        usdPerGbSecond: price.usdPerGbSecond,
        usdPerMillionRequests: price.usdPerMillionRequests,
      },
    };
  });
  const measured = [...new Set(results.samples.map((s) => s.function))];
  const noPrice = measured.flatMap((fn) => {
    const l = lookup(fn);
    return l.ok ? [] : [{ function: fn, reason: l.reason }];
  });
  const cost: CostInfo = {
    prices: { tier: 'first', currency: 'USD', asOf: pricesAsOf(table) },
    noPrice,
    run: summary(actualRunCost(runInvokes(results, lookup), table)),
  };
  if (opts.estimate) cost.estimate = { ...summary(opts.estimate), assumes: opts.estimate.assumes };
  return { ...results, statistics, cost };
}

function summary(c: RunCostSummary): RunCostSummary {
  return { usd: c.usd, invokes: c.invokes, unpriced: c.unpriced.map((u) => ({ ...u })) };
}

/** The estimates of several runs (matrix shards) as one; undefined unless every run has one. */
export function sumEstimates(runs: readonly RunResults[]): RunCostEstimate | undefined {
  const estimates = runs.map((r) => r.cost?.estimate);
  if (estimates.length === 0 || estimates.some((e) => e === undefined)) return undefined;
  const all = estimates as NonNullable<CostInfo['estimate']>[];
  return {
    usd: all.reduce((a, e) => a + e.usd, 0),
    invokes: all.reduce((a, e) => a + e.invokes, 0),
    unpriced: all.flatMap((e) => e.unpriced),
    assumes: all[0]!.assumes,
  };
}
