/**
 * The undo record's grammar (undo/record.ts), the liveness of another run's record (undo/liveness.ts) and the undo's
 * decision by field (undo/decide.ts), pure.
 */
import { describe, expect, it } from 'vitest';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import {
  decodeMarker,
  encodeMarker,
  envBytes,
  markerReserveBytes,
  markerValue,
  parseRunId,
  readMarker,
  RECORD_MAX_LENGTH,
  type UndoRecord,
} from '../../src/lambda/undo/record.js';
import { judgeLiveness, lastUpdateMs, liveWindowMs, parseLastModified } from '../../src/lambda/undo/liveness.js';
import { ENV_LIMIT_BYTES } from '../../src/config/limits.js';
import { decideUndo } from '../../src/lambda/undo/decide.js';
import type { UndoEntry } from '../../src/lambda/undo/state.js';
import { notARecordMessage, restoreLine, undoOutcomeText } from '../../src/lambda/undo/messages.js';

const RUN = 'https://github.com/octo-org/hello-lambdas/actions/runs/4242/attempts/1#a1b2c3';
const CLI = 'cli:laptop.local:0f0f0f';
const record: UndoRecord = {
  nonce: 'mi3k2x-0a1b2c3d4e5f',
  restoreMemory: 256,
  setMemory: 1024,
  updatedAt: 1_764_480_000_000,
  runId: RUN,
};
const decoded = (v: string): UndoRecord | undefined => {
  const d = decodeMarker(v);
  return 'record' in d ? d.record : undefined;
};
const why = (v: string): string | undefined => {
  const d = decodeMarker(v);
  return 'notARecord' in d ? d.notARecord : undefined;
};

