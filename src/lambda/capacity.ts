/**
 * Burst sizing: how many concurrent invokes one burst may send without throttling anyone.
 * - default size = repetitions, at most MAX_BURST_SIZE;
 * - a function with reserved concurrency R: at most R − margin (margin = max(1, ⌈20 % of R⌉)) so the function's own
 *   production traffic keeps room; R = 0 means the function cannot be invoked at all;
 * - a function without reservation draws from the account's unreserved pool U: at most half of U, shared by the
 *   functions measured at the same time;
 * - reserved concurrency comes with GetFunction (no extra call); when GetAccountSettings is denied (or fails): a clear
 *   notice and a conservative cap;
 * - a 429 (throttled) shrinks the next burst (halved).
 * The sizing functions are PURE; `readUnreserved` does its read (the function's own reservation comes with
 * cycle.ts `readFunction`).
 */
import { GetAccountSettingsCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { MAX_BURST_SIZE } from '../config/limits.js';
import { isAccessError, rethrowCredentials } from '../core/errors.js';
import { safeMessage } from '../core/aws-errors.js';

/** Invokes in flight at once, all functions together, when the concurrency limits cannot be read. */
export const CONSERVATIVE_BURST_SIZE = 10;
/** Share of the account's unreserved concurrency a benchmark may take (all functions measured at once together). */
export const UNRESERVED_SHARE = 0.5;

/** Reserved concurrency: null = none reserved; 'unknown' = could not be read. */
export type Reserved = number | null | 'unknown';

/** Concurrency left free for production traffic of a function with reserved concurrency R. PURE. */
export function reservedMargin(reserved: number): number {
  return Math.max(1, Math.ceil(reserved * 0.2));
}

export interface BurstSizeInput {
  function: string;
  repetitions: number;
  /** The `burst-size` input; null = default (repetitions). */
  requested: number | null;
  reserved: Reserved;
  unreserved: number | 'unknown';
  /** Functions measured at the same time (min(plan.concurrency, targets)). */
  concurrentFunctions: number;
}

export interface BurstSize {
  /** The burst size to use; 0 = the function cannot be invoked (reserved concurrency 0). */
  size: number;
  /** What capped it (plain sentences, empty when nothing did). */
  reasons: string[];
}

/** The burst size for one function. PURE. */
export function burstSize(i: BurstSizeInput): BurstSize {
  const reasons: string[] = [];
  // Without the limits, CONSERVATIVE_BURST_SIZE is what the run sends at once in all: shared by the functions measured together.
  const functionsAtOnce = Math.max(1, i.concurrentFunctions);
  const conservative = Math.max(1, Math.floor(CONSERVATIVE_BURST_SIZE / functionsAtOnce));
  const sharedBy =
    functionsAtOnce > 1 ? ` (${CONSERVATIVE_BURST_SIZE} in flight in all, shared by ${functionsAtOnce} functions measured at once)` : '';
  const wanted = i.requested ?? i.repetitions;
  let size = Math.max(1, Math.min(wanted, MAX_BURST_SIZE));
  if (wanted > MAX_BURST_SIZE) reasons.push(`${i.function}: burst size capped at ${MAX_BURST_SIZE} (the maximum).`);
  if (i.reserved === 'unknown') {
    if (size > conservative) {
      size = conservative;
      reasons.push(
        `${i.function}: its reserved concurrency could not be read, so bursts were capped at ${conservative} to be safe${sharedBy}.`,
      );
    }
  } else if (i.reserved !== null) {
    const r = i.reserved;
    if (r <= 0) {
      return { size: 0, reasons: [`${i.function}: its reserved concurrency is 0 (every invoke is throttled); it cannot be measured.`] };
    }
    const cap = Math.max(1, r - reservedMargin(r));
    if (size > cap) {
      size = cap;
      reasons.push(
        `${i.function}: bursts capped at ${cap} by its reserved concurrency (${r}, keeping ${r === 1 ? 'none' : reservedMargin(r)} free for production traffic).`,
      );
    }
  }
  if (i.reserved === null) {
    if (i.unreserved === 'unknown') {
      if (size > conservative) {
        size = conservative;
        reasons.push(
          `${i.function}: the account's unreserved concurrency could not be read, so bursts were capped at ${conservative} to be safe${sharedBy}.`,
        );
      }
    } else {
      const share = Math.max(1, Math.floor((i.unreserved * UNRESERVED_SHARE) / Math.max(1, i.concurrentFunctions)));
      if (size > share) {
        size = share;
        reasons.push(
          `${i.function}: bursts capped at ${share} by the account's unreserved concurrency (${i.unreserved}; a benchmark takes at most half of it` +
            `${i.concurrentFunctions > 1 ? `, shared by ${i.concurrentFunctions} functions measured at once` : ''}).`,
        );
      }
    }
  }
  return { size, reasons };
}

/** The next burst size after `throttled` of `size` invokes were throttled (429). PURE. */
export function shrinkAfterThrottle(size: number, throttled: number): number {
  if (throttled <= 0) return size;
  return Math.max(1, Math.min(size - throttled, Math.floor(size / 2)));
}

/**
 * The account's unreserved concurrency (GetAccountSettings, once per run), needed only for functions without a
 * reservation. Denied or failed → 'unknown' with a notice; AccessDenied here never stops the run (optional permission).
 */
export async function readUnreserved(lambda: LambdaClient): Promise<{ unreserved: number | 'unknown'; notes: string[] }> {
  try {
    const s = await lambda.send(new GetAccountSettingsCommand({}));
    const u = s.AccountLimit?.UnreservedConcurrentExecutions;
    if (typeof u === 'number') return { unreserved: u, notes: [] };
    return {
      unreserved: 'unknown',
      notes: [`GetAccountSettings returned no unreserved concurrency; bursts are capped at ${CONSERVATIVE_BURST_SIZE}.`],
    };
  } catch (e) {
    rethrowCredentials(e); // expired credentials stop the run as such, never read as a missing optional permission
    return {
      unreserved: 'unknown',
      notes: [
        isAccessError(e)
          ? `lambda:GetAccountSettings was denied, so the account's unreserved concurrency is unknown; bursts are capped at ${CONSERVATIVE_BURST_SIZE}. Grant lambda:GetAccountSettings to size bursts exactly.`
          : `Could not read the account's concurrency limits (${safeMessage(e)}); bursts are capped at ${CONSERVATIVE_BURST_SIZE}.`,
      ],
    };
  }
}
