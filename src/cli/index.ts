#!/usr/bin/env node
// The `lambda-coldstart` command (bundled to dist/cli/index.js).
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
