/**
 * docs/dashboard.png, the README's picture of the history dashboard: the page of a generated history (3 functions × 2
 * memory sizes × 30 runs, the browser test's), opened from disk in Chromium with one point pointed at.
 *   npm run docs:dashboard [-- out.png]
 * Needs a Chromium (CHROMIUM_PATH, default /usr/bin/chromium; scripts/install-browser.sh installs it). The tests never
 * write this file: only this script does, when the page's look changes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { renderDashboard } from '../src/report/dashboard.js';
import { generatedHistory } from '../__tests__/helpers/history-fixtures.js';

const output = resolve(process.argv[2] ?? join(import.meta.dirname, '..', 'docs', 'dashboard.png'));
const executablePath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const dir = mkdtempSync(join(tmpdir(), 'lcs-dashboard-shot-'));
try {
  writeFileSync(join(dir, 'index.html'), renderDashboard(generatedHistory(30)));
  const browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath,
    headless: true,
    viewport: { width: 860, height: 1200 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(dir, 'index.html')).href);
    await page.waitForSelector('html[data-ready="true"]');
    await page.hover('section.chart[data-memory="128"] g.series[data-series="hello-node"] a.point >> nth=27');
    await page.screenshot({ path: output, fullPage: true });
  } finally {
    await browser.close();
  }
  console.log(`wrote ${output}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
