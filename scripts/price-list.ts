/**
 * AWS's Price List offer file for Lambda → the bundled first-tier price table (src/results/prices.ts). PURE: the
 * download and the write are scripts/refresh-prices.ts's.
 *
 * The offer file (JSON, format v1.0): `products` keyed by SKU, each with `attributes` {regionCode, location, group,
 * usagetype, …}; `terms.OnDemand[sku][sku.offerTermCode].priceDimensions[rateCode]` {unit, beginRange, endRange,
 * pricePerUnit: {USD}}. A product is recognised by its usage type less the regional prefix (`EUC1-Lambda-GB-Second`
 * is `Lambda-GB-Second` in eu-central-1; us-east-1 has no prefix); products without a regionCode (the free tier,
 * location "Any") are not prices. Of a tiered price only the first tier (beginRange 0) is kept.
 */
import { OFFER_FILE_URL, type ArchitecturePrices, type PriceTable, type RegionPrices } from '../src/results/price-table.js';

interface PriceDimension {
  unit?: string;
  beginRange?: string;
  endRange?: string;
  pricePerUnit?: Record<string, string>;
}

export interface OfferFile {
  formatVersion?: string;
  offerCode?: string;
  version?: string;
  publicationDate?: string;
  products?: Record<string, { sku?: string; productFamily?: string; attributes?: Record<string, string> }>;
  terms?: { OnDemand?: Record<string, Record<string, { priceDimensions?: Record<string, PriceDimension> }>> };
}

type Kind = 'x86_64 duration' | 'arm64 duration' | 'x86_64 requests' | 'arm64 requests' | 'snapstart restore' | 'snapstart cache';

/** Usage types (less the regional prefix) the table is made of. */
const KINDS: Record<string, Kind> = {
  'Lambda-GB-Second': 'x86_64 duration',
  'Lambda-GB-Second-ARM': 'arm64 duration',
  Request: 'x86_64 requests',
  'Request-ARM': 'arm64 requests',
  'Lambda-SnapStart-Restored-GB': 'snapstart restore',
  'Lambda-SnapStart-Cached-GB-S': 'snapstart cache',
};

/** `EUC1-Lambda-GB-Second` → `Lambda-GB-Second`; `Global-Request` (the free tier) keeps its prefix. */
export function usageKind(usagetype: string): Kind | undefined {
  return KINDS[usagetype.replace(/^[A-Z0-9]+-(?=Lambda-|Request)/, '')];
}

/** The USD price of the first tier (beginRange 0) of a SKU's on-demand terms; undefined when there is none. */
export function firstTierUsd(offer: OfferFile, sku: string): number | undefined {
  for (const term of Object.values(offer.terms?.OnDemand?.[sku] ?? {})) {
    const dims = Object.values(term.priceDimensions ?? {});
    const first = dims.find((d) => Number(d.beginRange ?? '0') === 0);
    const usd = first?.pricePerUnit?.['USD'];
    if (usd !== undefined && usd !== '' && Number.isFinite(Number(usd))) return Number(usd);
  }
  return undefined;
}

interface Found {
  prices: Map<string, Map<Kind, number>>;
  problems: string[];
}

function collectPrices(offer: OfferFile): Found {
  const found: Found = { prices: new Map(), problems: [] };
  for (const [sku, product] of Object.entries(offer.products ?? {})) {
    const a = product.attributes ?? {};
    const kind = usageKind(a['usagetype'] ?? '');
    const region = a['regionCode'];
    if (kind === undefined || !region || a['location'] === 'Any') continue;
    const usd = firstTierUsd(offer, sku);
    if (usd === undefined || usd <= 0) {
      found.problems.push(`${region} ${kind}: SKU ${sku} has no first-tier USD price`);
      continue;
    }
    const byKind = found.prices.get(region) ?? new Map<Kind, number>();
    const seen = byKind.get(kind);
    if (seen !== undefined && seen !== usd) found.problems.push(`${region} ${kind}: two prices (${seen}, ${usd}); the first kept`);
    if (seen === undefined) byKind.set(kind, usd);
    found.prices.set(region, byKind);
  }
  return found;
}

/** Per million requests without binary noise (0.0000002 × 10^6 = 0.19999999999999998). */
const perMillion = (usd: number): number => Number((usd * 1_000_000).toPrecision(12));

function architecture(byKind: Map<Kind, number>, arch: 'x86_64' | 'arm64'): ArchitecturePrices | undefined {
  const duration = byKind.get(`${arch} duration`);
  const requests = byKind.get(`${arch} requests`);
  return duration === undefined || requests === undefined
    ? undefined
    : { usdPerGbSecond: duration, usdPerMillionRequests: perMillion(requests) };
}

