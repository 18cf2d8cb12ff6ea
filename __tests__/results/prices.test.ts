/**
 * The price table and the refresh that rebuilds it. The fixture is a small AWSLambda offer file in the Price List's
 * JSON format (format v1.0: products by SKU with attributes regionCode / usagetype / group; terms.OnDemand[sku]
 * [sku.offerTermCode].priceDimensions[rateCode] {beginRange, endRange, unit, pricePerUnit.USD}). Its us-east-1 and
 * eu-central-1 prices and tiers are AWS's; the il-central-1 and me-south-1 SKUs are there to exercise a region the
 * bundled table lacks and a region with a duration but no request price.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { describe, expect, it } from 'vitest';
import { firstTierUsd, parseOfferFile, renderPricesModule, usageKind, type OfferFile } from '../../scripts/price-list.js';
import { ARCHITECTURES, OFFER_FILE_URL } from '../../src/results/price-table.js';
import { PRICES } from '../../src/results/prices.js';

const FIXTURE = '__tests__/fixtures/pricing/AWSLambda-offer-sample.json';
const offer = JSON.parse(readFileSync(FIXTURE, 'utf8')) as OfferFile;
const TARGET = 'src/results/prices.ts';

async function prettier(source: string): Promise<string> {
  return format(source, { ...(await resolveConfig(TARGET)), filepath: TARGET });
}

describe('parseOfferFile (the refresh)', () => {
  const { table, problems } = parseOfferFile(offer, '2026-12-03');

  it('keeps the regions with duration and request prices; first tier only, whatever order the tiers come in', () => {
    expect(Object.keys(table.regions)).toEqual(['eu-central-1', 'il-central-1', 'us-east-1']);
    expect(table.regions['us-east-1']).toEqual({
      x86_64: { usdPerGbSecond: 0.0000166667, usdPerMillionRequests: 0.2 },
      arm64: { usdPerGbSecond: 0.0000133334, usdPerMillionRequests: 0.2 },
      snapStartRestoreUsdPerGb: 0.0001397998,
      snapStartCacheUsdPerGbSecond: 0.0000015046,
    });
    expect(table.regions['eu-central-1']).toEqual({
      x86_64: { usdPerGbSecond: 0.0000166667, usdPerMillionRequests: 0.2 },
      arm64: { usdPerGbSecond: 0.0000133334, usdPerMillionRequests: 0.2 },
    });
  });

  it('a region with one architecture only keeps that one; a duration without its request price is left out and said', () => {
    expect(table.regions['il-central-1']).toEqual({ x86_64: { usdPerGbSecond: 0.0000175, usdPerMillionRequests: 0.21 } });
    expect(table.regions['me-south-1']).toBeUndefined();
    expect(problems).toEqual(['me-south-1 x86_64: duration or request price missing; left out']);
  });

  it('carries the publication date, the day it was read and the source; says first tier', () => {
    expect(table).toMatchObject({ tier: 'first', currency: 'USD', publicationDate: '2025-11-04T12:34:56Z', retrievedOn: '2026-12-03' });
    expect(table.sources).toEqual([`AWS Price List offer file for AWSLambda, version 20251104123456: ${OFFER_FILE_URL}`]);
  });

  it('ignores the free tier, provisioned concurrency and Lambda@Edge', () => {
    for (const u of [
      'Global-Lambda-GB-Second',
      'Global-Request',
      'Lambda-Provisioned-GB-Second',
      'USE1-Lambda-Edge-GB-Second',
      'EUC1-Lambda-Provisioned-Concurrency',
    ]) {
      expect(usageKind(u)).toBeUndefined();
    }
    expect(usageKind('EUC1-Lambda-GB-Second-ARM')).toBe('arm64 duration');
    expect(usageKind('Request')).toBe('x86_64 requests');
    expect(usageKind('ILC1-Request')).toBe('x86_64 requests');
    expect(firstTierUsd(offer, 'TG3M4CAGBA3NYQBH')).toBe(0.0000166667);
    expect(firstTierUsd(offer, 'NO-SUCH-SKU')).toBeUndefined();
  });

  it('refuses another service’s offer file and one without Lambda prices', () => {
    expect(() => parseOfferFile({ ...offer, offerCode: 'AmazonEC2' }, '2026-12-03')).toThrow(/offerCode AmazonEC2/);
    expect(() => parseOfferFile({ offerCode: 'AWSLambda', products: {}, terms: {} }, '2026-12-03')).toThrow(/no Lambda/);
  });

  it('renders a module that holds the same table', async () => {
    const source = await prettier(renderPricesModule(table));
    const literal = source.slice(source.indexOf('export const PRICES: PriceTable = ') + 'export const PRICES: PriceTable = '.length);
    expect(new Function(`return ${literal}`)()).toEqual(table);
  });
});

describe('npm run prices:refresh (scripts/refresh-prices.ts)', () => {
  it('reads an offer file and writes the formatted table, saying what it left out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prices-'));
    try {
      const out = join(dir, 'prices.ts');
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/refresh-prices.ts', '--file', FIXTURE, '--out', out], {
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).toContain('warning: me-south-1 x86_64: duration or request price missing; left out');
      expect(run.stdout).toContain('3 regions, offer file version 20251104123456 published 2025-11-04T12:34:56Z');
      const today = new Date().toISOString().slice(0, 10);
      expect(readFileSync(out, 'utf8')).toBe(await prettier(renderPricesModule(parseOfferFile(offer, today).table)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the bundled table', () => {
  it('is in the format the refresh writes (rendered from its own values, byte for byte)', async () => {
    expect(await prettier(renderPricesModule(PRICES))).toBe(readFileSync(TARGET, 'utf8'));
  });

  it('says first tier, its date and its sources; every region has plausible prices for both architectures', () => {
    expect(PRICES.tier).toBe('first');
    expect(PRICES.retrievedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(PRICES.sources.length).toBeGreaterThan(0);
    expect(Object.keys(PRICES.regions).length).toBeGreaterThanOrEqual(2);
    for (const [region, r] of Object.entries(PRICES.regions)) {
      for (const arch of ARCHITECTURES) {
        const p = r[arch];
        expect(p, `${region} ${arch}`).toBeDefined();
        expect(p!.usdPerGbSecond).toBeGreaterThan(0.00001);
        expect(p!.usdPerGbSecond).toBeLessThan(0.00003);
        expect(p!.usdPerMillionRequests).toBeGreaterThan(0.1);
        expect(p!.usdPerMillionRequests).toBeLessThan(0.5);
      }
      // Arm is cheaper than x86 everywhere Lambda offers both.
      expect(r.arm64!.usdPerGbSecond).toBeLessThan(r.x86_64!.usdPerGbSecond);
    }
  });
});
