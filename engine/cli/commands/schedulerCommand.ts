import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { filePipelines, workspacePipelines, type PipelineSource } from '../../scheduler/pipelineSource.js';
import { Scheduler } from '../../scheduler/scheduler.js';
import { trellisHome } from '../../workspace/trellisHome.js';
import { Workspace } from '../../workspace/workspace.js';
import type { CliContext } from '../cliContext.js';
import { EXIT, type ExitCode } from '../cliIo.js';
import { formatSchedulerEvent } from '../formatSchedulerEvent.js';
import { untilSignal } from '../listening.js';
import { environmentSource } from '../../environments/environmentSource.js';

/** `--pipelines A B` and `--pipelines A --pipelines B` both give A and B. */
export function pipelinePaths(args: string[]): { paths: string[]; json: boolean; limit?: string; env?: string } {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { pipelines: { type: 'string', multiple: true }, json: { type: 'boolean' }, limit: { type: 'string' }, env: { type: 'string' } } });
  return { paths: [...(values.pipelines ?? []), ...positionals], json: values.json === true, ...(values.limit !== undefined ? { limit: values.limit } : {}), ...(values.env !== undefined ? { env: values.env } : {}) };
}

/** The pipeline files given, else the pipelines saved in the workspace (relative paths resolve under its `pipelines/`). */
export function pipelineSource(workspace: Workspace, paths: readonly string[]): PipelineSource {
  return paths.length > 0 ? filePipelines(paths) : workspacePipelines(workspace.store, join(workspace.home, 'pipelines'));
}

/**
 * `trellis scheduler`: fires scheduled pipelines until Ctrl-C (or SIGTERM), logging one line per
 * event. On stop, active runs are cancelled and their slots stay claimed, so the next scheduler
 * resumes them.
 */
export async function schedulerCommand(args: string[], context: CliContext): Promise<ExitCode> {
  const { paths, env } = pipelinePaths(args);
  const workspace = await Workspace.open(trellisHome(context.home, context.io.env), context.registry);
  for (const runId of workspace.interrupted) {
    context.io.err(`note: run ${runId} was interrupted (its process ended while it ran); a scheduled slot's run is resumed below, any other with \`trellis resume ${runId}\`\n`);
  }
  try {
    const scheduler = new Scheduler({
      workspace,
      source: environmentSource(pipelineSource(workspace, paths), env, workspace.home, context.io.env),
      onEvent: (event) => context.io.out(`${formatSchedulerEvent(event, Date.now())}\n`),
    });
    context.io.out(`Trellis scheduler started in ${workspace.home}, scheduling ${paths.length > 0 ? paths.join(', ') : 'the pipelines saved in this workspace'}. Ctrl-C stops it.\n`);
    await scheduler.start();
    if (scheduler.scheduled.length === 0) {
      context.io.out('No pipeline has a "schedule" section yet; looking again every minute. Add one, e.g. "schedule": { "cron": "0 6 * * *", "timezone": "Europe/Berlin" }\n');
    }
    const signal = await untilSignal();
    context.io.out(`${signal}: stopping; active runs are cancelled and resumed by the next scheduler\n`);
    await scheduler.stop();
    return EXIT.ok;
  } finally {
    await workspace.close();
  }
}
