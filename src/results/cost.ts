/**
 * What cold starts cost, from their REPORT lines and the bundled first-tier price table. PURE.
 *
 * One invoke costs (Billed Duration + Billed Restore Duration) / 1000 × memory MB / 1024 × USD per GB-second of its
 * architecture and region + the request charge. Since 1 August 2025 Lambda bills the init phase of every on-demand
 * invoke, so a cold start's Billed Duration covers Init Duration + Duration; earlier REPORT lines of managed runtimes
 * billed the handler only, and their cost here is what was billed then (the Billed Duration as printed). A suppressed
 * init is priced from its REPORT as well. Not included: the free tier, tiers past the first, SnapStart cache and
 * restore charges, ephemeral storage beyond 512 MB, data transfer, CloudWatch Logs.
 *
 * An unknown region or architecture gets an explicit "no price" with the reason, never a number.
 */
import { ARCHITECTURES, type Architecture, type PriceTable } from './price-table.js';
import { PRICES } from './prices.js';
import { summarize } from './stats.js';

export interface Price {
  region: string;
  architecture: Architecture;
  usdPerGbSecond: number;
  usdPerMillionRequests: number;
  /** The table's publication date, or the day its values were taken. */
  asOf: string;
}

export type PriceLookup = { ok: true; price: Price } | { ok: false; reason: string };

const isArchitecture = (a: string | undefined): a is Architecture => ARCHITECTURES.some((x) => x === a);

/** The first-tier price of `architecture` in `region`, or why there is none. */
export function lookupPrice(region: string | undefined, architecture: string | undefined, table: PriceTable = PRICES): PriceLookup {
  const asOf = table.publicationDate ?? table.retrievedOn;
  if (region === undefined || region === '' || region === 'unknown') return { ok: false, reason: 'the region is unknown' };
  if (!isArchitecture(architecture)) {
    return {
      ok: false,
      reason: `unknown architecture ${JSON.stringify(architecture ?? '')} (Lambda prices ${ARCHITECTURES.join(' and ')})`,
    };
  }
  const prices = table.regions[region]?.[architecture];
  if (!prices) {
    const what = table.regions[region] ? `${architecture} in ${region}` : region;
    return { ok: false, reason: `no price for ${what} in the bundled price table (first-tier prices of ${asOf})` };
  }
  return { ok: true, price: { region, architecture, ...prices, asOf } };
}

/** What one invoke's REPORT says was billed. */
export interface BilledInvoke {
  billedDurationMs: number;
  /** SnapStart: Billed Restore Duration. */
  billedRestoreDurationMs?: number | undefined;
  /** Memory Size of the REPORT (MB). */
  memorySizeMb: number;
}

/** USD one invoke cost: duration at its memory size, plus one request. */
export function invokeCostUsd(invoke: BilledInvoke, price: Price): number {
  const seconds = (invoke.billedDurationMs + (invoke.billedRestoreDurationMs ?? 0)) / 1000;
  return seconds * (invoke.memorySizeMb / 1024) * price.usdPerGbSecond + price.usdPerMillionRequests / 1_000_000;
}

export interface ColdStartCostSummary {
  ok: true;
  /** Cold starts priced. */
  n: number;
  medianUsd: number;
  /** Null below the report's p90 threshold (stats.MIN_N_P90 samples), like every other p90. */
  p90Usd: number | null;
  /** A million cold starts like these: mean × 10^6 (a total, so the mean, not the median). */
  usdPerMillion: number;
  price: Price;
}

export type ColdStartCost = ColdStartCostSummary | { ok: false; reason: string };

/** The cost of the cold starts of one function at one memory size (each priced from its own REPORT). */
export function coldStartCost(invokes: readonly BilledInvoke[], lookup: PriceLookup): ColdStartCost {
  if (!lookup.ok) return lookup;
  if (invokes.length === 0) return { ok: false, reason: 'no cold start with a REPORT to price' };
  const s = summarize(invokes.map((i) => invokeCostUsd(i, lookup.price)));
  return { ok: true, n: s.n, medianUsd: s.p50, p90Usd: s.p90, usdPerMillion: s.mean * 1_000_000, price: lookup.price };
}

/** One memory size of a sweep: its median init and median cost per cold start. */
export interface SweepPoint {
  memory: number;
  initMedianMs: number;
  costMedianUsd: number;
}

/** The size a sweep recommends for init per dollar, with its score (median init ms × median USD per cold start). */
export interface SweepChoice extends SweepPoint {
  score: number;
}

