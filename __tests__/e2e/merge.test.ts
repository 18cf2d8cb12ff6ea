/**
 * Issue 7, matrix scale-out, end to end: three shards of one workflow run (same GITHUB_RUN_ID and runtime-token run,
 * different jobs) each run the bundled action with their own `artifact-name` and `comment: false` — one of them in
 * another region, against a second emulator that is that region — then a final job runs `mode: merge` and
 * publishes one summary, one PR comment and one merged artifact.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator, FunctionSpec } from '../../emulator/types.js';
import { startFakeGitHub, type FakeGitHub, type FakeRun } from '../fakes/github-server.js';
import { expectValidResults } from '../helpers/validate-results.js';
import { annotations, runMain, type StepResult } from '../../scripts/local-runner.js';
import type { RunResults } from '../../src/results/model.js';
import { OWNER, REPO, SECRET, artifactOf, jobTexts, prEvent, startSmallEmulator, workflowJob } from './harness.js';

const PR = 31;
const SHA = 'abcdef0000000000000000000000000000000031';

const synthetic = (mean: number) => ({ initMs: { mean, sd: mean * 0.05 }, durationMs: { mean: 2, sd: 0.3 }, maxMemoryMb: 40 });
const US: FunctionSpec[] = [
  { name: 'alpha-node', runtime: 'nodejs20.x', memory: 256, environment: { API_KEY: SECRET }, synthetic: synthetic(150) },
  { name: 'beta-python', runtime: 'python3.12', memory: 256, synthetic: synthetic(110) },
];
const EU: FunctionSpec[] = [{ name: 'gamma-go', runtime: 'provided.al2023', memory: 128, synthetic: synthetic(45) }];

/** The matrix: shard → its function, region and emulator. */
const SHARDS = [
  { id: 'a', fn: 'alpha-node', region: 'us-east-1' },
  { id: 'b', fn: 'beta-python', region: 'us-east-1' },
  { id: 'c', fn: 'gamma-go', region: 'eu-west-1' },
] as const;

