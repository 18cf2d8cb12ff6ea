/**
 * Bundles people can audit: each bundle (dist/index.js, dist/post/index.js, dist/cli/index.js) is unminified, has no
 * chunk beside it, and its licenses.txt names every npm package the bundle contains, with each licence file that
 * package ships. The bundled-file lists come from the build (LAMBDA_COLDSTART_MODULES, written by the e2e globalSetup
 * or by CI's freshness build); the package of each file is found here independently, by walking up to its package.json.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIST, ROOT } from '../../scripts/local-runner.js';
import { renderLicenses } from '../../scripts/licenses.mjs';

const BUNDLES = [
  { name: 'index', folder: '.' },
  { name: 'post', folder: 'post' },
  { name: 'cli', folder: 'cli' },
];
const MODULES = process.env['LAMBDA_COLDSTART_MODULES'];
if (MODULES === undefined) console.warn("licence coverage test skipped: LAMBDA_COLDSTART_MODULES (the build's module lists) is not set");

interface Pkg {
  dir: string;
  name: string;
  version: string;
}

/** The nearest package.json with a name and a version above a bundled file. */
function owningPackage(file: string): Pkg {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
    if (pkg.name !== undefined && pkg.version !== undefined) return { dir, name: pkg.name, version: pkg.version };
  }
  throw new Error(`no package.json above ${file}`);
}

const licenceFiles = (dir: string): string[] =>
  readdirSync(dir).filter((f) => /^(licen[cs]e|copying)/i.test(f) && statSync(join(dir, f)).isFile());
const normalise = (text: string): string => text.replace(/\r\n/g, '\n').trim();

describe.each(BUNDLES)('the $name bundle', ({ name, folder }) => {
  const dir = join(DIST, folder);

  it('is one unminified index.js (no chunk beside it, no canvas stub) with its licenses.txt', () => {
    expect(
      readdirSync(dir)
        .filter((f) => statSync(join(dir, f)).isFile())
        .sort(),
    ).toEqual(['index.js', 'licenses.txt', 'package.json']);
    const code = readFileSync(join(dir, 'index.js'), 'utf8');
    // Minified webpack output is a few very long lines; readable output averages well under 100 characters a line.
    expect(code.length / code.split('\n').length).toBeLessThan(100);
    expect(code).not.toMatch(/(require\(|import\(|from |\)\()\s*["']canvas["']/); // neither a require stub nor an import of node-canvas
  });

  it.skipIf(MODULES === undefined)('licenses.txt names every bundled package and holds each licence text it ships', () => {
    const files = JSON.parse(readFileSync(join(MODULES!, `${name}.modules.json`), 'utf8')) as string[];
    const packages = new Map<string, Pkg>();
    for (const f of files.filter((f) => f.includes('node_modules/'))) {
      const p = owningPackage(join(ROOT, f));
      packages.set(`${p.name}@${p.version}`, p);
    }
    // A floor that proves the module list was read: the action carries the AWS SDK and @actions/*, the CLI the SDK alone.
    expect(packages.size).toBeGreaterThan({ index: 50, cli: 25, post: 10 }[name] ?? 10);
    const licenses = readFileSync(join(dir, 'licenses.txt'), 'utf8');
    const missing: string[] = [];
    for (const [id, p] of packages) {
      if (!licenses.includes(`\n${id} (`)) missing.push(id);
      for (const f of licenceFiles(p.dir))
        if (!licenses.includes(normalise(readFileSync(join(p.dir, f), 'utf8')))) missing.push(`${id}: ${f}`);
    }
    expect(missing).toEqual([]);
  });
});

describe('what each bundle holds', () => {
  const modules = (name: string): string[] => JSON.parse(readFileSync(join(MODULES!, `${name}.modules.json`), 'utf8')) as string[];

  it.skipIf(MODULES === undefined)('the CLI carries no @actions/* package (it never talks to the runner)', () => {
    expect(modules('cli').filter((f) => f.includes('node_modules/@actions/'))).toEqual([]);
  });

  it.skipIf(MODULES === undefined)(
    'the action carries the AWS SDK, @actions/* and the report’s libraries, and licenses.txt says so',
    () => {
      const licenses = readFileSync(join(DIST, 'licenses.txt'), 'utf8');
      for (const pkg of [
        '@aws-sdk/client-lambda',
        '@actions/core',
        '@actions/artifact',
        'markdown-table',
        'simple-statistics',
        'lambda-coldstart',
      ]) {
        expect(licenses).toMatch(new RegExp(`\\n${pkg.replace('/', '\\/')}@\\d`));
      }
    },
  );
});

describe('renderLicenses', () => {
  const pkg = (name: string, license: string, texts: string[], author?: string) => ({ name, version: '1.0.0', license, texts, author });

  it('prints one copy of a licence text shared by several packages, under all their names', () => {
    const apache = 'Apache License\nVersion 2.0';
    const text = renderLicenses([pkg('a', 'Apache-2.0', [apache]), pkg('b', 'Apache-2.0', [apache]), pkg('c', 'MIT', ['MIT text'])]);
    expect(text.split(apache)).toHaveLength(2);
    expect(text).toMatch(/a@1\.0\.0 \(Apache-2\.0\)\nb@1\.0\.0 \(Apache-2\.0\)\n\nApache License/);
    expect(text).toContain('c@1.0.0 (MIT)\n\nMIT text');
  });

  it('lists a package without a licence file with its declared licence and author', () => {
    const text = renderLicenses([pkg('bare', 'MIT', [], 'Jane Doe')]);
    expect(text).toContain('ship no licence file');
    expect(text).toContain('bare@1.0.0 (MIT), by Jane Doe');
  });
});
