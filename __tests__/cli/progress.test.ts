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

describe('elapsed time and the estimate', () => {
  it('the bar shows the time so far and the time left at the pace so far (injected clock)', () => {
    const t = terminal(true);
    let now = 1_000_000;
    const p = createProgress(t.stream, 4, () => now);
    const [a, b] = coldSamples('hello-node', 128, [171.2, 168.4]);
    now += 30_000;
    p.tick(a!);
    now += 30_000;
    p.tick(b!);
    p.stop();
    // 2 of 4 in 60 s: about 60 s left
    expect(t.text()).toMatch(/2\/4 cold starts \| 1 min 00 s elapsed, about 1 min 00 s left \| hello-node · 128 MB · init 168\.4 ms/);
  });
  it('formats durations and says "–" before the first cold start', () => {
    expect(timing(5_000, 0, 10)).toEqual({ spent: '5 s', left: '–' });
    expect(timing(90_000, 3, 3).left).toBe('0 s');
    expect([duration(59_400), duration(61_000), duration(3_725_000)]).toEqual(['59 s', '1 min 01 s', '1 h 02 min']);
  });
});
