/**
 * `lambda-coldstart restore --functions a,b`: puts back every function that carries an undo record (COLDSTART_NONCE),
 * from that record — after a run was killed (kill -9, a closed laptop) or its undo failed. Idempotent; one line per
 * function says what was done. Exit 0 when every function is back (or was clean), 1 when one could not be restored.
 */
import { parseArgs } from 'node:util';
import { parseFunctionId, splitList } from '../config.js';
import { createClients, realSleep } from '../lambda/clients.js';
import { restoreAll, restoreLine } from '../lambda/restore.js';
import type { Logger } from '../lambda/types.js';

export const RESTORE_HELP = `Usage: lambda-coldstart restore --functions NAMES [--region REGION]

Puts back every listed function that carries the undo record of a run (the COLDSTART_NONCE variable): its original
memory size and its variables without COLDSTART_NONCE. A memory size someone else set after that run is kept.
Safe to repeat: a function without a record is left as it is.

  --functions NAMES   function names or ARNs, comma-separated (required)
  --region REGION     AWS region (default: AWS_REGION, AWS_DEFAULT_REGION or the profile's)`;

type Out = { log(line: string): void; error(line: string): void };

/** Thrown for bad usage (exit 2); the message is one line. */
export class RestoreUsageError extends Error {}

export async function restoreCli(args: string[], out: Out): Promise<number> {
  let values: { functions?: string | undefined; region?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args,
      options: { functions: { type: 'string' }, region: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (e) {
    throw new RestoreUsageError(e instanceof Error ? e.message : String(e));
  }
  if (values.help) {
    out.log(RESTORE_HELP);
    return 0;
  }
  const names: string[] = [];
  for (const raw of splitList(values.functions ?? '')) {
    const parsed = parseFunctionId(raw);
    if (typeof parsed === 'string') throw new RestoreUsageError(parsed);
    names.push(parsed.id);
  }
  if (names.length === 0) throw new RestoreUsageError('restore needs --functions: the function names or ARNs to put back');
  const { lambda } = createClients(values.region ? { region: values.region } : {});
  const log: Logger = {
    info: (m) => out.error(m),
    warning: (m) => out.error(`warning: ${m}`),
    notice: (m) => out.error(`notice: ${m}`),
    group: (title, lines) => out.error([title, ...lines].join('\n')),
  };
  const results = await restoreAll({ lambda, log, now: () => Date.now(), sleep: realSleep }, names);
  for (const r of results) out.log(restoreLine(r));
  return results.some((r) => r.outcome === 'failed') ? 1 : 0;
}
