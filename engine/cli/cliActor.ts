import { userInfo } from 'node:os';

/** Who acts from the command line, as the audit log names them: the OS account running it. */
export function cliActor(env: NodeJS.ProcessEnv): string {
  let user: string | undefined;
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): fall back to what the shell says.
    user = env.USER ?? env.USERNAME;
  }
  return `cli:${user || 'unknown'}`;
}
