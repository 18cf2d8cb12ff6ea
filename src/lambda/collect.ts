/**
 * Collecting a run's results: each function's samples, its FunctionInfo (failure set when it failed), the notes every
 * strategy writes the same way, its progress group, and the run's access errors.
 */
import type { FunctionInfo, Sample } from '../results/model.js';
import { CancelledError, AccessError, CredentialsError } from '../core/errors.js';
import { safeMessage } from '../core/aws-errors.js';
import { plural } from './format.js';
import type { EngineDeps, Target } from './types.js';
import type { UndoEntry } from './undo/state.js';

export interface MeasureResult {
  samples: Sample[];
  /** `failure` set on those that failed. */
  functions: FunctionInfo[];
  notes: string[];
  /**
   * Access errors that did not stop the measurement (a denied Logs Insights query: the tails have the numbers): the
   * caller publishes the results, then fails the run with them.
   */
  accessErrors?: string[];
}

/** One function's part of a run: what the engine fills in while it measures. */
export interface FunctionRun {
  target: Target;
  name: string;
  info: FunctionInfo;
  entry: UndoEntry;
  /** Progress lines, emitted as one group when the function is done. */
  lines: string[];
  samples: Sample[];
  started: number;
  outsideEnvChange: boolean;
  outsideMemoryChange: boolean;
}

export class Collector {
  readonly notes: string[] = [];
  readonly samples: Sample[] = [];
  readonly functions: FunctionInfo[] = [];
  /** Denied Logs Insights queries (the run is published, then failed). */
  readonly queryDenied = new Set<string>();
  /** The first access error of a function: stops the whole run (after every undo). */
  accessError: AccessError | undefined;

  constructor(private readonly deps: Pick<EngineDeps, 'log' | 'now'>) {}

  begin(t: Target, entry: UndoEntry): FunctionRun {
    const name = t.info.name;
    if (t.info.snapStart) {
      this.notes.push(
        `${name}: SnapStart is on, but it applies to published versions only; these $LATEST invocations are ordinary cold starts (Init Duration).`,
      );
    }
    return {
      target: t,
      name,
      info: { ...t.info },
      entry,
      lines: [],
      samples: [],
      started: this.deps.now(),
      outsideEnvChange: false,
      outsideMemoryChange: false,
    };
  }

  /** A function's failure: an access error stops the whole run (returns true: abort); others only this function. */
  fail(run: FunctionRun, e: unknown, aborted: boolean): boolean {
    let abortRun = false;
    if (e instanceof AccessError) {
      this.accessError ??= e;
      abortRun = true;
      if (!(e instanceof CredentialsError)) run.info.failure = e.message; // the credentials: said once, by the run's error
    } else if (!(e instanceof CancelledError) && !aborted) {
      run.info.failure = safeMessage(e);
    }
    if (run.info.failure) run.lines.push(`${run.name} · failed · ${run.info.failure}`);
    return abortRun;
  }

  /** The notes of outside changes, the progress group, and the function's samples into the result. */
  close(run: FunctionRun, title: string, restore: boolean): void {
    const { name, info } = run;
    if (info.failure) this.deps.log.warning(`${name}: could not be measured: ${info.failure}`);
    if (run.outsideEnvChange) {
      this.notes.push(`${name}: its environment variables were changed by someone else during the run; their change was kept.`);
    }
    if (run.outsideMemoryChange) {
      const theirs = run.entry.outsideMemory;
      this.notes.push(
        `${name}: its memory was changed by someone else during the run${theirs !== undefined ? ` (to ${theirs} MB)` : ''}; the run set its own memory size again for the next samples, did not count samples that ran at another size` +
          `${theirs !== undefined && restore ? `, and set it back to their ${theirs} MB at the end` : ''}.`,
      );
    }
    // Errors and failures are noted by buildResults from the samples and FunctionInfo.failure (one note per fact).
    this.deps.log.group(title, run.lines);
    this.samples.push(...run.samples);
    this.functions.push(info);
  }

  /** The result, in the order of the targets. Throws the access error that stopped the run. */
  result(targets: Target[], stopped: boolean): MeasureResult {
    if (this.accessError) throw this.accessError;
    if (stopped) {
      this.notes.push(
        `The run was stopped before it finished; ${plural(this.samples.filter((s) => s.kind === 'cold').length, 'cold sample')} had been measured.`,
      );
    }
    const order = new Map(targets.map((t, i) => [t.info.name, i]));
    this.functions.sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
    this.samples.sort((a, b) => (order.get(a.function) ?? 0) - (order.get(b.function) ?? 0));
    return { samples: this.samples, functions: this.functions, notes: this.notes, accessErrors: [...this.queryDenied] };
  }
}
