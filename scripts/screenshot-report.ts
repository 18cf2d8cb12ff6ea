/**
 * A picture of a report as GitHub shows it (markdown + mermaid, GitHub-like styles), for the README:
 *   npx tsx scripts/screenshot-report.ts [examples/report.md] [examples/report.png]
 * Needs a Chromium (CHROMIUM, default /usr/bin/chromium); renders offline (mermaid from node_modules, no CDN).
 * Only the part above the first collapsed block is worth a picture, so the page ends there.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { marked } from 'marked';

const [input = 'examples/report.md', output = 'examples/report.png'] = process.argv.slice(2);
const chromium = process.env['CHROMIUM'] ?? '/usr/bin/chromium';

const markdown = readFileSync(input, 'utf8');
// the part a reader sees at a glance: up to the first collapsed block
const visible = markdown.split('\n<details>')[0]!;
const renderer = new marked.Renderer();
renderer.code = ({ text, lang }) =>
  lang === 'mermaid' ? `<pre class="mermaid">${text.replace(/</g, '&lt;')}</pre>` : `<pre><code>${text.replace(/</g, '&lt;')}</code></pre>`;
const body = await marked.parse(visible, { renderer, gfm: true });
const mermaidJs = readFileSync(createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js'), 'utf8');

const html = `<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; background: #fff; }
.markdown-body { box-sizing: border-box; width: 1012px; padding: 32px; color: #1f2328;
  font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
h2 { font-size: 1.5em; font-weight: 600; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0; margin: 0 0 16px; }
h3 { font-size: 1.25em; font-weight: 600; margin: 24px 0 16px; }
p { margin: 0 0 16px; }
table { border-spacing: 0; border-collapse: collapse; margin: 0 0 16px; display: block; max-width: 100%; overflow: auto; font-variant: tabular-nums; }
th, td { padding: 6px 13px; border: 1px solid #d1d9e0; }
th { font-weight: 600; }
tr:nth-child(2n) { background: #f6f8fa; }
pre.mermaid { background: none; text-align: center; margin: 0 0 16px; }
</style></head><body><div class="markdown-body">${body}</div>
<script>${mermaidJs}</script>
<script>mermaid.initialize({ startOnLoad: false, theme: 'default' }); mermaid.run().then(() => { document.title = 'ready'; });</script>
</body></html>`;

const dir = mkdtempSync(join(tmpdir(), 'report-shot-'));
const page = join(dir, 'report.html');
writeFileSync(page, html);
const height = Number(process.env['HEIGHT'] ?? 2400);
execFileSync(
  chromium,
  [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--hide-scrollbars',
    `--window-size=1012,${height}`,
    '--virtual-time-budget=20000',
    `--screenshot=${resolve(output)}`,
    `file://${page}`,
  ],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
console.log(`wrote ${output}`);
