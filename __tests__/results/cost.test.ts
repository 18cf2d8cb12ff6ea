/**
 * Cold-start cost from REPORT lines and the bundled first-tier price table, recomputed here by hand:
 * (Billed Duration + Billed Restore Duration) / 1000 s × memory MB / 1024 × USD per GB-s + USD per request.
 */
import { describe, expect, it } from 'vitest';
import { parseReportLine } from '../../src/logs/report-parser.js';
import {
  actualRunCost,
  BILLED_MS_GUESS,
  coldStartCost,
  estimateRunCost,
  invokeCostUsd,
  lookupPrice,
  lowestInitPerDollar,
  type BilledInvoke,
  type Price,
} from '../../src/results/cost.js';
import type { PriceTable } from '../../src/results/price-table.js';
import { PRICES } from '../../src/results/prices.js';
import { MIN_N_P90 } from '../../src/results/stats.js';

const X86_GBS = 0.0000166667; // us-east-1 and eu-central-1, first tier
const ARM_GBS = 0.0000133334;
const REQUEST = 0.2 / 1e6;

function price(region: string, arch: string): Price {
  const l = lookupPrice(region, arch);
  if (!l.ok) throw new Error(l.reason);
  return l.price;
}

function billed(line: string): BilledInvoke {
  const r = parseReportLine(line);
  if (!r) throw new Error('not a REPORT line');
  return { billedDurationMs: r.billedDurationMs, billedRestoreDurationMs: r.billedRestoreDurationMs, memorySizeMb: r.memorySizeMb };
}

describe('lookupPrice', () => {
  it('finds the first-tier prices of the design notes for us-east-1 and eu-central-1', () => {
    for (const region of ['us-east-1', 'eu-central-1']) {
      expect(price(region, 'x86_64')).toMatchObject({ usdPerGbSecond: X86_GBS, usdPerMillionRequests: 0.2 });
      expect(price(region, 'arm64')).toMatchObject({ usdPerGbSecond: ARM_GBS, usdPerMillionRequests: 0.2 });
    }
    expect(price('us-east-1', 'x86_64').asOf).toBe(PRICES.publicationDate ?? PRICES.retrievedOn);
  });

  it('says why there is no price: unknown region, region not in the table, unknown architecture', () => {
    expect(lookupPrice('mx-central-1', 'x86_64')).toEqual({
      ok: false,
      reason: expect.stringMatching(/^no price for mx-central-1 in the bundled price table \(first-tier prices of \d{4}-\d{2}-\d{2}/),
    });
    expect(lookupPrice(undefined, 'x86_64')).toEqual({ ok: false, reason: 'the region is unknown' });
    expect(lookupPrice('unknown', 'arm64')).toEqual({ ok: false, reason: 'the region is unknown' });
    expect(lookupPrice('us-east-1', 'ppc64')).toEqual({
      ok: false,
      reason: 'unknown architecture "ppc64" (Lambda prices x86_64 and arm64)',
    });
    expect(lookupPrice('us-east-1', undefined)).toMatchObject({ ok: false });
  });

  it('a region priced for one architecture only has no price for the other', () => {
    const table: PriceTable = {
      ...PRICES,
      regions: { 'il-central-1': { x86_64: { usdPerGbSecond: 0.0000175, usdPerMillionRequests: 0.21 } } },
    };
    expect(lookupPrice('il-central-1', 'x86_64', table)).toMatchObject({ ok: true });
    expect(lookupPrice('il-central-1', 'arm64', table)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('arm64 in il-central-1'),
    });
  });
});

