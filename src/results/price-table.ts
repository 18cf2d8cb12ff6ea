/**
 * The shape of the bundled Lambda price table (src/results/prices.ts, written by `npm run prices:refresh`). Types
 * only, so the generated data module holds nothing but data.
 */

/** Where `npm run prices:refresh` reads AWS's public Price List offer file for Lambda (all regions, JSON). */
export const OFFER_FILE_URL = 'https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AWSLambda/current/index.json';

/** The architectures Lambda prices (FunctionConfiguration.Architectures). */
export const ARCHITECTURES = ['x86_64', 'arm64'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

export interface ArchitecturePrices {
  /** Duration, USD per GB-second: the first tier (a month's first 6 billion GB-s on x86, 7.5 billion on arm64). */
  usdPerGbSecond: number;
  /** Requests, USD per million. */
  usdPerMillionRequests: number;
}

export interface RegionPrices {
  x86_64?: ArchitecturePrices;
  arm64?: ArchitecturePrices;
  /** SnapStart (Python, .NET): USD per GB of snapshot restored; absent where the source names none. */
  snapStartRestoreUsdPerGb?: number;
  /** SnapStart (Python, .NET): USD per GB-second of snapshot cached. */
  snapStartCacheUsdPerGbSecond?: number;
}

export interface PriceTable {
  /**
   * Always `first`: the price of the first usage tier, which applies per account, region and architecture until a
   * month's usage passes the tier (billions of GB-seconds). Heavier accounts pay less per GB-second than shown.
   */
  tier: 'first';
  currency: 'USD';
  /** The offer file's `publicationDate` the values come from; null when they were taken from another copy of AWS's prices. */
  publicationDate: string | null;
  /** When the values were taken (YYYY-MM-DD). */
  retrievedOn: string;
  /** Where the values were taken from, and what confirmed them. */
  sources: string[];
  /** By region code (`eu-central-1`). A region not here has no price: its costs are reported as unknown. */
  regions: Record<string, RegionPrices>;
}
