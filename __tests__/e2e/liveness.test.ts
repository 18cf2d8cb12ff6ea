/**
 * Whether another run is alive rests on facts, not on clocks (bundled action against the emulator and the fake GitHub):
 * a writer whose machine's clock is 10 minutes behind is not taken for dead by a `mode: restore` of another workflow
 * run — GitHub says its run is in progress and Lambda's clock says it updated the function seconds ago — and it
 * measures every sample it was asked for.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator, FunctionSpec } from '../../emulator/types.js';
import { ROOT, runMain, startStep } from '../../scripts/local-runner.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github-server.js';
import { decodeMarker } from '../../src/lambda/undo/record.js';
import { SECRET, pushEvent, startSmallEmulator, workflowJob, waitFor } from './harness.js';

const victim: FunctionSpec = {
  name: 'victim',
  runtime: 'nodejs20.x',
  memory: 256,
  environment: { API_KEY: SECRET },
  timeoutSec: 3, // the guessed window is 300 + 3 + 60 s: a record 10 minutes old by the writer's clock would fall outside it
  synthetic: { initMs: { mean: 120, sd: 5 }, durationMs: { mean: 2, sd: 0.2 } },
};

let emu: Emulator | undefined;
let gh: FakeGitHub | undefined;
afterEach(async () => {
  await emu?.close();
  await gh?.close();
  emu = undefined;
  gh = undefined;
});

describe('a writer whose clock is 10 minutes behind', () => {
  it('is not taken for dead: its record carries Lambda’s time, another run leaves it alone, it measures every sample', async () => {
    emu = await startSmallEmulator([victim], { seed: 51 });
    gh = await startFakeGitHub({ owner: 'octo-org', repo: 'hello-lambdas' });
    const writerRun = gh.addRun({ id: 5001, status: 'in_progress', conclusion: null });
    const readerRun = gh.addRun({ id: 5002, status: 'in_progress', conclusion: null });
    const skew = {
      NODE_OPTIONS: `--import ${pathToFileURL(join(ROOT, 'emulator/skew-clock.mjs')).href}`,
      EMULATOR_CLOCK_SKEW_MS: '-600000',
    };
    const inputs = {
      functions: 'victim',
      memory: '1024',
      repetitions: '4',
      'report-source': 'tail',
      'artifact-name': '',
      comment: 'false',
    };
    const writer = startStep(workflowJob({ gh, run: writerRun, job: 'measure', event: pushEvent(), inputs, emu, env: skew }));
    let writing = true;
    void writer.done.then(() => (writing = false));
    const ours = () =>
      emu!.state().calls.filter((c) => c.operation === 'UpdateFunctionConfiguration' && c.status < 300 && !c.foreign).length;
    await waitFor('the writer changed the function twice', () => ours() >= 2);
    // Hold the writer mid-run, however long the reader takes: its next updates meet another update in progress (409) and
    // wait; it is alive and its record says so.
    const hold = (count: number) => emu!.control.setFaults({ failNext: { UpdateFunctionConfiguration: { count, status: 409 } } });
    hold(1_000_000);

    // The record's time is Lambda's (within a few seconds of the emulator's clock), not the writer's (10 minutes behind).
    const value = emu.state().functions['victim']!.Environment!.Variables['COLDSTART_NONCE']!;
    const decoded = decodeMarker(value);
    expect('record' in decoded && Math.abs(decoded.record.updatedAt - emu.state().clock.now)).toBeLessThan(30_000);

    const reader = await runMain(
      workflowJob({ gh, run: readerRun, job: 'restore', event: pushEvent(), inputs: { functions: 'victim', mode: 'restore' }, emu }),
    );
    expect(writing).toBe(true); // the reader ran while the writer was changing the function
    hold(0);
    expect(reader.code).toBe(1);
    expect(reader.stdout).toMatch(
      /^::error::victim: run https:\/\/github\.com\/octo-org\/hello-lambdas\/actions\/runs\/5001\/attempts\/1#[0-9a-f]{6} may still be changing it \(GitHub says workflow run 5001 \(attempt 1\) is still in progress, and its last update was \d s ago by Lambda's clock \(a run may go 363 s between updates\)\); left alone/m,
    );

    const w = await writer.done;
    expect(w.code).toBe(0);
    expect(w.outputs['results']).toMatch(/"memory":1024,"strategy":"sequential","n":4/);
    expect(emu.state().functions['victim']!.MemorySize).toBe(256);
    expect(emu.state().functions['victim']!.Environment?.Variables).toEqual({ API_KEY: SECRET });
    expect(w.stdout + reader.stdout).not.toContain(SECRET);
  });
});