describe('invokeCostUsd from REPORT lines', () => {
  it('a cold start billed with its init (since August 2025): x86_64, 2048 MB, us-east-1', () => {
    // Init 166.76 + Duration 2.72 = 169.48 ms, billed 170 ms.
    const line =
      'REPORT RequestId: f4ac073d-e814-456a-bbfb-d41b5b485c28\tDuration: 2.72 ms\tBilled Duration: 170 ms\tMemory Size: 2048 MB\tMax Memory Used: 64 MB\tInit Duration: 166.76 ms\t';
    expect(invokeCostUsd(billed(line), price('us-east-1', 'x86_64'))).toBeCloseTo(0.17 * 2 * 0.0000166667 + 0.0000002, 15);
    expect(invokeCostUsd(billed(line), price('us-east-1', 'x86_64'))).toBeCloseTo(0.000005866678, 15);
  });

  it('arm64, 512 MB, eu-central-1, JSON REPORT', () => {
    const line = JSON.stringify({
      type: 'platform.report',
      record: {
        requestId: 'j',
        status: 'success',
        metrics: { durationMs: 20.1, billedDurationMs: 250, memorySizeMB: 512, maxMemoryUsedMB: 80, initDurationMs: 229.3 },
      },
    });
    expect(invokeCostUsd(billed(line), price('eu-central-1', 'arm64'))).toBeCloseTo(0.25 * 0.5 * 0.0000133334 + 0.0000002, 15);
  });

  it('SnapStart: the Billed Restore Duration is billed too', () => {
    const line =
      'REPORT RequestId: 7c8d\tDuration: 120.12 ms\tBilled Duration: 287 ms\tMemory Size: 1024 MB\tMax Memory Used: 120 MB\tRestore Duration: 305.85 ms\tBilled Restore Duration: 166 ms\t';
    expect(invokeCostUsd(billed(line), price('us-east-1', 'x86_64'))).toBeCloseTo(((287 + 166) / 1000) * 1 * 0.0000166667 + 0.0000002, 15);
  });

  it("a region's own prices: af-south-1 (duration and requests dearer)", () => {
    const inv = { billedDurationMs: 400, memorySizeMb: 128 };
    expect(invokeCostUsd(inv, price('af-south-1', 'x86_64'))).toBeCloseTo(0.4 * 0.125 * 0.0000221 + 0.27 / 1e6, 15);
    expect(invokeCostUsd(inv, price('af-south-1', 'arm64'))).toBeCloseTo(0.4 * 0.125 * 0.00001768 + 0.27 / 1e6, 15);
  });
});

describe('coldStartCost', () => {
  const p = lookupPrice('us-east-1', 'x86_64');
  const at = (ms: number): BilledInvoke => ({ billedDurationMs: ms, memorySizeMb: 1024 });
  const usd = (ms: number): number => (ms / 1000) * X86_GBS + REQUEST;

  it('median, mean per million, and no p90 below the p90 threshold', () => {
    const ms = [200, 100, 300, 250, 150, 180, 220, 210, 190].slice(0, MIN_N_P90 - 1);
    const c = coldStartCost(ms.map(at), p);
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(c.n).toBe(MIN_N_P90 - 1);
    expect(c.medianUsd).toBeCloseTo(usd(200), 15); // sorted: 100 150 180 190 [200] 210 220 250 300
    expect(c.p90Usd).toBeNull();
    const mean = ms.reduce((a, b) => a + usd(b), 0) / ms.length;
    expect(c.usdPerMillion).toBeCloseTo(mean * 1e6, 9);
  });

  it('a p90 from the threshold on (type-7 quantile)', () => {
    const ms = Array.from({ length: MIN_N_P90 }, (_, i) => 100 * (i + 1)); // 100 … 1000 ms
    const c = coldStartCost(ms.map(at), p);
    if (!c.ok) throw new Error(c.reason);
    expect(c.p90Usd).toBeCloseTo(usd(910), 15); // h = 0.9 × 9 = 8.1 → 900 + 0.1 × 100
    expect(c.medianUsd).toBeCloseTo(usd(550), 15);
  });

  it('no price, or nothing to price, is said with its reason', () => {
    expect(coldStartCost([at(100)], lookupPrice('xx-nowhere-1', 'x86_64'))).toEqual({
      ok: false,
      reason: expect.stringContaining('xx-nowhere-1'),
    });
    expect(coldStartCost([], p)).toEqual({ ok: false, reason: 'no cold start with a REPORT to price' });
  });
});

