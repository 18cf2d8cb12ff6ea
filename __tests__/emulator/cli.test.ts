import { GetFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { clients } from './helpers.js';
import { DEFAULT_CLI_PORT, type Emulator } from '../../emulator/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitDead(pid: number, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return !alive(pid);
}

/** A config file with a real Node.js function and a synthetic one (ports: none, so the CLI's default applies). */
function writeConfig(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'emu-cli-'));
  const fnDir = path.join(dir, 'fn');
  mkdirSync(fnDir);
  writeFileSync(path.join(fnDir, 'index.mjs'), 'export const handler = async () => ({ pid: process.pid });\n');
  const cfg = path.join(dir, 'config.json');
  writeFileSync(
    cfg,
    JSON.stringify({
      seed: 1,
      functions: [
        { name: 'pidfn', runtime: 'nodejs20.x', process: { dir: 'fn' } },
        { name: 'syn', runtime: 'python3.11', synthetic: { initMs: { mean: 100, sd: 10 }, durationMs: { mean: 2, sd: 0.5 } } },
      ],
    }),
  );
  return cfg;
}

function spawnCli(args: string[]): ChildProcess {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'emulator/cli.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child = proc;
  return proc;
}

/** Runs the CLI to its end: exit code and output. */
async function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawnCli(args);
  let stdout = '';
  let stderr = '';
  proc.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  proc.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((res) => proc.once('close', (c) => res(c)));
  return { code, stdout, stderr };
}

/** Holds a port on 127.0.0.1 (the given one, or any free one) until released. */
async function holdPort(port = 0): Promise<{ port: number; release: () => Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    release: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Starts `node --import tsx emulator/cli.ts --config FILE` (what `npm run emulator` runs) and reads its URL line. */
async function startCli(): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawnCli(['--config', writeConfig(), '--port', '0']);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no EMULATOR_URL line; stdout: ${out}`)), 20_000);
    proc.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /^EMULATOR_URL=(http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    proc.once('exit', (code) => reject(new Error(`emulator exited early (${code}); stdout: ${out}`)));
  });
  return { url, proc };
}

const fake = (url: string): Emulator => ({ url }) as Emulator;

describe('emulator: CLI', () => {
  it('prints EMULATOR_URL, serves the SDK, and stops cleanly on SIGTERM killing its runtimes', async () => {
    const { url, proc } = await startCli();
    const { lambda } = clients(fake(url));
    expect((await lambda.send(new GetFunctionCommand({ FunctionName: 'syn' }))).Configuration?.Runtime).toBe('python3.11');
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'pidfn' }));
    const { pid } = JSON.parse(Buffer.from(r.Payload ?? []).toString()) as { pid: number };
    expect(alive(pid)).toBe(true);
    const exited = new Promise<number | null>((res) => proc.once('exit', (code) => res(code)));
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await waitDead(pid)).toBe(true);
  });

  it('a busy port: one line naming the port and what to pass, exit status 2, no stack trace', async () => {
    const held = await holdPort();
    try {
      const r = await runCli(['--config', writeConfig(), '--port', String(held.port)]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`emulator: port ${held.port} is in use; pass --port <another port> (0 picks any free port)\n`);
    } finally {
      await held.release();
    }
  });

  it(`listens on ${DEFAULT_CLI_PORT} by default (not LocalStack's 4566)`, async () => {
    expect(DEFAULT_CLI_PORT).not.toBe(4566);
    // Hold the default port (unless something else already does): the CLI must then name exactly that port.
    const held = await holdPort(DEFAULT_CLI_PORT).catch(() => undefined);
    try {
      const r = await runCli(['--config', writeConfig()]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`emulator: port ${DEFAULT_CLI_PORT} is in use; pass --port <another port> (0 picks any free port)\n`);
    } finally {
      await held?.release();
    }
  });

  it('leaves no orphan runtime when the emulator process is killed hard (SIGKILL)', async () => {
    const { url, proc } = await startCli();
    const { lambda } = clients(fake(url));
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'pidfn' }));
    const { pid } = JSON.parse(Buffer.from(r.Payload ?? []).toString()) as { pid: number };
    expect(alive(pid)).toBe(true);
    proc.kill('SIGKILL');
    // The runtime's long-poll on the Runtime API breaks, and the bootstrap exits by itself.
    expect(await waitDead(pid)).toBe(true);
  });
});
