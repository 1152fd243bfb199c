import { main } from '@svcgen/cli';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `pnpm gen …` in this process, started in `cwd` without a terminal (as CI runs it). */
export async function genIn(
  cwd: string,
  argv: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    interactive: false,
    env,
    cwd,
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
