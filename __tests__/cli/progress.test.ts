import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, duration, timing } from '../../src/cli/progress.js';
import { coldSamples } from '../helpers/results-fixtures.js';

/** A stream that says it is a terminal (cli-progress draws only there) and keeps what was written. */
function terminal(isTTY: boolean): { stream: NodeJS.WriteStream; text(): string } {
  const s = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough;
  let out = '';
  s.on('data', (d: Buffer) => (out += d.toString()));
  Object.assign(s, { isTTY, columns: 120, rows: 40, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  return { stream: s, text: () => out };
}

describe('CLI progress', () => {
  it('on a terminal: a bar that counts cold starts (not warm retries) and log lines above it', () => {
    const t = terminal(true);
    const p = createProgress(t.stream, 3);
    const [a, b] = coldSamples('hello-node', 128, [171.2, 168.4]);
    p.line('hello-node · 128 MB · 1/2 · cold · init 171.2 ms');
    p.tick(a!);
    p.tick({ ...b!, kind: 'warm', init: null });
    p.tick(b!);
    p.stop();
    const text = t.text();
    expect(text).toContain('hello-node · 128 MB · 1/2 · cold · init 171.2 ms');
    expect(text).toMatch(/2\/3 cold starts/);
    expect(text).toContain('hello-node · 128 MB · init 168.4 ms');
  });

  it('elsewhere (CI logs, pipes): plain lines, no bar', () => {
    const t = terminal(false);
    const p = createProgress(t.stream, 3);
    p.line('a line');
    p.tick(coldSamples('f', 128, [1])[0]!);
    p.stop();
    expect(t.text()).toBe('a line\n');
  });
});

describe('elapsed time and the time left', () => {
  it('formats durations; without an estimate the time left is "–" (the estimate’s own tests: run/estimate.test.ts)', () => {
    expect(timing(5_000, undefined)).toEqual({ spent: '5 s', left: '–' });
    expect([duration(59_400), duration(61_000), duration(3_725_000)]).toEqual(['59 s', '1 min 01 s', '1 h 02 min']);
  });
});
