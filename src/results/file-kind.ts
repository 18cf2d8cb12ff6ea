/**
 * What kind of file a user gave a command: one of ours (results.json, speed.csv, history.json, report.md, boxplot.svg,
 * the dashboard's index.html) or something else — so that a file given to the wrong command is named for what it is
 * ("is a results.json; dashboard needs a history.json") instead of failing deep in a parser. The messages name the
 * file and its kind, never quote its text. PURE.
 */

export type FileKind = 'results.json' | 'history.json' | 'speed.csv' | 'markdown' | 'html' | 'svg' | 'json' | 'text' | 'empty';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function jsonKind(text: string): FileKind {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'json';
  }
  if (!isObject(value)) return 'json';
  const tool = value['tool'];
  if ((isObject(tool) && tool['name'] === 'lambda-coldstart') || (Array.isArray(value['samples']) && Array.isArray(value['statistics']))) {
    return 'results.json';
  }
  if (Array.isArray(value['entries']) && 'schemaVersion' in value) return 'history.json';
  return 'json';
}

/** The kind, by content (a name can lie: results.json renamed, a report saved as .csv). */
export function detectFileKind(text: string): FileKind {
  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (body === '') return 'empty';
  if (body.startsWith('{')) return jsonKind(body);
  const head = body.slice(0, 512).toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'svg';
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return 'html';
  const firstLine = body.split(/\r?\n/, 1)[0]!.toLowerCase();
  const cells = firstLine.split(/[;,]/).map((c) => c.trim().replace(/^"|"$/g, ''));
  if (['name', 'memory', 'init'].every((c) => cells.includes(c))) return 'speed.csv';
  if (/^#{1,6}\s/.test(firstLine) || /^```/m.test(body) || /^\|.*\|\s*$/m.test(body)) return 'markdown';
  return 'text';
}

const WHAT: Record<FileKind, string> = {
  'results.json': 'a results.json (the results of one run)',
  'history.json': 'a history.json (the history of many runs)',
  'speed.csv': 'a speed.csv (the samples of one run)',
  markdown: 'a markdown file (such as report.md)',
  html: 'an HTML page (such as the dashboard’s index.html)',
  svg: 'an SVG image (such as boxplot.svg)',
  json: 'JSON of another kind',
  text: 'text of another kind',
  empty: 'empty',
};

/**
 * For an input that must be a run's results (report, compare, baseline): why this file is not one, or undefined when
 * it may be (results.json, speed.csv, other JSON or text: their parsers name the problem).
 */
export function notResultsMessage(name: string, kind: FileKind): string | undefined {
  if (['results.json', 'speed.csv', 'json', 'text'].includes(kind)) return undefined;
  if (kind === 'empty') return `${name} is empty: give the results.json or speed.csv of a run`;
  const hint = kind === 'history.json' ? ' (the dashboard command draws a history)' : ' (the run wrote them beside it)';
  return `${name} is ${WHAT[kind]}, not the results of a run: give a results.json or speed.csv${hint}`;
}

/** For an input that must be a history.json (dashboard): why this file is not one, or undefined when it may be. */
export function notHistoryMessage(name: string, kind: FileKind): string | undefined {
  if (['history.json', 'json', 'text'].includes(kind)) return undefined;
  return `${name} is ${WHAT[kind]}; dashboard needs a history.json, the file the action keeps in its history branch (input history)`;
}
