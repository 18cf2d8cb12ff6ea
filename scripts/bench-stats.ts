/**
 * `npm run bench:stats`: a seeded Monte Carlo over the project's own statistics — the comparisons within a job and across
 * runs, the gate, the drift rule, the A/B pairs and the "fastest" claim — printing each measured figure beside its target
 * with PASS or FAIL. No AWS, no time measured by any test: this is where the error rates are measured, not argued.
 *
 * Cold starts: lognormal or shifted gamma (shape 2), median 150 ms, CV 10 % or 30 % (3 % for one drift target), 5 % of
 * samples doubled (outliers), n = 5, 10, 20, 50 per run. A run made on another day is multiplied by exp(N(0, σ)), σ = 0 or
 * 0.05 ("±5 % drift"). A/B pairs: the platform trends +3 %/s (compounding) during the job; a round (update + wait + invoke)
 * takes U(1, 8) s; head and base are sampled concurrently, their invokes a |N(0, 0.1 s)| jitter apart; 5 % of samples
 * are warm and retried, which measures that sample one round later.
 *
 * Usage: tsx scripts/bench-stats.ts [--reps N] [--seed S] [--quick] [--only compare|drift|pairs|fastest]
 *        [--alone-k K --confirm-k K] (try other constants of the drift rule)
 */
import { parseArgs } from 'node:util';
import { compareRuns, regressions } from '../src/results/compare.js';
import { allowanceFromHistory, DEFAULT_ALLOWANCE, type Allowance } from '../src/results/allowance.js';
import { comparePairs, balancedBlockOrder, type SequencedValue } from '../src/results/pairs.js';
import { mannWhitney, ratioOfMedians, isSignificant, summarize, computeStatistics } from '../src/results/stats.js';
import { fastestVerdict } from '../src/results/fastest.js';
import { assessDrift, DEFAULT_DRIFT_RULE, type DriftRule } from '../src/history/drift.js';
import { signTest, signedRank } from '../src/results/rank-tests.js';
import type { FunctionInfo, RunResults, Sample } from '../src/results/model.js';
import type { HistoryEntry, HistoryRow } from '../src/history/model.js';

const { values: args } = parseArgs({
  options: {
    reps: { type: 'string' },
    seed: { type: 'string' },
    quick: { type: 'boolean' },
    only: { type: 'string' },
    'alone-k': { type: 'string' },
    'confirm-k': { type: 'string' },
  },
});
const ONLY = args.only;
const QUICK = args.quick === true;
const REPS = Number(args.reps ?? (QUICK ? 400 : 2000));
const SEED = Number(args.seed ?? 20260518);

// ---------------------------------------------------------------- random numbers

