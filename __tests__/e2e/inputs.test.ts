import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotations, createJob, runMain } from '../../scripts/local-runner.js';

// Any request to AWS or GitHub would land here: bad input must fail before the first one.
let server: Server;
let url = '';
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(500).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('bad input, run as the runner runs dist/index.js', () => {
  it('memory 64: one ::error:: naming 64 and the range, exit 1, no network call', async () => {
    const job = createJob({
      inputs: { functions: 'hello-node', memory: '64' },
      env: { AWS_ENDPOINT_URL: url, GITHUB_API_URL: url, ACTIONS_RESULTS_URL: url },
    });
    const result = await runMain(job);
    expect(result.code).toBe(1);
    expect(annotations(result.stdout, 'error')).toEqual(['memory: "64" is not allowed; use a whole number from 128 to 10240 (MB)']);
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(requests).toEqual([]);
    expect(result.outputs).toEqual({});
  });

  it('several problems: one ::error:: each, all at once (a burst-size with the sequential strategy too)', async () => {
    const job = createJob({
      inputs: { functions: 'ok-fn\nfn:prod', repetitions: '0', 'report-source': 'logs', 'burst-size': '8' },
      env: { AWS_ENDPOINT_URL: url, GITHUB_API_URL: url },
    });
    const result = await runMain(job);
    expect(result.code).toBe(1);
    const errors = annotations(result.stdout, 'error');
    expect(errors).toHaveLength(4);
    expect(errors[0]).toMatch(/functions: "fn:prod" names the qualifier "prod"/);
    expect(errors[1]).toMatch(/repetitions: "0"/);
    expect(errors[2]).toMatch(/report-source: "logs"/);
    expect(errors[3]).toBe(
      'burst-size: 8 is set, but strategy is sequential (one invoke per update); set strategy to burst or compare, or leave burst-size empty',
    );
    expect(requests).toEqual([]);
  });
});
