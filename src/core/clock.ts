/**
 * Time as the code sees it: injected everywhere (engine, pacing, undo) so that tests run on a fake clock and never
 * wait; the real one is used only where a product wires its dependencies (run/deps.ts).
 */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or early when `signal` aborts (it may also reject then; callers handle both). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Real sleep that resolves early when `signal` aborts. */
export function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, Math.max(0, ms));
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export const realClock: Clock = { now: () => Date.now(), sleep: realSleep };
