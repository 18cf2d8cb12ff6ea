/**
 * `npm run emulator -- --config FILE [--port N]`: starts the emulator from a JSON EmulatorConfig, prints
 * `EMULATOR_URL=http://127.0.0.1:<port>` and runs until SIGINT/SIGTERM (then kills every runtime process).
 * The port is `--port`, else the config file's `port`, else DEFAULT_CLI_PORT (0 = any free port).
 * Relative `process.dir` paths in the config resolve against the config file's directory.
 */
import { DEFAULT_CLI_PORT } from './defaults.js';
import { loadConfigFile, startEmulator } from './index.js';
import type { Emulator, EmulatorConfig } from './types.js';

function usage(msg: string): never {
  process.stderr.write(`${msg}\nusage: emulator --config FILE [--port N]\n`);
  process.exit(2);
}

/** One line for what a user can fix (a busy or privileged port), exit status 2; anything else exits 1. */
function cannotListen(e: unknown, port: number): never {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE' || code === 'EACCES') {
    const why = code === 'EADDRINUSE' ? 'is in use' : 'needs privileges';
    process.stderr.write(`emulator: port ${port} ${why}; pass --port <another port> (0 picks any free port)\n`);
    process.exit(2);
  }
  process.stderr.write(`emulator: cannot start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}

const args = process.argv.slice(2);
let configFile: string | undefined;
let port: number | undefined;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--config') configFile = args[++i];
  else if (a?.startsWith('--config=')) configFile = a.slice('--config='.length);
  else if (a === '--port') port = Number(args[++i]);
  else if (a?.startsWith('--port=')) port = Number(a.slice('--port='.length));
  else if (a === '--help' || a === '-h') usage('Local Lambda + CloudWatch Logs emulator');
  else usage(`unknown argument ${a ?? ''}`);
}
if (!configFile) usage('--config FILE is required');
if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) usage('--port must be 0..65535');

let config: EmulatorConfig;
try {
  config = loadConfigFile(configFile);
} catch (e) {
  usage(e instanceof Error ? e.message : String(e));
}
config.port = port ?? config.port ?? DEFAULT_CLI_PORT;

let emu: Emulator;
try {
  emu = await startEmulator(config);
} catch (e) {
  cannotListen(e, config.port);
}
process.stdout.write(`EMULATOR_URL=${emu.url}\n`);
process.stderr.write(`emulator: ${config.functions.length} function(s) in ${config.region ?? 'us-east-1'}; Ctrl-C to stop\n`);

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`emulator: ${signal}, stopping\n`);
  emu.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