describe('the record grammar', () => {
  it('round-trips every field, in the one order', () => {
    expect(decoded(encodeMarker(record))).toEqual(record);
    const cli: UndoRecord = {
      ...record,
      runId: CLI,
      process: { host: '0123456789abcdef', pid: 4242, start: '987654' },
      kept: true,
    };
    const v = encodeMarker(cli);
    expect(v).toBe(`n=mi3k2x-0a1b2c3d4e5f;m=256;s=1024;t=1764480000;r=${CLI};h=0123456789abcdef;p=4242;b=987654;k=1`);
    expect(decoded(v)).toEqual(cli);
    const noSet: UndoRecord = { nonce: 'n', restoreMemory: 128, updatedAt: 1_700_000_000_000, runId: 'lambda-coldstart' };
    expect(decoded(encodeMarker(noSet))).toEqual(noSet);
  });

  it('reads what version 1.0.0 wrote (n;m;[s;]t;r[;k=1]), by workflow and by CLI', () => {
    expect(decoded(`n=mi3k2x-0a1b2c3d4e5f;m=256;s=1024;t=1764480000;r=${RUN}`)).toEqual(record);
    expect(decoded('n=lz1-00ff00ff00ff;m=512;t=1764480000;r=cli:runner-7:abcdef;k=1')).toEqual({
      nonce: 'lz1-00ff00ff00ff',
      restoreMemory: 512,
      updatedAt: 1_764_480_000_000,
      runId: 'cli:runner-7:abcdef',
      kept: true,
    });
  });

  it('anything else is not a record of this tool, with a reason that never quotes the value', () => {
    const injected = `n=x;m=256;s=1024;t=1764480000;r=${RUN}\n::error::pwned\n::add-mask::x`;
    const cases: [string, RegExp][] = [
      ['mi3k2x-0a1b2c3d4e5f', /format/], // a bare nonce
      [injected, /format/],
      [`n=x;m=256;t=1764480000;r=https://github.com/o/r/actions/runs/1/attempts/1#abcdef%0A::error::x`, /run id/],
      [`n=x;m=256;t=1764480000;r=cli:host:abc`, /run id/], // the random part is 6 hex digits
      [`n=x;m=99;t=1764480000;r=${CLI}`, /format/], // two digits
      [`n=x;m=20000;t=1764480000;r=${CLI}`, /outside 128–10240/],
      [`n=x;m=0256;t=1764480000;r=${CLI}`, /format/], // a leading zero
      [`m=256;n=x;t=1764480000;r=${CLI}`, /format/], // another order
      [`n=x;m=256;t=1764480000;r=${CLI};n=y`, /format/], // repeated
      [`n=x;m=256;t=1764480000;r=${CLI};z=1`, /format/], // unknown
      [`n=x;m=256;t=1764480000;r=${CLI};p=12`, /format/], // a pid without its machine
      [`n=x;m=256;t=1764480000;r=${CLI};h=0123456789abcdef;p=99999999999`, /format/],
      [`n=x;m=256;t=1764480000;r=${CLI};h=0123456789abcdef;p=4294967296`, /process id/],
      [`n=${'x'.repeat(33)};m=256;t=1764480000;r=${CLI}`, /format/],
      [`n=x;m=256;t=1764480000;r=${CLI}`.padEnd(RECORD_MAX_LENGTH + 1, ' '), /longer than 512/],
      [`n=x;m=256;t=1764480000;r=https://github.com/o/r/../../x/actions/runs/1/attempts/1#abcdef`, /run id/],
      [`n=x;m=256;t=1764480000;r=javascript:alert(1)`, /run id/],
    ];
    for (const [value, reason] of cases) {
      expect(decoded(value), value).toBeUndefined();
      expect(why(value), value).toMatch(reason);
      expect(why(value)).not.toContain('::');
    }
    const m = readMarker({ Environment: { Variables: { COLDSTART_NONCE: injected } } });
    expect(m).toMatchObject({ present: true, notARecord: 'not in the record format' });
    expect(readMarker({ Environment: { Variables: { A: '1' } } })).toEqual({ present: false });
    expect(notARecordMessage('f')).not.toContain('pwned');
  });

  it('run ids: a workflow run attempt, a run outside Actions, the default', () => {
    expect(parseRunId(RUN)).toEqual({
      kind: 'github',
      server: 'https://github.com',
      owner: 'octo-org',
      repo: 'hello-lambdas',
      runId: '4242',
      attempt: 1,
    });
    expect(parseRunId('http://ghe.example.com:8443/o/r.x/actions/runs/9/attempts/3#ffffff')).toMatchObject({ kind: 'github', attempt: 3 });
    expect(parseRunId(CLI)).toEqual({ kind: 'cli', host: 'laptop.local' });
    expect(parseRunId('lambda-coldstart')).toEqual({ kind: 'default' });
    expect(parseRunId('cli:-x:abcdef')).toBeUndefined();
    expect(() => encodeMarker({ ...record, runId: 'cli;x=y%z' })).toThrow(/would not parse back/);
  });

  it('the longest valid record fits the bound and the reserve, counted as Lambda counts the variables (their JSON)', () => {
    const longRun = `https://${'h'.repeat(100)}:65535/${'o'.repeat(39)}/${'r'.repeat(100)}/actions/runs/${'9'.repeat(20)}/attempts/99999#abcdef`;
    const longest: UndoRecord = {
      nonce: 'x'.repeat(32),
      restoreMemory: 10240,
      setMemory: 10240,
      updatedAt: 99_999_999_999_000,
      runId: longRun,
      process: { host: 'f'.repeat(16), pid: 4294967295, start: '9'.repeat(20) },
      kept: true,
    };
    const value = encodeMarker(longest);
    expect(value.length).toBeLessThanOrEqual(RECORD_MAX_LENGTH);
    const vars = { A: 'ü' };
    expect(Buffer.byteLength(JSON.stringify({ ...vars, COLDSTART_NONCE: value }))).toBe(envBytes(vars) + markerReserveBytes(longRun));
    const usual = { ...vars, COLDSTART_NONCE: encodeMarker(record) };
    expect(Buffer.byteLength(JSON.stringify(usual))).toBeLessThan(envBytes(vars) + markerReserveBytes(RUN));
    expect(markerReserveBytes(RUN)).toBeLessThan(ENV_LIMIT_BYTES / 16);
  });

  it('markerValue: the memory set is this update’s, or what our previous record said — never a size someone else set', () => {
    const current: FunctionConfiguration = {
      MemorySize: 512, // someone else's
      Environment: { Variables: { COLDSTART_NONCE: encodeMarker(record) } },
    };
    const writer = { runId: RUN };
    const same = decoded(markerValue(current, { nonce: 'n2', restoreMemory: 256, writer, nowMs: 2_000_000_000_000 }));
    expect(same).toEqual({ nonce: 'n2', restoreMemory: 256, setMemory: 1024, updatedAt: 2_000_000_000_000, runId: RUN });
    const set = decoded(markerValue(current, { nonce: 'n3', restoreMemory: 256, memory: 2048, writer, nowMs: 1_800_000_000_000 }));
    expect(set?.setMemory).toBe(2048);
    const process = { host: 'aaaaaaaaaaaaaaaa', pid: 7 };
    const other = decoded(
      markerValue(current, { nonce: 'n4', restoreMemory: 512, writer: { runId: CLI, process }, nowMs: 1_800_000_000_000 }),
    );
    expect(other).toMatchObject({ runId: CLI, process });
    expect(other?.setMemory).toBeUndefined();
  });
});