class Rand {
  private a: number;
  private spare: number | null = null;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  /** mulberry32 */
  uniform(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
  /** Gamma(shape ≥ 1, scale 1): Marsaglia & Tsang. */
  gamma(shape: number): number {
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniform();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  }
}

// ---------------------------------------------------------------- cold-start distributions

type Dist = 'lognormal' | 'gamma';
const MEDIAN = 150;
const OUTLIERS = 0.05;
/** Median of Gamma(2, 1). */
const GAMMA2_MEDIAN = 1.678346990016661;

/** One cold start (ms) of a function with median 150 ms and coefficient of variation `cv`, before outliers. */
function draw(r: Rand, dist: Dist, cv: number): number {
  if (dist === 'lognormal') return MEDIAN * Math.exp(Math.sqrt(Math.log(1 + cv * cv)) * r.normal());
  // shifted Gamma(2, θ): sd = cv·150, shifted so that its median is 150 ms
  const theta = (cv * MEDIAN) / Math.SQRT2;
  return MEDIAN - GAMMA2_MEDIAN * theta + theta * r.gamma(2);
}

/** n cold starts: `factor` multiplies the run (a day's drift, a real change); 5 % of the samples doubled. */
function runValues(r: Rand, dist: Dist, cv: number, n: number, factor = 1): number[] {
  const v: number[] = [];
  for (let i = 0; i < n; i++) v.push(draw(r, dist, cv) * factor * (r.uniform() < OUTLIERS ? 2 : 1));
  return v;
}

// ---------------------------------------------------------------- building the project's inputs

const INFO: FunctionInfo = {
  name: 'f',
  arn: 'arn:aws:lambda:eu-west-1:123456789012:function:f',
  runtime: 'nodejs22.x',
  architecture: 'arm64',
  packageType: 'Zip',
  logFormat: 'Text',
  logGroup: '/aws/lambda/f',
  snapStart: false,
  originalMemory: 128,
};

function samples(fn: string, values: readonly number[]): Sample[] {
  return values.map((init, i) => ({
    function: fn,
    memory: 512,
    sequence: i + 1,
    attempt: 1,
    requestId: `${fn}-${i}`,
    kind: 'cold',
    init,
    restore: null,
    duration: 5,
    billed: Math.ceil(init + 5),
    maxMemory: 80,
    source: 'insights',
    timestamp: '2026-05-18T03:00:00.000Z',
    strategy: 'sequential',
  }));
}

function results(values: readonly number[], fn = 'f'): RunResults {
  return {
    schemaVersion: 1,
    tool: { name: 'lambda-coldstart', version: 'bench' },
    run: {
      startedAt: '2026-05-18T03:00:00.000Z',
      endedAt: '2026-05-18T03:10:00.000Z',
      region: 'eu-west-1',
      inputs: {
        functions: [fn],
        memory: [512],
        repetitions: values.length,
        reportSource: 'insights',
        strategy: 'sequential',
        concurrency: 1,
      },
    },
    functions: [{ ...INFO, name: fn }],
    samples: samples(fn, values),
    statistics: [],
    notes: [],
  };
}

function historyRow(values: readonly number[], fn = 'f'): HistoryRow {
  const s = summarize(values);
  return { function: fn, memory: 512, n: s.n, p50: s.p50, p90: s.p90, ci: s.medianCi, mean: s.mean, coldP50: 5, billedP50: s.p50 + 5 };
}

function historyEntry(i: number, rows: HistoryRow[]): HistoryEntry {
  return {
    time: new Date(Date.UTC(2026, 4, 1, 3) + i * 86_400_000).toISOString(),
    commit: 'c'.repeat(40),
    branch: 'main',
    event: 'schedule',
    region: 'eu-west-1',
    functions: { f: { runtime: 'nodejs22.x', architecture: 'arm64' } },
    rows,
  };
}

// ---------------------------------------------------------------- tallies and printing

class Rate {
  hits = 0;
  total = 0;
  add(hit: boolean): void {
    this.total++;
    if (hit) this.hits++;
  }
  get value(): number {
    return this.total === 0 ? Number.NaN : this.hits / this.total;
  }
}

const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '–');

interface Target {
  what: string;
  measured: number;
  target: string;
  pass: boolean;
}
const targets: Target[] = [];
function target(what: string, measured: number, op: '<=' | '>=', bound: number): void {
  targets.push({ what, measured, target: `${op} ${pct(bound)}`, pass: op === '<=' ? measured <= bound : measured >= bound });
}

function table(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${title}\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const r of rows) console.log(line(r));
}

// ---------------------------------------------------------------- the grid

const DISTS: Dist[] = ['lognormal', 'gamma'];
const CVS = [0.1, 0.3];
const NS = [5, 10, 20, 50];
const DRIFTS = [0, 0.05];
const GATE = 0.15;

function cellSeed(...parts: number[]): number {
  let h = SEED;
  for (const p of parts) h = Math.imul(h ^ Math.round(p * 1000), 2654435761) >>> 0;
  return h;
}

// ---------------------------------------------------------------- comparisons (within a job, across days)

interface CompareCell {
  coverage: Rate;
  slower: Rate;
  anySig: Rate;
  gate: Rate;
  power10: Rate;
  power25: Rate;
  gate30: Rate;
  tooFew: Rate;
}

const newCompareCell = (): CompareCell => ({
  coverage: new Rate(),
  slower: new Rate(),
  anySig: new Rate(),
  gate: new Rate(),
  power10: new Rate(),
  power25: new Rate(),
  gate30: new Rate(),
  tooFew: new Rate(),
});

type CompareMode = 'within-job' | 'across-default' | 'across-history';

