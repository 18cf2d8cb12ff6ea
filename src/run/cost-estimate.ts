/**
 * What a run will cost, said before it starts (beside the duration estimate), from the functions preflight read: each
 * planned invoke priced as a cold start of BILLED_MS_GUESS at its memory size, in its region and architecture. PURE.
 */
import type { Config } from '../config/model.js';
import type { Target } from '../lambda/types.js';
import { estimateRunCost, type PlannedInvokes, type RunCostEstimate } from '../results/cost.js';

/** The invokes a run plans, per function and memory size (compare takes each sample both ways). */
export function plannedInvokes(
  config: Pick<Config, 'memory' | 'repetitions' | 'strategy'>,
  targets: readonly Pick<Target, 'info'>[],
  region: string,
): PlannedInvokes[] {
  const perSize = config.repetitions * (config.strategy === 'compare' ? 2 : 1);
  return targets.flatMap((t) =>
    (config.memory.length > 0 ? config.memory : [t.info.originalMemory]).map((memoryMb) => ({
      function: t.info.name,
      memoryMb,
      invokes: perSize,
      region: t.info.region ?? region,
      architecture: t.info.architecture,
    })),
  );
}

/** The estimate of a run of `config` over `targets`. */
export function estimateCost(
  config: Pick<Config, 'memory' | 'repetitions' | 'strategy'>,
  targets: readonly Pick<Target, 'info'>[],
  region: string,
): RunCostEstimate {
  return estimateRunCost(plannedInvokes(config, targets, region));
}
