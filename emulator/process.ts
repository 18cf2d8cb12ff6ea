/**
 * Process runtimes: one real OS process per execution environment, speaking the Lambda Runtime API
 * (served by a small per-environment HTTP server on 127.0.0.1, like Lambda's per-sandbox endpoint).
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, accessSync, constants as fsConstants, mkdirSync, renameSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Absolute directories of the example functions shipped with the emulator. */
export const EXAMPLE_FUNCTIONS = {
  node: path.join(HERE, 'functions', 'hello-node'),
  python: path.join(HERE, 'functions', 'hello-py'),
  provided: path.join(HERE, 'functions', 'hello-provided'),
} as const;

export interface RuntimeAvailability {
  /** Path of the node binary (always available: the emulator runs on it). */
  node: string;
  /** Absolute path of the python3 interpreter, or null when missing. */
  python: string | null;
  /** The C compiler command (`cc`), or null when missing (needed only for hello-provided's bootstrap.c). */
  cc: string | null;
}

let availability: RuntimeAvailability | undefined;

/** Which process runtimes this machine can run (cached; synchronous so tests can use it in `describe.skipIf`). */
export function detectRuntimes(): RuntimeAvailability {
  if (availability) return availability;
  let python: string | null = null;
  const py = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8', timeout: 10_000 });
  if (py.status === 0 && py.stdout.trim()) python = py.stdout.trim();
  const cc = spawnSync('cc', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  availability = { node: process.execPath, python, cc: cc.status === 0 ? 'cc' : null };
  return availability;
}

const compiled = new Map<string, Promise<string>>();

/** `<dir>/bootstrap` if executable; else compiles `<dir>/bootstrap.c` once into a cache dir under the OS temp dir. */
export function resolveProvidedBootstrap(dir: string): Promise<string> {
  const exe = path.join(dir, 'bootstrap');
  if (existsSync(exe)) {
    try {
      accessSync(exe, fsConstants.X_OK);
      return Promise.resolve(exe);
    } catch {
      /* fall through to bootstrap.c */
    }
  }
  const src = path.join(dir, 'bootstrap.c');
  if (!existsSync(src)) return Promise.reject(new Error(`${dir} has neither an executable bootstrap nor bootstrap.c`));
  const hash = createHash('sha256').update(readFileSync(src)).digest('hex').slice(0, 16);
  const out = path.join(os.tmpdir(), 'lambda-coldstart-emulator', hash, 'bootstrap');
  let p = compiled.get(out);
  if (!p) {
    p = new Promise<string>((resolve, reject) => {
      if (existsSync(out)) return resolve(out);
      const cc = detectRuntimes().cc;
      if (!cc) return reject(new Error('no C compiler (cc) to build the provided runtime bootstrap'));
      mkdirSync(path.dirname(out), { recursive: true });
      const tmp = `${out}.${process.pid}.tmp`;
      execFile(cc, ['-O2', '-o', tmp, src], (err, _stdout, stderr) => {
        if (err) return reject(new Error(`cc failed: ${stderr || err.message}`));
        try {
          renameSync(tmp, out);
          resolve(out);
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      });
    });
    compiled.set(out, p);
    p.catch(() => compiled.delete(out));
  }
  return p;
}

export interface ProcessSpec {
  runtime: string;
  dir: string;
  handler?: string;
  /** Environment for the process (function variables + AWS_LAMBDA_* set by the caller). */
  env: Record<string, string>;
  /** Lambda's init phase limit (on-demand init), or the function timeout for an init re-run inside an invoke. */
  initTimeoutMs: number;
  /**
   * Makes this init fail although the code would not: `error` kills the process right after it started (a crash),
   * `timeout` ignores its first `next` request so init outlasts initTimeoutMs.
   */
  forceInit?: 'timeout' | 'error';
  onLog: (line: string) => void;
}

export class InitError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
    readonly initMs: number,
    /** The init outlasted its limit (otherwise the runtime crashed or reported an init error). */
    readonly timedOut = false,
  ) {
    super(message);
    this.name = 'InitError';
  }
}

/** How Lambda (a Go service) words a process's end: `exit status 1`, `signal: killed`. */
function exitReason(code: number | null, signal: NodeJS.Signals | null): string {
  if (!signal) return `exit status ${code ?? 0}`;
  const names: Partial<Record<NodeJS.Signals, string>> = {
    SIGKILL: 'killed',
    SIGTERM: 'terminated',
    SIGSEGV: 'segmentation fault',
    SIGABRT: 'aborted',
  };
  return `signal: ${names[signal] ?? signal}`;
}

export interface ProcessInvokeResult {
  status: 'success' | 'error' | 'timeout';
  payload: Buffer;
  errorType?: string;
  /** Handler time (ms): event delivered → response/error posted. */
  durationMs: number;
  /** The process died or timed out: the environment must be discarded. */
  dead: boolean;
}

interface Pending {
  requestId: string;
  payload: Buffer;
  deadlineMs: number;
  functionArn: string;
  deliveredAt?: number;
  resolve: (r: ProcessInvokeResult) => void;
}

