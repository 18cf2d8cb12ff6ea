/**
 * AWS error names and how to read an SDK error, in one place: which names mean bad credentials, denied permissions,
 * throttling, a stale revision or an update in progress. Recognised by name and HTTP status, never by message; an
 * error's message is made safe to print (safeMessage) before anyone prints it.
 */

/** The SDK error's name (`AccessDeniedException`), or ''. */
export function errorName(e: unknown): string {
  if (typeof e === 'object' && e !== null) {
    const o = e as { name?: unknown };
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

/** Error names that mean the credentials are fine but lack a permission (any 403 means so too). */
export const ACCESS_DENIED_NAMES: ReadonlySet<string> = new Set(['AccessDeniedException', 'AccessDenied']);

/** The SDK's throttling error codes (@smithy/service-error-classification THROTTLING_ERROR_CODES). */
export const THROTTLING_NAMES: ReadonlySet<string> = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);

/** 412 PreconditionFailedException: the RevisionId we sent is stale (someone changed the function): re-read, decide again. */
export function isPreconditionFailed(e: unknown): boolean {
  return errorName(e) === 'PreconditionFailedException' || httpStatus(e) === 412;
}

/** 409 ResourceConflictException: another update is in progress: wait for it, then try again. */
export function isConflict(e: unknown): boolean {
  return errorName(e) === 'ResourceConflictException' || httpStatus(e) === 409;
}

function isThrottleItself(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as { $retryable?: { throttling?: unknown } };
  return httpStatus(e) === 429 || THROTTLING_NAMES.has(errorName(e)) || o.$retryable?.throttling === true;
}

/**
 * A throttling error (429), itself or anywhere along its `cause` chain — recognised as the SDK's own retry strategy does
 * (@smithy's isThrottlingError: HTTP 429, a throttling error code, or the `$retryable.throttling` trait).
 */
export function isThrottle(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur !== undefined && cur !== null && depth < 5; depth++) {
    if (isThrottleItself(cur)) return true;
    cur = cur instanceof Error ? cur.cause : undefined;
  }
  return false;
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
