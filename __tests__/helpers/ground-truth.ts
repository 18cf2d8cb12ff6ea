/** The check every engine test makes against the emulator: each reported sample is what Lambda (the emulator) really did. */
import { expect } from 'vitest';
import type { Emulator } from '../../emulator/types.js';
import type { Sample } from '../../src/results/model.js';

/** Cold samples equal the ground truth (numbers as printed); warm samples were really warm; errors were not successes; none came from foreign traffic. */
export function assertGroundTruth(emu: Pick<Emulator, 'state'>, samples: readonly Sample[]): void {
  const inv = new Map(emu.state().invocations.map((i) => [i.requestId, i]));
  for (const s of samples) {
    if (!s.requestId) continue;
    const g = inv.get(s.requestId);
    expect(g, `invocation ${s.requestId}`).toBeDefined();
    expect(g!.foreign).toBe(false);
    if (s.kind === 'cold') {
      expect(g!.cold).toBe(true);
      expect({ init: s.init, duration: s.duration, billed: s.billed, maxMemory: s.maxMemory, memory: s.memory }).toEqual({
        init: g!.initMs,
        duration: g!.durationMs,
        billed: g!.billedMs,
        maxMemory: g!.maxMemoryUsedMb,
        memory: g!.memorySizeMb,
      });
    } else if (s.kind === 'warm') {
      expect(g!.cold).toBe(false);
      expect(s.init).toBeNull();
    } else {
      expect(g!.status).not.toBe('success');
    }
  }
}
