#!/usr/bin/env node
import { isatty } from 'node:tty';
import { main } from './cli.js';

const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  interactive: isatty(0) && isatty(1) && process.env.CI === undefined,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
