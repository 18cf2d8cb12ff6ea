/** Errors of the engine, and helpers to classify SDK errors without printing secrets. */

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

const ACCESS_NAMES = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'InvalidClientTokenId',
]);

export function isAccessError(e: unknown): boolean {
  return ACCESS_NAMES.has(errorName(e)) || httpStatus(e) === 403;
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
