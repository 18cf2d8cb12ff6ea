/**
 * The engine's dependencies pointed at an emulator: the real SDK clients (endpoint = the emulator, dummy credentials),
 * the real clock, and a logger that keeps every line — for the engine's tests and the benchmarks.
 */
import { createClients } from '../../src/lambda/clients.js';
import { realSleep } from '../../src/core/clock.js';
import type { EngineDeps, MeasurePlan } from '../../src/lambda/types.js';
import { parseConfig } from '../../src/config/parse.js';
import { nodeVersionLine, SDK_NODE_WARNING_SWITCH } from '../../src/core/node-version.js';
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
  // The benchmarks run on the machine's Node: below the supported major the SDK's nine-line warning says nothing new.
  if (nodeVersionLine(process.versions.node) !== undefined) process.env[SDK_NODE_WARNING_SWITCH] ??= 'true';
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

/**
 * A plan as the inputs' defaults make it (the input registry is their one source), with `overrides`: what a test or a
 * benchmark says is what differs from a user's defaults.
 */
export function planWith(overrides: Partial<MeasurePlan>): MeasurePlan {
  const parsed = parseConfig((name) => (name === 'functions' ? 'placeholder' : ''));
  if (parsed.config === undefined) throw new Error(`the input defaults do not parse: ${parsed.problems.join('; ')}`);
  return { ...parsed.config, ...overrides };
}
