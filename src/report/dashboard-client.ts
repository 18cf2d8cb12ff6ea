/**
 * The dashboard's browser code, inlined into index.html (no CDN, no build step, works from file://). Plain ES2017
 * in a string: it runs in the browser, not in Node, and is tested there (__tests__/dashboard). It reads the history
 * from the page's <script id="history-data"> and draws SVG line charts — one per memory size, one series per
 * function with its 95 % interval as a band and optional p90 — with filters, and the runtime comparison at the
 * latest run. Runs where a function's runtime version, package or layers changed (history-markers, computed by
 * history/markers.ts) are marked on its series and listed under the charts. Chosen over shipping a charting library to the browser (~1 MB per page) and over static SVGs (no filters).
 */
export const DASHBOARD_SCRIPT = String.raw`(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('history-data').textContent);
  var NS = 'http://www.w3.org/2000/svg';
  var PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
  var W = 760, H = 280, L = 56, R = 16, T = 14, B = 36;
  var entries = data.entries;
  var markersNode = document.getElementById('history-markers');
  var markers = markersNode ? JSON.parse(markersNode.textContent) : [];
  function sname(r) { return r.strategy === 'burst' ? r.function + ' (burst)' : r.function; }
  var series = [], memories = [], seriesFn = {};
  entries.forEach(function (e) {
    e.rows.forEach(function (r) {
      seriesFn[sname(r)] = r.function;
      if (series.indexOf(sname(r)) < 0) series.push(sname(r));
      if (memories.indexOf(r.memory) < 0) memories.push(r.memory);
    });
  });
  series.sort();
  memories.sort(function (a, b) { return a - b; });
  var color = {};
  series.forEach(function (s, i) { color[s] = PALETTE[i % PALETTE.length]; });
  var state = { fns: {}, mems: {}, p90: false };
  series.forEach(function (s) { state.fns[s] = true; });
  memories.forEach(function (m) { state.mems[m] = true; });

  function svg(name, attrs, parent) {
    var n = document.createElementNS(NS, name);
    for (var k in attrs) n.setAttribute(k, String(attrs[k]));
    if (parent) parent.appendChild(n);
    return n;
  }
  function node(tag, attrs, text, parent) {
    var n = document.createElement(tag);
    for (var k in attrs) n.setAttribute(k, String(attrs[k]));
    if (text != null) n.textContent = text;
    if (parent) parent.appendChild(n);
    return n;
  }
  // one decimal, half away from zero on the printed decimal, as the report rounds (src/report/format.ts round)
  function fmt(v) {
    if (v == null) return '–';
    var abs = Math.abs(v), text = String(abs);
    var r = text.indexOf('e') >= 0 ? Math.round(abs * 10) / 10 : Number(Math.round(Number(text + 'e1')) + 'e-1');
    return ((v < 0 ? -r : r) || 0).toFixed(1);
  }
  function day(e) { return e.time.slice(0, 10); }
  // links come from history.json: the page is rendered with http(s) URLs only, and the browser checks again
  function httpUrl(u) { return typeof u === 'string' && /^https?:\/\//i.test(u) ? u : null; }
  function commitUrl(e) { return httpUrl(data.repository) && e.commit ? data.repository + '/commit/' + encodeURIComponent(e.commit) : null; }
  function niceMax(v) {
    if (!(v > 0)) return 1;
    var mag = Math.pow(10, Math.floor(Math.log10(v * 1.05)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * mag >= v * 1.05) return steps[i] * mag;
    return 10 * mag;
  }
  function rowOf(e, s, m) {
    for (var i = 0; i < e.rows.length; i++) if (sname(e.rows[i]) === s && e.rows[i].memory === m) return e.rows[i];
    return null;
  }
  function link(parent, href, text, cls) {
    href = httpUrl(href);
    if (!href) return;
    var a = node('a', { href: href, class: cls, target: '_blank', rel: 'noopener' }, text, parent);
    return a;
  }

  function showDetails(s, m, e, r) {
    var d = document.getElementById('details');
    d.textContent = '';
    node('strong', {}, s + ' @ ' + m + ' MB', d);
    node('span', {}, ' · ' + e.time.replace('T', ' ').slice(0, 16) + ' UTC · ' + e.event + ' · median ' + fmt(r.p50) + ' ms' +
      (r.ci ? ' (95% CI ' + fmt(r.ci[0]) + '–' + fmt(r.ci[1]) + ')' : '') + ' · p90 ' + fmt(r.p90) + ' ms · n = ' + r.n + ' · ', d);
    link(d, e.runUrl, 'run', 'run-link');
    if (httpUrl(e.runUrl) && commitUrl(e)) node('span', {}, ' · ', d);
    link(d, commitUrl(e), 'commit ' + e.commit.slice(0, 7), 'commit-link');
  }

  function chart(root, m) {
    var visible = series.filter(function (s) { return state.fns[s]; });
    var sec = node('section', { class: 'chart', 'data-memory': m }, null, root);
    node('h2', {}, m + ' MB', sec);
    var n = entries.length;
    function x(i) { return n === 1 ? (L + W - R) / 2 : L + (i * (W - L - R)) / (n - 1); }
    var max = 0;
    visible.forEach(function (s) {
      entries.forEach(function (e) {
        var r = rowOf(e, s, m);
        if (!r) return;
        max = Math.max(max, r.ci ? r.ci[1] : r.p50, state.p90 && r.p90 != null ? r.p90 : 0);
      });
    });
    var top = niceMax(max);
    function y(v) { return T + (H - T - B) * (1 - v / top); }
    var g0 = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img', 'aria-label': 'Median init per run at ' + m + ' MB' }, sec);
    for (var k = 0; k <= 5; k++) {
      var v = (top * k) / 5;
      svg('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'grid' }, g0);
      svg('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }, g0).textContent = String(Math.round(v * 10) / 10);
    }
    var every = Math.max(1, Math.ceil(n / 6));
    entries.forEach(function (e, i) {
      if (i % every !== 0 && i !== n - 1) return;
      svg('text', { x: x(i), y: H - B + 16, 'text-anchor': 'middle', class: 'tick' }, g0).textContent = day(e).slice(5);
    });
    svg('text', { x: 14, y: T + (H - T - B) / 2, transform: 'rotate(-90 14 ' + (T + (H - T - B) / 2) + ')', 'text-anchor': 'middle', class: 'axis' }, g0).textContent = 'Init (ms)';
    var legend = node('div', { class: 'legend' }, null, sec);
    visible.forEach(function (s) {
      var pts = [];
      entries.forEach(function (e, i) {
        var r = rowOf(e, s, m);
        if (r) pts.push({ i: i, e: e, r: r });
      });
      if (pts.length === 0) return;
      var g = svg('g', { class: 'series', 'data-series': s, style: 'color:' + color[s] }, g0);
      var up = pts.map(function (p) { return x(p.i) + ',' + y(p.r.ci ? p.r.ci[1] : p.r.p50); });
      var down = pts.slice().reverse().map(function (p) { return x(p.i) + ',' + y(p.r.ci ? p.r.ci[0] : p.r.p50); });
      svg('polygon', { class: 'band', points: up.concat(down).join(' ') }, g);
      svg('path', { class: 'median', d: 'M' + pts.map(function (p) { return x(p.i) + ',' + y(p.r.p50); }).join('L') }, g);
      if (state.p90) {
        var p90 = pts.filter(function (p) { return p.r.p90 != null; });
        if (p90.length) svg('path', { class: 'p90', d: 'M' + p90.map(function (p) { return x(p.i) + ',' + y(p.r.p90); }).join('L') }, g);
      }
      markers.forEach(function (mk) {
        if (mk.function !== seriesFn[s] || !pts.some(function (p) { return p.i === mk.index; })) return;
        var mg = svg('g', { class: 'marker', 'data-series': s, 'data-index': mk.index }, g);
        svg('line', { x1: x(mk.index), x2: x(mk.index), y1: T, y2: H - B }, mg);
        svg('path', { d: 'M' + (x(mk.index) - 5) + ',' + T + 'l10,0l-5,7z' }, mg);
        svg('title', {}, mg).textContent = seriesFn[s] + ' · ' + day(entries[mk.index]) + ' · ' + mk.text;
      });
      pts.forEach(function (p) {
        var a = svg('a', { class: 'point', href: httpUrl(p.e.runUrl) || commitUrl(p.e) || '#', target: '_blank', rel: 'noopener' }, g);
        svg('circle', { cx: x(p.i), cy: y(p.r.p50), r: 3.5 }, a);
        svg('title', {}, a).textContent = s + ' · ' + day(p.e) + ' · ' + p.e.commit.slice(0, 7) + ' · ' + fmt(p.r.p50) + ' ms';
        var show = function () { showDetails(s, m, p.e, p.r); };
        a.addEventListener('mouseenter', show);
        a.addEventListener('focus', show);
      });
      var item = node('span', { class: 'key' }, null, legend);
      node('i', { style: 'background:' + color[s] }, null, item);
      item.appendChild(document.createTextNode(s));
    });
  }

  function latest(root) {
    var e = entries[entries.length - 1];
    root.textContent = '';
    if (!e) return;
    node('h2', {}, 'Runtime comparison at the latest run (' + day(e) + ')', root);
    var table = node('table', { class: 'latest' }, null, root);
    var head = node('tr', {}, null, table);
    ['Memory', 'Function', 'Runtime', 'Arch', 'n', 'Median init (ms)', '95% CI', ''].forEach(function (h) { node('th', {}, h, head); });
    var rows = e.rows.filter(function (r) { return state.fns[sname(r)] && state.mems[r.memory]; });
    rows.sort(function (a, b) { return a.memory - b.memory || a.p50 - b.p50; });
    var top = niceMax(Math.max.apply(null, rows.map(function (r) { return r.ci ? r.ci[1] : r.p50; }).concat([1])));
    rows.forEach(function (r) {
      var info = (e.functions && e.functions[r.function]) || { runtime: '?', architecture: '?' };
      var tr = node('tr', { 'data-series': sname(r), 'data-memory': r.memory }, null, table);
      [r.memory + ' MB', sname(r), info.runtime, info.architecture, String(r.n), fmt(r.p50), r.ci ? fmt(r.ci[0]) + '–' + fmt(r.ci[1]) : '–'].forEach(function (c) { node('td', {}, c, tr); });
      var cell = node('td', {}, null, tr);
      var s = svg('svg', { width: 200, height: 14, class: 'bar' }, cell);
      svg('rect', { x: 0, y: 2, width: (200 * r.p50) / top, height: 10, fill: color[sname(r)] }, s);
      if (r.ci) svg('line', { x1: (200 * r.ci[0]) / top, x2: (200 * r.ci[1]) / top, y1: 7, y2: 7, class: 'whisker' }, s);
    });
  }

  function changes(root) {
    root.textContent = '';
    var shown = markers.filter(function (mk) { return entries[mk.index] && Object.keys(state.fns).some(function (s) { return state.fns[s] && seriesFn[s] === mk.function; }); });
    if (shown.length === 0) return;
    node('h2', {}, 'Changes besides the code (▼ on the charts)', root);
    var ul = node('ul', {}, null, root);
    shown.forEach(function (mk) {
      node('li', { 'data-function': mk.function }, day(entries[mk.index]) + ' · ' + mk.function + ': ' + mk.text, ul);
    });
  }

  function render() {
    var root = document.getElementById('charts');
    root.textContent = '';
    memories.forEach(function (m) { if (state.mems[m]) chart(root, m); });
    latest(document.getElementById('latest'));
    changes(document.getElementById('changes'));
  }

  function filters() {
    var f = document.getElementById('filter-functions');
    series.forEach(function (s) {
      var l = node('label', {}, null, f);
      var c = node('input', { type: 'checkbox', name: 'function', value: s, checked: '' }, null, l);
      c.addEventListener('change', function () { state.fns[s] = c.checked; render(); });
      l.appendChild(document.createTextNode(' ' + s));
    });
    var mf = document.getElementById('filter-memory');
    memories.forEach(function (m) {
      var l = node('label', {}, null, mf);
      var c = node('input', { type: 'checkbox', name: 'memory', value: m, checked: '' }, null, l);
      c.addEventListener('change', function () { state.mems[m] = c.checked; render(); });
      l.appendChild(document.createTextNode(' ' + m + ' MB'));
    });
    var p = document.getElementById('show-p90');
    p.addEventListener('change', function () { state.p90 = p.checked; render(); });
  }

  filters();
  render();
  document.documentElement.setAttribute('data-ready', 'true');
})();`;
