/**
 * Assemble RunResults from what the engine measured: statistics plus plain-language notes. Pure.
 */
import type { RunInputs, RunResults, Sample } from './model.js';
import { computeStatistics, MIN_N_P90 } from './stats.js';
import { functionName, functionPairs } from '../config/pairs.js';
import type { Config } from '../config/model.js';
import { comparePairSamples } from './pair-results.js';
import type { RunCostEstimate } from './cost.js';
import { withCosts } from './cost-stats.js';
import { initFailureNotes } from './init-failures.js';

/** The run's header (`inputs` may be the whole configuration: its RunInputs are kept), the tool's version and what was measured. */
export type BuildInput = Pick<RunResults['run'], 'startedAt' | 'endedAt' | 'region' | 'url'> &
  Pick<RunResults, 'functions' | 'samples'> & {
    inputs: InputsGiven;
    version: string;
    notes?: string[];
    costEstimate?: RunCostEstimate | undefined;
  };

/** What `inputs` may be given as: results.json's own, or the run's configuration (its `baseline-functions` become `pairs`). */
export type InputsGiven = RunInputs & Partial<Pick<Config, 'baselineFunctions'>>;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Notes derived from the samples: errors, tail fallbacks, missing cold samples, small n, failures. Warm retries are noted by
 * the engine, which knows their cause (foreign traffic, proactive initialisation, an outside memory change).
 */
export function automaticNotes(input: Pick<BuildInput, 'functions' | 'samples' | 'inputs'>): string[] {
  const notes: string[] = [];
  for (const f of input.functions) {
    if (f.failure) notes.push(`${f.name}: not measured: ${f.failure}`);
  }
  const groups = new Map<string, Sample[]>();
  for (const s of input.samples) {
    const key = JSON.stringify([s.function, s.memory, s.strategy]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(s);
  }
  const strategies = new Set(input.samples.map((s) => s.strategy));
  let smallN = false;
  for (const g of groups.values()) {
    const first = g[0]!;
    const label = `${first.function} at ${first.memory} MB${strategies.size > 1 ? ` (${first.strategy})` : ''}`;
    const errors = g.filter((s) => s.kind === 'error');
    const cold = g.filter((s) => s.kind === 'cold' && (s.init ?? s.restore) !== null);
    if (errors.length > 0) {
      const types = [...new Set(errors.map((e) => e.error).filter((e): e is string => !!e))];
      notes.push(
        `${label}: ${plural(errors.length, 'invocation')} failed${types.length ? ` (${types.slice(0, 3).join(', ')})` : ''}; not counted.`,
      );
    }
    notes.push(...initFailureNotes(g, label));
    if (cold.length === 0) notes.push(`${label}: no cold start was measured.`);
    else if (cold.length < MIN_N_P90) smallN = true;
    if (input.inputs.reportSource === 'insights') {
      const tail = cold.filter((s) => s.source === 'tail').length;
      if (tail > 0) {
        notes.push(
          `${label}: ${plural(tail, 'sample')} from the invoke log tail: Logs Insights did not return ${tail === 1 ? 'its' : 'their'} REPORT line (see the other notes for why).`,
        );
      }
    }
  }
  if (smallN) {
    notes.push(`Fewer than ${MIN_N_P90} cold starts per function: no p90 is shown; with fewer than 6, no confidence interval.`);
  }
  return notes;
}

/** results.json's `inputs`: exactly these fields of the run's configuration (the schema allows no others). */
export function runInputs(c: InputsGiven): RunInputs {
  const pairs =
    c.pairs ??
    functionPairs({ functions: c.functions, baselineFunctions: c.baselineFunctions ?? [] }).map((p) => ({
      head: functionName(p.head),
      base: functionName(p.base),
    }));
  return {
    functions: c.functions,
    memory: c.memory,
    repetitions: c.repetitions,
    reportSource: c.reportSource,
    strategy: c.strategy,
    concurrency: c.concurrency,
    ...(pairs.length > 0 ? { pairs } : {}),
  };
}

/** Build the results of a run: computes statistics and adds automatic notes after the caller's notes. */
export function buildResults(input: BuildInput): RunResults {
  const run: RunResults['run'] = {
    startedAt: input.startedAt,
    endedAt: input.endedAt,
    region: input.region,
    inputs: runInputs(input.inputs),
  };
  if (input.url !== undefined) run.url = input.url;
  const pairs = run.inputs.pairs === undefined ? undefined : comparePairSamples(input.samples, run.inputs.pairs);
  const results: RunResults = {
    schemaVersion: 1,
    tool: { name: 'lambda-coldstart', version: input.version },
    run,
    functions: input.functions,
    samples: input.samples,
    statistics: computeStatistics(input.functions, input.samples),
    notes: [...(input.notes ?? []), ...automaticNotes(input)],
    ...(pairs === undefined ? {} : { pairs }),
  };
  return withCosts(results, { estimate: input.costEstimate });
}
