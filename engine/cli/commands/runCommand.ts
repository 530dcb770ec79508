import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { PartialRunError } from '../../executor/executePlan.js';
import type { RunSelection } from '../../store/runStore.js';
import { loadPipelineFile } from '../../workspace/workspace.js';
import { openWorkspace, type CliContext } from '../cliContext.js';
import { EXIT, UsageError, type ExitCode } from '../cliIo.js';
import { printDiagnostics } from '../printDiagnostics.js';
import { parseParamFlags } from '../parseParamFlags.js';
import { pipelineInEnvironment } from '../pipelineInEnvironment.js';
import { reportRun } from '../reportRun.js';
import { runInteractive } from '../runInteractive.js';

const USAGE = 'usage: trellis run FILE [--env NAME] [--param k=v]... [--from NODE | --to NODE | --only NODE] [--no-cache] [--concurrency N] [--no-wait] [--json]';

export async function runCommand(args: string[], context: CliContext): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      param: { type: 'string', multiple: true },
      env: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      only: { type: 'string' },
      'no-cache': { type: 'boolean' },
      concurrency: { type: 'string' },
      'no-wait': { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const [file] = positionals;
  if (!file) throw new UsageError(USAGE);
  const modes = (['from', 'to', 'only'] as const).filter((mode) => values[mode] !== undefined);
  if (modes.length > 1) throw new UsageError(`choose one of --from, --to and --only (got --${modes.join(' and --')})`);
  const mode = modes[0];
  const selection: RunSelection = mode ? { mode, node: values[mode] as string } : { mode: 'all' };
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0)) throw new UsageError(`--concurrency takes a whole number above 0, got "${values.concurrency}"`);
  const params = parseParamFlags(values.param);

  const loaded = loadPipelineFile(file);
  if (!loaded.ok) {
    printDiagnostics(context.io, loaded.diagnostics, loaded.path);
    return EXIT.usage;
  }
  const { document } = pipelineInEnvironment(context, loaded.path, loaded.document, values.env);
  const workspace = await openWorkspace(context);
  // Alerts go to stderr: desktop ones have no app to show them here, and --json keeps stdout clean.
  const stopDesktop = workspace.services.alerts.onDesktop((alert) => context.io.err(`alert [${alert.severity}] ${alert.title}: ${alert.message}\n`));
  try {
    const compiled = workspace.compileDocument(document, params);
    if (!compiled.ok) {
      printDiagnostics(context.io, compiled.diagnostics, loaded.path);
      return EXIT.usage;
    }
    const result = await runInteractive(context.io, values.json === true, (signal, listeners) =>
      workspace.runPlan(compiled.plan, document, dirname(loaded.path), {
        selection,
        signal,
        listeners,
        alertReport: (line) => context.io.err(`${line}\n`),
        ...(values['no-cache'] ? { noCache: true } : {}),
        ...(concurrency ? { concurrency } : {}),
        ...(values['no-wait'] ? { detachWhenWaiting: true } : {}),
      }),
    ).catch((cause: unknown) => {
      throw cause instanceof PartialRunError ? new UsageError(cause.message) : cause;
    });
    return await reportRun(workspace, result, context, values.json === true);
  } finally {
    stopDesktop();
    await workspace.close();
  }
}
