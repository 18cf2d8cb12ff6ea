/**
 * The README's inputs and outputs tables are generated, so they cannot drift: the inputs from the input registry
 * (src/config/inputs.ts, which a test holds equal to action.yml), the outputs from action.yml.
 * `npm run docs` rewrites them; a test fails when they differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { INPUT_ENTRIES } from '../src/config/inputs.js';

export interface ActionYmlInput {
  description: string;
  required?: boolean;
  default?: string;
}

interface ActionYml {
  inputs: Record<string, ActionYmlInput>;
  outputs: Record<string, { description: string }>;
}

export function readAction(path = 'action.yml'): ActionYml {
  return parse(readFileSync(path, 'utf8')) as ActionYml;
}

/** Each input as action.yml must declare it, in the registry's order. */
export function registryInputs(): [string, ActionYmlInput][] {
  return INPUT_ENTRIES.map(([, spec]) => [
    spec.name,
    spec.required
      ? { description: spec.doc, required: true }
      : { description: spec.doc, required: false, default: spec.actionDefault ?? spec.default },
  ]);
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function inputsTable(inputs: [string, ActionYmlInput][] = registryInputs()): string {
  const rows = inputs.map(([name, i]) => {
    const def = i.required ? '**required**' : i.default === undefined || i.default === '' ? "`''`" : `\`${cell(i.default)}\``;
    return `| \`${name}\` | ${def} | ${cell(i.description)} |`;
  });
  return ['| input | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

export function outputsTable(action: ActionYml): string {
  const rows = Object.entries(action.outputs).map(([name, o]) => `| \`${name}\` | ${cell(o.description)} |`);
  return ['| output | meaning |', '|---|---|', ...rows].join('\n');
}

export function renderReadme(readme: string, action: ActionYml): string {
  const put = (text: string, marker: string, table: string): string => {
    const re = new RegExp(`(<!-- ${marker}:start -->)[\\s\\S]*?(<!-- ${marker}:end -->)`);
    if (!re.test(text)) throw new Error(`README.md has no <!-- ${marker}:start --> … <!-- ${marker}:end --> block`);
    return text.replace(re, `$1\n${table}\n$2`);
  };
  return put(put(readme, 'inputs', inputsTable()), 'outputs', outputsTable(action));
}

if (process.argv.includes('--write')) {
  const readme = readFileSync('README.md', 'utf8');
  writeFileSync('README.md', renderReadme(readme, readAction()));
  console.log('README.md inputs table regenerated from the input registry, outputs table from action.yml');
}
