/**
 * `lambda-coldstart dashboard history.json [--out DIR]`: the history dashboard (index.html) from a history.json, the
 * same page the action writes beside it in the history branch. Default DIR: the folder of history.json.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { HistoryFormatError, parseHistory } from '../history/json.js';
import { DASHBOARD_FILE } from '../history/model.js';
import { renderDashboard } from '../report/dashboard.js';
import { EXIT } from './main.js';

export const DASHBOARD_HELP = `Usage: lambda-coldstart dashboard HISTORY.json [--out DIR]

Writes DIR/index.html (default: beside HISTORY.json): the history dashboard the action keeps in its history branch —
one chart per memory size with every function as a series (median and 95% interval), filters, links to runs and
commits. Self-contained: open it from disk, or serve it with GitHub Pages.`;

type Out = { log(line: string): void; error(line: string): void };

export async function dashboardCommand(args: string[], out: Out): Promise<number> {
  let values: { out?: string | undefined; help?: boolean | undefined };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    }));
  } catch (e) {
    out.error(`error: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT.usage;
  }
  if (values.help) {
    out.log(DASHBOARD_HELP);
    return EXIT.ok;
  }
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) {
    out.error('error: dashboard needs exactly one history.json file');
    return EXIT.usage;
  }
  let text: string;
  try {
    text = await readFile(resolve(file), 'utf8');
  } catch (e) {
    out.error(`error: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    return EXIT.usage;
  }
  let history;
  try {
    history = parseHistory(text);
  } catch (e) {
    if (!(e instanceof HistoryFormatError)) throw e;
    out.error(`error: ${file}: not a history.json: ${e.message}`);
    return EXIT.usage;
  }
  const dir = resolve(values.out ?? dirname(resolve(file)));
  await mkdir(dir, { recursive: true });
  const page = join(dir, DASHBOARD_FILE);
  await writeFile(page, renderDashboard(history));
  out.log(`dashboard: ${page} (${history.entries.length} run(s))`);
  return EXIT.ok;
}
