/** Errors the user can fix are shown as one line, without a stack trace; everything else keeps its stack for debug output. */
import { AccessError, CredentialsError, CREDENTIAL_ERROR_NAMES } from './lambda/errors.js';

export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** Permissions the role lacks (the credentials themselves are fine). */
const ACCESS_ERRORS = new Set(['AccessDeniedException', 'AccessDenied', 'KMSAccessDeniedException']);

/** One line for the user; `stack` only for errors that are not the user's to fix. */
export function describeError(e: unknown): { message: string; stack?: string } {
  if (e instanceof UserError || e instanceof AccessError) return { message: e.message };
  if (e instanceof Error) {
    if (e.name === 'PreflightError' || e.name === 'OwnershipError') return { message: e.message };
    // Expired or invalid credentials are said as such — never as missing permissions.
    if (CREDENTIAL_ERROR_NAMES.has(e.name)) return { message: new CredentialsError(e).message };
    if (ACCESS_ERRORS.has(e.name)) {
      return { message: `AWS refused the request (${e.name}): ${e.message} — check the IAM policy in the README` };
    }
    return e.stack === undefined ? { message: e.message } : { message: e.message, stack: e.stack };
  }
  return { message: String(e) };
}
