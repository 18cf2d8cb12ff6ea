/** Status and message of an error thrown by Octokit (RequestError) or anything else. */
export function errorInfo(error: unknown): { status?: number; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? { status, message } : { message };
}