/** One base run and one head run (each its own day unless within a job), the head multiplied by 1, 1.1, 1.25, 1.3. */
function compareCell(mode: CompareMode, dist: Dist, cv: number, n: number, drift: number): CompareCell {
  const r = new Rand(cellSeed(mode.length, DISTS.indexOf(dist), cv, n, drift));
  const cell = newCompareCell();
  const day = () => (mode === 'within-job' ? 1 : Math.exp(drift * r.normal()));
  for (let rep = 0; rep < REPS; rep++) {
    let allowance: Allowance | undefined;
    if (mode === 'across-history') {
      const past = Array.from({ length: 10 }, () => historyRow(runValues(r, dist, cv, n, day())));
      allowance = allowanceFromHistory(past) ?? DEFAULT_ALLOWANCE;
    }
    const base = runValues(r, dist, cv, n, day());
    const headNoise = runValues(r, dist, cv, n, day());
    const opts = { kind: mode === 'within-job' ? ('within-job' as const) : ('across-runs' as const), allowanceFor: () => allowance };
    const judge = (factor: number) => compareRuns(results(base), results(headNoise.map((v) => v * factor)), opts)[0]!;
    const same = judge(1);
    cell.tooFew.add(same.verdict === 'too few to tell');
    if (same.ratioCi) cell.coverage.add(same.ratioCi[0] <= 1 && 1 <= same.ratioCi[1]);
    cell.slower.add(same.verdict === 'slower');
    cell.anySig.add(same.verdict === 'slower' || same.verdict === 'faster');
    cell.gate.add(regressions([same], GATE).length > 0);
    cell.power10.add(judge(1.1).verdict === 'slower');
    cell.power25.add(judge(1.25).verdict === 'slower');
    cell.gate30.add(regressions([judge(1.3)], GATE).length > 0);
  }
  return cell;
}

function compareSection(): void {
  const modes: { mode: CompareMode; title: string; drifts: number[] }[] = [
    { mode: 'within-job', title: 'Within one job (both runs the same day): Mann–Whitney + Price–Bonett', drifts: [0] },
    { mode: 'across-default', title: 'Across days, no history: default allowance σ = 0.05', drifts: DRIFTS },
    { mode: 'across-history', title: 'Across days, 10-run history of the series: allowance from its spread', drifts: DRIFTS },
  ];
  for (const { mode, title, drifts } of modes) {
    const rows: string[][] = [];
    for (const drift of drifts)
      for (const dist of DISTS)
        for (const cv of CVS)
          for (const n of NS) {
            const c = compareCell(mode, dist, cv, n, drift);
            rows.push([
              `${dist} CV ${cv * 100}%`,
              `n=${n} drift ±${drift * 100}%`,
              pct(c.coverage.value),
              pct(c.slower.value),
              pct(c.gate.value),
              pct(c.power10.value),
              pct(c.power25.value),
              pct(c.gate30.value),
              pct(c.tooFew.value),
            ]);
            checkCompareTargets(mode, dist, cv, n, drift, c);
          }
    table(title, ['distribution', 'cell', 'cover95', 'slower@1', 'gate15@1', 'slower@1.1', 'slower@1.25', 'gate15@1.3', 'too-few'], rows);
  }
}

function checkCompareTargets(mode: CompareMode, dist: Dist, cv: number, n: number, drift: number, c: CompareCell): void {
  const at = `${mode} ${dist} CV ${cv * 100}% n=${n} drift ±${drift * 100}%`;
  // Across runs with no real drift the allowance (the default, or the part of it a history keeps) over-covers by design.
  const coverageApplies = n >= 10 && (mode === 'within-job' || drift > 0);
  if (coverageApplies) {
    target(`coverage ≥ 93 % (${at})`, c.coverage.value, '>=', 0.93);
    target(`coverage ≤ 97 % (${at})`, c.coverage.value, '<=', 0.97);
  }
  if (mode !== 'within-job' && n === 20 && cv === 0.1 && drift === 0.05) {
    target(`across days, no change: "slower" (${at})`, c.slower.value, '<=', 0.05);
    target(`across days, no change: 15 % gate trips (${at})`, c.gate.value, '<=', 0.02);
    target(`across days, +30 %: 15 % gate trips (${at})`, c.gate30.value, '>=', 0.8);
  }
}

// ---------------------------------------------------------------- drift alerts

interface DriftCell {
  falseAlarm: Rate;
  above: Rate;
  first20: Rate;
  by2nd20: Rate;
  first50: Rate;
  by2nd50: Rate;
  first40: Rate;
  by2nd40: Rate;
}

/**
 * Twelve scheduled runs of one series, each its own day: runs 0–9 are the history of run 10, runs 1–10 that of run 11.
 * No change: does run 11 alert? A step from run 10 on: does run 10 alert (first), or run 10 or 11 (by the second)?
 */
