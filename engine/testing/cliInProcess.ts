import type { CliIo } from '../cli/cliIo.js';
import { runCli } from '../cli/main.js';
import type { NodeRegistry } from '../node/nodeRegistry.js';

export interface CliOutcome {
  code: number;
  out: string;
  err: string;
}

/** Runs `trellis --home HOME ARGS` in this process with captured output (no build needed, unlike cliProcess.ts). */
export async function cliInProcess(home: string, registry: NodeRegistry, args: readonly string[]): Promise<CliOutcome> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += t), err: (t) => (err += t), isTty: false, columns: 120, env: {} };
  const code = await runCli(['--home', home, ...args], { registry, version: 'test', io });
  return { code, out, err };
}
