/** The undo record (undo/record.ts) and the undo's decision whose change it is (undo/decide.ts), pure. */
import { describe, expect, it } from 'vitest';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import {
  decodeMarker,
  encodeMarker,
  envBytes,
  liveWindowMs,
  markerReserveBytes,
  markerState,
  readMarker,
  type UndoRecord,
  markerValue,
} from '../../src/lambda/undo/record.js';
import { ENV_LIMIT_BYTES } from '../../src/config/limits.js';
import { decideUndo } from '../../src/lambda/undo/decide.js';
import type { UndoEntry } from '../../src/lambda/undo/state.js';

const RUN = 'https://github.com/octo-org/hello-lambdas/actions/runs/4242/attempts/1#a1b2c3';
const record: UndoRecord = {
  nonce: 'mi3k2x-0a1b2c3d4e5f',
  restoreMemory: 256,
  setMemory: 1024,
  updatedAt: 1_764_480_000_000,
  runId: RUN,
};

describe('the undo record', () => {
  it('round-trips, including a run id with the separators in it', () => {
    expect(decodeMarker(encodeMarker(record))).toEqual(record);
    const odd = { ...record, runId: 'cli;x=y%z', nonce: 'a;b', kept: true };
    expect(decodeMarker(encodeMarker(odd))).toEqual(odd);
    const noSet: UndoRecord = { nonce: 'n', restoreMemory: 128, updatedAt: 5000, runId: 'r' };
    expect(decodeMarker(encodeMarker(noSet))).toEqual(noSet);
  });

  it('is a few dozen bytes plus the run id, and holds no variable value', () => {
    const v = encodeMarker(record);
    expect(v).toBe(`n=mi3k2x-0a1b2c3d4e5f;m=256;s=1024;t=1764480000;r=${RUN}`);
    expect(v.length - RUN.length).toBeLessThan(60);
  });

  it('a bare nonce (an older version) or garbage has no record', () => {
    expect(decodeMarker('mi3k2x-0a1b2c3d4e5f')).toBeUndefined();
    expect(decodeMarker('n=x;m=abc;t=1;r=z')).toBeUndefined();
    expect(readMarker({ Environment: { Variables: { COLDSTART_NONCE: 'bare' } } })).toEqual({ present: true, value: 'bare' });
    expect(readMarker({ Environment: { Variables: { A: '1' } } })).toEqual({ present: false });
  });

  it('live within the update timeout + the function timeout + a margin; stale after; kept when left on purpose', () => {
    const win = liveWindowMs(300, 3);
    expect(win).toBe((300 + 3 + 60) * 1000);
    expect(markerState(record, record.updatedAt + win, win)).toBe('live');
    expect(markerState(record, record.updatedAt + win + 1000, win)).toBe('stale');
    expect(markerState({ ...record, kept: true }, record.updatedAt, win)).toBe('kept');
  });

  it('its size is counted as Lambda counts the variables (their JSON), and the reserve covers every record of the run', () => {
    const vars = { A: 'ü' };
    const reserve = markerReserveBytes(RUN);
    const longest = { ...record, nonce: 'x'.repeat(32), restoreMemory: 10240, setMemory: 10240, kept: true };
    const withMarker = { ...vars, COLDSTART_NONCE: encodeMarker(longest) };
    expect(Buffer.byteLength(JSON.stringify(withMarker))).toBe(envBytes(vars) + reserve);
    const usual = { ...vars, COLDSTART_NONCE: encodeMarker(record) };
    expect(Buffer.byteLength(JSON.stringify(usual))).toBeLessThan(envBytes(vars) + reserve);
    expect(reserve).toBeLessThan(ENV_LIMIT_BYTES / 20);
  });

  it('markerValue: the memory set is this update’s, or what our previous record said — never a size someone else set', () => {
    const current: FunctionConfiguration = {
      MemorySize: 512, // someone else's
      Environment: { Variables: { COLDSTART_NONCE: encodeMarker(record) } },
    };
    const same = decodeMarker(markerValue(current, { nonce: 'n2', restoreMemory: 256, runId: RUN, nowMs: 2_000_000_000_000 }));
    expect(same).toEqual({ nonce: 'n2', restoreMemory: 256, setMemory: 1024, updatedAt: 2_000_000_000_000, runId: RUN });
    const set = decodeMarker(markerValue(current, { nonce: 'n3', restoreMemory: 256, memory: 2048, runId: RUN, nowMs: 0 }));
    expect(set?.setMemory).toBe(2048);
    const other = decodeMarker(markerValue(current, { nonce: 'n4', restoreMemory: 512, runId: 'another', nowMs: 0 }));
    expect(other?.setMemory).toBeUndefined();
  });
});

