/**
 * index.html: the history dashboard, one self-contained page (data, styles and script inline; no CDN), servable by
 * GitHub Pages from the history branch and openable from a clone (file://). The action writes it beside history.json;
 * `lambda-coldstart dashboard` writes the same page. Pure.
 */
import { safeUrl } from '../core/escape.js';
import type { History, HistoryEntry } from '../history/model.js';
import { causeMarkers, markerText } from '../history/markers.js';
import { DASHBOARD_SCRIPT } from './dashboard-client.js';
import { escapeXml } from './svg.js';

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 24px auto; max-width: 820px; color: #222; padding: 0 12px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 18px 0 6px; }
.sub { color: #666; margin: 0 0 14px; }
fieldset { display: inline-block; border: 1px solid #ddd; border-radius: 6px; margin: 0 8px 8px 0; padding: 4px 10px; }
fieldset label { margin-right: 10px; white-space: nowrap; }
svg text { font: 11px system-ui, sans-serif; fill: #555; }
.grid { stroke: #eee; } .band { fill: currentColor; fill-opacity: 0.16; stroke: none; }
.median { fill: none; stroke: currentColor; stroke-width: 2; } .p90 { fill: none; stroke: currentColor; stroke-width: 1.2; stroke-dasharray: 4 3; }
.point circle { fill: currentColor; stroke: #fff; stroke-width: 1; } .point:hover circle, .point:focus circle { r: 5.5; }
.legend .key { margin-right: 14px; white-space: nowrap; } .legend i { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
#details { min-height: 1.5em; padding: 6px 8px; background: #f6f8fa; border-radius: 6px; margin: 8px 0; }
table.latest { border-collapse: collapse; } table.latest td, table.latest th { padding: 2px 8px; white-space: nowrap; text-align: left; border-bottom: 1px solid #eee; }
.whisker { stroke: #222; stroke-width: 1.5; }
.marker line { stroke: currentColor; stroke-width: 1.2; stroke-dasharray: 2 3; } .marker path { fill: currentColor; }
#changes li { margin: 2px 0; }
footer { color: #888; font-size: 12px; margin-top: 18px; }
`;

/** JSON safe inside a <script> element: no "</script", no "<!--", no U+2028/9 surprises. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The runs where a function's runtime version, package or layers changed: drawn as markers on its series. */
function markersJson(history: History): string {
  return scriptJson(causeMarkers(history.entries).map((m) => ({ function: m.function, index: m.index, text: markerText(m) })));
}

/** A commit as the page links it: a hex object name, or nothing (the page then shows no commit link). */
const COMMIT = /^[0-9a-f]{7,64}$/i;

/**
 * The history as the page shows it. history.json lives in a branch anyone with push rights can edit: its links become
 * `href`s, so only http(s) URLs are kept (a `javascript:` run URL would run in the reader's browser), and a commit that
 * is not a hex name is blanked (the page builds `<repository>/commit/<commit>`). Names and numbers stay: the page sets
 * them as text, never as markup. PURE.
 */
export function pageHistory(history: History): History {
  const repository = safeUrl(history.repository);
  const entry = (e: HistoryEntry): HistoryEntry => {
    const { runUrl, ...rest } = e;
    const url = safeUrl(runUrl);
    return {
      ...rest,
      commit: typeof e.commit === 'string' && COMMIT.test(e.commit) ? e.commit : '',
      ...(url === undefined ? {} : { runUrl: url }),
    };
  };
  const { repository: _dropped, ...head } = history;
  return {
    ...head,
    ...(repository === undefined ? {} : { repository: repository.replace(/\/+$/, '') }),
    entries: history.entries.map(entry),
  };
}

export function renderDashboard(raw: History): string {
  const history = pageHistory(raw);
  const first = history.entries[0]?.time.slice(0, 10);
  const last = history.entries.at(-1)?.time.slice(0, 10);
  const span = first === undefined ? 'no runs yet' : `${history.entries.length} run(s), ${first} to ${last}`;
  const repo = history.repository
    ? ` · <a href="${escapeXml(history.repository)}">${escapeXml(history.repository.replace(/^https?:\/\//, ''))}</a>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cold starts · ${escapeXml(history.name)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Lambda cold starts · ${escapeXml(history.name)}</h1>
<p class="sub">Median Init Duration per run on the default branch, with its 95 % interval as a band · ${escapeXml(span)}${repo}</p>
<form id="filters" onsubmit="return false">
<fieldset id="filter-functions"><legend>Functions</legend></fieldset>
<fieldset id="filter-memory"><legend>Memory</legend></fieldset>
<fieldset><legend>Show</legend><label><input type="checkbox" id="show-p90"> p90</label></fieldset>
</form>
<div id="details">Point at a run for its numbers, its workflow run and its commit.</div>
<div id="charts"></div>
<div id="latest"></div>
<div id="changes"></div>
<footer>Written by lambda-coldstart from history.json (schema version ${history.schemaVersion}). Every point links to its workflow run.</footer>
<script type="application/json" id="history-data">${scriptJson(history)}</script>
<script type="application/json" id="history-markers">${markersJson(history)}</script>
<script>${DASHBOARD_SCRIPT}</script>
</body>
</html>
`;
}
