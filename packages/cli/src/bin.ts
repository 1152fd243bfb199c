#!/usr/bin/env node
import { enableCompileCache } from 'node:module';
import { homedir } from 'node:os';
import path from 'node:path';
import { isatty } from 'node:tty';

// Node keeps V8's compiled code for what we load (TypeScript, Prettier, Handlebars) between runs
// and checks it against each file's content: most of a cold start is compiling those. Enabled
// before anything heavy is imported, hence the dynamic import. The folder is the user's own cache
// (not Node's default under the shared temp folder, where another user could plant code).
const cacheHome = process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache');
if (process.env.NODE_COMPILE_CACHE === undefined && path.isAbsolute(cacheHome)) {
  enableCompileCache(path.join(cacheHome, 'svcgen', 'node-compile-cache'));
}
const { main } = await import('./cli.js');

// `pnpm gen … | head` closes the pipe early; that is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  interactive: isatty(0) && isatty(1) && process.env.CI === undefined,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
