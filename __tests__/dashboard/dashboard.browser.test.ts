/**
 * The dashboard in a real browser: Debian's chromium driven by playwright-core, loading index.html from disk
 * (file://, as from a clone) with a generated history of 3 functions × 2 memory sizes × 30 runs. Skips — loudly —
 * only where no chromium is installed (scripts/install-browser.sh installs it; CI runs it).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDashboard } from '../../src/report/dashboard.js';
import type { History } from '../../src/history/model.js';
import { DASHBOARD_FUNCTIONS, DASHBOARD_MEMORY, entry, generatedHistory, row } from '../helpers/history-fixtures.js';

/** Debian's chromium (scripts/install-browser.sh); CHROMIUM_PATH or GitHub's preinstalled Chrome elsewhere. */
const CANDIDATES = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/google-chrome'].filter((p): p is string => !!p);
const CHROMIUM = CANDIDATES.find((p) => existsSync(p)) ?? '/usr/bin/chromium';
const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser) {
  console.warn(
    `\n*** SKIPPED the dashboard browser test: no browser at ${CANDIDATES.join(', ')}. Run scripts/install-browser.sh (as root) or set CHROMIUM_PATH. ***\n`,
  );
}

describe.skipIf(!hasBrowser)('the dashboard in chromium', () => {
  let browser: BrowserContext;
  let page: Page;
  let dir: string;
  const errors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lcs-dashboard-'));
    const profile = join(dir, 'profile');
    writeFileSync(join(dir, 'index.html'), renderDashboard(generatedHistory(30)));
    // A fresh profile (playwright passes it as --user-data-dir)
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 860, height: 1200 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(join(dir, 'index.html')).href);
    await page.waitForSelector('html[data-ready="true"]');
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const counts = () =>
    page.$$eval('section.chart', (sections) =>
      sections.map((s) => ({
        memory: s.getAttribute('data-memory'),
        series: [...s.querySelectorAll('g.series')].map((g) => ({
          name: g.getAttribute('data-series'),
          points: g.querySelectorAll('a.point').length,
          bands: g.querySelectorAll('polygon.band').length,
          p90: g.querySelectorAll('path.p90').length,
        })),
      })),
    );

  it('renders one chart per memory size, one series per function, 30 points each — offline, without errors', async () => {
    const charts = await counts();
    const names = DASHBOARD_FUNCTIONS.map((f) => f.name).sort();
    expect(charts.map((c) => c.memory)).toEqual(DASHBOARD_MEMORY.map(String));
    for (const c of charts) {
      expect(c.series.map((s) => s.name)).toEqual(names);
      for (const s of c.series) expect([s.points, s.bands, s.p90]).toEqual([30, 1, 0]);
    }
    expect(errors).toEqual([]);
    // nothing but the page itself was loaded: no CDN, no fonts, no scripts from elsewhere
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
  });

  it('points link to their run; pointing at one shows its numbers with links to the run and the commit', async () => {
    const hrefs = await page.$$eval('section.chart[data-memory="128"] g.series[data-series="hello-node"] a.point', (as) =>
      as.map((a) => a.getAttribute('href')),
    );
    expect(hrefs[0]).toBe('https://github.com/octo-org/hello-lambdas/actions/runs/1000');
    expect(hrefs[29]).toBe('https://github.com/octo-org/hello-lambdas/actions/runs/1029');
    await page.hover('section.chart[data-memory="1024"] g.series[data-series="hello-py311"] a.point >> nth=29');
    const details = await page.textContent('#details');
    expect(details).toMatch(/^hello-py311 @ 1024 MB · 2026-10-30 03:17 UTC · schedule · median \d+\.\d ms \(95% CI/);
    expect(await page.getAttribute('#details a.run-link', 'href')).toBe('https://github.com/octo-org/hello-lambdas/actions/runs/1029');
    expect(await page.getAttribute('#details a.commit-link', 'href')).toMatch(
      /^https:\/\/github\.com\/octo-org\/hello-lambdas\/commit\/000001e/,
    );
  });

  it('shows the runtime comparison at the latest run', async () => {
    const rows = await page.$$eval('#latest tr[data-series]', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent)),
    );
    expect(rows).toHaveLength(6);
    expect(rows[0]).toEqual(['128 MB', 'hello-runtime-al2', 'provided.al2', 'x86_64']);
    expect(rows.map((r) => r[2]).sort()).toEqual(['nodejs20.x', 'nodejs20.x', 'provided.al2', 'provided.al2', 'python3.11', 'python3.11']);
  });

  it('filters by function and memory size, and shows p90 on demand', async () => {
    await page.uncheck('input[name="function"][value="hello-py311"]');
    let charts = await counts();
    expect(charts.map((c) => c.series.map((s) => s.name))).toEqual([
      ['hello-node', 'hello-runtime-al2'],
      ['hello-node', 'hello-runtime-al2'],
    ]);
    expect(await page.locator('#latest tr[data-series]').count()).toBe(4);

    await page.uncheck('input[name="memory"][value="128"]');
    charts = await counts();
    expect(charts.map((c) => c.memory)).toEqual(['1024']);
    expect(charts[0]!.series.map((s) => s.points)).toEqual([30, 30]);

    await page.check('#show-p90');
    charts = await counts();
    expect(charts[0]!.series.map((s) => s.p90)).toEqual([1, 1]);

    await page.check('input[name="function"][value="hello-py311"]');
    await page.check('input[name="memory"][value="128"]');
    await page.uncheck('#show-p90');
    charts = await counts();
    expect(charts.map((c) => c.series.length)).toEqual([3, 3]);
    expect(errors).toEqual([]);
  });

  it('odd histories render too: one run, a burst series, no interval, markup in a name (shown as text), no runs at all', async () => {
    const odd: History = {
      schemaVersion: 1,
      name: '<b>bench</b>',
      entries: [
        entry(0, [
          row('</script><img src=x onerror=alert(1)>', 128, 80, { ci: null, p90: null, n: 3 }),
          row('api', 128, 120, { strategy: 'burst' }),
          row('api', 128, 125),
        ]),
      ],
    };
    const other = await browser.newPage();
    const oddErrors: string[] = [];
    other.on('pageerror', (e) => oddErrors.push(e.message));
    for (const [file, h] of [
      ['odd.html', odd],
      ['empty.html', { schemaVersion: 1, name: 'empty', entries: [] } satisfies History],
    ] as const) {
      writeFileSync(join(dir, file), renderDashboard(h));
      await other.goto(pathToFileURL(join(dir, file)).href);
      await other.waitForSelector('html[data-ready="true"]');
    }
    await other.goto(pathToFileURL(join(dir, 'odd.html')).href);
    await other.waitForSelector('html[data-ready="true"]');
    const series = await other.$$eval('g.series', (gs) =>
      gs.map((g) => [g.getAttribute('data-series'), g.querySelectorAll('a.point').length]),
    );
    expect(series).toEqual([
      ['</script><img src=x onerror=alert(1)>', 1],
      ['api', 1],
      ['api (burst)', 1],
    ]);
    expect(await other.locator('img').count()).toBe(0);
    expect(await other.textContent('h1')).toBe('Lambda cold starts · <b>bench</b>');
    expect(oddErrors).toEqual([]);
    await other.close();
  });

  it('marks a runtime version change on its series and lists it under the charts', async () => {
    const fns = (v: string) => ({
      api: { runtime: 'nodejs20.x', architecture: 'x86_64', runtimeVersion: v },
      other: { runtime: 'python3.12', architecture: 'x86_64' },
    });
    const h: History = {
      schemaVersion: 1,
      name: 'markers',
      entries: ['nodejs:20.v41', 'nodejs:20.v41', 'nodejs:20.v42'].map((v, i) =>
        entry(i, [row('api', 128, 100 + i * 20), row('api', 1024, 60), row('other', 128, 80)], { functions: fns(v) }),
      ),
    };
    writeFileSync(join(dir, 'markers.html'), renderDashboard(h));
    const other = await browser.newPage();
    const pageErrors: string[] = [];
    other.on('pageerror', (e) => pageErrors.push(e.message));
    await other.goto(pathToFileURL(join(dir, 'markers.html')).href);
    await other.waitForSelector('html[data-ready="true"]');
    const marks = await other.$$eval('g.marker', (gs) =>
      gs.map((g) => [
        g.closest('section')!.getAttribute('data-memory'),
        g.getAttribute('data-series'),
        g.getAttribute('data-index'),
        g.querySelector('title')!.textContent,
      ]),
    );
    expect(marks).toEqual([
      ['128', 'api', '2', 'api · 2026-10-03 · runtime version nodejs:20.v41 → nodejs:20.v42'],
      ['1024', 'api', '2', 'api · 2026-10-03 · runtime version nodejs:20.v41 → nodejs:20.v42'],
    ]);
    expect(await other.$$eval('#changes li', (lis) => lis.map((li) => li.textContent))).toEqual([
      '2026-10-03 · api: runtime version nodejs:20.v41 → nodejs:20.v42',
    ]);
    await other.uncheck('input[name="function"][value="api"]');
    expect(await other.locator('g.marker').count()).toBe(0);
    expect(await other.locator('#changes li').count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await other.close();
  });

  it('takes a screenshot (into the temp folder: docs/dashboard.png is redrawn by npm run docs:dashboard only)', async () => {
    const shot = join(dir, 'dashboard.png');
    await page.hover('section.chart[data-memory="128"] g.series[data-series="hello-node"] a.point >> nth=27');
    await page.screenshot({ path: shot, fullPage: true });
    expect(readFileSync(shot).subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('links from history.json are http(s) only: a javascript: run URL or repository never becomes a link, nor runs', async () => {
    const EVIL = 'javascript:document.documentElement.setAttribute("data-pwned","1")';
    const hostile: History = {
      schemaVersion: 1,
      name: 'hostile',
      repository: EVIL,
      entries: [0, 1].map((i) => entry(i, [row('api', 128, 100 + i)], { runUrl: EVIL, commit: '"><script>x</script>' })),
    };
    const other = await browser.newPage();
    const pages: string[] = [];
    browser.on('page', (p) => pages.push(p.url()));
    // the page as renderDashboard writes it, and the same page with the raw data put back (the browser's own check)
    const rendered = renderDashboard(hostile);
    const raw = rendered.replace(
      /(<script type="application\/json" id="history-data">)[^<]*(<\/script>)/,
      (_m, open: string, close: string) => `${open}${JSON.stringify(hostile).replace(/</g, '\\u003c')}${close}`,
    );
    expect(rendered).not.toContain('javascript:');
    expect(raw).toContain('javascript:');
    for (const [file, html] of [
      ['hostile.html', rendered],
      ['hostile-raw.html', raw],
    ] as const) {
      writeFileSync(join(dir, file), html);
      await other.goto(pathToFileURL(join(dir, file)).href);
      await other.waitForSelector('html[data-ready="true"]');
      const hrefs = await other.$$eval('a', (as) => as.map((a) => a.getAttribute('href') ?? ''));
      expect(hrefs.length).toBeGreaterThan(0);
      expect(
        hrefs.filter((h) => !/^(https?:|#$)/.test(h)),
        file,
      ).toEqual([]);
      await other.hover('a.point >> nth=1');
      expect(await other.locator('#details a').count(), file).toBe(0);
      await other.click('a.point >> nth=1');
      expect(await other.getAttribute('html', 'data-pwned'), file).toBeNull();
    }
    expect(pages.every((u) => !u.startsWith('javascript:'))).toBe(true);
    await other.close();
  });
});
