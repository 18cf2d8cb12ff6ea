/**
 * What a sample's INIT lines add to what its REPORT says: the runtime version of its environment (INIT_START), and
 * whether its init failed or timed out (INIT_REPORT) — Lambda then re-ran the init inside the invoke and the REPORT has
 * no Init Duration, so without these lines the sample reads as warm. PURE.
 */
import { initOutcome, type InvocationLog } from '../logs/invocation.js';
import type { Sample } from '../results/model.js';

/** The runtime version INIT_START named, set on a sample of a new environment (cold or init-failed). */
function withRuntimeVersion(s: Sample, log: InvocationLog): Sample {
  const start = log.initStart;
  if (!start || (s.kind !== 'cold' && s.kind !== 'init-failed')) return s;
  const out = { ...s };
  if (start.runtimeVersion !== undefined) out.runtimeVersion = start.runtimeVersion;
  if (start.runtimeVersionArn !== undefined) out.runtimeVersionArn = start.runtimeVersionArn;
  return out;
}

/**
 * `sample` as its invocation's lines tell it: `init-failed` (init = how long the failed init phase ran, initStatus and
 * initErrorType from the INIT_REPORT; `error` keeps the invoke's error when the re-run failed too) when an INIT_REPORT says
 * the init failed or timed out; otherwise unchanged. A failed init at another memory size than `expectedMemory` is someone
 * else's change: warm, retried and not counted, as a cold start at another size is.
 */
export function applyInitLines(sample: Sample, log: InvocationLog, expectedMemory?: number): Sample {
  const o = initOutcome(log);
  if (o.kind !== 'init-failed') return withRuntimeVersion(sample, log);
  const ranAt = log.report?.memorySizeMb;
  if (expectedMemory !== undefined && ranAt !== undefined && ranAt !== expectedMemory) {
    return { ...sample, kind: 'warm', init: null, restore: null, error: `ran at ${ranAt} MB: the memory was changed by someone else` };
  }
  const out: Sample = { ...sample, kind: 'init-failed', init: o.initMs, restore: null, initStatus: o.status };
  if (o.errorType !== undefined) out.initErrorType = o.errorType;
  if (sample.kind !== 'error') delete out.error;
  return withRuntimeVersion(out, log);
}