function driftCell(dist: Dist, cv: number, n: number, drift: number, rule: DriftRule): DriftCell {
  const r = new Rand(cellSeed(7, DISTS.indexOf(dist), cv, n, drift));
  const c: DriftCell = {
    falseAlarm: new Rate(),
    above: new Rate(),
    first20: new Rate(),
    by2nd20: new Rate(),
    first50: new Rate(),
    by2nd50: new Rate(),
    first40: new Rate(),
    by2nd40: new Rate(),
  };
  for (let rep = 0; rep < REPS; rep++) {
    const runs = Array.from({ length: 12 }, () => runValues(r, dist, cv, n, Math.exp(drift * r.normal())));
    const state = (step: number, i: number) => {
      const entries = runs.map((v, j) => historyEntry(j, [historyRow(j >= 10 ? v.map((x) => x * step) : v)]));
      return assessDrift(entries.slice(0, i), entries[i]!, GATE, rule)[0]!.state;
    };
    const now = state(1, 11);
    c.falseAlarm.add(now === 'drift');
    c.above.add(now === 'above' || now === 'drift');
    for (const [step, first, by2nd] of [
      [1.2, c.first20, c.by2nd20],
      [1.5, c.first50, c.by2nd50],
      [1.4, c.first40, c.by2nd40],
    ] as const) {
      const one = state(step, 10) === 'drift';
      first.add(one);
      by2nd.add(one || state(step, 11) === 'drift');
    }
  }
  return c;
}

function driftSection(rule: DriftRule): void {
  const rows: string[][] = [];
  let worstFalse = 0;
  const cells: [Dist, number, number, number][] = [];
  for (const drift of DRIFTS)
    for (const dist of DISTS) for (const cv of [0.03, ...CVS]) for (const n of NS) cells.push([dist, cv, n, drift]);
  for (const [dist, cv, n, drift] of cells) {
    const c = driftCell(dist, cv, n, drift, rule);
    if (drift > 0) worstFalse = Math.max(worstFalse, c.falseAlarm.value);
    rows.push([
      `${dist} CV ${cv * 100}%`,
      `n=${n} drift ±${drift * 100}%`,
      pct(c.falseAlarm.value),
      pct(c.above.value),
      `${pct(c.first20.value)} / ${pct(c.by2nd20.value)}`,
      `${pct(c.first40.value)} / ${pct(c.by2nd40.value)}`,
      `${pct(c.first50.value)} / ${pct(c.by2nd50.value)}`,
    ]);
    const at = `${dist} CV ${cv * 100}% n=${n} drift ±${drift * 100}%`;
    if (n === 10 && cv === 0.1) target(`drift: +20 % step detected by the 2nd run (${at})`, c.by2nd20.value, '>=', 0.7);
    if (n === 10 && cv === 0.3) target(`drift: +50 % step detected by the 2nd run (${at})`, c.by2nd50.value, '>=', 0.9);
    if (n === 5 && cv === 0.03) target(`drift: +40 % step at CV 3 % detected by the 2nd run (${at})`, c.by2nd40.value, '>=', 0.9);
  }
  table(
    `Drift alerts (10-run history, threshold 15 %; rule: alone > ${rule.aloneK}·s, confirmed > ${rule.confirmK}·s)`,
    ['distribution', 'cell', 'false alarm', 'above (unconfirmed)', '+20% 1st / by 2nd', '+40% 1st / by 2nd', '+50% 1st / by 2nd'],
    rows,
  );
  target('drift: false alarms per scheduled run, worst cell with ±5 % drift', worstFalse, '<=', 0.02);
}

// ---------------------------------------------------------------- A/B pairs with a platform trend

type PairMode = 'concurrent' | 'interleaved-fixed' | 'interleaved-balanced';
const TREND = 1.03; // per second, compounding
const WARM = 0.05;

interface PairCell {
  coverage: Rate;
  flagged: Rate;
  slower: Rate;
  power30: Rate;
  unpairedFlagged: Rate;
  unpairedPower30: Rate;
  signFlagged: Rate;
  signPower30: Rate;
  rankFlagged: Rate;
  rankPower30: Rate;
}

