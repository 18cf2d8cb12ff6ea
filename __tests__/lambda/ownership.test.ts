/**
 * Issue 11 with a mocked Lambda (aws-sdk-client-mock): preflight reads undo records (live → refused, stale → leftover)
 * and says expired credentials once; setConfig never overwrites another run's record; the undo decides by RevisionId and
 * re-decides after a 412; restore from the record alone. Plus the pure helpers of the run (estimate, credential warning,
 * workspace paths, error descriptions).
 */
import { GetFunctionCommand, InvokeCommand, LambdaClient, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CancelledError, CredentialsError, OwnershipError, PreflightError, describeError } from '../../src/core/errors.js';
import { conditionalUpdate, invokeOnce, setConfig } from '../../src/lambda/cycle.js';
import { decodeMarker, encodeMarker, type UndoRecord } from '../../src/lambda/undo/record.js';
import type { CheckWriter } from '../../src/lambda/undo/liveness.js';
import { preflight } from '../../src/lambda/preflight.js';
import { restoreFromRecord } from '../../src/lambda/undo/restore.js';
import { restoreLine } from '../../src/lambda/undo/messages.js';
import type { UndoEntry } from '../../src/lambda/undo/state.js';
import { undoFunction } from '../../src/lambda/undo/apply.js';
import { credentialWarning, estimateRunSec, plannedUpdates } from '../../src/run/estimate.js';
import { workspaceProblems } from '../../src/action/workspace.js';

const lambdaMock = mockClient(LambdaClient);
beforeEach(() => lambdaMock.reset());

