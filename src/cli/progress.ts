/**
 * Progress for the terminal: a bar (cli-progress) with elapsed time and an estimate of the time left when stderr is a
 * TTY, plain lines otherwise (CI logs, pipes). The clock is injected so tests never wait. Every line goes through logText
 * (text from outside: no terminal control sequence, no workflow command).
 */
import cliProgress from 'cli-progress';
import type { Sample } from '../results/model.js';
import { decimal } from '../report/format.js';
import { logText, oneLine } from '../core/escape.js';
import type { Logger } from '../core/logger.js';
import { roughly, type DurationEstimate } from '../run/estimate.js';

export interface Progress {
  /** True when a bar is drawn (the stream is a terminal). */
  readonly isTTY: boolean;
  /** A line of log output (printed above the bar on a terminal). */
  line(text: string): void;
  /** One sample finished; warm retries do not advance the bar. */
  tick(sample: Sample): void;
  stop(): void;
}

/** "45 s", "3 min 05 s", "1 h 02 min". */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** Elapsed time, and the time left as the run's duration estimate has it (the log's estimate lines say the same). */
export function timing(elapsedMs: number, estimate: DurationEstimate | undefined): { spent: string; left: string } {
  return { spent: duration(elapsedMs), left: estimate === undefined ? '–' : roughly(estimate.leftSec) };
}

/** `estimate`: the run's duration estimate now (run/estimate.ts), read at every redraw. */
export function createProgress(
  stream: NodeJS.WriteStream,
  total: number,
  now: () => number = Date.now,
  estimate?: () => DurationEstimate,
): Progress {
  if (!stream.isTTY) {
    return { isTTY: false, line: (t) => stream.write(`${logText(t)}\n`), tick: () => undefined, stop: () => undefined };
  }
  const started = now();
  const multi = new cliProgress.MultiBar(
    {
      stream,
      // not {eta}/{duration}: cli-progress fills those itself, from its own clock
      format: ' {bar} {value}/{total} cold starts | {spent} elapsed, about {left} left | {last}',
      hideCursor: true,
      clearOnComplete: false,
      autopadding: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const times = (): { spent: string; left: string } => timing(now() - started, estimate?.());
  const bar = multi.create(total, 0, { last: 'starting', ...times() });
  let done = 0;
  return {
    isTTY: true,
    // Drawn at once: cli-progress would hold the line until its next timed redraw.
    line: (t) => {
      multi.log(`${logText(t)}\n`);
      bar.update({ ...times() });
      multi.update();
    },
    tick: (s) => {
      if (s.kind === 'warm') return;
      done++;
      if (done > bar.getTotal()) bar.setTotal(done);
      const what =
        s.kind === 'cold'
          ? `${oneLine(s.function)} · ${s.memory} MB · init ${decimal(s.init ?? s.restore ?? 0, 1)} ms`
          : `${oneLine(s.function)} · ${s.kind === 'init-failed' ? 'init failed' : 'error'}`;
      bar.update(done, { last: what, ...times() });
    },
    // cli-progress' stop() does not flush lines logged since the last redraw: redraw first, or they are lost.
    stop: () => {
      multi.update();
      multi.stop();
    },
  };
}

/**
 * The engine's log on the progress output. On a terminal the bar shows progress: a function's per-sample lines only with
 * --verbose (CI logs and pipes get them all, as the action's log does).
 */
export function progressLogger(progress: Pick<Progress, 'isTTY' | 'line'>, verbose: boolean): Logger {
  const perSample = verbose || !progress.isTTY;
  return {
    info: (m) => progress.line(m),
    warning: (m) => progress.line(`warning: ${m}`),
    notice: (m) => progress.line(`notice: ${m}`),
    group: (title, lines) => progress.line([`── ${title}`, ...(perSample ? lines.map((l) => `   ${l}`) : [])].join('\n')),
  };
}
