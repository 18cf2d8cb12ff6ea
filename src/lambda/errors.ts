/** Errors of the engine, and helpers to classify SDK errors without printing secrets. */
import type { MarkerRecord } from './marker.js';

/** Preflight found problems; the message lists every one, one line each, naming the function. Nothing was changed. */
export class PreflightError extends Error {
  constructor(public readonly problems: string[]) {
    super(
      `Preflight found ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was changed:\n` +
        problems.map((p) => `- ${p}`).join('\n'),
    );
    this.name = 'PreflightError';
  }
}

/** The credentials cannot do what the run needs: the whole run stops (after undoing what it changed). */
export class AccessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccessError';
  }
}

/** Lambda reported LastUpdateStatus Failed (message = its LastUpdateStatusReason), or the wait timed out. */
export class UpdateError extends Error {
  constructor(
    message: string,
    public readonly timedOut = false,
  ) {
    super(message);
    this.name = 'UpdateError';
  }
}

/**
 * AWS rejected the credentials themselves (expired, invalid, none found): one error for the whole run — never reported
 * as missing permissions, never once per function. `cause` is the SDK's error.
 */
export class CredentialsError extends AccessError {
  constructor(cause: unknown) {
    const n = errorName(cause);
    const detail = safeMessage(cause);
    super(
      n === 'CredentialsProviderError'
        ? `no AWS credentials found (${detail}); configure them first, e.g. with aws-actions/configure-aws-credentials`
        : `AWS rejected the credentials (${n && !detail.startsWith(n) ? `${n}: ` : ''}${detail}): they are expired or invalid — ` +
            'refresh them (a longer run needs a longer session: role-duration-seconds of aws-actions/configure-aws-credentials)',
    );
    this.name = 'CredentialsError';
    this.cause = cause;
  }
}

/** Another run's undo record is on the function (it is changing it now): the function is left alone. */
export class OwnershipError extends Error {
  constructor(
    readonly functionName: string,
    readonly record: MarkerRecord,
    nowMs: number,
  ) {
    super(ownershipMessage(functionName, record, nowMs));
    this.name = 'OwnershipError';
  }
}

/** The one sentence for "another run is changing this function" (preflight and the engine say it alike). */
export function ownershipMessage(name: string, record: MarkerRecord, nowMs: number): string {
  const ago = Math.max(0, Math.round((nowMs - record.updatedAt) / 1000));
  return (
    `${name}: run ${record.runId} is changing this function (its last update ${ago} s ago), so this run left it alone; ` +
    'give the workflows that measure it one concurrency group (`concurrency:` in the workflow), or wait until that run has finished ' +
    `(if it died, \`lambda-coldstart restore --functions ${name} --force\` puts the function back now)`
  );
}

/**
 * The one sentence for "a run left this function changed on purpose (restore: false)": its record holds the true original,
 * which measuring would overwrite (and our undo then delete).
 */
export function keptRecordMessage(name: string, record: MarkerRecord): string {
  return (
    `${name}: carries the undo record run ${record.runId} left on purpose (restore: false), which holds its original memory ` +
    `(${record.originalMemory} MB): run \`lambda-coldstart restore --functions ${name}\` (or the action with mode: restore) first, ` +
    'or measure it as it is by removing COLDSTART_NONCE from its environment variables'
  );
}

/** 412 PreconditionFailedException: the RevisionId we sent is stale (someone changed the function): re-read, decide again. */
export function isPreconditionFailed(e: unknown): boolean {
  return errorName(e) === 'PreconditionFailedException' || httpStatus(e) === 412;
}

/** 409 ResourceConflictException: another update is in progress: wait for it, then try again. */
export function isConflict(e: unknown): boolean {
  return errorName(e) === 'ResourceConflictException' || httpStatus(e) === 409;
}

export function errorName(e: unknown): string {
  if (typeof e === 'object' && e !== null) {
    const o = e as { name?: unknown; Code?: unknown };
    if (typeof o.name === 'string') return o.name;
  }
  return '';
}

export function httpStatus(e: unknown): number | undefined {
  if (typeof e === 'object' && e !== null) {
    const m = (e as { $metadata?: { httpStatusCode?: unknown } }).$metadata;
    if (m && typeof m.httpStatusCode === 'number') return m.httpStatusCode;
  }
  return undefined;
}

/** Error names (SDK service exceptions and the SDK's own) that mean the credentials, not the permissions, are wrong. */
export const CREDENTIAL_ERROR_NAMES: ReadonlySet<string> = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'InvalidAccessKeyId',
  'MissingAuthenticationToken',
  'TokenRefreshRequired',
  'CredentialsProviderError',
]);

export function isCredentialsError(e: unknown): boolean {
  return e instanceof CredentialsError || CREDENTIAL_ERROR_NAMES.has(errorName(e));
}

/** Throws a CredentialsError when `e` is one (keeps it when it already is). */
export function rethrowCredentials(e: unknown): void {
  if (e instanceof CredentialsError) throw e;
  if (isCredentialsError(e)) throw new CredentialsError(e);
}

const ACCESS_NAMES = new Set(['AccessDeniedException', 'AccessDenied']);

export function isAccessError(e: unknown): boolean {
  return e instanceof AccessError || ACCESS_NAMES.has(errorName(e)) || isCredentialsError(e) || httpStatus(e) === 403;
}

/**
 * An error message safe to print: Lambda quotes the environment in some messages ("String measured: {...}"),
 * so cut that off, and mask any of the given values that still appear.
 */
export function safeMessage(e: unknown, secrets: Iterable<string> = []): string {
  let m = e instanceof Error ? e.message : typeof e === 'string' ? e : JSON.stringify(e);
  m = m ?? String(e);
  const cut = m.search(/string measured/i);
  if (cut >= 0) m = m.slice(0, cut).trimEnd() + ' [environment redacted]';
  for (const s of secrets) {
    if (s.length >= 3) m = m.split(s).join('***');
  }
  // Name SDK service exceptions (they carry $metadata); our own errors already say what happened.
  const name = httpStatus(e) !== undefined || (typeof e === 'object' && e !== null && '$metadata' in e) ? errorName(e) : '';
  return name && name !== 'Error' && !m.startsWith(name) ? `${name}: ${m}` : m;
}