function regionPrices(region: string, byKind: Map<Kind, number>, problems: string[]): RegionPrices | undefined {
  const out: RegionPrices = {};
  for (const arch of ['x86_64', 'arm64'] as const) {
    const p = architecture(byKind, arch);
    if (p) out[arch] = p;
    else if (byKind.has(`${arch} duration`) || byKind.has(`${arch} requests`)) {
      problems.push(`${region} ${arch}: duration or request price missing; left out`);
    }
  }
  if (!out.x86_64 && !out.arm64) return undefined;
  const restore = byKind.get('snapstart restore');
  if (restore !== undefined) out.snapStartRestoreUsdPerGb = restore;
  const cache = byKind.get('snapstart cache');
  if (cache !== undefined) out.snapStartCacheUsdPerGbSecond = cache;
  return out;
}

/** The price table in an offer file, and what was left out and why. `retrievedOn`: today, YYYY-MM-DD. */
export function parseOfferFile(offer: OfferFile, retrievedOn: string): { table: PriceTable; problems: string[] } {
  if (offer.offerCode !== undefined && offer.offerCode !== 'AWSLambda') {
    throw new Error(`not the Lambda offer file: offerCode ${offer.offerCode}`);
  }
  const { prices, problems } = collectPrices(offer);
  const regions: Record<string, RegionPrices> = {};
  for (const region of [...prices.keys()].sort()) {
    const r = regionPrices(region, prices.get(region)!, problems);
    if (r) regions[region] = r;
  }
  if (Object.keys(regions).length === 0) throw new Error('the offer file holds no Lambda duration and request prices');
  const table: PriceTable = {
    tier: 'first',
    currency: 'USD',
    publicationDate: offer.publicationDate ?? null,
    retrievedOn,
    sources: [`AWS Price List offer file for AWSLambda, version ${offer.version ?? 'unknown'}: ${OFFER_FILE_URL}`],
    regions,
  };
  return { table, problems };
}

/** A string literal as prettier writes it with singleQuote (double quotes when that saves escapes). */
function str(s: string): string {
  if (s.includes("'") && !s.includes('"')) return JSON.stringify(s);
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A number literal without an exponent (a price table is read by people). */
function num(n: number): string {
  const s = String(n);
  if (/e/i.test(s)) throw new Error(`price ${s} would print with an exponent`);
  return s;
}

function renderRegion(region: string, r: RegionPrices): string[] {
  const lines = [`    ${str(region)}: {`];
  for (const arch of ['x86_64', 'arm64'] as const) {
    const p = r[arch];
    if (p)
      lines.push(`      ${arch}: { usdPerGbSecond: ${num(p.usdPerGbSecond)}, usdPerMillionRequests: ${num(p.usdPerMillionRequests)} },`);
  }
  if (r.snapStartRestoreUsdPerGb !== undefined) lines.push(`      snapStartRestoreUsdPerGb: ${num(r.snapStartRestoreUsdPerGb)},`);
  if (r.snapStartCacheUsdPerGbSecond !== undefined)
    lines.push(`      snapStartCacheUsdPerGbSecond: ${num(r.snapStartCacheUsdPerGbSecond)},`);
  lines.push('    },');
  return lines;
}

/** src/results/prices.ts for a table (format it with prettier before writing: the repository's style). */
export function renderPricesModule(t: PriceTable): string {
  return [
    '/**',
    ' * Lambda on-demand prices, FIRST TIER ONLY, in USD, by region and architecture: duration per GB-second and requests',
    ' * per million. A region missing here has no price (never a guess).',
    " * Written by `npm run prices:refresh` (scripts/refresh-prices.ts) from AWS's Price List offer file; the sources say",
    ' * where these values come from.',
    ' */',
    "import type { PriceTable } from './price-table.js';",
    '',
    'export const PRICES: PriceTable = {',
    `  tier: ${str(t.tier)},`,
    `  currency: ${str(t.currency)},`,
    `  publicationDate: ${t.publicationDate === null ? 'null' : str(t.publicationDate)},`,
    `  retrievedOn: ${str(t.retrievedOn)},`,
    `  sources: [${t.sources.map(str).join(', ')}],`,
    '  regions: {',
    ...Object.entries(t.regions).flatMap(([region, r]) => renderRegion(region, r)),
    '  },',
    '};',
    '',
  ].join('\n');
}
