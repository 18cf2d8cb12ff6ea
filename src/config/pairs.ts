/**
 * A/B pairs: `functions` (the heads) and `baseline-functions` (their bases, same order). PURE. The rules between the two
 * lists, checked before anything changes, and the lists every stage that touches functions uses.
 */
import type { Config } from './model.js';
import { parseFunctionId } from './values.js';

/** One head function and the base it is measured beside (as the user gave them: names or ARNs). */
export interface FunctionPair {
  head: string;
  base: string;
}

/** The function name of an id (a name, a partial or a full ARN); the id itself when it does not parse. */
export function functionName(id: string): string {
  const parsed = parseFunctionId(id);
  return typeof parsed === 'string' ? id : parsed.name;
}

/** Every function a run changes, heads then bases: preflight, the undo, the post step and `mode: restore` cover them all. */
export function measuredFunctions(c: Pick<Config, 'functions'> & Partial<Pick<Config, 'baselineFunctions'>>): string[] {
  return [...c.functions, ...(c.baselineFunctions ?? [])];
}

/** The pairs, in the order of `functions`; empty without `baseline-functions`. */
export function functionPairs(c: Pick<Config, 'functions' | 'baselineFunctions'>): FunctionPair[] {
  if (c.baselineFunctions.length !== c.functions.length) return [];
  return c.functions.map((head, i) => ({ head, base: c.baselineFunctions[i]! }));
}

const list = (ids: readonly string[]): string => ids.join(', ');

/**
 * What is wrong between `functions` and `baseline-functions`, one sentence each naming the values: lists of different
 * lengths, a function paired with itself, a function in two pairs (a base that is also a head). A base listed twice is
 * the list parser's problem (functionList).
 */
export function pairProblems(c: Partial<Pick<Config, 'functions' | 'baselineFunctions'>>): string[] {
  const heads = c.functions;
  const bases = c.baselineFunctions;
  if (heads === undefined || bases === undefined || bases.length === 0) return [];
  if (bases.length !== heads.length) {
    return [
      `baseline-functions: ${bases.length} function(s) (${list(bases)}) for ${heads.length} in functions (${list(heads)}); ` +
        'give one base function for each entry of functions, in the same order',
    ];
  }
  const problems: string[] = [];
  const headIndex = new Map(heads.map((h, i) => [functionName(h), i]));
  bases.forEach((base, i) => {
    const head = heads[i]!;
    const at = headIndex.get(functionName(base));
    if (at === i) {
      problems.push(
        `baseline-functions: "${base}" is paired with itself (entry ${i + 1} of functions is "${head}"); give the function of the other deployment, e.g. the main branch's stack`,
      );
    } else if (at !== undefined) {
      problems.push(
        `baseline-functions: "${base}" (the base of "${head}") is also in functions (entry ${at + 1}); a function can be in one pair only`,
      );
    }
  });
  return problems;
}
