/** Where a command writes, and whether that is a terminal; injected so tests capture output. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  isTty: boolean;
  columns: number;
  env: NodeJS.ProcessEnv;
}

export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    isTty: Boolean(process.stdout.isTTY) && process.env.TERM !== 'dumb',
    columns: process.stdout.columns ?? 100,
    env: process.env,
  };
}

/**
 * Exit codes: 0 the run (or command) succeeded, 1 the run failed, 2 invalid input or usage, 3 the
 * run was left waiting for an approval (`--no-wait`); it is neither done nor failed.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, waiting: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A usage or input problem, reported as one line and exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