/** stderr without the DEP0005 warning of @actions/artifact's unzip-stream dependency (see baseline.test.ts). */
const ownStderr = (stderr: string) =>
  stderr.replace(/^\(node:\d+\) \[DEP0005\] DeprecationWarning: Buffer\(\) is deprecated.*\n(\(Use `node --trace-deprecation.*\n)?/gm, '');

const rowsOf = (csv: string) => csv.trim().split('\n').slice(1);

let gh: FakeGitHub;
let us: Emulator;
let eu: Emulator;
let run: FakeRun;
const shardSteps = new Map<string, StepResult>();

beforeAll(async () => {
  gh = await startFakeGitHub({ owner: OWNER, repo: REPO, modes: { token: 'installation' } });
  gh.addPull({ number: PR, headSha: SHA });
  run = gh.addRun({ id: 7300, branch: 'feature', headSha: SHA, event: 'pull_request', status: 'in_progress', conclusion: null });
  [us, eu] = await Promise.all([startSmallEmulator(US, { seed: 3 }), startSmallEmulator(EU, { seed: 3, region: 'eu-west-1' })]);
  // The three shard jobs run at the same time, as a matrix does.
  await Promise.all(
    SHARDS.map(async (s) => {
      const j = workflowJob({
        gh,
        run,
        job: `measure-${s.id}`,
        event: prEvent(PR, SHA),
        emu: s.region === 'eu-west-1' ? eu : us,
        env: { AWS_REGION: s.region },
        inputs: {
          functions: s.fn,
          memory: '128',
          repetitions: '3',
          'report-source': 'tail',
          'artifact-name': `coldstart-${s.id}`,
          comment: 'false',
        },
      });
      const step = await runMain(j);
      expect(jobTexts(j, step.stdout, step.stderr)).not.toContain(SECRET);
      shardSteps.set(s.id, step);
    }),
  );
});
afterAll(async () => {
  await Promise.all([us?.close(), eu?.close()]);
  await gh?.close();
});

describe('a three-shard matrix', () => {
  it('each shard measured its own function, uploaded its own artifact and commented nothing', () => {
    for (const s of SHARDS) {
      const step = shardSteps.get(s.id)!;
      expect(step.stderr, s.id).toBe('');
      expect(annotations(step.stdout, 'error'), s.id).toEqual([]);
      expect(step.code, s.id).toBe(0);
      const files = artifactOf(gh, run, `coldstart-${s.id}`);
      expect(files?.['speed.csv'], s.id).toBe(readFileSync(step.outputs['csv']!, 'utf8'));
      expect(
        rowsOf(files!['speed.csv']!).map((r) => r.split(';')[0]),
        s.id,
      ).toEqual([s.fn, s.fn, s.fn]);
      const results = JSON.parse(files!['results.json']!) as RunResults;
      expect(results.run.region, s.id).toBe(s.region);
      expect(results.functions[0]!.arn, s.id).toContain(`:lambda:${s.region}:`);
    }
    expect(gh.commentsOf(PR)).toEqual([]);
  });

  it('mode: merge (no functions, no AWS) → one summary, ONE comment, one merged artifact holding every shard', async () => {
    const j = workflowJob({
      gh,
      run,
      job: 'merge',
      event: prEvent(PR, SHA),
      // No AWS_ENDPOINT_URL: merging reads artifacts only (an AWS call would fail against the real endpoint).
      inputs: { mode: 'merge', functions: '', 'artifact-name': 'coldstart' },
    });
    const step = await runMain(j);
    expect(ownStderr(step.stderr)).toBe('');
    expect(annotations(step.stdout, 'error')).toEqual([]);
    expect(annotations(step.stdout, 'warning')).toEqual([]);
    expect(step.code).toBe(0);
    expect(step.stdout).toContain('Merging 3 shard(s): coldstart-a, coldstart-b, coldstart-c');

    // One merged artifact, named by the merge job's artifact-name.
    const merged = artifactOf(gh, run, 'coldstart');
    expect(Object.keys(merged ?? {}).sort()).toEqual(['boxplot.svg', 'report.md', 'results.json', 'speed.csv']);
    expect(
      gh.state.artifactList
        .filter((a) => a.runBackendId === run.backendId)
        .map((a) => a.name)
        .sort(),
    ).toEqual(['coldstart', 'coldstart-a', 'coldstart-b', 'coldstart-c']);

    // results.json: every function with its shard and region; valid; statistics for each.
    const results = JSON.parse(merged!['results.json']!) as RunResults;
    expectValidResults(results);
    expect(merged!['results.json']).toBe(readFileSync(step.outputs['json']!, 'utf8'));
    expect(results.functions.map((f) => [f.name, f.shard, f.region])).toEqual(SHARDS.map((s) => [s.fn, `coldstart-${s.id}`, s.region]));
    expect(results.run.region.split(', ').sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(results.statistics.map((s) => [s.function, s.memory, s.init.n]).sort()).toEqual([
      ['alpha-node', 128, 3],
      ['beta-python', 128, 3],
      ['gamma-go', 128, 3],
    ]);

    // speed.csv: every cold row of the three shards, unchanged; the same header.
    const shardCsvs = SHARDS.map((s) => artifactOf(gh, run, `coldstart-${s.id}`)!['speed.csv']!);
    const csv = merged!['speed.csv']!;
    expect(csv.split('\n')[0]).toBe(shardCsvs[0]!.split('\n')[0]);
    expect(rowsOf(csv).sort()).toEqual(shardCsvs.flatMap(rowsOf).sort());
    expect(rowsOf(csv)).toHaveLength(9);

    // One summary and exactly one comment, naming all three functions; the outputs describe the merged run.
    for (const md of [step.summary, gh.commentsOf(PR)[0]?.body ?? '']) {
      for (const s of SHARDS) expect(md).toContain(s.fn);
    }
    expect(gh.commentsOf(PR)).toHaveLength(1);
    expect(step.outputs['fastest']).toBe(''); // 3 cold starts each: too few to call one fastest
    expect(step.outputs['artifact-url']).toBe(
      `https://github.com/${OWNER}/${REPO}/actions/runs/${run.id}/artifacts/${gh.state.artifactList.find((a) => a.runBackendId === run.backendId && a.name === 'coldstart')!.id}`,
    );
    expect(jobTexts(j, step.stdout, step.stderr)).not.toContain(SECRET);
  });

  it('re-running the merge job (attempts 2 and 3) merges the same three shards, never an earlier merged artifact', async () => {
    for (const attempt of ['2', '3']) {
      const j = workflowJob({
        gh,
        run,
        job: `merge-attempt-${attempt}`,
        event: prEvent(PR, SHA),
        inputs: { mode: 'merge', functions: '', 'artifact-name': 'coldstart' },
        env: { GITHUB_RUN_ATTEMPT: attempt },
      });
      const step = await runMain(j);
      expect(step.code, `attempt ${attempt}`).toBe(0);
      expect(step.stdout, `attempt ${attempt}`).toContain('Merging 3 shard(s): coldstart-a, coldstart-b, coldstart-c');
      const results = JSON.parse(readFileSync(step.outputs['json']!, 'utf8')) as RunResults;
      expect(results.functions.map((f) => f.name)).toEqual(['alpha-node', 'beta-python', 'gamma-go']);
      expect(results.samples.filter((s) => s.kind === 'cold')).toHaveLength(9);
    }
    // Still one comment (updated in place).
    expect(gh.commentsOf(PR)).toHaveLength(1);
  });

  it('a merge-pattern that matches nothing fails, naming the pattern', async () => {
    const j = workflowJob({
      gh,
      run,
      job: 'merge-typo',
      event: prEvent(PR, SHA),
      inputs: { mode: 'merge', functions: '', 'artifact-name': '', 'merge-pattern': 'coldstrat-*', comment: 'false' },
    });
    const step = await runMain(j);
    expect(step.code).toBe(1);
    expect(annotations(step.stdout, 'error')).toEqual([
      `merge-pattern: no artifact of this run matches "coldstrat-*"; check the shards' artifact-name values`,
    ]);
  });
});