const REQ_PATH = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/;

/** One execution environment backed by a real process. */
export class ProcessEnvironment {
  private child: ChildProcess | undefined;
  private server: http.Server | undefined;
  private waitingNext: http.ServerResponse | undefined;
  private pending: Pending | undefined;
  private exited = false;
  private exitPromise: Promise<void> = Promise.resolve();
  private onInitDone: ((err?: InitError) => void) | undefined;
  private spawnedAt = 0;
  private lastHwmMb: number | undefined;
  private holdInit = false;
  initMs = 0;

  get pid(): number | undefined {
    return this.child?.pid;
  }
  get alive(): boolean {
    return !!this.child && !this.exited;
  }

  /** Spawns the process and resolves when it first asks for an invocation (Init Duration = that moment − spawn). */
  static async start(spec: ProcessSpec): Promise<ProcessEnvironment> {
    const env = new ProcessEnvironment();
    await env.boot(spec);
    return env;
  }

  private async command(spec: ProcessSpec): Promise<{ cmd: string; args: string[] }> {
    const rt = spec.runtime;
    if (rt.startsWith('nodejs')) return { cmd: process.execPath, args: [path.join(HERE, 'runtimes', 'node', 'bootstrap.mjs')] };
    if (rt.startsWith('python')) {
      const py = detectRuntimes().python;
      if (!py) throw new InitError('Runtime.Unavailable', 'python3 is not installed on this machine', 0);
      return { cmd: py, args: ['-u', '-B', path.join(HERE, 'runtimes', 'python', 'bootstrap.py')] };
    }
    if (rt.startsWith('provided')) return { cmd: await resolveProvidedBootstrap(spec.dir), args: [] };
    throw new InitError('Runtime.Unavailable', `no process runtime for ${rt}`, 0);
  }

