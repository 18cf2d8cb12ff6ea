/**
 * The error tree. Every error of ours is a ColdstartError; its subclass says who can fix it, and so how it is shown:
 *
 *   ColdstartError
 *   ├─ UserError            the user can fix it (input, a file, a function's state): one line, no stack
 *   │  ├─ ConfigError       inputs or flags, every problem at once
 *   │  ├─ UsageError        the CLI's command line (exit 2)
 *   │  ├─ PreflightError    functions that cannot be measured, every problem at once; nothing was changed
 *   │  └─ OwnershipError    another run is changing the function
 *   ├─ AccessError          the credentials cannot do what the run needs (the role's permissions)
 *   │  └─ CredentialsError  AWS refused the credentials themselves (expired, invalid, none)
 *   ├─ UpdateError          Lambda reported a failed configuration update, or the wait timed out
 *   ├─ HistoryFormatError   a text is not a history.json this version reads
 *   └─ CancelledError       the run was cancelled (SIGINT/SIGTERM, the runner's cancel)
 *
 * Every error keeps the error it replaces as `cause`.
 */
import { ACCESS_DENIED_NAMES, CREDENTIAL_ERROR_NAMES, errorName, httpStatus, safeMessage } from './aws-errors.js';

// Each class names itself in a literal: a bundler may rename the class, and `name` is what a stack trace shows.
export class ColdstartError extends Error {
  override name = 'ColdstartError';
}

/** The user can fix it: shown as one line, without a stack trace. */
export class UserError extends ColdstartError {
  override name = 'UserError';
}

/** Inputs (or the CLI's flags) that cannot be used; every problem at once, one line each. */
export class ConfigError extends UserError {
  override name = 'ConfigError';
  constructor(
    readonly problems: string[],
    options?: ErrorOptions,
  ) {
    super(problems.join('\n'), options);
  }
}

/** A bad command line: exit 2, one line. */
export class UsageError extends UserError {
  override name = 'UsageError';
}

/** Preflight found problems; the message lists every one, one line each, naming the function. Nothing was changed. */
export class PreflightError extends UserError {
  override name = 'PreflightError';
  constructor(readonly problems: string[]) {
    super(
      `Preflight found ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was changed:\n` +
        problems.map((p) => `- ${p}`).join('\n'),
    );
  }
}

/** Another run's undo record is on the function (it is changing it now): the function is left alone. */
export class OwnershipError extends UserError {
  override name = 'OwnershipError';
  constructor(
    readonly functionName: string,
    /** The run whose record is on the function. */
    readonly runId: string,
    message: string,
  ) {
    super(message);
  }
}

/** The credentials cannot do what the run needs: the whole run stops (after undoing what it changed). */
export class AccessError extends ColdstartError {
  override name = 'AccessError';
}

/**
 * AWS rejected the credentials themselves (expired, invalid, none found): one error for the whole run — never reported
 * as missing permissions, never once per function. `cause` is the SDK's error. The message gives the action's advice
 * (aws-actions/configure-aws-credentials); the CLI words its own from `reason` and `detail` (cli/credentials.ts).
 */
export class CredentialsError extends AccessError {
  override name = 'CredentialsError';
  /** `none`: the SDK found no credentials at all; `rejected`: AWS refused the ones it found. */
  readonly reason: 'none' | 'rejected';
  /** What the SDK said, safe to print. */
  readonly detail: string;
  constructor(cause: unknown) {
    const n = errorName(cause);
    const detail = safeMessage(cause);
    const reason = n === 'CredentialsProviderError' ? 'none' : 'rejected';
    super(
      reason === 'none'
        ? `no AWS credentials found (${detail}); configure them first, e.g. with aws-actions/configure-aws-credentials`
        : `AWS rejected the credentials (${n && !detail.startsWith(n) ? `${n}: ` : ''}${detail}): they are expired or invalid — ` +
            'refresh them (a longer run needs a longer session: role-duration-seconds of aws-actions/configure-aws-credentials)',
      { cause },
    );
    this.reason = reason;
    this.detail = n && !detail.startsWith(n) && reason === 'rejected' ? `${n}: ${detail}` : detail;
  }
}

/** Lambda reported LastUpdateStatus Failed (message = its LastUpdateStatusReason), or the wait timed out. */
export class UpdateError extends ColdstartError {
  override name = 'UpdateError';
  constructor(
    message: string,
    readonly timedOut = false,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The text is not a history.json this version reads. The message never quotes the text (it may be any file). */
export class HistoryFormatError extends ColdstartError {
  override name = 'HistoryFormatError';
}

/** The run was cancelled: no new samples, what was measured is kept, the functions are restored. */
export class CancelledError extends ColdstartError {
  override name = 'CancelledError';
  constructor(message = 'the run was cancelled', options?: ErrorOptions) {
    super(message, options);
  }
}

export function isCredentialsError(e: unknown): boolean {
  return e instanceof CredentialsError || CREDENTIAL_ERROR_NAMES.has(errorName(e));
}

/** Throws a CredentialsError when `e` is one (keeps it when it already is). */
export function rethrowCredentials(e: unknown): void {
  if (e instanceof CredentialsError) throw e;
  if (isCredentialsError(e)) throw new CredentialsError(e);
}

/** Permissions (or credentials) refused, by our type, the SDK's error name, or HTTP 403. */
export function isAccessError(e: unknown): boolean {
  return e instanceof AccessError || ACCESS_DENIED_NAMES.has(errorName(e)) || isCredentialsError(e) || httpStatus(e) === 403;
}

/** A raw SDK error whose name says what it is, as one of ours (credentials refused, permission denied); else itself. */
export function typedError(e: unknown): unknown {
  if (e instanceof ColdstartError || !(e instanceof Error)) return e;
  if (CREDENTIAL_ERROR_NAMES.has(e.name)) return new CredentialsError(e);
  if (ACCESS_DENIED_NAMES.has(e.name)) {
    return new AccessError(`AWS refused the request (${e.name}): ${e.message} — check the IAM policy in the README`, { cause: e });
  }
  return e;
}

/** One line for the user; `stack` only for errors that are not the user's (or the role's) to fix. */
export function describeError(e: unknown): { message: string; stack?: string } {
  const typed = typedError(e);
  if (typed instanceof UserError || typed instanceof AccessError || typed instanceof CancelledError) return { message: typed.message };
  if (typed instanceof Error)
    return typed.stack === undefined ? { message: typed.message } : { message: typed.message, stack: typed.stack };
  return { message: String(typed) };
}
