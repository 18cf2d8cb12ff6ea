/** The engine's sentences about undo records that are not this run's. PURE. */
import type { MarkerRecord } from './marker.js';

/** The one sentence for "another run is changing this function" (preflight and the engine say it alike). */
export function ownershipMessage(name: string, record: MarkerRecord, nowMs: number): string {
  const ago = Math.max(0, Math.round((nowMs - record.updatedAt) / 1000));
  return (
    `${name}: run ${record.runId} is changing this function (its last update ${ago} s ago), so this run left it alone; ` +
    'give the workflows that measure it one concurrency group (`concurrency:` in the workflow), or wait until that run has finished ' +
    `(if it died, \`lambda-coldstart restore --functions ${name} --force\` puts the function back now)`
  );
}

/**
 * The one sentence for "a run left this function changed on purpose (restore: false)": its record holds the true original,
 * which measuring would overwrite (and our undo then delete).
 */
export function keptRecordMessage(name: string, record: MarkerRecord): string {
  return (
    `${name}: carries the undo record run ${record.runId} left on purpose (restore: false), which holds its original memory ` +
    `(${record.originalMemory} MB): run \`lambda-coldstart restore --functions ${name}\` (or the action with mode: restore) first, ` +
    'or measure it as it is by removing COLDSTART_NONCE from its environment variables'
  );
}
