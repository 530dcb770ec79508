import { parseArgs } from 'node:util';
import { openWorkspace, type CliContext } from '../cliContext.js';
import { UsageError, type ExitCode } from '../cliIo.js';
import { reportRun } from '../reportRun.js';
import { runInteractive } from '../runInteractive.js';

export async function resumeCommand(args: string[], context: CliContext): Promise<ExitCode> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, concurrency: { type: 'string' }, 'no-wait': { type: 'boolean' } } });
  const [runId] = positionals;
  if (!runId) throw new UsageError('usage: trellis resume RUN [--json] [--concurrency N] [--no-wait]');
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0)) throw new UsageError(`--concurrency takes a whole number above 0, got "${values.concurrency}"`);
  const workspace = await openWorkspace(context);
  try {
    const run = await workspace.store.getRun(runId);
    if (!run) throw new UsageError(`There is no run "${runId}". List runs with \`trellis runs\`.`);
    if (run.state === 'succeeded') throw new UsageError(`Run ${runId} already succeeded; there is nothing to resume.`);
    if (run.state === 'running') throw new UsageError(`Run ${runId} is still running (process ${run.pid} on ${run.host}).`);
    const result = await runInteractive(context.io, values.json === true, (signal, listeners) => workspace.resume(runId, { signal, listeners, ...(concurrency ? { concurrency } : {}), ...(values['no-wait'] ? { detachWhenWaiting: true } : {}) }));
    return await reportRun(workspace, result, context, values.json === true);
  } finally {
    await workspace.close();
  }
}
