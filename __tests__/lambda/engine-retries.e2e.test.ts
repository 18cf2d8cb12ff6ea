/** The engine rides out what the control plane and Logs throw at it: 409, 412, 429, 5xx, LimitExceeded, late ingestion, an update that never finishes. */
import { afterEach, describe, expect, it } from 'vitest';
import {
  assertGroundTruth,
  assertNoSecrets,
  assertRestored,
  basePlan,
  closeEmulator,
  harness,
  run,
  specs,
} from '../helpers/engine-harness.js';
afterEach(closeEmulator);

describe('measure against the emulator', () => {
  it('rides out 409, 412, 429, 5xx, LimitExceeded and late ingestion', async () => {
    const h = await harness({
      functions: specs.slice(0, 2),
      latency: { ingestionMs: 1500 },
      faults: {
        failNext: {
          UpdateFunctionConfiguration: { count: 2, status: 409, type: 'ResourceConflictException' },
          Invoke: { count: 2, status: 429, type: 'TooManyRequestsException', retryAfterSec: 0 },
          GetFunction: { count: 2, status: 500, type: 'ServiceException' },
          StartQuery: { count: 2, status: 400, type: 'LimitExceededException' },
        },
      },
    });
    const r = await run(h, ['text-fn', 'json-fn'], { ...basePlan, concurrency: 2 });
    expect(r.samples.filter((s) => s.kind === 'cold')).toHaveLength(8);
    expect(r.samples.every((s) => s.source === 'insights')).toBe(true);
    assertGroundTruth(h, r);
    assertRestored(h, specs.slice(0, 2));
    assertNoSecrets(h, r);
    const calls = h.emu.state().calls;
    for (const [op, status] of [
      ['UpdateFunctionConfiguration', 409],
      ['Invoke', 429],
      ['GetFunction', 500],
      ['StartQuery', 400],
    ] as const) {
      expect(calls.filter((c) => c.operation === op && c.status === status).length, op).toBe(2);
    }
  });

  it('412 from a stale RevisionId: re-reads, re-merges, retries', async () => {
    const h = await harness({
      functions: specs.slice(0, 1),
      faults: { failNext: { UpdateFunctionConfiguration: { count: 2, status: 412, type: 'PreconditionFailedException' } } },
    });
    const r = await run(h, ['text-fn'], { ...basePlan, memory: [256], repetitions: 2 });
    expect(r.samples.filter((s) => s.kind === 'cold')).toHaveLength(2);
    assertGroundTruth(h, r);
    assertRestored(h, specs.slice(0, 1));
  });

  it('an update that never finishes within update-timeout: error samples, then the function is restored', async () => {
    const h = await harness({ functions: specs.slice(0, 1), latency: { updateMs: 2500 } });
    const r = await run(h, ['text-fn'], { ...basePlan, memory: [256], repetitions: 1, updateTimeoutSec: 1 });
    expect(r.samples.map((s) => [s.kind, s.error])).toEqual([['error', 'text-fn: the update did not finish within the update timeout']]);
    assertRestored(h, specs.slice(0, 1));
    assertNoSecrets(h, r);
  });
});
