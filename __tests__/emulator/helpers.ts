import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { Emulator } from '../../emulator/index.js';

const credentials = { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' };

/** Real SDK clients pointed at the emulator; maxAttempts 1 so injected errors surface instead of being retried. */
export function clients(emu: Emulator, maxAttempts = 1): { lambda: LambdaClient; logs: CloudWatchLogsClient } {
  return {
    lambda: new LambdaClient({ endpoint: emu.url, region: 'us-east-1', credentials, maxAttempts }),
    logs: new CloudWatchLogsClient({ endpoint: emu.url, region: 'us-east-1', credentials, maxAttempts }),
  };
}

/** Polls until `check` returns a value (not undefined) or the deadline passes. */
export async function until<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000, stepMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export const SYN = {
  initMs: { mean: 150, sd: 20 },
  durationMs: { mean: 3, sd: 1 },
} as const;
