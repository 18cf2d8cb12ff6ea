/**
 * Chooses how samples are taken:
 * - `sequential`: one configuration update per cold start, the study's method (measure.ts);
 * - `burst`: one update, then k concurrent invokes (burst.ts);
 * - `compare`: both, interleaved per function and memory size (burst.ts, compare mode); the report's
 *   burst-vs-sequential table comes from results/strategy-compare.ts.
 */
import type { Sample } from '../results/model.js';
import { measureBurst } from './burst.js';
import { measure, type MeasureResult } from './measure.js';
import type { EngineDeps, MeasurePlan, Target, UndoState } from './types.js';

export interface StrategyOptions {
  strategy: 'sequential' | 'burst' | 'compare';
  burstSize: number | null;
}

export interface StrategyHooks {
  onUndoState(s: UndoState): void;
  /** Every sample as it is taken (the CLI's progress bar). */
  onSample?(s: Sample): void;
}

export async function measureWithStrategy(
  deps: EngineDeps,
  targets: Target[],
  plan: MeasurePlan,
  options: StrategyOptions,
  hooks: StrategyHooks,
): Promise<MeasureResult> {
  if (options.strategy === 'burst' || options.strategy === 'compare') {
    return measureBurst(deps, targets, plan, { burstSize: options.burstSize, mode: options.strategy }, hooks);
  }
  return measure(deps, targets, plan, hooks);
}
