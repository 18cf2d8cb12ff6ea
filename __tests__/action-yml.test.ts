import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CLI_PORT } from '../emulator/defaults.js';
import { INPUT_DEFAULTS } from '../src/config/inputs.js';
import { parseConfig } from '../src/config/parse.js';
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

describe('README “Debug locally”, as @github/local-action runs it', () => {
  const section = readFileSync('README.md', 'utf8').split('## Debug locally')[1]!;
  const env = section.split('An example `.env`')[1]!.split('```sh\n')[1]!.split('```')[0]!;
  const vars = Object.fromEntries(
    env
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );

  it('its .env means what it says: local-action gives an empty or missing input its action.yml default', () => {
    // local-action's getInput (src/stubs/core/core.ts): INPUT_<NAME>, or when that is empty the input's default as written
    const get = (name: string): string => vars[`INPUT_${name.toUpperCase()}`] || (action.inputs[name]?.default ?? '');
    const { config, problems } = parseConfig(get as Parameters<typeof parseConfig>[0]);
    expect(problems).toEqual([]);
    // `${{ github.token }}` arrives unevaluated: no token
    expect(config).toMatchObject({ functions: ['hello-node'], memory: [128, 1024], repetitions: 3, comment: false, githubToken: '' });
    const empty = Object.entries(vars).filter(([k, v]) => k.startsWith('INPUT_') && v === '');
    expect(empty).toEqual([]); // an empty input would silently become its default there
  });

  it('points at the emulator CLI’s own port, not LocalStack’s', () => {
    expect(new URL(vars['AWS_ENDPOINT_URL']!).port).toBe(String(DEFAULT_CLI_PORT));
    expect(section).not.toMatch(/--port|4566/);
  });
});
