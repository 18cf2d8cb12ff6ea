/**
 * Why a response was warm, so the run's note blames what happened. Right after our configuration update every
 * environment of the function is new, so a warm response means an environment served two requests:
 * - `memory`: it ran at another memory size (someone else changed the function: cycle.ts marks it);
 * - `own-burst`: in a burst, it began after another request of the same burst had returned — Lambda gave it that
 *   request's environment, freed a moment before (the burst's requests did not all overlap);
 * - `elsewhere`: neither: another client's request, or proactive initialisation, had started the environment.
 * PURE.
 */
import type { SampleKind, SampleStrategy } from '../results/model.js';
import { plural } from './format.js';

export type WarmCause = 'memory' | 'own-burst' | 'elsewhere';

/** One response of a round: when it returned (client clock), its REPORT Duration, and how it was classified. */
export interface RoundResponse {
  kind: SampleKind;
  at: number;
  durationMs: number | null;
  /** It ran at another memory size than the run set. */
  otherMemory?: boolean;
}

/** The cause of every warm response of one round, in order. */
export function warmCauses(strategy: SampleStrategy, responses: readonly RoundResponse[]): WarmCause[] {
  const firstColdBack = Math.min(...responses.filter((r) => r.kind === 'cold').map((r) => r.at));
  return responses
    .filter((r) => r.kind === 'warm')
    .map((w): WarmCause => {
      if (w.otherMemory) return 'memory';
      // Its handler began at about at − Duration; an environment of ours was free from its first return on.
      const began = w.at - (w.durationMs ?? 0);
      return strategy === 'burst' && firstColdBack <= began ? 'own-burst' : 'elsewhere';
    });
}

const WHY: Record<WarmCause, (n: number) => string> = {
  'own-burst': (n) =>
    `${n === 1 ? 'a request' : `${n} requests`} of a burst began after another request of the same burst had returned and ${n === 1 ? 'was' : 'were'} given its environment`,
  elsewhere: () => "another client's traffic or proactive initialisation took the cold start",
  memory: () => 'the memory was changed by someone else',
};

/** The run's note for a function with warm responses (retried, not counted), naming only the causes seen. */
export function warmNote(name: string, causes: Readonly<Record<WarmCause, number>>): string {
  const total = causes['own-burst'] + causes.elsewhere + causes.memory;
  const why = (['own-burst', 'elsewhere', 'memory'] as const).filter((c) => causes[c] > 0).map((c) => WHY[c](causes[c]));
  return `${name}: ${plural(total, 'invocation was', 'invocations were')} warm (${why.join('; ')}); retried after a fresh configuration update and not counted.`;
}
