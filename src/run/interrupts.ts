/**
 * SIGINT/SIGTERM during a run: the first stops new samples (the engine undoes); a second does not abandon an undo in
 * progress; a third says what is left changed and how to put it back, then exits 130.
 */
import type { Logger } from '../core/logger.js';
import { restoreCommand } from '../lambda/undo/messages.js';
import { restoreMemory, type UndoEntry } from '../lambda/undo/state.js';

export interface InterruptOptions {
  log: Logger;
  /** Called once, on the first interrupt. */
  onCancel(signal: NodeJS.Signals): void;
  controller: AbortController;
  /** Functions not restored yet (none when the run leaves its change on purpose). */
  pending: () => UndoEntry[];
  region: string;
  /** How the process ends on the third interrupt (default process.exit). */
  exit?: ((code: number) => void) | undefined;
}

/** Starts listening; returns the function that stops. */
export function listenForInterrupts(o: InterruptOptions): () => void {
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupts++;
    if (interrupts === 1) {
      o.onCancel(signal);
      o.controller.abort();
      return;
    }
    const left = o.pending();
    const names = left.map((e) => e.functionName);
    if (interrupts === 2) {
      if (left.length > 0) {
        o.log.warning(
          `${signal} again: still restoring ${names.join(', ')}; the undo goes on (interrupt once more to abandon it and leave them changed)`,
        );
      }
      return;
    }
    if (left.length > 0) {
      o.log.warning(
        `${signal} a third time: the undo is abandoned. Left changed: ${left.map((e) => `${e.functionName} (original memory ${restoreMemory(e)} MB)`).join(', ')}. ` +
          `Each carries its undo record; put them back with: ${restoreCommand(names, o.region)}`,
      );
    }
    (o.exit ?? ((code: number) => process.exit(code)))(130);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
}