/** One job: n rounds; returns each side's sequenced values for a head multiplied by `factor`. */
function pairJob(
  r: Rand,
  dist: Dist,
  cv: number,
  n: number,
  mode: PairMode,
): { head: number[]; base: number[]; headT: number[]; baseT: number[] } {
  const starts: number[] = [];
  let t = 0;
  for (let i = 0; i < n + 2; i++) {
    starts.push(t);
    t += 1 + 7 * r.uniform();
  }
  const order = mode === 'interleaved-balanced' ? balancedBlockOrder(n, () => r.uniform()) : Array.from({ length: n }, () => true);
  const head: number[] = [];
  const base: number[] = [];
  const headT: number[] = [];
  const baseT: number[] = [];
  for (let i = 0; i < n; i++) {
    const len = starts[i + 1]! - starts[i]!;
    // when the two invokes of a round happen: concurrently (a jitter apart), or one after the other (half a round apart)
    let th = starts[i]! + Math.abs(0.1 * r.normal());
    let tb = starts[i]! + Math.abs(0.1 * r.normal());
    if (mode !== 'concurrent' && order[i]) tb += len / 2;
    else if (mode !== 'concurrent') th += len / 2;
    // a warm response is retried: that sample is measured a round later
    if (r.uniform() < WARM) th += len;
    if (r.uniform() < WARM) tb += len;
    headT.push(th);
    baseT.push(tb);
    head.push(runValues(r, dist, cv, 1)[0]!);
    base.push(runValues(r, dist, cv, 1)[0]!);
  }
  return { head, base, headT, baseT };
}

function pairCell(dist: Dist, cv: number, n: number, mode: PairMode): PairCell {
  const r = new Rand(cellSeed(11, DISTS.indexOf(dist), cv, n, mode.length));
  const c: PairCell = {
    coverage: new Rate(),
    flagged: new Rate(),
    slower: new Rate(),
    power30: new Rate(),
    unpairedFlagged: new Rate(),
    unpairedPower30: new Rate(),
    signFlagged: new Rate(),
    signPower30: new Rate(),
    rankFlagged: new Rate(),
    rankPower30: new Rate(),
  };
  for (let rep = 0; rep < REPS; rep++) {
    const job = pairJob(r, dist, cv, n, mode);
    const seq = (v: number[], times: number[], factor: number): SequencedValue[] =>
      v.map((x, i) => ({ sequence: i + 1, value: x * factor * TREND ** times[i]! }));
    const judge = (factor: number) => comparePairs(seq(job.head, job.headT, factor), seq(job.base, job.baseT, 1));
    const same = judge(1);
    if (same.ratioCi) c.coverage.add(same.ratioCi[0] <= 1 && 1 <= same.ratioCi[1]);
    c.flagged.add(same.significant);
    c.slower.add(same.verdict === 'slower');
    c.power30.add(judge(1.3).verdict === 'slower');
    // the same data compared unpaired (as if the pairs were lost), and by the sign test
    const unpaired = (factor: number) => {
      const h = seq(job.head, job.headT, factor).map((x) => x.value);
      const b = seq(job.base, job.baseT, 1).map((x) => x.value);
      const { ratio, ci } = ratioOfMedians(h, b);
      return isSignificant(mannWhitney(h, b).p, ci) && ratio > 1;
    };
    c.unpairedFlagged.add(unpaired(1));
    c.unpairedPower30.add(unpaired(1.3));
    const logRatios = (factor: number) => {
      const h = seq(job.head, job.headT, factor);
      const b = seq(job.base, job.baseT, 1);
      return h.map((x, i) => Math.log(x.value) - Math.log(b[i]!.value));
    };
    const up = (d: number[]) => d.filter((x) => x > 0).length > d.length / 2;
    const sign = (d: number[]) => signTest(d).p < 0.05 && up(d);
    const rank = (d: number[]) => signedRank(d).p < 0.05 && up(d);
    c.signFlagged.add(sign(logRatios(1)));
    c.signPower30.add(sign(logRatios(1.3)));
    c.rankFlagged.add(rank(logRatios(1)));
    c.rankPower30.add(rank(logRatios(1.3)));
  }
  return c;
}

