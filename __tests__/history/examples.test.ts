import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readAction } from '../../scripts/action-docs.js';

interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }>;
}

describe('examples/nightly.yml', () => {
  const wf = parse(readFileSync('examples/nightly.yml', 'utf8')) as Workflow;
  const step = Object.values(wf.jobs)
    .flatMap((j) => j.steps)
    .find((s) => s.uses?.startsWith('lambda-coldstart/lambda-coldstart'))!;

  it('runs on a schedule with history and the issue alert, using only inputs the action has', () => {
    expect(Object.keys(wf.on)).toContain('schedule');
    expect(step.with).toMatchObject({ history: 'lambda-coldstart-history', alert: 'issue' });
    const inputs = Object.keys(readAction().inputs);
    expect(Object.keys(step.with ?? {}).filter((k) => !inputs.includes(k))).toEqual([]);
  });

  it('grants what history and the alert need, and says how to serve the dashboard with Pages', () => {
    expect(wf.permissions).toMatchObject({ contents: 'write', issues: 'write', 'id-token': 'write' });
    expect(readFileSync('examples/nightly.yml', 'utf8')).toMatch(/Pages.*Deploy from a branch.*lambda-coldstart-history/s);
  });
});
