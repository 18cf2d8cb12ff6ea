import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INPUT_DEFAULTS } from '../src/config/inputs.js';
import { VERSION } from '../src/core/version.js';
import { readAction, registryInputs, renderReadme } from '../scripts/action-docs.js';

const action = readAction();

describe('action.yml', () => {
  it('runs the bundles on node24 with an always() post step', () => {
    const runs = (action as unknown as { runs: Record<string, string> }).runs;
    expect(runs).toEqual({ using: 'node24', main: 'dist/index.js', post: 'dist/post/index.js', 'post-if': 'always()' });
  });

  it('declares exactly the inputs config.ts reads, with the same defaults', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.keys(INPUT_DEFAULTS).sort());
    for (const [name, input] of Object.entries(action.inputs)) {
      if (name === 'functions') expect(input.required).toBe(true);
      else if (name === 'github-token') expect(input.default).toBe('${{ github.token }}');
      else expect([name, input.default]).toEqual([name, INPUT_DEFAULTS[name as keyof typeof INPUT_DEFAULTS]]);
    }
  });

  it('declares every input of the registry as the registry does: order, description, default, required', () => {
    expect(Object.entries(action.inputs)).toEqual(registryInputs());
  });

  it('declares the outputs main.ts sets', () => {
    expect(Object.keys(action.outputs).sort()).toEqual(
      ['artifact-url', 'comment-url', 'cost', 'csv', 'drift', 'fastest', 'json', 'regressions', 'report', 'results'].sort(),
    );
  });

  it('README inputs and outputs tables match the registry and action.yml (regenerate: npm run docs)', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toBe(renderReadme(readme, action));
  });

  it('src/version.ts matches package.json', () => {
    expect(VERSION).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });
});