function pairSection(): void {
  const rows: string[][] = [];
  for (const mode of ['concurrent', 'interleaved-balanced', 'interleaved-fixed'] as PairMode[])
    for (const dist of DISTS)
      for (const cv of CVS)
        for (const n of NS) {
          if (mode !== 'concurrent' && !(cv === 0.1 && (n === 10 || n === 50))) continue;
          const c = pairCell(dist, cv, n, mode);
          rows.push([
            `${mode} ${dist}`,
            `CV ${cv * 100}% n=${n}`,
            pct(c.coverage.value),
            pct(c.flagged.value),
            pct(c.slower.value),
            pct(c.power30.value),
            `${pct(c.rankFlagged.value)} / ${pct(c.rankPower30.value)}`,
            `${pct(c.signFlagged.value)} / ${pct(c.signPower30.value)}`,
            `${pct(c.unpairedFlagged.value)} / ${pct(c.unpairedPower30.value)}`,
          ]);
          if (mode === 'concurrent') {
            const at = `${dist} CV ${cv * 100}% n=${n}`;
            target(`A/B, trend +3 %/s, unchanged pair called slower (${at})`, c.slower.value, '<=', 0.05);
            if (n >= 10) {
              target(`A/B coverage ≥ 93 % (${at})`, c.coverage.value, '>=', 0.93);
              target(`A/B coverage ≤ 97 % (${at})`, c.coverage.value, '<=', 0.97);
            }
            if (n === 10 && cv === 0.1) target(`A/B, trend +3 %/s, +30 % head flagged (${at})`, c.power30.value, '>=', 0.9);
          }
        }
  table(
    'A/B pairs in one job, platform trend +3 %/s: paired 20 % trimmed mean of log ratios (signed-rank, sign test and unpaired Mann–Whitney on the same data: "slower" @1 / @1.3)',
    ['sampling, distribution', 'cell', 'cover95', 'any@1', 'slower@1', 'slower@1.3', 'signed-rank', 'sign test', 'unpaired'],
    rows,
  );
}

// ---------------------------------------------------------------- "fastest"

function fastestSection(): void {
  const rows: string[][] = [];
  for (const k of [2, 3, 5])
    for (const n of [3, 5, 10, 20]) {
      const r = new Rand(cellSeed(13, k, n));
      const none = new Rate();
      const found = new Rate();
      for (let rep = 0; rep < REPS / 2; rep++) {
        for (const [gap, rate] of [
          [1, none],
          [0.75, found],
        ] as const) {
          const fns = Array.from({ length: k }, (_, i) => `f${i}`);
          const all = fns.flatMap((fn, i) => samples(fn, runValues(r, 'lognormal', 0.1, n, i === 0 ? gap : 1)));
          const stats = computeStatistics(
            fns.map((name) => ({ ...INFO, name })),
            all,
          );
          const v = fastestVerdict(stats);
          rate.add(v.clear && (gap === 1 || v.fastest.function === 'f0'));
        }
      }
      rows.push([`${k} functions`, `n=${n}`, pct(none.value), pct(found.value)]);
      if (n >= 5) target(`"fastest" named among ${k} identical functions (n=${n})`, none.value, '<=', 0.05);
    }
  table(
    '"Fastest" (lognormal CV 10 %): named when significantly faster than every other function',
    ['group', 'cell', 'identical: named', 'one 25 % faster: named'],
    rows,
  );
}

// ---------------------------------------------------------------- main

const cpu0 = process.cpuUsage();
const t0 = performance.now();
console.log(`bench:stats — seed ${SEED}, ${REPS} repetitions per cell${QUICK ? ' (quick)' : ''}`);
const rule: DriftRule = {
  ...DEFAULT_DRIFT_RULE,
  ...(args['alone-k'] === undefined ? {} : { aloneK: Number(args['alone-k']) }),
  ...(args['confirm-k'] === undefined ? {} : { confirmK: Number(args['confirm-k']) }),
};
if (!ONLY || ONLY === 'compare') compareSection();
if (!ONLY || ONLY === 'drift') driftSection(rule);
if (!ONLY || ONLY === 'pairs') pairSection();
if (!ONLY || ONLY === 'fastest') fastestSection();

const failed = targets.filter((t) => !t.pass);
table(
  'Targets',
  ['', 'target', 'measured', 'bound'],
  targets.map((t) => [t.pass ? 'PASS' : 'FAIL', t.what, pct(t.measured), t.target]),
);
const cpu = process.cpuUsage(cpu0);
console.log(
  `\n${targets.length - failed.length}/${targets.length} targets met. Wall ${((performance.now() - t0) / 1000).toFixed(1)} s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s.` +
    '\nNot measured here: the wall-clock of an A/B run against its lower bound (the engine: npm run bench).',
);
process.exitCode = failed.length === 0 ? 0 : 1;
