/** Errors the user can fix are shown as one line, without a stack trace; everything else keeps its stack for debug output. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

const ACCESS_ERRORS = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'KMSAccessDeniedException',
]);

/** One line for the user; `stack` only for errors that are not the user's to fix. */
export function describeError(e: unknown): { message: string; stack?: string } {
  if (e instanceof UserError) return { message: e.message };
  if (e instanceof Error) {
    if (e.name === 'PreflightError') return { message: e.message };
    if (ACCESS_ERRORS.has(e.name)) {
      return { message: `AWS refused the request (${e.name}): ${e.message} — check the credentials and the IAM policy in the README` };
    }
    if (e.name === 'CredentialsProviderError') {
      return { message: `no AWS credentials found (${e.message}); configure them first, e.g. with aws-actions/configure-aws-credentials` };
    }
    return e.stack === undefined ? { message: e.message } : { message: e.message, stack: e.stack };
  }
  return { message: String(e) };
}
