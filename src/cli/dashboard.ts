/**
 * `lambda-coldstart dashboard history.json [--out DIR]`: the history dashboard (index.html) from a history.json, the
 * same page the action writes beside it in the history branch. Default DIR: the folder of history.json.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { HistoryFormatError, UsageError } from '../core/errors.js';
import { readTextFile, writeTextFile } from '../core/files.js';
import { HISTORY_READ_LIMIT, parseHistory } from '../history/json.js';
import { detectFileKind, notHistoryMessage } from '../results/file-kind.js';
import { DASHBOARD_FILE } from '../history/model.js';
import { renderDashboard } from '../report/dashboard.js';
import { EXIT, type Command, type Out, type Parsed } from './command.js';

const DASHBOARD_HELP = `Usage: lambda-coldstart dashboard HISTORY.json [--out DIR]

Writes DIR/index.html (default: beside HISTORY.json): the history dashboard the action keeps in its history branch —
one chart per memory size with every function as a series (median and 95% interval), filters, links to runs and
commits. Self-contained: open it from disk, or serve it with GitHub Pages.`;

async function run({ values, positionals }: Parsed, out: Out): Promise<number> {
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) throw new UsageError('dashboard needs exactly one history.json file');
  let text: string;
  try {
    text = await readTextFile(file, HISTORY_READ_LIMIT); // named in messages as the user wrote it
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e), { cause: e });
  }
  const wrong = notHistoryMessage(file, detectFileKind(text));
  if (wrong !== undefined) throw new UsageError(wrong);
  let history;
  try {
    history = parseHistory(text);
  } catch (e) {
    if (!(e instanceof HistoryFormatError)) throw e;
    throw new UsageError(`${file}: not a history.json: ${e.message}`, { cause: e });
  }
  const outDir = typeof values['out'] === 'string' ? values['out'] : undefined;
  const dir = resolve(outDir ?? dirname(resolve(file)));
  await mkdir(dir, { recursive: true });
  const page = join(dir, DASHBOARD_FILE);
  await writeTextFile(page, renderDashboard(history));
  out.log(`dashboard: ${page} (${history.entries.length} run(s))`);
  return EXIT.ok;
}

export const dashboard: Command = {
  summary: 'dashboard HISTORY.json [--out DIR]  the history dashboard (index.html) from a history.json',
  help: DASHBOARD_HELP,
  flags: { out: { type: 'string' } },
  positionals: true,
  run,
};
