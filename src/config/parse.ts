/**
 * Inputs → a typed, validated Config. `parseConfig` is pure: it takes an accessor for the raw input strings and returns
 * either a Config or every problem found, each naming the value and what is allowed. The action (via core.getInput) and
 * the CLI (via its flags) share it, so both give the same messages.
 */
import { INPUT_ENTRIES, rawInput, type InputGetter } from './inputs.js';
import type { Config } from './model.js';
import { ConfigError } from '../core/errors.js';
import { pairProblems } from './pairs.js';

export type ParseResult = { config: Config; problems: [] } | { config?: undefined; problems: string[] };

/** Pure: every input parsed by its registry entry, then the rules between inputs; every problem is collected. */
export function parseConfig(get: InputGetter): ParseResult {
  const problems: string[] = [];
  const parsed: Partial<Record<keyof Config, unknown>> = {};
  for (const [key, spec] of INPUT_ENTRIES) {
    const value = spec.parse(rawInput(spec, get(spec.name) ?? ''), problems);
    if (value !== undefined) parsed[key] = value;
  }
  const config = withDerived(parsed as Partial<Config>);
  problems.push(...ruleProblems(config));
  if (problems.length > 0) return { problems };
  return { config: config as Config, problems: [] };
}

/** Values that follow from other inputs when left empty. */
function withDerived(c: Partial<Config>): Partial<Config> {
  if (c.mergePattern !== '' || c.artifactName === undefined) return c;
  return { ...c, mergePattern: c.artifactName === '' ? '' : `${c.artifactName}-*` };
}

/** The rules between inputs, checked where both sides parsed. */
function ruleProblems(c: Partial<Config>): string[] {
  const problems: string[] = [];
  if (c.functions?.length === 0 && c.mode !== 'merge') {
    problems.push('functions: no function given; list function names or ARNs, separated by commas or newlines');
  }
  if (c.mode === 'merge' && c.mergePattern === '' && c.artifactName !== undefined) {
    problems.push('merge-pattern: empty with an empty artifact-name; give the glob of the shard artifacts to merge, e.g. "coldstart-*"');
  }
  if (c.burstSize !== null && c.burstSize !== undefined && c.strategy === 'sequential') {
    // Said, not ignored: a burst size with the sequential strategy would measure something else than was asked for.
    problems.push(
      `burst-size: ${c.burstSize} is set, but strategy is sequential (one invoke per update); set strategy to burst or compare, or leave burst-size empty`,
    );
  }
  problems.push(...pairProblems(c));
  if (c.alert === 'issue' && c.history === '') {
    problems.push('alert: "issue" needs a `history` branch (drift is judged against the history); set `history`, or leave `alert` empty');
  }
  return problems;
}

/** Throws one ConfigError holding every problem. */
export function loadConfig(get: InputGetter): Config {
  const result = parseConfig(get);
  if (result.config === undefined) throw new ConfigError(result.problems);
  return result.config;
}