describe('decideUndo: whose change is it?', () => {
  const entry: UndoEntry = { functionName: 'f', originalMemory: 256, hadEnvironment: true, lastSetMemory: 1024, setMemories: [512, 1024] };
  const ourMarker = encodeMarker(record); // set 1024
  const cfg = (memory: number, revision: string, vars: Record<string, string> = { COLDSTART_NONCE: ourMarker, A: '1' }) => ({
    FunctionName: 'f',
    MemorySize: memory,
    RevisionId: revision,
    Environment: { Variables: vars },
  });

  it('current revision is ours: original memory back, our variable removed, conditional on the revision', () => {
    expect(decideUndo({ ...entry, ourRevisions: ['r1', 'r2'] }, cfg(1024, 'r2'), RUN)).toEqual({
      kind: 'update',
      input: { FunctionName: 'f', RevisionId: 'r2', MemorySize: 256, Environment: { Variables: { A: '1' } } },
      memory: 256,
      keptTheirs: false,
    });
  });

  it('a person set memory to another of the run’s sizes (512) under their own revision: kept, only our variable removed', () => {
    const d = decideUndo({ ...entry, ourRevisions: ['r1', 'r2'] }, cfg(512, 'person'), RUN);
    expect(d).toEqual({
      kind: 'update',
      input: { FunctionName: 'f', RevisionId: 'person', Environment: { Variables: { A: '1' } } },
      keptTheirs: true,
    });
  });

  it('a person changed a variable after us: their variables are kept, our memory (the record’s size) goes back', () => {
    const d = decideUndo({ ...entry, ourRevisions: ['r1'] }, cfg(1024, 'person', { COLDSTART_NONCE: ourMarker, A: '2', B: 'new' }), RUN);
    expect(d.kind === 'update' && d.input).toEqual({
      FunctionName: 'f',
      RevisionId: 'person',
      MemorySize: 256,
      Environment: { Variables: { A: '2', B: 'new' } },
    });
  });

  it('without saved state (post step after a lost state, restore command): from the record alone', () => {
    const d = decideUndo(undefined, cfg(1024, 'x'));
    expect(d.kind === 'update' && d.input).toEqual({
      FunctionName: 'f',
      RevisionId: 'x',
      MemorySize: 256,
      Environment: { Variables: { A: '1' } },
    });
    const theirs = decideUndo(undefined, cfg(2048, 'x'));
    expect(theirs.kind === 'update' && theirs.input.MemorySize).toBeUndefined();
  });

  it('another run’s record is never touched by this run; the restore command (no run id) restores any', () => {
    expect(decideUndo(entry, cfg(1024, 'x'), 'cli:other')).toEqual({ kind: 'other-run', record });
    expect(decideUndo(undefined, cfg(1024, 'x')).kind).toBe('update');
  });

  it('clean: nothing to do (idempotent)', () => {
    expect(decideUndo({ ...entry, ourRevisions: ['r1'] }, cfg(256, 'r9', { A: '1' }), RUN)).toEqual({ kind: 'clean' });
    expect(decideUndo(undefined, cfg(256, 'r9', { A: '1' }))).toEqual({ kind: 'clean' });
  });
});
