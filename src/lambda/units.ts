/**
 * The engine's units of work: a function alone, or a head and its base (a `baseline-functions` pair), measured side by
 * side. PURE.
 */
import type { FunctionPair } from '../config/pairs.js';
import type { Target } from './types.js';

/**
 * The targets grouped into units, in the targets' order (a pair where its head is): [head, base] for each pair whose
 * functions both passed preflight, [target] for every other. Pairs name targets as the user gave them (Target.input).
 */
export function unitsOf(targets: readonly Target[], pairs: readonly FunctionPair[] = []): Target[][] {
  const byInput = new Map(targets.map((t) => [t.input, t]));
  const baseOf = new Map<Target, Target>();
  for (const p of pairs) {
    const head = byInput.get(p.head);
    const base = byInput.get(p.base);
    if (head !== undefined && base !== undefined && head !== base) baseOf.set(head, base);
  }
  const bases = new Set(baseOf.values());
  return targets.filter((t) => !bases.has(t)).map((t) => (baseOf.has(t) ? [t, baseOf.get(t)!] : [t]));
}