describe('lowestInitPerDollar (minimises median init × median cost)', () => {
  it('picks the smallest product; a larger size wins only when init falls fast enough', () => {
    const points = [
      { memory: 128, initMedianMs: 400, costMedianUsd: 1.03e-6 }, // 4.12e-4
      { memory: 512, initMedianMs: 250, costMedianUsd: 2.28e-6 }, // 5.70e-4
      { memory: 1024, initMedianMs: 120, costMedianUsd: 2.2e-6 }, // 2.64e-4
    ];
    expect(lowestInitPerDollar(points)).toEqual({ memory: 1024, initMedianMs: 120, costMedianUsd: 2.2e-6, score: 120 * 2.2e-6 });
    expect(lowestInitPerDollar(points.slice(0, 2))?.memory).toBe(128);
  });

  it('a tie goes to the smaller size; fewer than two priced sizes choose nothing', () => {
    const tie = [
      { memory: 1024, initMedianMs: 100, costMedianUsd: 2e-6 },
      { memory: 256, initMedianMs: 200, costMedianUsd: 1e-6 },
    ];
    expect(lowestInitPerDollar(tie)?.memory).toBe(256);
    expect(lowestInitPerDollar([tie[0]!])).toBeUndefined();
    expect(lowestInitPerDollar([tie[0]!, { memory: 512, initMedianMs: 90, costMedianUsd: Number.NaN }])).toBeUndefined();
  });
});

describe('estimateRunCost and actualRunCost', () => {
  it('estimates every planned invoke as a cold start of the guessed duration; an unpriced function is listed', () => {
    const e = estimateRunCost([
      { function: 'a', memoryMb: 512, invokes: 20, region: 'us-east-1', architecture: 'x86_64' },
      { function: 'a', memoryMb: 1024, invokes: 20, region: 'us-east-1', architecture: 'x86_64', billedMsGuess: 300 },
      { function: 'b', memoryMb: 512, invokes: 20, region: 'us-east-1', architecture: 'arm64' },
      { function: 'c', memoryMb: 512, invokes: 20, region: 'xx-nowhere-1', architecture: 'arm64' },
    ]);
    const expected =
      20 * ((BILLED_MS_GUESS / 1000) * 0.5 * X86_GBS + REQUEST) +
      20 * (0.3 * 1 * X86_GBS + REQUEST) +
      20 * ((BILLED_MS_GUESS / 1000) * 0.5 * ARM_GBS + REQUEST);
    expect(e.usd).toBeCloseTo(expected, 12);
    expect(e.invokes).toBe(60);
    expect(e.unpriced).toEqual([{ function: 'c', invokes: 20, reason: expect.stringContaining('xx-nowhere-1') }]);
    expect(e.assumes).toContain(`${BILLED_MS_GUESS} ms`);
  });

  it('sums every billed invoke, warm retries included; invokes without a REPORT are counted apart', () => {
    const cost = actualRunCost([
      { function: 'a', billedDurationMs: 170, memorySizeMb: 2048, region: 'us-east-1', architecture: 'x86_64' }, // cold
      { function: 'a', billedDurationMs: 3, memorySizeMb: 2048, region: 'us-east-1', architecture: 'x86_64' }, // warm retry
      { function: 'a', billedDurationMs: null, memorySizeMb: 2048, region: 'us-east-1', architecture: 'x86_64' },
      { function: 'b', billedDurationMs: 250, memorySizeMb: 512, region: 'mx-central-1', architecture: 'arm64' },
      { function: 'b', billedDurationMs: 260, memorySizeMb: 512, region: 'mx-central-1', architecture: 'arm64' },
    ]);
    expect(cost.usd).toBeCloseTo(0.17 * 2 * X86_GBS + REQUEST + 0.003 * 2 * X86_GBS + REQUEST, 15);
    expect(cost.invokes).toBe(2);
    expect(cost.unpriced).toEqual([
      { function: 'a', invokes: 1, reason: 'no REPORT line (billed duration unknown)' },
      { function: 'b', invokes: 2, reason: expect.stringContaining('mx-central-1') },
    ]);
  });
});
