/**
 * What the run puts back, field by field, through the bundled action and CLI against the emulator: another tool
 * replaces the variables wholesale during the run's last invoke (memory still goes back, their variables stay, one line
 * says so); a function without variables ends without an Environment, as it began; a COLDSTART_NONCE holding injected
 * lines is no record of this tool (left alone, nothing raw printed); a deploy in progress at preflight is waited for.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator, FunctionSpec } from '../../emulator/types.js';
import { annotations, createJob, runMain } from '../../scripts/local-runner.js';
import { SECRET, runCli, startSmallEmulator, waitFor } from './harness.js';

const synthetic = { initMs: { mean: 120, sd: 5 }, durationMs: { mean: 2, sd: 0.2 } };
const victim: FunctionSpec = {
  name: 'victim',
  runtime: 'nodejs20.x',
  memory: 256,
  environment: { API_KEY: SECRET },
  timeoutSec: 3,
  synthetic,
};
const bare: FunctionSpec = { name: 'bare-fn', runtime: 'nodejs20.x', memory: 128, timeoutSec: 3, synthetic };
const quiet = { 'artifact-name': '', comment: 'false', 'report-source': 'tail' };

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const fn = (e: Emulator, name = 'victim') => e.state().functions[name]!;
/** Until the function's last update (another actor's) has completed. */
const settled = (e: Emulator, name = 'victim'): Promise<void> =>
  waitFor(`${name}'s update has completed`, () => fn(e, name).LastUpdateStatus === 'Successful');
const updates = (e: Emulator): number => e.state().calls.filter((c) => c.operation === 'UpdateFunctionConfiguration' && !c.foreign).length;

describe('another tool replaces the variables wholesale during the last invoke', () => {
  it('memory still goes back (the run knows it set it), their variables stay, one line says the record was removed', async () => {
    emu = await startSmallEmulator([victim, bare], { seed: 41 });
    const change = emu.control.outsideChangeDuringNextInvoke('victim', { environment: { STAGE: 'theirs' } });
    const run = await runMain(
      createJob({
        inputs: { functions: 'victim,bare-fn', memory: '2048', repetitions: '1', ...quiet },
        env: { AWS_ENDPOINT_URL: emu.url },
      }),
    );
    await change;
    expect(run.code).toBe(0);
    expect(fn(emu).MemorySize).toBe(256);
    expect(fn(emu).Environment?.Variables).toEqual({ STAGE: 'theirs' });
    const said = run.stdout.split('\n').filter((l) => l.includes('removing the undo record'));
    expect(said).toEqual([
      "::notice::victim: configuration restored (memory back to 256 MB); someone else's change had replaced its environment variables, removing the undo record (COLDSTART_NONCE); their variables are kept",
    ]);
    // A function created without variables ends as it began: no Environment at all (Lambda's shape after {Variables: {}}).
    expect(fn(emu, 'bare-fn').MemorySize).toBe(128);
    expect('Environment' in fn(emu, 'bare-fn')).toBe(false);
  });
});

describe('a COLDSTART_NONCE holding injected lines is no record of this tool', () => {
  it('restore and measure (action and CLI) leave it alone, say so once, and print nothing of it', async () => {
    emu = await startSmallEmulator([victim], { seed: 42 });
    const injected =
      `n=x;m=256;s=1024;t=${Math.floor(Date.now() / 1000)};r=https://github.com/octo-org/hello-lambdas/actions/runs/1/attempts/1#abcdef` +
      '\n::error::pwned\n::add-mask::hunter2\r\n::warning::x%0A::error::zzinjected';
    emu.control.outsideChange('victim', { memory: 1024, environment: { API_KEY: SECRET, COLDSTART_NONCE: injected } });
    await settled(emu);
    const revision = fn(emu).RevisionId;
    const cwd = mkdtempSync(join(tmpdir(), 'lcs-inject-'));
    const env = { AWS_ENDPOINT_URL: emu.url };
    const [restore, measure, cli] = await Promise.all([
      runMain(createJob({ inputs: { functions: 'victim', mode: 'restore' }, env })),
      runMain(createJob({ inputs: { functions: 'victim', memory: '512', repetitions: '1', ...quiet }, env })),
      runCli(['restore', '--functions', 'victim'], { cwd, env }),
    ]);
    const notARecord =
      /victim: its COLDSTART_NONCE variable holds a value that is not an undo record of lambda-coldstart \(not shown\), so this tool leaves it alone/;
    for (const step of [restore, measure]) {
      expect(step.code).toBe(1);
      expect(annotations(step.stdout, 'error')).toEqual([expect.stringMatching(notARecord)]);
      expect(
        step.stdout
          .split('\n')
          .filter((l) => l.startsWith('::'))
          .map((l) => l.slice(0, l.indexOf('::', 2) + 2)),
      ).toEqual(['::error::']);
    }
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(notARecord);
    const everything = [restore, measure]
      .flatMap((s) => [s.stdout, s.stderr, s.summary])
      .concat(cli.stdout, cli.stderr)
      .join('\n');
    for (const raw of ['pwned', 'hunter2', '::add-mask::', '::warning::', 'zzinjected']) expect(everything).not.toContain(raw);
    // Left alone: not one update of ours.
    expect(fn(emu).RevisionId).toBe(revision);
    expect(fn(emu).Environment?.Variables['COLDSTART_NONCE']).toBe(injected);
    expect(updates(emu)).toBe(0);
  });
});

describe('a deploy in progress at preflight', () => {
  it('is waited for (within update-timeout), then the function is measured', async () => {
    emu = await startSmallEmulator([victim], { seed: 43 });
    // The deploy starts between the run's first read (a 500, retried by the SDK) and its retry: in progress at preflight
    // however long the CLI takes to start.
    emu.control.setFaults({ failNext: { GetFunction: { count: 2, status: 500 } } });
    const cwd = mkdtempSync(join(tmpdir(), 'lcs-deploy-'));
    const running = runCli(['measure', '--functions', 'victim', '--memory', '512', '--repetitions', '1', '--report-source', 'tail'], {
      cwd,
      env: { AWS_ENDPOINT_URL: emu.url },
    });
    await waitFor('a GetFunction answered 500', () => emu!.state().calls.some((c) => c.operation === 'GetFunction' && c.status === 500));
    emu.control.deployCode('victim', { inProgressMs: 1000 });
    const r = await running;
    expect(r.stderr).toContain(
      'victim: a deploy is in progress (LastUpdateStatus InProgress); waiting for it to finish (up to 300 s, update-timeout), then measuring',
    );
    expect(r.code).toBe(0);
    expect(
      emu
        .state()
        .invocations.filter((i) => i.cold && !i.foreign)
        .map((i) => i.memorySizeMb),
    ).toEqual([512]);
    expect(fn(emu).MemorySize).toBe(256);
  });
});
