/**
 * Engine deps for tests that mock the AWS SDK (aws-sdk-client-mock): real clients (their sends are mocked), a fake
 * clock whose sleep only advances time, numbered nonces, and the log collected in `lines`.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { EngineDeps } from '../../src/lambda/types.js';

export function mockedDeps(start = 1_700_000_000_000): EngineDeps & { lines: string[] } {
  const lines: string[] = [];
  let n = 0;
  let t = start;
  const credentials = { accessKeyId: 'a', secretAccessKey: 'b' };
  return {
    lambda: new LambdaClient({ region: 'us-east-1', credentials }),
    logs: new CloudWatchLogsClient({ region: 'us-east-1', credentials }),
    now: () => t,
    sleep: async (ms: number) => void (t += ms),
    nonce: () => `n${++n}`,
    log: {
      info: (m) => lines.push(m),
      warning: (m) => lines.push(`W ${m}`),
      notice: (m) => lines.push(m),
      group: (title, ls) => lines.push(title, ...ls),
    },
    lines,
  };
}
