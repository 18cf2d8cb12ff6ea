/**
 * The logger the GitHub helpers write to. `@actions/core` satisfies it (pass `core`), so does `console`
 * with a `warning` alias. The helpers only write info/debug lines themselves: warnings and notices meant
 * for the user are RETURNED (`{ warning }` / `{ notice }`) so the caller decides how to surface them.
 */
export interface Log {
  info(message: string): void;
  warning(message: string): void;
  debug?(message: string): void;
}

/** A Log that drops everything (tests, quiet callers). */
export const silentLog: Log = { info() {}, warning() {}, debug() {} };

/** Status and message of an error thrown by Octokit (RequestError) or anything else. */
export function errorInfo(error: unknown): { status?: number; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? { status, message } : { message };
}