  private async boot(spec: ProcessSpec): Promise<void> {
    const { cmd, args } = await this.command(spec);
    this.server = http.createServer((req, res) => this.onRuntimeRequest(req, res));
    this.server.keepAliveTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (this.server.address() as AddressInfo).port;
    const initDone = new Promise<void>((resolve, reject) => {
      this.onInitDone = (err) => (err ? reject(err) : resolve());
    });
    this.spawnedAt = performance.now();
    const child = spawn(cmd, args, {
      cwd: spec.dir,
      env: { ...spec.env, AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}`, LAMBDA_TASK_ROOT: spec.dir, _HANDLER: spec.handler ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: false,
    });
    this.child = child;
    liveChildren.add(child);
    this.exitPromise = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        this.exited = true;
        liveChildren.delete(child);
        const why = exitReason(code, signal);
        this.onInitDone?.(new InitError('Runtime.ExitError', `Runtime exited with error: ${why}`, this.sinceSpawn()));
        this.onInitDone = undefined;
        const p = this.pending;
        if (p) {
          this.pending = undefined;
          p.resolve({
            status: 'error',
            errorType: 'Runtime.ExitError',
            payload: Buffer.from(
              JSON.stringify({
                errorType: 'Runtime.ExitError',
                errorMessage: `RequestId: ${p.requestId} Error: Runtime exited with error: ${why}`,
              }),
            ),
            durationMs: p.deliveredAt === undefined ? 0 : performance.now() - p.deliveredAt,
            dead: true,
          });
        }
        this.closeServer();
        resolve();
      });
      child.once('error', (err) => {
        this.exited = true;
        liveChildren.delete(child);
        this.onInitDone?.(new InitError('Runtime.InvalidEntrypoint', err.message, this.sinceSpawn()));
        this.onInitDone = undefined;
        this.closeServer();
        resolve();
      });
    });
    for (const stream of [child.stdout, child.stderr]) {
      let buf = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        buf += chunk;
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.length) spec.onLog(line);
        }
      });
      stream?.on('end', () => {
        if (buf.length) spec.onLog(buf);
        buf = '';
      });
    }
    this.holdInit = spec.forceInit === 'timeout';
    if (spec.forceInit === 'error') child.kill('SIGKILL');
    const timer = setTimeout(() => {
      this.onInitDone?.(new InitError('Runtime.Unknown', 'init timed out', this.sinceSpawn(), true));
      this.onInitDone = undefined;
      this.kill();
    }, spec.initTimeoutMs);
    try {
      await initDone;
    } catch (e) {
      this.kill();
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  private sinceSpawn(): number {
    return performance.now() - this.spawnedAt;
  }

  private closeServer(): void {
    if (this.waitingNext) {
      this.waitingNext.destroy();
      this.waitingNext = undefined;
    }
    this.server?.close();
    this.server?.closeAllConnections();
  }

  private onRuntimeRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = (req.url ?? '').split('?')[0] ?? '';
      if (req.method === 'GET' && url === '/2018-06-01/runtime/invocation/next') {
        if (this.onInitDone && !this.holdInit) {
          this.initMs = this.sinceSpawn();
          this.maxMemoryMb();
          const done = this.onInitDone;
          this.onInitDone = undefined;
          done();
        }
        this.waitingNext = res;
        this.deliver();
        return;
      }
      if (req.method === 'POST' && url === '/2018-06-01/runtime/init/error') {
        const info = parseError(body, req.headers['lambda-runtime-function-error-type']);
        reply(res, 202, { status: 'OK' });
        this.onInitDone?.(new InitError(info.errorType, info.errorMessage, this.sinceSpawn()));
        this.onInitDone = undefined;
        return;
      }
      const m = REQ_PATH.exec(url);
      if (req.method === 'POST' && m) {
        const p = this.pending;
        if (!p || p.requestId !== decodeURIComponent(m[1] as string) || p.deliveredAt === undefined) {
          reply(res, 400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
          return;
        }
        const durationMs = performance.now() - p.deliveredAt;
        this.pending = undefined;
        reply(res, 202, { status: 'OK' });
        if (m[2] === 'response') p.resolve({ status: 'success', payload: body, durationMs, dead: false });
        else {
          const info = parseError(body, req.headers['lambda-runtime-function-error-type']);
          p.resolve({
            status: 'error',
            errorType: info.errorType,
            payload: Buffer.from(
              JSON.stringify({ errorType: info.errorType, errorMessage: info.errorMessage, ...(info.trace ? { trace: info.trace } : {}) }),
            ),
            durationMs,
            dead: false,
          });
        }
        return;
      }
      reply(res, 404, { errorMessage: 'Not found', errorType: 'NotFound' });
    });
  }

  private deliver(): void {
    const res = this.waitingNext;
    const p = this.pending;
    if (!res || !p || p.deliveredAt !== undefined) return;
    this.waitingNext = undefined;
    p.deliveredAt = performance.now();
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Length': String(p.payload.length),
      'Lambda-Runtime-Aws-Request-Id': p.requestId,
      'Lambda-Runtime-Deadline-Ms': String(p.deadlineMs),
      'Lambda-Runtime-Invoked-Function-Arn': p.functionArn,
      'Lambda-Runtime-Trace-Id': `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${p.requestId.replace(/-/g, '').slice(0, 24)};Sampled=0`,
    });
    res.end(p.payload);
  }

  /** Hands one event to the runtime; resolves with its response, error, crash or timeout. */
  invoke(requestId: string, payload: Buffer, timeoutMs: number, functionArn: string): Promise<ProcessInvokeResult> {
    if (!this.alive) {
      return Promise.resolve({
        status: 'error',
        errorType: 'Runtime.ExitError',
        payload: Buffer.from(JSON.stringify({ errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited' })),
        durationMs: 0,
        dead: true,
      });
    }
    return new Promise<ProcessInvokeResult>((resolve) => {
      const timer = setTimeout(() => {
        if (this.pending?.requestId !== requestId) return;
        const p = this.pending;
        this.pending = undefined;
        resolve({
          status: 'timeout',
          errorType: 'Sandbox.Timedout',
          payload: Buffer.from(
            JSON.stringify({
              errorType: 'Sandbox.Timedout',
              errorMessage: `RequestId: ${requestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
            }),
          ),
          durationMs: p.deliveredAt === undefined ? timeoutMs : performance.now() - p.deliveredAt,
          dead: true,
        });
        this.kill();
      }, timeoutMs);
      this.pending = {
        requestId,
        payload,
        deadlineMs: Date.now() + timeoutMs,
        functionArn,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      this.deliver();
    });
  }

  /** Peak resident memory of the process in MB (VmHWM), or undefined where /proc is not available. */
  maxMemoryMb(): number | undefined {
    const pid = this.pid;
    if (pid === undefined || this.exited) return this.lastHwmMb;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const m = /VmHWM:\s+(\d+) kB/.exec(status);
      if (m) this.lastHwmMb = Math.ceil(Number(m[1]) / 1024);
    } catch {
      /* process just exited, or no /proc */
    }
    return this.lastHwmMb;
  }

  kill(): void {
    if (this.child && !this.exited) this.child.kill('SIGKILL');
    this.closeServer();
  }

  /** Kills the process and waits until it has exited. */
  async stop(): Promise<void> {
    this.kill();
    await this.exitPromise;
  }
}

function reply(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}

function parseError(body: Buffer, header: string | string[] | undefined): { errorType: string; errorMessage: string; trace?: unknown } {
  let errorType = typeof header === 'string' && header ? header : 'Unhandled';
  let errorMessage = '';
  let trace: unknown;
  try {
    const obj = JSON.parse(body.toString('utf8')) as { errorType?: unknown; errorMessage?: unknown; stackTrace?: unknown; trace?: unknown };
    if (typeof obj.errorType === 'string') errorType = obj.errorType;
    if (typeof obj.errorMessage === 'string') errorMessage = obj.errorMessage;
    trace = obj.stackTrace ?? obj.trace;
  } catch {
    errorMessage = body.toString('utf8');
  }
  return trace === undefined ? { errorType, errorMessage } : { errorType, errorMessage, trace };
}

/** Every runtime process alive in this Node.js process: killed synchronously if Node exits without close(). */
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
export function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of liveChildren) {
      try {
        c.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });
}
