/**
 * The README's inputs and outputs tables are generated from action.yml, so they cannot drift:
 * `npx tsx scripts/action-docs.ts --write` rewrites them; a test fails when they differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
}

export function readAction(path = 'action.yml'): ActionYml {
  return parse(readFileSync(path, 'utf8')) as ActionYml;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function inputsTable(action: ActionYml): string {
  const rows = Object.entries(action.inputs).map(([name, i]) => {
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
  return put(put(readme, 'inputs', inputsTable(action)), 'outputs', outputsTable(action));
}

if (process.argv.includes('--write')) {
  const readme = readFileSync('README.md', 'utf8');
  writeFileSync('README.md', renderReadme(readme, readAction()));
  console.log('README.md inputs/outputs tables regenerated from action.yml');
}
