/**
 * When the bundled action fails the step, and when it only warns (issue 6, "Exit status"): it fails on input or access
 * errors and when no function produced a cold sample; a partial problem is a warning plus a note in the report.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator, FunctionSpec } from '../../emulator/types.js';
import { annotations, createJob, runMain, runPost } from '../../scripts/local-runner.js';
import { startSmallEmulator } from './harness.js';
import { expectValidResults } from '../helpers/validate-results.js';

const ok: FunctionSpec = {
  name: 'good-fn',
  runtime: 'nodejs20.x',
  memory: 256,
  environment: { MODE: 'prod' },
  synthetic: { initMs: { mean: 120, sd: 5 }, durationMs: { mean: 2, sd: 0.2 } },
};
const broken: FunctionSpec = {
  name: 'broken-fn',
  runtime: 'python3.12',
  memory: 128,
  synthetic: { initMs: { mean: 90, sd: 5 }, durationMs: { mean: 2, sd: 0.2 }, error: true },
};

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

function job(e: Emulator, functions: string) {
  return createJob({
    inputs: { functions, repetitions: '2', 'artifact-name': '', comment: 'false' },
    env: { AWS_ENDPOINT_URL: e.url },
  });
}

function expectRestored(e: Emulator, specs: FunctionSpec[]): void {
  for (const spec of specs) {
    const now = e.state().functions[spec.name]!;
    expect(now.MemorySize).toBe(spec.memory);
    expect(now.Environment?.Variables ?? {}).toEqual(spec.environment ?? {});
  }
}

describe('exit status of the bundled action', () => {
  it('one function fails, the other is measured: a warning, a note in the report, exit 0', async () => {
    emu = await startSmallEmulator([ok, broken], { seed: 3 });
    const j = job(emu, 'good-fn,broken-fn');
    const run = await runMain(j);
    expect(annotations(run.stdout, 'error')).toEqual([]);
    expect(run.code).toBe(0);
    expect(annotations(run.stdout, 'warning')).toEqual([
      expect.stringMatching(/^broken-fn: 2 of 2 invocations failed \(Unhandled.*no cold start was measured$/),
    ]);
    const report = readFileSync(run.outputs['report']!, 'utf8');
    expect(report).toMatch(/broken-fn at 128 MB: 2 invocations failed \(Unhandled/);
    expect(report).toMatch(/broken-fn at 128 MB: no cold start was measured/);
    expect(run.outputs['fastest']).toBe(''); // measured alone: nothing it is faster than
    expectValidResults(JSON.parse(readFileSync(run.outputs['json']!, 'utf8'))); // with error samples
    expectRestored(emu, [ok, broken]);
  });

  it('no function produced a cold sample: the step fails with one line saying so', async () => {
    emu = await startSmallEmulator([broken], { seed: 3 });
    const run = await runMain(job(emu, 'broken-fn'));
    expect(run.code).toBe(1);
    expect(annotations(run.stdout, 'error')).toEqual(['no function produced a genuine cold start; see the warnings above and the report']);
    expect(run.summary).toMatch(/broken-fn/); // the summary is still written
    expectRestored(emu, [broken]);
  });

  it('access denied: one ::error:: naming the refused call, no stack trace, nothing changed', async () => {
    emu = await startSmallEmulator([ok], { seed: 3 });
    emu.control.setFaults({
      failNext: {
        GetFunction: {
          count: 1,
          status: 403,
          type: 'AccessDeniedException',
          message: 'User is not authorized to perform: lambda:GetFunction',
        },
      },
    });
    const run = await runMain(job(emu, 'good-fn'));
    expect(run.code).toBe(1);
    const errors = annotations(run.stdout, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/good-fn.*lambda:GetFunction/);
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
    expect(run.summary).toMatch(/\*\*The run failed:\*\* .*lambda:GetFunction/); // the summary says it too
    expect(emu.state().calls.filter((c) => c.operation === 'UpdateFunctionConfiguration')).toEqual([]);
  });

  it('Logs Insights denied: the results are still published (from the log tails), then the step fails naming the fix', async () => {
    emu = await startSmallEmulator([ok], { seed: 3 });
    emu.control.setFaults({
      failNext: {
        StartQuery: { count: 1, status: 400, type: 'AccessDeniedException', message: 'not authorized to perform: logs:StartQuery' },
      },
    });
    const run = await runMain(job(emu, 'good-fn'));
    expect(run.code).toBe(1);
    expect(annotations(run.stdout, 'error')).toEqual([
      expect.stringMatching(/logs:StartQuery .*was denied on \/aws\/lambda\/good-fn.*report-source: tail/),
    ]);
    const results = JSON.parse(readFileSync(run.outputs['json']!, 'utf8')) as { samples: { kind: string; source: string }[] };
    expect(results.samples.filter((s) => s.kind === 'cold').map((s) => s.source)).toEqual(['tail', 'tail']);
    expect(run.summary).toMatch(/good-fn/);
    expectRestored(emu, [ok]);
  });

  it('restore: false leaves the last configuration in place, and the post step leaves it too', async () => {
    emu = await startSmallEmulator([ok], { seed: 3 });
    const j = createJob({
      inputs: { functions: 'good-fn', memory: '512', repetitions: '2', restore: 'false', 'artifact-name': '', comment: 'false' },
      env: { AWS_ENDPOINT_URL: emu.url },
    });
    const run = await runMain(j);
    expect(run.code).toBe(0);
    const after = emu.state().functions['good-fn']!;
    expect(after.MemorySize).toBe(512);
    expect(Object.keys(after.Environment!.Variables).sort()).toEqual(['COLDSTART_NONCE', 'MODE']);
    const post = await runPost(j);
    expect(post.code).toBe(0);
    expect(post.stdout).toMatch(/nothing to undo/);
    expect(emu.state().functions['good-fn']!.MemorySize).toBe(512);
  });

  it('a function that does not exist: one ::error:: naming it, nothing changed on the others', async () => {
    emu = await startSmallEmulator([ok], { seed: 3 });
    const run = await runMain(job(emu, 'good-fn,no-such-fn'));
    expect(run.code).toBe(1);
    const errors = annotations(run.stdout, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/no-such-fn/);
    expect(emu.state().calls.filter((c) => c.operation === 'UpdateFunctionConfiguration')).toEqual([]);
  });
});