describe('liveness: which check decides', () => {
  const win = liveWindowMs(300, 3);
  const at = (ageMs: number) => judgeLiveness(record, { by: 'none', why: 'it ran on another machine' }, ageMs, win);

  it('a process on this machine: running → live, ended → stale at once, whatever the time', () => {
    expect(judgeLiveness(record, { by: 'process', pid: 9, running: true }, 10 * win, win)).toMatchObject({
      state: 'live',
      reason: 'its process 9 on this machine is running',
    });
    expect(judgeLiveness(record, { by: 'process', pid: 9, running: false }, 1000, win)).toMatchObject({
      state: 'stale',
      reason: 'its process 9 on this machine has ended',
    });
  });

  it('a workflow run: completed → stale at once; in progress → the window', () => {
    const run = 'workflow run 4242 (attempt 1)';
    expect(judgeLiveness(record, { by: 'github', run, completed: true }, 2000, win)).toMatchObject({
      state: 'stale',
      reason: 'GitHub says workflow run 4242 (attempt 1) has completed',
    });
    const going = judgeLiveness(record, { by: 'github', run, completed: false }, 2000, win);
    expect(going).toMatchObject({ state: 'live', ageSec: 2 });
    expect(going.reason).toBe(
      "GitHub says workflow run 4242 (attempt 1) is still in progress, and its last update was 2 s ago by Lambda's clock (a run may go 363 s between updates)",
    );
  });

  it('no check possible: live within update timeout + function timeout + 60 s, stale after; kept when left on purpose', () => {
    expect(win).toBe((300 + 3 + 60) * 1000);
    expect(at(win).state).toBe('live');
    expect(at(win).reason).toMatch(/^could not check the run: it ran on another machine, and its last update was 363 s ago/);
    expect(at(win + 1000).state).toBe('stale');
    expect(at(win + 1000).reason).toMatch(/nothing has updated the function for 364 s by Lambda's clock/);
    expect(judgeLiveness({ ...record, kept: true }, { by: 'process', pid: 1, running: true }, 0, win).state).toBe('kept');
  });

  it("the age is Lambda's: LastModified, not the record's time (its writer's clock may be 10 minutes off)", () => {
    expect(parseLastModified('2024-05-01T12:00:00.123+0000')).toBe(Date.UTC(2024, 4, 1, 12, 0, 0, 123));
    expect(parseLastModified('2024-05-01T14:00:00.000+02:00')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(parseLastModified('yesterday')).toBeUndefined();
    const skewed = { ...record, updatedAt: Date.UTC(2024, 4, 1, 11, 50) }; // written by a clock 10 minutes behind
    const c = { LastModified: '2024-05-01T12:00:00.000+0000' };
    expect(lastUpdateMs(c, skewed)).toBe(Date.UTC(2024, 4, 1, 12));
    const lambdaNow = Date.UTC(2024, 4, 1, 12, 0, 5);
    expect(judgeLiveness(skewed, { by: 'none', why: 'x' }, lambdaNow - lastUpdateMs(c, skewed), win).state).toBe('live');
    expect(lastUpdateMs({}, skewed)).toBe(skewed.updatedAt);
  });
});

describe('decideUndo by field (the decision table)', () => {
  const mine = encodeMarker(record); // this run's, set 1024
  const entry: UndoEntry = { functionName: 'f', originalMemory: 256, hadEnvironment: true, ourMemory: 1024, ourRevisions: ['r1', 'r2'] };
  const cfg = (memory: number, revision: string, vars?: Record<string, string>): FunctionConfiguration => ({
    FunctionName: 'f',
    MemorySize: memory,
    RevisionId: revision,
    ...(vars ? { Environment: { Variables: vars } } : {}),
  });
  const none = { keptTheirs: false, recordRemoved: false, notARecord: false };

  it('our revision: memory back, our variable removed, conditional on the revision', () => {
    expect(decideUndo(entry, cfg(1024, 'r2', { COLDSTART_NONCE: mine, A: '1' }), RUN)).toEqual({
      kind: 'undo',
      input: { FunctionName: 'f', RevisionId: 'r2', MemorySize: 256, Environment: { Variables: { A: '1' } } },
      memory: 256,
      ...none,
    });
  });

  it('someone replaced the variables wholesale (record gone), memory still ours: memory back, their variables untouched', () => {
    expect(decideUndo(entry, cfg(1024, 'theirs', { A: '2' }), RUN)).toEqual({
      kind: 'undo',
      input: { FunctionName: 'f', RevisionId: 'theirs', MemorySize: 256 },
      memory: 256,
      ...none,
      recordRemoved: true,
    });
    // The same with a size of an update whose outcome the run did not learn (sent, then killed).
    const pending = { ...entry, ourMemory: 512, pendingMemory: 1024 };
    expect(decideUndo(pending, cfg(1024, 'theirs', { A: '2' }), RUN)).toMatchObject({ memory: 256, recordRemoved: true });
  });

  it('someone else set memory (even to another of the run’s sizes, 512): theirs kept, only our variable removed', () => {
    expect(decideUndo(entry, cfg(512, 'person', { COLDSTART_NONCE: mine, A: '1' }), RUN)).toEqual({
      kind: 'undo',
      input: { FunctionName: 'f', RevisionId: 'person', Environment: { Variables: { A: '1' } } },
      ...none,
      keptTheirs: true,
    });
    // Their variables and memory, our record gone: nothing to send; said as kept, and the removal.
    expect(decideUndo(entry, cfg(512, 'person', { A: '2' }), RUN)).toEqual({
      kind: 'undo',
      ...none,
      keptTheirs: true,
      recordRemoved: true,
    });
  });

  it('someone else’s memory seen during the run is the one put back', () => {
    const seen = { ...entry, outsideMemory: 768 };
    expect(decideUndo(seen, cfg(1024, 'r2', { COLDSTART_NONCE: mine }), RUN)).toMatchObject({ memory: 768 });
  });

  it('the run never set memory: memory is never touched', () => {
    const { ourMemory: _set, ...noMemory } = entry;
    expect(decideUndo(noMemory, cfg(1024, 'r2', { COLDSTART_NONCE: mine }), RUN)).toEqual({
      kind: 'undo',
      input: { FunctionName: 'f', RevisionId: 'r2', Environment: { Variables: {} } }, // Lambda then shows no Environment
      ...none,
    });
  });

  it('our variable holds a value that is no record: left alone, memory by field still goes back', () => {
    const injected = { COLDSTART_NONCE: 'x\n::error::pwned', A: '1' };
    expect(decideUndo(entry, cfg(1024, 'theirs', injected), RUN)).toEqual({
      kind: 'undo',
      input: { FunctionName: 'f', RevisionId: 'theirs', MemorySize: 256 },
      memory: 256,
      ...none,
      notARecord: true,
    });
  });

  it('another run’s record: left alone by this run; the restore command (no run id) restores from any record', () => {
    const other = encodeMarker({ ...record, runId: CLI });
    expect(decideUndo(entry, cfg(1024, 'x', { COLDSTART_NONCE: other }), RUN)).toMatchObject({ kind: 'other-run' });
    expect(decideUndo(undefined, cfg(1024, 'x', { COLDSTART_NONCE: other }))).toMatchObject({ memory: 256 });
  });

  it('from the record alone: memory back only while it is the size the record says its run set', () => {
    expect(decideUndo(undefined, cfg(1024, 'x', { COLDSTART_NONCE: mine, A: '1' }))).toMatchObject({
      input: { FunctionName: 'f', RevisionId: 'x', MemorySize: 256, Environment: { Variables: { A: '1' } } },
    });
    expect(decideUndo(undefined, cfg(2048, 'x', { COLDSTART_NONCE: mine }))).toMatchObject({
      input: { Environment: { Variables: {} } },
      keptTheirs: true,
    });
  });

  it('clean: nothing to do (idempotent), and no removal claimed under our own revision', () => {
    expect(decideUndo(entry, cfg(256, 'r9', { A: '1' }), RUN)).toEqual({ kind: 'undo', ...none, recordRemoved: true });
    expect(decideUndo({ ...entry, ourRevisions: [] }, cfg(256, 'r9'), RUN)).toEqual({ kind: 'undo', ...none });
    expect(decideUndo(undefined, cfg(256, 'r9', { A: '1' }))).toEqual({ kind: 'undo', ...none });
  });

  it('the sentences say what was done, the removal in the same line, never the value', () => {
    expect(undoOutcomeText({ kind: 'restored', memory: 256, recordRemoved: true })).toBe(
      "configuration restored (memory back to 256 MB); someone else's change had replaced its environment variables, removing the undo record (COLDSTART_NONCE); their variables are kept",
    );
    expect(undoOutcomeText({ kind: 'restored', memory: 256 })).toBe(
      'configuration restored (memory back to 256 MB, COLDSTART_NONCE removed)',
    );
    expect(
      restoreLine(
        { name: 'f', outcome: 'live', record, liveness: { state: 'live', reason: 'its process 9 on this machine is running' } },
        'eu-west-1',
      ),
    ).toBe(
      `f: run ${RUN} may still be changing it (its process 9 on this machine is running); left alone: wait for that run to finish ` +
        '(it restores the function itself), or force the restore with `lambda-coldstart restore --functions f --region eu-west-1 --force`',
    );
  });
});