const NOW = 1_764_480_000_000;
const ME = 'cli:laptop:aaaaaa';
const OTHER = 'https://github.com/o/r/actions/runs/9/attempts/1#bbbbbb';
const lambda = () => new LambdaClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const record = (over: Partial<UndoRecord> = {}): UndoRecord => ({
  nonce: 'n1',
  restoreMemory: 256,
  setMemory: 1024,
  updatedAt: NOW - 10_000,
  runId: OTHER,
  ...over,
});
const cfg = (over: Record<string, unknown> = {}, vars: Record<string, string> = { SECRET: 'hunter2-value' }) => ({
  FunctionName: 'f',
  FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f',
  MemorySize: 1024,
  RevisionId: 'r1',
  State: 'Active',
  LastUpdateStatus: 'Successful',
  Timeout: 3,
  Environment: { Variables: vars },
  ...over,
});
const serviceError = (name: string, status: number) =>
  Object.assign(new Error('the service said no'), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
const logger = { info: () => undefined, warning: () => undefined, notice: () => undefined, group: () => undefined };
const clock = () => {
  let t = NOW;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
};

describe('preflight reads the undo record and judges its run', () => {
  const at = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000'); // Lambda's LastModified form
  const inProgress: CheckWriter = async () => ({ by: 'github', run: 'workflow run 9 (attempt 1)', completed: false });
  const opts = { runId: ME, updateTimeoutSec: 300, now: () => NOW, region: 'eu-west-1' };

  it('a live record of another run: refused, naming the run, the check that decided, and the fix as it runs', async () => {
    lambdaMock.on(GetFunctionCommand).resolves({
      Configuration: cfg({ LastModified: at(NOW - 10_000) }, { SECRET: 'x', COLDSTART_NONCE: encodeMarker(record()) }),
    } as never);
    const err = await preflight(lambda(), ['f'], { ...opts, checkWriter: inProgress }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PreflightError);
    expect((err as PreflightError).problems).toEqual([
      `f: run ${OTHER} is changing this function (GitHub says workflow run 9 (attempt 1) is still in progress, and its last update was 10 s ago by Lambda's clock (a run may go 363 s between updates)), so this run left it alone; give the workflows that measure it one concurrency group (\`concurrency:\` in the workflow), or wait until that run has finished (if it died, \`lambda-coldstart restore --functions f --region eu-west-1 --force\` puts the function back now)`,
    ]);
  });

  it("the age is Lambda's (LastModified): a writer whose clock is 10 minutes behind is not taken for dead", async () => {
    const skewed = record({ updatedAt: NOW - 600_000 }); // the time its own clock wrote
    lambdaMock
      .on(GetFunctionCommand)
      .resolves({ Configuration: cfg({ LastModified: at(NOW - 5_000) }, { COLDSTART_NONCE: encodeMarker(skewed) }) } as never);
    const err = await preflight(lambda(), ['f'], opts).catch((e: unknown) => e);
    expect((err as PreflightError).problems[0]).toMatch(
      /could not check the run: no check of the run was set up, and its last update was 5 s ago by Lambda's clock/,
    );
  });

  it('stale at once when the check says its run is over (process ended, workflow run completed); by the window otherwise', async () => {
    const fresh = cfg({ LastModified: at(NOW - 2_000) }, { COLDSTART_NONCE: encodeMarker(record()) });
    lambdaMock.on(GetFunctionCommand).resolves({ Configuration: fresh } as never);
    const completed: CheckWriter = async () => ({ by: 'github', run: 'workflow run 9 (attempt 1)', completed: true });
    const [t] = await preflight(lambda(), ['f'], { ...opts, checkWriter: completed });
    expect(t!.leftover).toEqual(record());
    expect(t!.leftoverReason).toBe('GitHub says workflow run 9 (attempt 1) has completed');
    const ended: CheckWriter = async () => ({ by: 'process', pid: 4242, running: false });
    const [p] = await preflight(lambda(), ['f'], { ...opts, checkWriter: ended });
    expect(p!.leftoverReason).toBe('its process 4242 on this machine has ended');

    const old = cfg({ LastModified: at(NOW - (300 + 3 + 61) * 1000) }, { COLDSTART_NONCE: encodeMarker(record()) });
    lambdaMock.on(GetFunctionCommand).resolves({ Configuration: old } as never);
    const [w] = await preflight(lambda(), ['f'], { ...opts, checkWriter: inProgress });
    expect(w!.leftoverReason).toMatch(/nothing has updated the function for 364 s by Lambda's clock/);
  });

  it('a record left on purpose (restore: false) holds the true original: refused, naming the run and both ways out', async () => {
    lambdaMock.on(GetFunctionCommand).resolves({
      Configuration: cfg({}, { COLDSTART_NONCE: encodeMarker(record({ kept: true, updatedAt: NOW - 86_400_000 })) }),
    } as never);
    const err = await preflight(lambda(), ['f'], opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PreflightError);
    expect((err as PreflightError).problems).toEqual([
      `f: carries the undo record run ${OTHER} left on purpose (restore: false), which holds its original memory (256 MB): run \`lambda-coldstart restore --functions f --region eu-west-1\` (or the action with mode: restore) first, or measure it as it is by removing COLDSTART_NONCE from its environment variables`,
    ]);
  });

  it('a value that is no record of this tool: refused once, left alone, never shown', async () => {
    const injected = `n=x;m=256;t=1764480000;r=${OTHER}\n::error::pwned\n::add-mask::hunter2`;
    lambdaMock.on(GetFunctionCommand).resolves({ Configuration: cfg({}, { COLDSTART_NONCE: injected }) } as never);
    const err = await preflight(lambda(), ['f'], opts).catch((e: unknown) => e);
    expect((err as PreflightError).problems).toEqual([
      "f: its COLDSTART_NONCE variable holds a value that is not an undo record of lambda-coldstart (not shown), so this tool leaves it alone; check the function's variables and remove COLDSTART_NONCE if nobody needs it, then run again",
    ]);
    expect((err as Error).message).not.toMatch(/pwned|hunter2|::/);
  });

  it('expired credentials: one CredentialsError for the run, not a line per function, not "permissions"', async () => {
    lambdaMock.on(GetFunctionCommand).rejects(serviceError('ExpiredTokenException', 403));
    const err = await preflight(lambda(), ['f', 'g', 'h']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CredentialsError);
    expect((err as Error).message).toMatch(
      /^AWS rejected the credentials \(ExpiredTokenException: the service said no\): they are expired or invalid/,
    );
    expect((err as Error).message).not.toMatch(/permission|f:|g:/);
    expect((err as Error).cause).toBeDefined();
  });

  it('no room for the record in the 4 KB: refused, saying how much the record needs', async () => {
    const vars = { BIG: 'x'.repeat(4096 - 10 - 100) }; // JSON {"BIG":"…"} = 3996 bytes: 100 left
    lambdaMock.on(GetFunctionCommand).resolves({ Configuration: cfg({}, vars) } as never);
    const err = await preflight(lambda(), ['f'], { runId: OTHER }).catch((e: unknown) => e);
    expect((err as PreflightError).problems[0]).toMatch(
      /^f: its environment variables use 3996 of 4096 bytes; no room to add COLDSTART_NONCE \(its undo record needs up to \d+ bytes\)$/,
    );
  });
});

describe('setConfig never overwrites another run’s record', () => {
  it('a 412, then the re-read shows another run: OwnershipError, nothing written', async () => {
    lambdaMock.on(UpdateFunctionConfigurationCommand).rejects(serviceError('PreconditionFailedException', 412));
    lambdaMock
      .on(GetFunctionCommand)
      .resolves({ Configuration: cfg({ RevisionId: 'r2' }, { COLDSTART_NONCE: encodeMarker(record({ updatedAt: NOW })) }) } as never);
    const err = await setConfig({ lambda: lambda(), runId: ME, ...clock() }, 'f', {
      memory: 512,
      nonce: 'n9',
      restoreMemory: 256,
      current: cfg({ MemorySize: 256, RevisionId: 'r0' }) as never,
      deadlineMs: NOW + 60_000,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OwnershipError);
    expect(lambdaMock.commandCalls(UpdateFunctionConfigurationCommand)).toHaveLength(1);
  });

  it('writes the record: original memory, the size set, the time, the run', async () => {
    lambdaMock.on(UpdateFunctionConfigurationCommand).resolves(cfg({ RevisionId: 'r5' }) as never);
    const r = await setConfig({ lambda: lambda(), runId: ME, ...clock() }, 'f', {
      memory: 512,
      nonce: 'n9',
      restoreMemory: 256,
      current: cfg({ MemorySize: 256, RevisionId: 'r0' }) as never,
      deadlineMs: NOW + 60_000,
    });
    expect(r.revisionId).toBe('r5');
    const sent = lambdaMock.commandCalls(UpdateFunctionConfigurationCommand)[0]!.args[0].input;
    expect(sent.RevisionId).toBe('r0');
    expect(decodeMarker(sent.Environment!.Variables!['COLDSTART_NONCE']!)).toEqual({
      record: {
        nonce: 'n9',
        restoreMemory: 256,
        setMemory: 512,
        updatedAt: NOW,
        runId: ME,
      },
    });
  });
});

describe('the undo decides by revision, and again after a 412', () => {
  const entry: UndoEntry = { functionName: 'f', originalMemory: 256, hadEnvironment: true, ourMemory: 1024, ourRevisions: ['r1'] };
  const mine = encodeMarker(record({ runId: ME }));

  it('ours when read, a person’s change (memory 512, one of the run’s sizes) by the time we write: 412 → re-read → kept', async () => {
    lambdaMock
      .on(GetFunctionCommand)
      .resolvesOnce({ Configuration: cfg({}, { A: '1', COLDSTART_NONCE: mine }) } as never)
      .resolvesOnce({ Configuration: cfg({ MemorySize: 512, RevisionId: 'person' }, { A: '1', COLDSTART_NONCE: mine }) } as never)
      .resolves({ Configuration: cfg({ MemorySize: 512, RevisionId: 'r9' }, { A: '1' }) } as never);
    lambdaMock
      .on(UpdateFunctionConfigurationCommand)
      .rejectsOnce(serviceError('PreconditionFailedException', 412))
      .resolves(cfg({ MemorySize: 512, RevisionId: 'r9' }) as never);
    const out = await undoFunction({ lambda: lambda(), log: logger, ...clock() }, 'f', entry, { runId: ME });
    expect(out).toEqual({ kind: 'kept-theirs' });
    const sent = lambdaMock.commandCalls(UpdateFunctionConfigurationCommand).map((c) => c.args[0].input);
    expect(sent[0]).toEqual({ FunctionName: 'f', RevisionId: 'r1', MemorySize: 256, Environment: { Variables: { A: '1' } } });
    expect(sent[1]).toEqual({ FunctionName: 'f', RevisionId: 'person', Environment: { Variables: { A: '1' } } });
  });

  it('restore from the record alone (no saved state) says what it did', async () => {
    const dead = encodeMarker(record({ runId: ME, updatedAt: NOW - 3_600_000 })); // its run died an hour ago
    lambdaMock
      .on(GetFunctionCommand)
      .resolvesOnce({ Configuration: cfg({}, { A: '1', COLDSTART_NONCE: dead }) } as never)
      .resolvesOnce({ Configuration: cfg({}, { A: '1', COLDSTART_NONCE: dead }) } as never)
      .resolves({ Configuration: cfg({ MemorySize: 256, RevisionId: 'r7' }, { A: '1' }) } as never);
    lambdaMock.on(UpdateFunctionConfigurationCommand).resolves(cfg({ MemorySize: 256, RevisionId: 'r7' }) as never);
    const r = await restoreFromRecord({ lambda: lambda(), log: logger, ...clock() }, 'f');
    expect(restoreLine(r)).toBe(
      `f: restored from the undo record of run ${ME} (could not check the run: no check of the run was set up, and nothing has updated the function for 3600 s by Lambda's clock (more than the 363 s a run goes between updates)): memory 256 MB, COLDSTART_NONCE removed`,
    );
    expect(lambdaMock.commandCalls(UpdateFunctionConfigurationCommand)[0]!.args[0].input.MemorySize).toBe(256);
  });

  it('a record its run updated seconds ago: left alone, saying so (nothing written); --force or the run’s own post step restore it', async () => {
    const live = encodeMarker(record({ runId: ME, updatedAt: NOW - 10_000 }));
    lambdaMock.on(GetFunctionCommand).resolves({ Configuration: cfg({}, { A: '1', COLDSTART_NONCE: live }) } as never);
    const running: CheckWriter = async () => ({ by: 'process', pid: 77, running: true });
    const r = await restoreFromRecord({ lambda: lambda(), log: logger, ...clock() }, 'f', { checkWriter: running, region: 'eu-west-1' });
    expect(r.outcome).toBe('live');
    expect(restoreLine(r, 'eu-west-1')).toBe(
      `f: run ${ME} may still be changing it (its process 77 on this machine is running); left alone: wait for that run to finish (it restores the function itself), or force the restore with \`lambda-coldstart restore --functions f --region eu-west-1 --force\``,
    );
    expect(lambdaMock.commandCalls(UpdateFunctionConfigurationCommand)).toHaveLength(0);

    lambdaMock.on(UpdateFunctionConfigurationCommand).callsFake(() => {
      lambdaMock.on(GetFunctionCommand).resolves({ Configuration: cfg({ MemorySize: 256, RevisionId: 'r7' }, { A: '1' }) } as never);
      return cfg({ MemorySize: 256, RevisionId: 'r7' });
    });
    const forced = await restoreFromRecord({ lambda: lambda(), log: logger, ...clock() }, 'f', { force: true });
    expect(forced.outcome).toBe('restored');
    expect(lambdaMock.commandCalls(UpdateFunctionConfigurationCommand)[0]!.args[0].input.MemorySize).toBe(256);

    lambdaMock.on(GetFunctionCommand).resolves({ Configuration: cfg({}, { A: '1', COLDSTART_NONCE: live }) } as never);
    const post = await restoreFromRecord({ lambda: lambda(), log: logger, ...clock() }, 'f', { owned: (rec) => rec.runId === ME });
    expect(post.outcome).toBe('restored');
  });

  it('a value that is no record of this tool (a bare nonce, injected lines) is left alone by everyone', async () => {
    lambdaMock.on(GetFunctionCommand).resolves({ Configuration: cfg({}, { A: '1', COLDSTART_NONCE: 'bare-nonce\n::error::x' }) } as never);
    const post = await restoreFromRecord({ lambda: lambda(), log: logger, ...clock() }, 'f', { owned: () => true });
    expect(post.outcome).toBe('not-a-record');
    const forced = await restoreFromRecord({ lambda: lambda(), log: logger, ...clock() }, 'f', { force: true });
    expect(forced.outcome).toBe('not-a-record');
    expect(restoreLine(forced)).not.toContain('::');
    expect(lambdaMock.commandCalls(UpdateFunctionConfigurationCommand)).toHaveLength(0);
  });

  it('the post step (runs of this attempt only) leaves another run’s record alone', async () => {
    lambdaMock.on(GetFunctionCommand).resolves({ Configuration: cfg({}, { COLDSTART_NONCE: mine }) } as never);
    const r = await restoreFromRecord({ lambda: lambda(), log: logger, ...clock() }, 'f', {
      owned: (rec) => rec.runId.startsWith('https://'),
    });
    expect(r.outcome).toBe('not-owned');
    expect(lambdaMock.commandCalls(UpdateFunctionConfigurationCommand)).toHaveLength(0);
  });
});

describe('before a run: its duration and the credentials', () => {
  const base = { functions: ['a', 'b', 'c', 'd', 'e'], memory: [128, 1024], repetitions: 30, burstSize: null, concurrency: 4 };
  it('estimates updates per function and waves of functions', () => {
    expect(plannedUpdates({ ...base, strategy: 'sequential' })).toBe(60);
    expect(plannedUpdates({ ...base, strategy: 'burst' })).toBe(2);
    expect(plannedUpdates({ ...base, strategy: 'compare' })).toBe(62);
    expect(estimateRunSec({ ...base, strategy: 'sequential' })).toBe(2 * 60 * 8 + 8); // two waves, then the last undo
  });
  it('warns when the run may outlast the credentials, naming role-duration-seconds', () => {
    expect(credentialWarning(3000, { temporary: true })).toBeUndefined();
    expect(credentialWarning(5000, { temporary: false })).toBeUndefined(); // long-term keys do not expire
    expect(credentialWarning(5000, { temporary: true })).toMatch(
      /^this run may take about 83 min and credentials from an assumed role last 1 h by default: .*role-duration-seconds of aws-actions\/configure-aws-credentials/,
    );
    expect(credentialWarning(1000, { temporary: true, expiresInSec: 600 })).toMatch(/the credentials expire in 10 min/);
  });
});

describe('paths and error descriptions', () => {
  const roots = { workspace: '/home/runner/work/r/r', temp: '/home/runner/work/_temp' };
  it('output-dir and baseline must stay in the workspace (or the runner temp folder)', () => {
    expect(workspaceProblems({ outputDir: 'coldstart', baseline: 'base/results.json', mode: 'measure' }, roots)).toEqual([]);
    expect(workspaceProblems({ outputDir: '/home/runner/work/_temp/out', baseline: '', mode: 'measure' }, roots)).toEqual([]);
    expect(workspaceProblems({ outputDir: '../x', baseline: '/proc/self/environ', mode: 'measure' }, roots)).toEqual([
      'output-dir: "../x" is outside the workspace (/home/runner/work/r/r or the runner\'s temp folder /home/runner/work/_temp); give a path inside it',
      'baseline: "/proc/self/environ" is outside the workspace (/home/runner/work/r/r or the runner\'s temp folder /home/runner/work/_temp); give a path inside it',
    ]);
    expect(workspaceProblems({ outputDir: 'coldstart', baseline: 'auto', mode: 'measure' }, roots)).toEqual([]);
    expect(workspaceProblems({ outputDir: '/r/rx', baseline: '', mode: 'measure' }, { workspace: '/r/r' })).toHaveLength(1);
  });
  it('credential errors are said as credentials, permissions as permissions', () => {
    expect(describeError(serviceError('InvalidClientTokenId', 403)).message).toMatch(
      /^AWS rejected the credentials \(InvalidClientTokenId/,
    );
    expect(describeError(serviceError('UnrecognizedClientException', 403)).message).toMatch(/^AWS rejected the credentials/);
    expect(
      describeError(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }))
        .message,
    ).toMatch(/^no AWS credentials found/);
    expect(describeError(serviceError('AccessDeniedException', 403)).message).toMatch(
      /^AWS refused the request \(AccessDeniedException\).*IAM policy/,
    );
  });
});

describe('invoke', () => {
  const report = (id: string, init = '\tInit Duration: 150.00 ms') =>
    `REPORT RequestId: ${id}\tDuration: 2.00 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB${init}\t\n`;
  const tail = (text: string) => Buffer.from(text).toString('base64');

  it('a REPORT counts only with the invoke’s own request id, never another line of the tail', async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, LogResult: tail(report('someone-else')), $metadata: { requestId: 'mine' } });
    const other = await invokeOnce({ lambda: lambda(), now: () => NOW }, 'f', '{}');
    expect(other.report).toBeUndefined();
    lambdaMock
      .on(InvokeCommand)
      .resolves({ StatusCode: 200, LogResult: tail(report('someone-else') + report('mine', '')), $metadata: { requestId: 'mine' } });
    const own = await invokeOnce({ lambda: lambda(), now: () => NOW }, 'f', '{}');
    expect(own.report).toMatchObject({ requestId: 'mine' });
    expect(own.report?.initDurationMs).toBeUndefined(); // its own (warm) line, not the other's cold one
  });

  it('a cancelled run aborts the invoke in flight (the signal is handed to the SDK)', async () => {
    const controller = new AbortController();
    // A client whose invoke never returns unless aborted — as the SDK does with { abortSignal }.
    const hanging = {
      send: (_cmd: unknown, opts?: { abortSignal?: AbortSignal }) =>
        new Promise((_, reject) =>
          opts?.abortSignal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))),
        ),
    } as unknown as LambdaClient;
    const pending = invokeOnce({ lambda: hanging, now: () => NOW, signal: controller.signal }, 'f', '{}');
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('conditionalUpdate: the one 412 / 409 loop', () => {
  it('409 → waits for the other update, 412 → re-reads, each time building from the freshest configuration', async () => {
    lambdaMock
      .on(GetFunctionCommand)
      .resolvesOnce({ Configuration: cfg({ RevisionId: 'after-409' }) } as never)
      .resolves({ Configuration: cfg({ RevisionId: 'after-412' }) } as never);
    lambdaMock
      .on(UpdateFunctionConfigurationCommand)
      .rejectsOnce(serviceError('ResourceConflictException', 409))
      .rejectsOnce(serviceError('PreconditionFailedException', 412))
      .resolves(cfg({ RevisionId: 'mine' }) as never);
    const built: string[] = [];
    const r = await conditionalUpdate({ lambda: lambda(), ...clock() }, 'f', {
      deadlineMs: NOW + 60_000,
      current: cfg({ RevisionId: 'start' }) as never,
      build: (c) => {
        built.push(c.RevisionId!);
        return { FunctionName: 'f', RevisionId: c.RevisionId! };
      },
      failed: (e) => new Error('failed', { cause: e }),
    });
    expect(built).toEqual(['start', 'after-409', 'after-412']);
    expect(r).toMatchObject({ sent: true, conflicts: 1, preconditionFailures: 1, config: { RevisionId: 'mine' } });
  });
});
