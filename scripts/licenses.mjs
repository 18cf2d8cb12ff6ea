// The licence texts of everything a bundle contains, from ncc's webpack stats (the bundled module list) and each
// package's own files: package.json (name, version, `license`) and every LICENSE / LICENCE / COPYING / NOTICE file in
// the package folder. ncc's own --license only lists packages in which its plugin found a licence file it recognised.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

const LICENCE_FILE = /^(licen[cs]e|copying|notice)([._-].*)?$/i;
const NODE_MODULES = `${sep}node_modules${sep}`;

/** Absolute paths of the source files webpack put in the bundle (concatenated modules included, externals left out). */
export function bundledFiles(stats) {
  const files = new Set();
  const visit = (modules) => {
    for (const m of modules ?? []) {
      if (m.modules) visit(m.modules);
      const id = typeof m.identifier === 'string' ? m.identifier : '';
      if (id === '' || id.startsWith('external ') || id.startsWith('webpack/')) continue;
      const resource = id.split('!').pop().split('?')[0].split('|')[0];
      if (resource.startsWith(sep) && existsSync(resource)) files.add(resource);
    }
  };
  visit(stats.modules);
  return [...files].sort();
}

/** The folder of the package a bundled file belongs to: the part after the last node_modules/, `@scope/name` or `name`. */
export function packageDirOf(file) {
  const at = file.lastIndexOf(NODE_MODULES);
  if (at < 0) return undefined;
  const rest = file.slice(at + NODE_MODULES.length).split(sep);
  const depth = rest[0]?.startsWith('@') ? 2 : 1;
  return file.slice(0, at + NODE_MODULES.length) + rest.slice(0, depth).join(sep);
}

function declaredLicense(pkg) {
  if (typeof pkg.license === 'string') return pkg.license;
  if (pkg.license && typeof pkg.license.type === 'string') return pkg.license.type;
  if (Array.isArray(pkg.licenses)) return pkg.licenses.map((l) => l.type ?? String(l)).join(' OR ');
  return 'UNKNOWN';
}

function readPackage(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const texts = readdirSync(dir)
    .filter((f) => LICENCE_FILE.test(f) && statSync(join(dir, f)).isFile())
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8').replace(/\r\n/g, '\n').trim());
  const author = typeof pkg.author === 'string' ? pkg.author : pkg.author?.name;
  return { name: pkg.name, version: pkg.version, license: declaredLicense(pkg), author, texts };
}

/**
 * Every package the files belong to: this project for files outside node_modules, @vercel/ncc for the runtime it
 * emits around the modules, and each npm package once per name@version.
 */
export function collectPackages(files, root) {
  const dirs = new Set([root, join(root, 'node_modules', '@vercel', 'ncc')]);
  for (const f of files) dirs.add(packageDirOf(f) ?? root);
  const byId = new Map();
  for (const dir of dirs) {
    const p = readPackage(dir);
    byId.set(`${p.name}@${p.version}`, p);
  }
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/**
 * The licenses.txt text: packages whose licence files are identical share one copy of the text below their names;
 * packages that ship no licence file are listed with the licence their package.json declares.
 */
export function renderLicenses(packages) {
  const groups = new Map();
  const bare = [];
  for (const p of packages) {
    if (p.texts.length === 0) {
      bare.push(p);
      continue;
    }
    const text = p.texts.join('\n\n');
    const group = groups.get(text) ?? [];
    group.push(p);
    groups.set(text, group);
  }
  const rule = '-'.repeat(80);
  const lines = [
    'Third-party software in this bundle, with the licence texts each package ships.',
    `${packages.length} packages; each name@version is followed by the licence its package.json declares.`,
    '',
  ];
  for (const [text, group] of groups) {
    lines.push(rule);
    for (const p of group) lines.push(`${p.name}@${p.version} (${p.license})`);
    lines.push('', text, '');
  }
  if (bare.length > 0) {
    lines.push(rule, 'Packages that ship no licence file (the licence their package.json declares, and its author):', '');
    for (const p of bare) lines.push(`${p.name}@${p.version} (${p.license})${p.author === undefined ? '' : `, by ${p.author}`}`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
