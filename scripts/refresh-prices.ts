/**
 * `npm run prices:refresh`: rebuild src/results/prices.ts from AWS's public Price List offer file for Lambda. Run by
 * maintainers (review the diff, then commit); never by the action, which only reads the bundled table.
 * `--file <path>` reads a downloaded offer file instead of fetching it; `--out <path>` writes elsewhere (tests).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { OFFER_FILE_URL } from '../src/results/price-table.js';
import { parseOfferFile, renderPricesModule, type OfferFile } from './price-list.js';

const TARGET = 'src/results/prices.ts';

function option(argv: string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  if (at < 0) return undefined;
  const value = argv[at + 1];
  if (!value) throw new Error(`${name} needs a path`);
  return value;
}

async function readOffer(argv: string[]): Promise<OfferFile> {
  const path = option(argv, '--file');
  if (path !== undefined) return JSON.parse(readFileSync(path, 'utf8')) as OfferFile;
  const res = await fetch(OFFER_FILE_URL);
  if (!res.ok) throw new Error(`${OFFER_FILE_URL}: HTTP ${res.status}`);
  return (await res.json()) as OfferFile;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const out = option(argv, '--out') ?? TARGET;
  const offer = await readOffer(argv);
  const { table, problems } = parseOfferFile(offer, new Date().toISOString().slice(0, 10));
  for (const p of problems) console.warn(`warning: ${p}`);
  // Formatted with the repository's prettier settings, so the written file passes the lint unchanged.
  const options = { ...(await resolveConfig(TARGET)), filepath: TARGET };
  writeFileSync(out, await format(renderPricesModule(table), options));
  console.log(
    `${out}: ${Object.keys(table.regions).length} regions, offer file version ${offer.version ?? '?'} published ${table.publicationDate ?? '?'}`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
