/** The npm package is the CLI: package.json's publishing fields, and the check CI runs on `npm pack --dry-run --json`. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPack } from '../../scripts/check-pack.mjs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Record<string, unknown>;
const pack = (...paths: string[]) => ({ files: paths.map((path) => ({ path })) });
const CLI = ['dist/cli/index.js', 'dist/cli/licenses.txt', 'dist/cli/package.json', 'package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'];

describe('package.json', () => {
  it('is publishable: not private, a bin, only dist/cli/ and the changelog, provenance, and no runtime dependencies (all bundled)', () => {
    expect(pkg['private']).toBeUndefined();
    expect(pkg['bin']).toEqual({ 'lambda-coldstart': 'dist/cli/index.js' });
    expect(pkg['files']).toEqual(['dist/cli/', 'CHANGELOG.md']);
    expect(pkg['publishConfig']).toEqual({ access: 'public', provenance: true });
    expect(pkg['dependencies']).toBeUndefined();
  });
});

describe('checkPack', () => {
  it('accepts the CLI bundle with package.json, README, LICENSE and CHANGELOG', () => {
    expect(checkPack(pack(...CLI))).toEqual({ extra: [], missing: [] });
  });

  it('names anything else: a chunk beside the CLI, the action bundle, sources', () => {
    expect(checkPack(pack(...CLI, 'dist/cli/421.index.js', 'dist/index.js', 'src/cli.ts')).extra).toEqual([
      'dist/cli/421.index.js',
      'dist/index.js',
      'src/cli.ts',
    ]);
  });

  it('names a missing bundle or licence file', () => {
    expect(checkPack(pack('package.json', 'README.md', 'LICENSE')).missing).toEqual(['dist/cli/index.js', 'dist/cli/licenses.txt']);
  });
});
