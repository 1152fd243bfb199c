/** Exit code contract of `pnpm gen`: 2 for usage/validation errors, 1 for any other failure. */
export const ExitCode = { ok: 0, failure: 1, usage: 2 } as const;

/** An error whose message is written for the user; the CLI prints it without a stack trace. */
export class GenError extends Error {
  readonly exitCode: number = ExitCode.failure;
}

/** Bad flags, bad names, bad field specs: the user can fix the command. */
export class UsageError extends GenError {
  override readonly exitCode: number = ExitCode.usage;
}

/** A generator would overwrite a file whose content differs from what it wants to write. */
export class ConflictError extends GenError {
  constructor(
    readonly path: string,
    message = `${path} already exists with different content; re-run with --force to overwrite it`,
  ) {
    super(message);
  }
}
