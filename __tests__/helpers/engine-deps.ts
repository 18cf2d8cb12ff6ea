/**
 * The engine's dependencies pointed at an emulator: the real SDK clients (endpoint = the emulator, dummy credentials),
 * the real clock, and a logger that keeps every line — for the engine's tests and the benchmarks.
 */
import { createClients } from '../../src/lambda/clients.js';
import { realSleep } from '../../src/core/clock.js';
import type { EngineDeps } from '../../src/lambda/types.js';
import type { Emulator } from '../../emulator/types.js';

export interface EmulatorDeps {
  deps: EngineDeps;
  /** Every logged line: info as is, warnings as `WARNING …`, notices as `NOTICE …`, a group as `[title]` then its lines. */
  lines: string[];
}

export function engineDepsFor(
  emu: Pick<Emulator, 'url'>,
  opts: { signal?: AbortSignal; maxAttempts?: number; quiet?: boolean } = {},
): EmulatorDeps {
  const { lambda, logs } = createClients({
    region: 'us-east-1',
    endpoint: emu.url,
    credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator' },
    maxAttempts: opts.maxAttempts ?? 8,
    pacing: false, // the engine paces it with the plan's api-rate and the deps' clock
  });
  const lines: string[] = [];
  const keep = (line: string): void => {
    if (!opts.quiet) lines.push(line);
  };
  let n = 0;
  const deps: EngineDeps = {
    lambda,
    logs,
    now: () => Date.now(),
    sleep: realSleep,
    nonce: () => `nonce-${++n}-${Date.now().toString(36)}`,
    log: {
      info: (m) => keep(m),
      warning: (m) => (opts.quiet ? console.error(`warning: ${m}`) : lines.push(`WARNING ${m}`)),
      notice: (m) => keep(`NOTICE ${m}`),
      group: (t, ls) => {
        keep(`[${t}]`);
        for (const l of ls) keep(l);
      },
    },
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
  return { deps, lines };
}
