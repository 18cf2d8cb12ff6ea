/**
 * Lambda on-demand prices, FIRST TIER ONLY, in USD, by region and architecture: duration per GB-second and requests
 * per million. A region missing here has no price (never a guess).
 * Written by `npm run prices:refresh` (scripts/refresh-prices.ts) from AWS's Price List offer file; the sources say
 * where these values come from.
 */
import type { PriceTable } from './price-table.js';

export const PRICES: PriceTable = {
  tier: 'first',
  currency: 'USD',
  publicationDate: null,
  retrievedOn: '2026-12-03',
  sources: [
    "AWS Pricing Calculator's metered-unit map for Lambda (https://calculator.aws/pricing/2.0/meteredUnitMaps/lambda/USD/current/lambda.json, rate codes of the AWS Price List), as transcribed in https://github.com/remotion-dev/remotion/blob/024b341a3f7744d2d082e88c8e7a30f71398b147/packages/lambda-client/src/price-per-1s.ts",
    'Cross-checked (x86_64 and arm64 duration, every region it lists): https://github.com/janritter/aws-lambda-live-tuner/blob/9c02c35ca5ed6e007814a603fa9dca572f22c911/cost/cost.go (2022-10-17, from the AWS Price List API)',
    'Built by hand from these sources (no offer file could be read); the first `npm run prices:refresh` replaces them with the offer file and its publication date',
  ],
  regions: {
    'af-south-1': {
      x86_64: { usdPerGbSecond: 0.0000221, usdPerMillionRequests: 0.27 },
      arm64: { usdPerGbSecond: 0.00001768, usdPerMillionRequests: 0.27 },
    },
    'ap-east-1': {
      x86_64: { usdPerGbSecond: 0.00002292, usdPerMillionRequests: 0.28 },
      arm64: { usdPerGbSecond: 0.0000183, usdPerMillionRequests: 0.28 },
    },
    'ap-northeast-1': {
      x86_64: { usdPerGbSecond: 0.0000166667, usdPerMillionRequests: 0.2 },
      arm64: { usdPerGbSecond: 0.0000133334, usdPerMillionRequests: 0.2 },
    },
    'ap-northeast-2': {
      x86_64: { usdPerGbSecond: 0.0000166667, usdPerMillionRequests: 0.2 },
      arm64: { usdPerGbSecond: 0.0000133334, usdPerMillionRequests: 0.2 },
    },
    'ap-northeast-3': {
      x86_64: { usdPerGbSecond: 0.0000166667, usdPerMillionRequests: 0.2 },
      arm64: { usdPerGbSecond: 0.0000133334, usdPerMillionRequests: 0.2 },
    },
    'ap-south-1': {
      x86_64: { usdPerGbSecond: 0.0000166667, usdPerMillionRequests: 0.2 },
      arm64: { usdPerGbSecond: 0.0000133334, usdPerMillionRequests: 0.2 },
    },
    'ap-southeast-1': {
      x86_64: { usdPerGbSecond: 0.0000166667, usdPerMillionRequests: 0.2 },
      arm64: { usdPerGbSecond: 0.0000133334, usdPerMillionRequests: 0.2 },
    },
    'ap-southeast-2': {
      x86_64: { usdPerGbSecond: 0.0000166667, usdPerMillionRequests: 0.2 },
      arm64: { usdPerGbSecond: 0.0000133334, usdPerMillionRequests: 0.2 },
    },
    'ap-southeast-4': {
      x86_64: { usdPerGbSecond: 0.0000166667, usdPerMillionRequests: 0.2 },
      arm64: { usdPerGbSecond: 0.0000133334, usdPerMillionRequests: 0.2 },
    },
    'ap-southeast-5': {
      x86_64: { usdPerGbSecond: 0.000015, usdPerMillionRequests: 0.18 },
      arm64: { usdPerGbSecond: 0.000012, usdPerMillionRequests: 0.18 },
    },
    'ca-central-1': {
      x86_64: { usdPerGbSecond: 0.0000166667, usdPerMillionRequests: 0.2 },
      arm64: { usdPerGbSecond: 0.0000133334, usdPerMillionRequests: 0.2 },
    },
    'eu-central-1': {
      x86_64: { usdPerGbSecond: 0.0000166667, usdPerMillionRequests: 0.2 },
      arm64: { usdPerGbSecond: 0.0000133334, usdPerMillionRequests: 0.2 },
    },
    'eu-central-2': {
      x86_64: { usdPerGbSecond: 0.0000183334, usdPerMillionRequests: 0.22 },
      arm64: { usdPerGbSecond: 0.0000146667, usdPerMillionRequests: 0.22 },
    },
    'eu-north-1': {
      x86_64: { usdPerGbSecond: 0.0000166667, usdPerMillionRequests: 0.2 },
      arm64: { usdPerGbSecond: 0.0000133334, usdPerMillionRequests: 0.2 },
    },
    'eu-south-1': {
      x86_64: { usdPerGbSecond: 0.0000195172, usdPerMillionRequests: 0.23 },
      arm64: { usdPerGbSecond: 0.0000156138, usdPerMillionRequests: 0.23 },
    },
    'eu-west-1': {
      x86_64: { usdPerGbSecond: 0.0000166667, usdPerMillionRequests: 0.2 },
      arm64: { usdPerGbSecond: 0.0000133334, usdPerMillionRequests: 0.2 },
    },
    'eu-west-2': {
      x86_64: { usdPerGbSecond: 0.0000166667, usdPerMillionRequests: 0.2 },
      arm64: { usdPerGbSecond: 0.0000133334, usdPerMillionRequests: 0.2 },
    },
    'eu-west-3': {
      x86_64: { usdPerGbSecond: 0.0000166667, usdPerMillionRequests: 0.2 },
      arm64: { usdPerGbSecond: 0.0000133334, usdPerMillionRequests: 0.2 },
    },
    'sa-east-1': {
      x86_64: { usdPerGbSecond: 0.0000166667, usdPerMillionRequests: 0.2 },
      arm64: { usdPerGbSecond: 0.0000133334, usdPerMillionRequests: 0.2 },
    },
    'us-east-1': {
      x86_64: { usdPerGbSecond: 0.0000166667, usdPerMillionRequests: 0.2 },
      arm64: { usdPerGbSecond: 0.0000133334, usdPerMillionRequests: 0.2 },
    },
    'us-east-2': {
      x86_64: { usdPerGbSecond: 0.0000166667, usdPerMillionRequests: 0.2 },
      arm64: { usdPerGbSecond: 0.0000133334, usdPerMillionRequests: 0.2 },
    },
    'us-west-1': {
      x86_64: { usdPerGbSecond: 0.0000166667, usdPerMillionRequests: 0.2 },
      arm64: { usdPerGbSecond: 0.0000133334, usdPerMillionRequests: 0.2 },
    },
    'us-west-2': {
      x86_64: { usdPerGbSecond: 0.0000166667, usdPerMillionRequests: 0.2 },
      arm64: { usdPerGbSecond: 0.0000133334, usdPerMillionRequests: 0.2 },
    },
  },
};