/**
 * Which memory size gives the lowest init per dollar: the one minimising median init (ms) × median cost per cold start
 * (USD), an init–cost product like the energy–delay product of hardware design. At equal cost it picks the faster
 * size, at equal init the cheaper; since a cold start's cost grows with memory × billed time (≈ init), a larger size
 * wins only when its init falls faster than 1/√memory. Ties go to the smaller size. Undefined for fewer than two
 * priced sizes (nothing to choose between).
 */
export function lowestInitPerDollar(points: readonly SweepPoint[]): SweepChoice | undefined {
  const valid = points.filter((p) => Number.isFinite(p.initMedianMs) && Number.isFinite(p.costMedianUsd) && p.costMedianUsd > 0);
  if (valid.length < 2) return undefined;
  let best: SweepChoice | undefined;
  for (const p of valid) {
    const score = p.initMedianMs * p.costMedianUsd;
    if (!best || score < best.score || (score === best.score && p.memory < best.memory)) best = { ...p, score };
  }
  return best;
}

/** Billed ms assumed per invoke when estimating a run: an upper-end cold start of a managed runtime (init + handler). */
export const BILLED_MS_GUESS = 1000;

/** What a run will invoke, per function and memory size. */
export interface PlannedInvokes {
  function: string;
  memoryMb: number;
  /** Invokes planned (samples; compare takes each sample both ways). */
  invokes: number;
  region?: string | undefined;
  architecture?: string | undefined;
  /** Billed ms per invoke, when something better than BILLED_MS_GUESS is known (a baseline's billed median). */
  billedMsGuess?: number | undefined;
}

export interface RunCost {
  usd: number;
  /** Invokes priced into `usd`. */
  invokes: number;
  /** What could not be priced, by function. */
  unpriced: { function: string; invokes: number; reason: string }[];
}

export interface RunCostEstimate extends RunCost {
  /** What the estimate assumes, in words. */
  assumes: string;
}

function addUnpriced(list: RunCost['unpriced'], fn: string, invokes: number, reason: string): void {
  const same = list.find((u) => u.function === fn && u.reason === reason);
  if (same) same.invokes += invokes;
  else list.push({ function: fn, invokes, reason });
}

/** The cost of a run before it starts: every planned invoke billed as a cold start of the guessed duration. */
export function estimateRunCost(planned: readonly PlannedInvokes[], table: PriceTable = PRICES): RunCostEstimate {
  const out: RunCostEstimate = { usd: 0, invokes: 0, unpriced: [], assumes: '' };
  for (const p of planned) {
    const lookup = lookupPrice(p.region, p.architecture, table);
    if (!lookup.ok) {
      addUnpriced(out.unpriced, p.function, p.invokes, lookup.reason);
      continue;
    }
    const each = invokeCostUsd({ billedDurationMs: p.billedMsGuess ?? BILLED_MS_GUESS, memorySizeMb: p.memoryMb }, lookup.price);
    out.usd += each * p.invokes;
    out.invokes += p.invokes;
  }
  out.assumes =
    `each planned invoke billed as a cold start of ${BILLED_MS_GUESS} ms (init + handler, unless a better guess is given) at its ` +
    `memory size, at first-tier prices of ${table.publicationDate ?? table.retrievedOn}, plus the request charge; warm retries, ` +
    'the free tier and charges other than Lambda duration and requests not counted';
  return out;
}

/** One invoke a run made (warm retries and failures too): its REPORT's billing, or null without a REPORT. */
export interface RunInvoke extends Omit<BilledInvoke, 'billedDurationMs'> {
  function: string;
  billedDurationMs: number | null;
  region?: string | undefined;
  architecture?: string | undefined;
}

/** What a run cost: every invoke with a REPORT, warm retries included; invokes without one are listed as unpriced. */
export function actualRunCost(invokes: readonly RunInvoke[], table: PriceTable = PRICES): RunCost {
  const out: RunCost = { usd: 0, invokes: 0, unpriced: [] };
  for (const i of invokes) {
    const lookup = lookupPrice(i.region, i.architecture, table);
    if (!lookup.ok) addUnpriced(out.unpriced, i.function, 1, lookup.reason);
    else if (i.billedDurationMs === null) addUnpriced(out.unpriced, i.function, 1, 'no REPORT line (billed duration unknown)');
    else {
      out.usd += invokeCostUsd({ ...i, billedDurationMs: i.billedDurationMs }, lookup.price);
      out.invokes++;
    }
  }
  return out;
}
