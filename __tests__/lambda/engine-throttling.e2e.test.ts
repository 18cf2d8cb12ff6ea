/** The engine under throttling on every call (the SDK's adaptive retry), and with cold starts stolen by others' traffic. */
import { afterEach, describe, expect, it } from 'vitest';
import { assertGroundTruth, assertRestored, basePlan, closeEmulator, harness, run, specs } from '../helpers/engine-harness.js';
afterEach(closeEmulator);

describe('measure against the emulator', () => {
  it('rides out control-plane throttling and 5xx on every call it makes (SDK adaptive retry)', async () => {
    const h = await harness({
      functions: specs.slice(0, 1),
      faults: {
        failNext: {
          UpdateFunctionConfiguration: { count: 2, status: 429, type: 'TooManyRequestsException', retryAfterSec: 0 },
          GetFunction: { count: 2, status: 429, type: 'TooManyRequestsException', retryAfterSec: 0 },
          Invoke: { count: 1, status: 503, type: 'ServiceException' },
          GetQueryResults: { count: 1, status: 500, type: 'ServiceUnavailableException' },
        },
      },
    });
    const r = await run(h, ['text-fn'], { ...basePlan, memory: [256], repetitions: 3 });
    expect(r.samples.filter((s) => s.kind === 'cold')).toHaveLength(3);
    expect(r.samples.filter((s) => s.kind !== 'cold')).toEqual([]);
    assertGroundTruth(h, r);
    assertRestored(h, specs.slice(0, 1));
    const calls = h.emu.state().calls;
    expect(calls.filter((c) => c.operation === 'UpdateFunctionConfiguration' && c.status === 429)).toHaveLength(2);
    expect(calls.filter((c) => c.operation === 'GetFunction' && c.status === 429)).toHaveLength(2);
    expect(calls.filter((c) => c.operation === 'Invoke' && c.status === 503)).toHaveLength(1);
  });

  it('foreign traffic and proactive initialisation steal cold starts: warm retries, never reported cold', async () => {
    const h = await harness({ functions: specs.slice(0, 2), faults: { foreignTrafficAfterUpdate: { 'text-fn': 3 } } });
    const r = await run(h, ['text-fn', 'json-fn'], basePlan);
    const text = r.samples.filter((s) => s.function === 'text-fn');
    expect(text.filter((s) => s.kind === 'cold')).toHaveLength(4);
    expect(text.filter((s) => s.kind === 'warm')).toHaveLength(3);
    expect(text[0]).toMatchObject({ kind: 'warm', sequence: 1, attempt: 1, init: null });
    assertGroundTruth(h, r);
    assertRestored(h, specs.slice(0, 2));
    expect(r.notes.some((n) => n.startsWith('text-fn: 3 invocations were warm'))).toBe(true);
    expect(h.lines.some((l) => l.startsWith('text-fn · 256 MB · 1/2 · warm (attempt 1) · retrying'))).toBe(true);
  });
});
