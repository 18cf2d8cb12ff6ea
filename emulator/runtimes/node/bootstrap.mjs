// Minimal Node.js runtime for the emulator: speaks the Lambda Runtime API at AWS_LAMBDA_RUNTIME_API,
// loads <LAMBDA_TASK_ROOT>/<file>.<export> from _HANDLER (default index.handler) and serves invocations forever.
// Exits as soon as the Runtime API goes away (the emulator stopped), so no process outlives it.
import http from 'node:http';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const api = process.env.AWS_LAMBDA_RUNTIME_API ?? '';
const sep = api.lastIndexOf(':');
const host = api.slice(0, sep);
const port = Number(api.slice(sep + 1));
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const BASE = '/2018-06-01/runtime';

function request(method, urlPath, body, headers = {}) {
  return new Promise((resolve) => {
    const data = body === undefined ? undefined : Buffer.from(body);
    const req = http.request(
      {
        host,
        port,
        method,
        path: urlPath,
        agent,
        headers: data ? { 'Content-Type': 'application/json', 'Content-Length': data.length, ...headers } : headers,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', () => process.exit(1));
      },
    );
    req.on('error', () => process.exit(1)); // the emulator is gone: leave no orphan
    if (data) req.write(data);
    req.end();
  });
}

function errorBody(err) {
  const e = err instanceof Error ? err : new Error(String(err));
  return JSON.stringify({
    errorType: e.name || 'Error',
    errorMessage: e.message,
    trace: (e.stack ?? '').split('\n'),
  });
}

async function loadHandler() {
  const root = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
  const spec = process.env._HANDLER || 'index.handler';
  const dot = spec.lastIndexOf('.');
  const file = spec.slice(0, dot);
  const name = spec.slice(dot + 1);
  const candidates = ['.mjs', '.js', '.cjs'].map((ext) => path.join(root, file + ext));
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    const err = new Error(`Cannot find module '${file}'`);
    err.name = 'Runtime.ImportModuleError';
    throw err;
  }
  const mod = await import(pathToFileURL(found).href);
  const fn = mod[name] ?? mod.default?.[name];
  if (typeof fn !== 'function') {
    const err = new Error(`${spec} is undefined or not exported`);
    err.name = 'Runtime.HandlerNotFound';
    throw err;
  }
  return fn;
}

let handler;
try {
  handler = await loadHandler();
} catch (err) {
  await request('POST', `${BASE}/init/error`, errorBody(err), { 'Lambda-Runtime-Function-Error-Type': err?.name ?? 'Runtime.Unknown' });
  process.exit(1);
}

for (;;) {
  const next = await request('GET', `${BASE}/invocation/next`);
  if (next.status !== 200) process.exit(1);
  const id = String(next.headers['lambda-runtime-aws-request-id']);
  const deadline = Number(next.headers['lambda-runtime-deadline-ms']);
  const context = {
    awsRequestId: id,
    invokedFunctionArn: String(next.headers['lambda-runtime-invoked-function-arn'] ?? ''),
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
  let event = null;
  try {
    event = next.body ? JSON.parse(next.body) : null;
  } catch {
    event = next.body;
  }
  try {
    const result =
      handler.length >= 3
        ? await new Promise((resolve, reject) => {
            const ret = handler(event, context, (err, value) => (err ? reject(err) : resolve(value)));
            if (ret && typeof ret.then === 'function') ret.then(resolve, reject);
          })
        : await handler(event, context);
    await request('POST', `${BASE}/invocation/${id}/response`, JSON.stringify(result === undefined ? null : result));
  } catch (err) {
    await request('POST', `${BASE}/invocation/${id}/error`, errorBody(err), { 'Lambda-Runtime-Function-Error-Type': 'Unhandled' });
  }
}
