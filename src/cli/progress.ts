/** Progress for the terminal: a bar (cli-progress) when stderr is a TTY, plain lines otherwise (CI logs, pipes). */
import cliProgress from 'cli-progress';
import type { Sample } from '../results/model.js';

export interface Progress {
  /** A line of log output (printed above the bar on a terminal). */
  line(text: string): void;
  /** One sample finished; warm retries do not advance the bar. */
  tick(sample: Sample): void;
  stop(): void;
}

export function createProgress(stream: NodeJS.WriteStream, total: number): Progress {
  if (!stream.isTTY) {
    return { line: (t) => stream.write(`${t}\n`), tick: () => undefined, stop: () => undefined };
  }
  const multi = new cliProgress.MultiBar(
    {
      stream,
      format: ' {bar} {value}/{total} cold starts | {last}',
      hideCursor: true,
      clearOnComplete: false,
      autopadding: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const bar = multi.create(total, 0, { last: 'starting' });
  let done = 0;
  return {
    // Drawn at once: cli-progress would hold the line until its next timed redraw.
    line: (t) => {
      multi.log(`${t}\n`);
      multi.update();
    },
    tick: (s) => {
      if (s.kind === 'warm') return;
      done++;
      if (done > bar.getTotal()) bar.setTotal(done);
      const what =
        s.kind === 'cold' ? `${s.function} · ${s.memory} MB · init ${(s.init ?? s.restore ?? 0).toFixed(1)} ms` : `${s.function} · error`;
      bar.update(done, { last: what });
    },
    // cli-progress' stop() does not flush lines logged since the last redraw: redraw first, or they are lost.
    stop: () => {
      multi.update();
      multi.stop();
    },
  };
}
