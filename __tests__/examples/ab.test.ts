import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readAction } from '../../scripts/action-docs.js';

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: { pull_request: { types: string[] } };
  env: Record<string, string>;
  concurrency: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, { if: string; steps: Step[] }>;
}

const text = (p: string) => readFileSync(p, 'utf8');

describe('examples/pr-ab.yml: A/B of the PR’s stack against main’s', () => {
  const wf = parse(text('examples/pr-ab.yml')) as Workflow;
  const steps = wf.jobs['ab']!.steps;
  const action = steps.find((s) => s.uses?.startsWith('lambda-coldstart/lambda-coldstart'))!;

  it('deploys a preview stack named per PR, and deletes it when the PR closes', () => {
    expect(wf.env['HEAD_STACK']).toBe('app-pr-${{ github.event.pull_request.number }}');
    expect(steps.some((s) => s.run?.includes('sam deploy --stack-name "$HEAD_STACK"'))).toBe(true);
    expect(wf.on.pull_request.types).toContain('closed');
    expect(wf.jobs['teardown']!.steps.at(-1)!.run).toContain('sam delete --stack-name "$HEAD_STACK" --no-prompts');
  });

  it('measures the PR’s functions beside main’s with fail-on-regression, using only inputs the action has', () => {
    expect(action.with).toMatchObject({
      functions: '${{ steps.names.outputs.head }}',
      'baseline-functions': '${{ steps.names.outputs.base }}',
      'fail-on-regression': '15%',
    });
    const inputs = Object.keys(readAction().inputs);
    expect(Object.keys(action.with ?? {}).filter((k) => !inputs.includes(k))).toEqual([]);
    // main's benchmark stack is shared by every PR: one run at a time, never cancelled halfway
    expect(wf.concurrency).toEqual({ group: 'lambda-coldstart-ab-${{ github.repository }}', 'cancel-in-progress': false });
  });

  it('passes expressions to shell through env:, never ${{ }} inside run: (every example)', () => {
    for (const file of ['examples/pr-ab.yml', 'examples/pr-coldstart.yml', 'examples/nightly.yml', 'examples/matrix.yml']) {
      const all = Object.values((parse(text(file)) as Workflow).jobs).flatMap((j) => j.steps);
      expect(all.filter((s) => s.run?.includes('${{')).map((s) => s.run)).toEqual([]);
    }
    expect(steps.find((s) => s.env?.['REGRESSIONS'])!.env!['REGRESSIONS']).toBe('${{ steps.ab.outputs.regressions }}');
  });
});
