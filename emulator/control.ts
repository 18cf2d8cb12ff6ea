/** `emu.control`: what other actors (and Lambda itself) do to the emulated account while a test runs. */
import type { EmulatorClock } from './clock.js';
import { ApiError } from './errors.js';
import type { LambdaService } from './lambda.js';
import type { ApiCall, EmulatorControl, Faults, Latency, Quotas } from './types.js';

export interface ControlDeps {
  lambda: LambdaService;
  faults: Faults;
  clock: EmulatorClock;
  calls: ApiCall[];
  setLatency(partial: Partial<Latency>): void;
  setQuotas(partial: Quotas): void;
}

/** Merges a partial fault set into the live one (per operation / per function). */
function mergeFaults(faults: Faults, partial: Faults): void {
  const p = structuredClone(partial);
  if (p.failNext) faults.failNext = { ...faults.failNext, ...p.failNext };
  if (p.failRate) faults.failRate = { ...faults.failRate, ...p.failRate };
  if (p.foreignTrafficAfterUpdate)
    faults.foreignTrafficAfterUpdate = { ...faults.foreignTrafficAfterUpdate, ...p.foreignTrafficAfterUpdate };
  if (p.proactiveInitRate !== undefined) faults.proactiveInitRate = p.proactiveInitRate;
  if (p.failUpdatesRemoving) faults.failUpdatesRemoving = { ...faults.failUpdatesRemoving, ...p.failUpdatesRemoving };
  if (p.failNextInit) faults.failNextInit = { ...faults.failNextInit, ...p.failNextInit };
}

export function createControl(d: ControlDeps): EmulatorControl {
  const { lambda, clock, calls } = d;
  return {
    setLatency: (partial) => d.setLatency(partial),
    setFaults: (partial) => mergeFaults(d.faults, partial),
    setQuotas: (partial) => d.setQuotas(partial),
    async foreignInvoke(name) {
      const fn = lambda.resolve(name);
      const time = clock.now();
      try {
        const out = await lambda.invoke(fn, { foreign: true, invocationType: 'RequestResponse', payload: Buffer.from('{}'), tail: false })
          .done;
        calls.push({ service: 'lambda', operation: 'Invoke', functionName: fn.name, time, status: 200, foreign: true });
        return structuredClone(out.record);
      } catch (e) {
        if (e instanceof ApiError)
          calls.push({
            service: 'lambda',
            operation: 'Invoke',
            functionName: fn.name,
            time,
            status: e.status,
            errorType: e.type,
            foreign: true,
          });
        throw e;
      }
    },
    outsideChange: (name, change) => lambda.outsideChange(name, change),
    outsideChangeDuringNextInvoke: (name, change) => lambda.outsideChangeDuringNextInvoke(name, change),
    deployCode: (name, deploy) => lambda.deployCode(name, deploy),
    setRuntimeVersion: (name, n) => lambda.setRuntimeVersion(name, n),
    failNextInit(name, failure) {
      const fn = lambda.resolve(name);
      const { count = 1, ...rest } = failure;
      mergeFaults(d.faults, { failNextInit: { [fn.name]: { ...rest, count } } });
    },
    setReservedConcurrency: (name, n) => lambda.setReserved(lambda.resolve(name), n),
    setClockOffset(offsetMs) {
      if (!Number.isFinite(offsetMs)) throw new Error('clock offset must be a finite number of ms');
      clock.offsetMs = offsetMs;
    },
    setClientClockOffset: (accessKeyId, offsetMs) => clock.setClient(accessKeyId, offsetMs),
  };
}
