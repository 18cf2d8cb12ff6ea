/**
 * Chooses how samples are taken — all three by the one engine (engine.ts):
 * - `sequential`: one configuration update per cold start, the study's method (a burst of one);
 * - `burst`: one update, then k concurrent invokes;
 * - `compare`: both, interleaved per function and memory size; the report's burst-vs-sequential table comes from
 *   results/strategy-compare.ts.
 */
import { measureTargets, type EngineHooks, type MeasureResult } from './engine.js';
import type { EngineDeps, MeasurePlan, Target } from './types.js';

export type { MeasureResult } from './engine.js';

export interface StrategyOptions {
  strategy: 'sequential' | 'burst' | 'compare';
  burstSize: number | null;
}

export type StrategyHooks = EngineHooks;

export function measureWithStrategy(
  deps: EngineDeps,
  targets: Target[],
  plan: MeasurePlan,
  options: StrategyOptions,
  hooks: StrategyHooks,
): Promise<MeasureResult> {
  return measureTargets(deps, targets, plan, { mode: options.strategy, burstSize: options.burstSize }, hooks);
}
