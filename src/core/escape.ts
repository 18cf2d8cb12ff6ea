/**
 * Text from outside — a function's name, runtime, variables or error, an artifact, a branch, history.json, results.json,
 * speed.csv — is data. These are the escapes for each place it goes, one per target; the sinks apply them (the loggers,
 * the report's renderers, the dashboard) so that a caller cannot forget. PURE.
 *
 * - log lines (the runner's log, a terminal): `logText`
 * - markdown (report.md, the job summary, the PR comment, the drift issue): `escapeMarkdown`, `markdownCode`, `markdownLink`
 * - mermaid labels: `mermaidLabel`
 * - HTML and SVG text and attributes: `escapeXml`
 * - links anywhere: `safeUrl` (http and https only)
 */

/**
 * Control sequences a terminal acts on: CSI (`ESC [` … or U+009B …: colours, cursor moves, erasing), OSC (`ESC ]` … up to
 * BEL or ST: window titles, hyperlinks), DCS/SOS/PM/APC strings, and two-character escapes. Removed whole, so that no
 * half of one is left to print.
 */
/* eslint-disable no-control-regex -- control characters are what these two match */
const TERMINAL_SEQUENCE =
  /(?:\x1b\[|\u009b)[0-?]*[ -/]*[@-~]?|(?:\x1b[\]PX^_]|[\u0090\u0098\u009d-\u009f])[^\x07\x1b\u009c]*(?:\x07|\x1b\\|\u009c)?|\x1b[ -~]?/g;

/**
 * What is left to remove after the sequences: C0 controls but tab and line feed, DEL, C1 controls, and the bidirectional
 * overrides and isolates that reorder what a reader sees ("Trojan Source").
 */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
/* eslint-enable no-control-regex */

/** Every line break a log reader or a terminal honours: the runner splits its input at CR, LF and CRLF. */
const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/g;

/** `s` without terminal control sequences and control characters; tabs and line feeds are kept. */
export function stripControls(s: string): string {
  return s.replace(TERMINAL_SEQUENCE, '').replace(CONTROL, '');
}

/** `s` on one line: each run of line breaks and tabs becomes one space, controls are removed. */
export function oneLine(s: string): string {
  return stripControls(s.replace(/(?:\r\n|[\r\n\t\u2028\u2029])+/g, ' '));
}

/**
 * Leading characters the runner's `TrimStart()` (.NET `char.IsWhiteSpace`) or JavaScript's `trimStart()` skips before it
 * looks for `::`. Zero-width characters are not among them, which is what makes U+200B a safe separator below.
 */
const LEADING_SPACE = /^[\s\u0085\u180e]*/;

/** The separator put inside a would-be command: invisible, not white space to the runner, so the line stays as it read. */
const ZWSP = '\u200b';

/**
 * One line that the runner cannot take for a workflow command. It takes a line for one when, after its leading white
 * space, it starts with `::` (`::error::`, `::add-mask::`, `::stop-commands::` …), and — the legacy form — when `##[`
 * appears ANYWHERE in it (actions/runner ActionCommand.TryParse); Azure Pipelines, where the CLI may run too, reads
 * `##vso[` anywhere. A zero-width space splits each of those markers: the line reads the same, and is not a command.
 */
export function commandFree(line: string): string {
  const lead = LEADING_SPACE.exec(line)?.[0] ?? '';
  const rest = line.slice(lead.length);
  const head = rest.startsWith('::') ? `:${ZWSP}${rest.slice(1)}` : rest;
  return lead + head.replace(/#(?=#(?:\[|vso\[))/gi, `#${ZWSP}`);
}

/**
 * A message for a log: the runner's log (every `core.info` line, annotation and group title) or a terminal. Control
 * sequences and characters are removed, line breaks become LF, and every line is `commandFree`. A message of our own
 * reads the same; text from outside cannot write a workflow command, colour or move the cursor.
 */
export function logText(s: string): string {
  return stripControls(s.replace(LINE_BREAK, '\n')).split('\n').map(commandFree).join('\n');
}

/**
 * Text for GitHub markdown AND the HTML GitHub allows in it: markdown punctuation is backslash-escaped (including `|`, so
 * tables hold), `< > & "` become entities (no HTML injection), `@` becomes `&#64;` (no mentions), line breaks become
 * spaces (no new block), controls are removed.
 */
export function escapeMarkdown(s: string): string {
  return oneLine(s)
    .replace(/[\\`*_{}[\]|~$]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/@/g, '&#64;');
}

/** Text as a markdown code span: one line (a blank line would end it), no backtick (one would close it). */
export function markdownCode(s: string): string {
  return `\`${oneLine(s).replace(/`/g, "'") || ' '}\``;
}

/**
 * An absolute http(s) URL as its normalised form, or undefined for anything else: `javascript:`, `data:`, `vbscript:`,
 * `file:`, a relative path, a URL with credentials, a string that is not a URL. The scheme is checked on the text as given
 * (a browser drops tabs and line breaks inside `java\tscript:`, the URL parser too) and again after parsing.
 */
export function safeUrl(s: string | null | undefined): string | undefined {
  if (typeof s !== 'string') return undefined;
  const text = s.trim();
  if (!/^https?:\/\/[^\s]/i.test(text)) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '') return undefined;
  return url.href;
}

/**
 * A markdown link to `url` when it is http(s) (`markdownText` is markdown already: ours, or escaped); otherwise the text
 * alone, without a link. Parentheses are percent-encoded: `)` would end the destination.
 */
export function markdownLink(markdownText: string, url: string | null | undefined): string {
  const safe = safeUrl(url);
  if (safe === undefined) return markdownText;
  return `[${markdownText}](${safe.replace(/\(/g, '%28').replace(/\)/g, '%29')})`;
}

/**
 * A label inside a quoted mermaid string, at most `limit` characters: no quotes or backticks (a backtick run would close
 * the markdown fence), no angle brackets (HTML), no `#` or `;` (mermaid's entity codes `#quot;`), no `%%` (mermaid reads
 * `%%{…}%%` ANYWHERE in a diagram as a directive that re-themes or reconfigures it), one line.
 */
export function mermaidLabel(s: string, limit = 40): string {
  const clean = oneLine(s)
    .replace(/["`]/g, "'")
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/[#;\\]/g, ' ')
    .replace(/%(?=%)/g, '% ')
    .replace(/{/g, '(')
    .replace(/}/g, ')')
    .trim();
  return clean.length > limit ? `${clean.slice(0, limit - 1)}…` : clean;
}

/** Text (a function name, a label) safe inside an element or a quoted attribute of SVG or HTML. */
export function escapeXml(s: string): string {
  return stripControls(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
