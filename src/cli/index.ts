#!/usr/bin/env node
// The `lambda-coldstart` command (bundled to dist/cli/index.js).
import { nodeVersionLine, SDK_NODE_WARNING_SWITCH } from '../core/node-version.js';
import { main } from './main.js';

// Below the supported Node: one line of ours instead of the AWS SDK's nine-line warning on every command. Set before
// any SDK client exists (the SDK reads its switch when a client is made); the CLI's own process only. Whoever has set
// the switch already knows: nothing is printed then.
const old = nodeVersionLine(process.versions.node);
if (old !== undefined && process.env[SDK_NODE_WARNING_SWITCH] !== 'true') {
  process.stderr.write(`warning: ${old}\n`);
  process.env[SDK_NODE_WARNING_SWITCH] = 'true';
}

process.exitCode = await main(process.argv.slice(2));
