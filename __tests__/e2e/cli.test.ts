/**
 * Issue 7, the CLI, end to end: `node dist/cli/index.js` (the bundled `lambda-coldstart` bin) as a user runs it,
 * against the emulator through AWS_ENDPOINT_URL — and compared with the bundled action on the same emulator seed.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator, FunctionSpec } from '../../emulator/types.js';
import { annotations, createJob, runMain, type StepResult } from '../../scripts/local-runner.js';
import { SECRET, expectCsvIsGroundTruth, runCli, startSmallEmulator, type CliResult } from './harness.js';
import { expectValidResults } from '../helpers/validate-results.js';

const FUNCTIONS: FunctionSpec[] = [
  {
    name: 'cli-node',
    runtime: 'nodejs20.x',
    memory: 512,
    environment: { API_KEY: SECRET },
    synthetic: { initMs: { mean: 160, sd: 10 }, durationMs: { mean: 4, sd: 1 }, maxMemoryMb: 70 },
  },
  {
    name: 'cli-go',
    runtime: 'provided.al2023',
    memory: 128,
    architecture: 'arm64',
    logFormat: 'JSON',
    synthetic: { initMs: { mean: 55, sd: 4 }, durationMs: { mean: 1.2, sd: 0.2 }, maxMemoryMb: 22 },
  },
];
const SEED = 5;
const SEED_CSV = join(import.meta.dirname, '../fixtures/seed-data/speed-x86-128.csv');

let emuAction: Emulator;
let emuCli: Emulator;
let action: StepResult;
let cli: CliResult;
let work: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'lcs-cli-'));
  // Two emulators with the same seed and configuration: one for the action, one for the CLI.
  [emuAction, emuCli] = await Promise.all([startSmallEmulator(FUNCTIONS, { seed: SEED }), startSmallEmulator(FUNCTIONS, { seed: SEED })]);
  const job = createJob({
    inputs: { functions: 'cli-node\ncli-go', memory: '128,256', repetitions: '3', 'artifact-name': '', comment: 'false' },
    env: { AWS_ENDPOINT_URL: emuAction.url },
  });
  [action, cli] = await Promise.all([
    runMain(job),
    runCli(['measure', '--functions', 'cli-node,cli-go', '--memory', '128,256', '--repetitions', '3', '--out', 'out'], {
      cwd: work,
      env: { AWS_ENDPOINT_URL: emuCli.url },
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([emuAction?.close(), emuCli?.close()]);
});

describe('lambda-coldstart measure', () => {
  it('produces the same speed.csv as the action for the same emulator seed and inputs', () => {
    expect(action.code).toBe(0);
    expect(cli.stderr).not.toMatch(/^\s*(error|warning):/m);
    expect(cli.code).toBe(0);
    const fromAction = readFileSync(action.outputs['csv']!, 'utf8').trim().split('\n');
    const fromCli = readFileSync(join(work, 'out', 'speed.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(fromCli[0]).toBe(fromAction[0]);
    expect(fromCli[0]).toBe('Name;Memory;Init;Cold;Billed;MaxMemory;Restore;Runtime;Architecture;RequestId;Timestamp');
    expect(fromCli).toHaveLength(1 + 2 * 2 * 3);
    // The first 9 columns (name, memory, the numbers Lambda printed, runtime, architecture) are identical: the
    // emulator draws a function's Init/Duration from a PRNG seeded by the seed and the function name, indexed by that
    // function's own invocation count, and both tools invoke each function the same number of times.
    // RequestId and Timestamp are not comparable: request ids come from one PRNG stream shared by every function and
    // every API call (revision ids too), so they depend on how the concurrent measurement of the two functions
    // interleaves — the same order gives the same ids, the slightest timing difference other ones; timestamps are the
    // wall-clock times of two different runs.
    const first9 = (lines: string[]) => lines.map((l) => l.split(';').slice(0, 9).join(';'));
    expect(first9(fromCli)).toEqual(first9(fromAction));
    // And the numbers are the emulator's ground truth of the CLI's run.
    expectCsvIsGroundTruth(emuCli, fromCli);
  });

  it('prints the headline and aligned tables (no markdown) and the file paths; restores the functions; never prints an environment value', () => {
    expect(cli.stdout).toMatch(/^No function is clearly fastest at \d+ MB: too few cold starts to tell \(3 against 3\)\./m);
    // 100 columns (a pipe): Runtime and Arch stay (the columns left out first are the handler's, billing and cost numbers)
    expect(cli.stdout).toMatch(/^Function +Runtime +Arch +n +Init p50 \(ms\)/m);
    expect(cli.stdout).toMatch(/^cli-node +nodejs20\.x +x86_64 +3 +\d+\.\d .* too few to tell$/m);
    expect(cli.stdout).toMatch(/^\(left out at this width: Max mem \(MB\), Billed p50 \(ms\)/m);
    expect(cli.stdout).not.toMatch(/\*\*|x86\\_64|^\|/m);
    // a pipe, not a terminal: every sample's line is in the log
    expect(cli.stderr).toMatch(/cli-node · 128 MB · 1\/3 · cold · init \d+\.\d ms/);
    expect(cli.stdout).toContain(`speed.csv: ${join(work, 'out', 'speed.csv')}`);
    for (const f of ['results.json', 'report.md', 'boxplot.svg']) expect(cli.stdout).toContain(join(work, 'out', f));
    const fns = emuCli.state().functions;
    expect(fns['cli-node']!.MemorySize).toBe(512);
    expect(fns['cli-node']!.Environment?.Variables).toEqual({ API_KEY: SECRET });
    expect(fns['cli-go']!.MemorySize).toBe(128);
    const written = ['speed.csv', 'results.json', 'report.md', 'boxplot.svg'].map((f) => readFileSync(join(work, 'out', f), 'utf8'));
    expect([cli.stdout, cli.stderr, ...written].join('\n')).not.toContain(SECRET);
    expectValidResults(JSON.parse(written[1]!));
    expectValidResults(JSON.parse(readFileSync(action.outputs['json']!, 'utf8')));
  });
});

describe('lambda-coldstart help, usage errors and exit codes', () => {
  it('--help of each command: exit 0 and its usage', async () => {
    const cases: [string[], RegExp][] = [
      [['--help'], /^lambda-coldstart .* — measure AWS Lambda cold starts/],
      [['measure', '--help'], /^Usage: lambda-coldstart measure --functions NAMES/],
      [['report', '--help'], /^Usage: lambda-coldstart report FILE\.\.\./],
      [['compare', '--help'], /^Usage: lambda-coldstart compare BASE HEAD/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args, { cwd: work })));
    results.forEach((r, i) => {
      const [args, usage] = cases[i]!;
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toMatch(usage);
      expect(r.stderr, args.join(' ')).toBe('');
    });
    expect(results[0]!.stdout).toMatch(/Exit codes: 0 success, 1 the run failed, 2 bad usage or input, 3 significant regression/);
  });

  it('a bad flag value (--memory 64): exit 2 with the same message as the action’s ::error::', async () => {
    const [r, step] = await Promise.all([
      runCli(['measure', '--functions', 'cli-node', '--memory', '64'], { cwd: work }),
      runMain(createJob({ inputs: { functions: 'cli-node', memory: '64', 'artifact-name': '', comment: 'false' } })),
    ]);
    expect(r.code).toBe(2);
    expect(step.code).toBe(1);
    const errors = annotations(step.stdout, 'error');
    expect(errors).toEqual(['memory: "64" is not allowed; use a whole number from 128 to 10240 (MB)']);
    expect(r.stderr.trim()).toBe(`error: ${errors[0]}`);
    expect(r.stdout).toBe('');
  });

  it('a function that does not exist: exit 1 (the run failed), naming it, nothing changed', async () => {
    const before = emuCli.state().calls.filter((c) => c.operation === 'UpdateFunctionConfiguration').length;
    const r = await runCli(['measure', '--functions', 'cli-node,no-such-fn', '--repetitions', '1', '--out', 'missing'], {
      cwd: work,
      env: { AWS_ENDPOINT_URL: emuCli.url },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: Preflight found 1 problem; nothing was changed:\n.*no-such-fn/);
    expect(emuCli.state().calls.filter((c) => c.operation === 'UpdateFunctionConfiguration')).toHaveLength(before);
  });

  it('an unknown flag or command: exit 2', async () => {
    const [flag, command] = await Promise.all([
      runCli(['measure', '--functions', 'x', '--memroy', '128'], { cwd: work }),
      runCli(['mesure'], { cwd: work }),
    ]);
    expect(flag.code).toBe(2);
    expect(flag.stderr.trim()).toBe('error: unknown option --memroy; did you mean --memory? (--help lists the options)');
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/unknown command "mesure"; did you mean measure\?/);
  });

  it('a malformed region is a usage error (exit 2) before anything is called', async () => {
    const r = await runCli(['measure', '--functions', 'cli-node', '--region', 'eu-west'], {
      cwd: work,
      env: { AWS_ENDPOINT_URL: emuCli.url },
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('error: --region: "eu-west" is not an AWS region; use a name such as eu-west-1');
  });
});

describe('lambda-coldstart report', () => {
  it('re-renders the 2023 study’s speed.csv and names hello-runtime-al2 fastest', async () => {
    const r = await runCli(['report', SEED_CSV], { cwd: work });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^hello-runtime-al2 cold-starts fastest at 128 MB \(median init 50\.1 ms\)/);
    for (const fn of ['hello-runtime-go', 'hello-py311', 'hello-node']) expect(r.stdout).toMatch(new RegExp(`^${fn} +10 `, 'm'));
    // a pipe gets 100 columns
    expect(Math.max(...r.stdout.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(100);
    const md = await runCli(['report', SEED_CSV, '--markdown'], { cwd: work });
    expect(md.stdout).toMatch(/^## Lambda cold starts\n\n\*\*hello-runtime-al2\*\* cold-starts fastest/);
  });

  it('with --out writes the four files, from the action’s results.json as well', async () => {
    const r = await runCli(['report', action.outputs['json']!, '--out', 'rerendered'], { cwd: work });
    expect(r.code).toBe(0);
    const csv = readFileSync(join(work, 'rerendered', 'speed.csv'), 'utf8');
    // Re-rendering is lossless: the same speed.csv as the run that produced the results.json.
    expect(csv).toBe(readFileSync(action.outputs['csv']!, 'utf8'));
  });
});

describe('lambda-coldstart compare', () => {
  /** A study-format speed.csv of n cold starts per function with init ≈ mean (deterministic spread). */
  function studyCsv(name: string, means: Record<string, number>, n = 10): string {
    const rows = ['Name;Memory;Init;Cold;Billed'];
    for (const [fn, mean] of Object.entries(means)) {
      for (let i = 0; i < n; i++) {
        const init = (mean * (1 + ((i * 7) % n) / (n * 25) - 0.02)).toFixed(2);
        rows.push(`${fn};128;${init};2.5;3`);
      }
    }
    const file = join(work, name);
    writeFileSync(file, `${rows.join('\n')}\n`);
    return file;
  }

  it('a significant +40 % regression beyond --fail-on-regression 15%: exit 3; the table shows it', async () => {
    const base = studyCsv('base.csv', { 'svc-a': 100, 'svc-b': 50 });
    const head = studyCsv('head-slow.csv', { 'svc-a': 140, 'svc-b': 50 });
    const [gated, ungated] = await Promise.all([
      runCli(['compare', base, head, '--fail-on-regression', '15%'], { cwd: work }),
      runCli(['compare', base, head], { cwd: work }),
    ]);
    expect(gated.code).toBe(3);
    expect(gated.stderr.trim()).toBe('1 significant regression(s) beyond 15%');
    const row = gated.stdout.split('\n').find((l) => l.startsWith('svc-a '))!;
    expect(row).toMatch(/▲ \+40\.0% .* slower$/);
    expect(gated.stdout.split('\n').find((l) => l.startsWith('svc-b '))).toMatch(/no significant change/);
    expect(gated.stdout.split('\n')[0]).toMatch(`Compared with the file ${base}.`);
    // Without a threshold the gate is off: the same table, exit 0.
    expect(ungated.code).toBe(0);
    expect(ungated.stdout).toBe(gated.stdout);
  });

  it('no regression (the same numbers, or a +10 % change under a 15 % gate): exit 0', async () => {
    const base = studyCsv('base2.csv', { 'svc-a': 100 });
    const [same, small, actionVsCli] = await Promise.all([
      runCli(['compare', base, studyCsv('head-same.csv', { 'svc-a': 100 }), '--fail-on-regression', '15%'], { cwd: work }),
      runCli(['compare', base, studyCsv('head-10.csv', { 'svc-a': 110 }), '--fail-on-regression', '15%'], { cwd: work }),
      // The action's results.json against the CLI's speed.csv of the same seed: identical init values.
      runCli(['compare', action.outputs['json']!, join(work, 'out', 'speed.csv'), '--fail-on-regression', '15%'], { cwd: work }),
    ]);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/= \+0\.0%.*no significant change/);
    expect(small.code).toBe(0);
    // two files are two runs: +10 % lies within the day-to-day allowance (±5 % a day by default)
    expect(small.stdout).toMatch(/= \+10\.0% .* no significant change$/m);
    expect(small.stderr).toBe('');
    expect(actionVsCli.code).toBe(0);
    const rows = actionVsCli.stdout.split('\n').filter((l) => /^cli-/.test(l));
    expect(rows).toHaveLength(4);
    // 3 cold starts against 3: no test could reach p < 0.05, so the CLI says so instead of "no significant change"
    for (const r of rows) expect(r).toMatch(/\? \+0\.0%.*too few to tell/);
  });

  it('a bad --fail-on-regression value, a missing or an invalid file: exit 2 (bad input) with the reason', async () => {
    const base = studyCsv('base3.csv', { 'svc-a': 100 });
    writeFileSync(join(work, 'not-results.json'), '{"hello": 1}');
    const [badGate, missing, invalid, reportMissing] = await Promise.all([
      runCli(['compare', base, base, '--fail-on-regression', 'lots'], { cwd: work }),
      runCli(['compare', base, 'nope.csv'], { cwd: work }),
      runCli(['compare', 'not-results.json', base], { cwd: work }),
      runCli(['report', 'nope.csv'], { cwd: work }),
    ]);
    expect(badGate.code).toBe(2);
    expect(badGate.stderr).toMatch(/^error: fail-on-regression: "lots" is not allowed/);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe('error: no such file: nope.csv');
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/^error: not-results\.json: not a valid results\.json: schemaVersion/);
    expect(reportMissing.code).toBe(2);
  });
});
