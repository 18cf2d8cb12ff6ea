/**
 * `lambda-coldstart restore --functions a,b`: puts back every function that carries an undo record (COLDSTART_NONCE),
 * from that record — after a run was killed (kill -9, a closed laptop) or its undo failed. Idempotent; one line per
 * function says what was done. Exit 0 when every function is back (or was clean), 1 when one could not be restored or
 * was left alone because its run may still be changing it (`--force` restores it anyway).
 */
import { parseFunctionId, splitList } from '../config/values.js';
import { restoreFunctions } from '../lambda/undo/restore.js';
import { restoreLine } from '../lambda/undo/messages.js';
import { realDeps } from '../run/deps.js';
import { CLI_REGION, resolveRegion } from '../run/region.js';
import { githubAccess, writerCheck } from '../run/writer-check.js';
import { progressLogger } from './progress.js';
import { EXIT, type Command, type Out, type Parsed } from './command.js';
import { UsageError } from '../core/errors.js';

const RESTORE_HELP = `Usage: lambda-coldstart restore --functions NAMES [--region REGION] [--force]

Puts back every listed function that carries the undo record of a run (the COLDSTART_NONCE variable): its original
memory size and its variables without COLDSTART_NONCE. A memory size someone else set after that run is kept.
Safe to repeat: a function without a record is left as it is. A record whose run may still be changing the function
(and restores it itself) is left alone unless --force is given: a run on this machine is checked by its process, a
workflow run by its status on GitHub (with GITHUB_TOKEN, when set); otherwise a record updated within the last
update timeout plus the function's timeout plus 60 s, by Lambda's clock, counts as live. A COLDSTART_NONCE whose value
is not an undo record of this tool is left alone (and never printed).

  --functions NAMES   function names or ARNs, comma-separated or repeated (required)
  --region REGION     AWS region (default: AWS_REGION, AWS_DEFAULT_REGION or the profile's)
  --force             restore a function even when its run may still be changing it`;

async function run({ values }: Parsed, out: Out): Promise<number> {
  const names: string[] = [];
  for (const raw of splitList(typeof values['functions'] === 'string' ? values['functions'] : '')) {
    const parsed = parseFunctionId(raw);
    if (typeof parsed === 'string') throw new UsageError(parsed);
    names.push(parsed.id);
  }
  if (names.length === 0) throw new UsageError('restore needs --functions: the function names or ARNs to put back');
  const region = await resolveRegion({ ...CLI_REGION, value: typeof values['region'] === 'string' ? values['region'] : '' });
  const log = progressLogger({ isTTY: false, line: (text) => out.error(text) }, true);
  const force = values['force'] === true;
  const checkWriter = writerCheck({ github: githubAccess(process.env['GITHUB_TOKEN'] ?? '') });
  const report = await restoreFunctions(realDeps({ region, log }), { functions: names, force, checkWriter, region });
  for (const r of report.results) out.log(restoreLine(r, region));
  return report.unrestored.length > 0 ? EXIT.failed : EXIT.ok;
}

export const restore: Command = {
  summary: 'restore --functions a,b             put back functions a run left changed (from their undo records)',
  help: RESTORE_HELP,
  flags: { functions: { type: 'string', list: true }, region: { type: 'string' }, force: { type: 'boolean' } },
  run,
};
