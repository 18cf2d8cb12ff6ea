/**
 * Undo tracking: the run's UndoState (saved before the first change, before each memory change, after each of our
 * updates and after each undo), and whose change a configuration is. A configuration read during the run whose
 * RevisionId is one of ours is our own; any other whose memory or variables differ from what we set is someone else's
 * change, and is kept — whatever the value, including one of the run's own memory sizes.
 */
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { Target } from '../types.js';
import { NONCE_VARIABLE, readMarker } from './record.js';
import type { UndoEntry, UndoState } from './state.js';

/**
 * RevisionIds kept per function: the most recent only (older ones can no longer be the current configuration) — the
 * last update's accepted and completed revisions, and the previous pair in case the last one's wait never ended.
 */
export const MAX_OUR_REVISIONS = 4;

/** The function's own variables (ours left out), as one comparable string — never printed. PURE. */
export function variablesOf(c: FunctionConfiguration): string {
  const vars = c.Environment?.Variables ?? {};
  return JSON.stringify(
    Object.keys(vars)
      .filter((k) => k !== NONCE_VARIABLE)
      .sort()
      .map((k) => [k, vars[k]]),
  );
}

/** What a configuration read showed of someone else's change. */
export interface OutsideChange {
  /** Their memory size (kept; the undo restores it). */
  memory?: number;
  /** Their variables differ from the ones we last merged (kept: we merge into the freshest read). */
  environment: boolean;
}

export class UndoTracker {
  readonly state: UndoState;
  /** Variables (without ours) as we last wrote them, per function. */
  private readonly variables = new Map<string, string>();
  /** The memory size the function has as far as we know (the first read, our confirmed update, or their change). */
  private readonly memory = new Map<string, number>();

  constructor(
    targets: Target[],
    private readonly onUndoState: (s: UndoState) => void,
  ) {
    this.state = {
      version: 1,
      region: targets.find((t) => t.info.region)?.info.region ?? '',
      variable: NONCE_VARIABLE,
      entries: targets.map((t) => ({ functionName: t.info.name, originalMemory: t.info.originalMemory, hadEnvironment: t.hadEnvironment })),
      done: [],
    };
    this.save(); // before the first change
  }

  save(): void {
    this.onUndoState(structuredClone(this.state));
  }

  entry(name: string): UndoEntry {
    const e = this.state.entries.find((x) => x.functionName === name);
    if (!e) throw new Error(`${name}: no undo entry`);
    return e;
  }

  /**
   * The first read of the function: its memory and variables are the baseline. A function that waited in the pool may
   * have been changed (a deploy) since preflight: without a marker on it, this read is the original to put back (saved).
   */
  begin(name: string, c: FunctionConfiguration): void {
    const e = this.entry(name);
    const hadEnvironment = c.Environment !== undefined && c.Environment !== null;
    if (
      !readMarker(c).present &&
      c.MemorySize !== undefined &&
      (c.MemorySize !== e.originalMemory || hadEnvironment !== e.hadEnvironment)
    ) {
      e.originalMemory = c.MemorySize;
      e.hadEnvironment = hadEnvironment;
      this.save();
    }
    this.variables.set(name, variablesOf(c));
    this.memory.set(name, c.MemorySize ?? e.originalMemory);
  }

  /**
   * Before an update that sets `memory` (undefined = memory left alone): until it is accepted, that size may be on the
   * function — recorded and saved before it is sent.
   */
  willSet(name: string, memory: number | undefined): void {
    const e = this.entry(name);
    if (memory === undefined || e.pendingMemory === memory || (e.ourMemory === memory && e.pendingMemory === undefined)) return;
    e.pendingMemory = memory;
    this.save();
  }

  /**
   * Our update, based on `base`, was accepted (revision `revision`): the variables we wrote and the memory it sets
   * (`memory`, or the base's when it leaves memory alone) are known from now on — whether or not the wait for it ends
   * well — so only a later, different change counts as someone else's.
   */
  accepted(name: string, base: FunctionConfiguration, memory: number | undefined, revision: string | undefined): void {
    this.variables.set(name, variablesOf(base));
    const m = memory ?? base.MemorySize;
    if (m !== undefined) this.memory.set(name, m);
    const e = this.entry(name);
    if (memory !== undefined && (e.ourMemory !== memory || e.pendingMemory !== undefined)) {
      e.ourMemory = memory;
      delete e.pendingMemory;
      this.save();
    }
    this.ours(name, revision);
  }

  /** RevisionIds our own update produced (its response, the configuration we waited for), most recent last; saved. */
  ours(name: string, ...revisions: (string | undefined)[]): void {
    const e = this.entry(name);
    const list = [...(e.ourRevisions ?? [])];
    let changed = false;
    for (const r of revisions) {
      if (r === undefined || list.includes(r)) continue;
      list.push(r);
      changed = true;
    }
    if (!changed) return;
    e.ourRevisions = list.slice(-MAX_OUR_REVISIONS);
    this.save();
  }

  /** The configuration we waited for is our update's result: its revision is ours, its memory the one we know. */
  confirmed(name: string, c: FunctionConfiguration): void {
    if (c.MemorySize !== undefined) this.memory.set(name, c.MemorySize);
    this.ours(name, c.RevisionId);
  }

  isOurs(name: string, revision: string | undefined): boolean {
    return revision !== undefined && (this.entry(name).ourRevisions ?? []).includes(revision);
  }

  /**
   * A configuration read during the run. Ours (by RevisionId) → undefined. Otherwise what differs from what we know
   * (the first read, our last confirmed update, or their last change) is someone else's change: their memory is remembered (and saved) so the undo restores theirs, whatever its value.
   */
  observe(name: string, c: FunctionConfiguration): OutsideChange | undefined {
    if (this.isOurs(name, c.RevisionId)) return undefined;
    const change: OutsideChange = { environment: false };
    const vars = variablesOf(c);
    if (this.variables.has(name) && this.variables.get(name) !== vars) {
      change.environment = true;
      this.variables.set(name, vars);
    }
    const memory = c.MemorySize;
    if (memory !== undefined && memory !== this.memory.get(name)) {
      this.memory.set(name, memory);
      this.theirMemory(name, memory);
      change.memory = memory;
    }
    return change.environment || change.memory !== undefined ? change : undefined;
  }

  /** A cold start that ran at `memory` when we had set `expected`: someone else set it. */
  observeReport(name: string, memory: number | undefined, expected: number | undefined): number | undefined {
    if (memory === undefined || expected === undefined || memory === expected) return undefined;
    if (this.memory.get(name) === memory) return undefined;
    this.memory.set(name, memory);
    this.theirMemory(name, memory);
    return memory;
  }

  /** Someone else set `memory`: theirs is put back at the end, and the size is no longer ours. */
  private theirMemory(name: string, memory: number): void {
    const e = this.entry(name);
    if (e.outsideMemory === memory && e.ourMemory === undefined) return;
    e.outsideMemory = memory;
    delete e.ourMemory;
    this.save();
  }

  /** The function was restored (or found clean). */
  done(name: string): void {
    if (!this.state.done.includes(name)) this.state.done.push(name);
    this.save();
  }
}
