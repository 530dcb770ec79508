import { parseArgs } from 'node:util';
import { pipelineHash } from '../../format/pipelineHash.js';
import { BackfillRangeError, runBackfill, type Reprocess } from '../../scheduler/backfill.js';
import { findUnit } from '../../scheduler/scheduleUnit.js';
import { parseBound } from '../../scheduler/zonedTime.js';
import { loadPipelineFile } from '../../workspace/workspace.js';
import { dirname } from 'node:path';
import { openWorkspace, type CliContext } from '../cliContext.js';
import { EXIT, UsageError, type ExitCode } from '../cliIo.js';
import { formatSchedulerEvent } from '../formatSchedulerEvent.js';
import { formatTable } from '../formatTable.js';
import { printDiagnostics } from '../printDiagnostics.js';
import { pipelineInEnvironment } from '../pipelineInEnvironment.js';

const USAGE = 'usage: trellis backfill FILE --from DATE --to DATE [--segment ID] [--reprocess failed|all] [--max-active N] [--env NAME] [--json]';

/**
 * `trellis backfill`: runs every slot of the pipeline's schedule between two dates, each with its
 * logical date. Exit 0 when every slot run succeeded, 1 when one failed, 2 for bad input.
 */
export async function backfillCommand(args: string[], context: CliContext): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { from: { type: 'string' }, to: { type: 'string' }, reprocess: { type: 'string' }, 'max-active': { type: 'string' }, segment: { type: 'string' }, env: { type: 'string' }, json: { type: 'boolean' } },
  });
  const [file] = positionals;
  if (!file || values.from === undefined || values.to === undefined) throw new UsageError(USAGE);
  const reprocess: Reprocess = values.reprocess === undefined ? 'none' : values.reprocess === 'failed' || values.reprocess === 'all' ? values.reprocess : usage(`--reprocess is "failed" or "all", got "${values.reprocess}"`);
  const loaded = loadPipelineFile(file);
  if (!loaded.ok) {
    printDiagnostics(context.io, loaded.diagnostics, loaded.path);
    return EXIT.usage;
  }
  const { document } = pipelineInEnvironment(context, loaded.path, loaded.document, values.env);
  if (!document.schedule) throw new UsageError(`${loaded.path} has no "schedule" section, so it has no slots to backfill; add one, e.g. "schedule": { "cron": "0 6 * * *", "timezone": "UTC" }`);
  const pipeline = { document, schedule: document.schedule, hash: pipelineHash(document), baseDir: dirname(loaded.path), origin: loaded.path };
  const unit = findUnit(pipeline, values.segment);
  if (!unit) {
    const known = (document.schedule.segments ?? []).map((s) => s.id);
    throw new UsageError(`pipeline "${document.id}" has no segment "${values.segment}"; ${known.length ? `its segments: ${known.join(', ')}` : 'it has no segments'}`);
  }
  const { schedule } = unit;
  const maxActive = values['max-active'] === undefined ? schedule.maxActiveRuns : Number(values['max-active']);
  if (!Number.isInteger(maxActive) || maxActive < 1) throw new UsageError(`--max-active takes a whole number above 0, got "${values['max-active']}"`);
  const from = parseBound(values.from, schedule.timezone, false);
  const to = parseBound(values.to, schedule.timezone, true);
  const dateHelp = `write a date (2026-01-31, that day in ${schedule.timezone}), a local time (2026-01-31T06:00) or an instant (2026-01-31T06:00:00Z)`;
  if (from === undefined) throw new UsageError(`--from "${values.from}" is not a date: ${dateHelp}`);
  if (to === undefined) throw new UsageError(`--to "${values.to}" is not a date: ${dateHelp}`);

  const workspace = await openWorkspace(context);
  const controller = new AbortController();
  const onSignal = (): void => {
    context.io.err('cancelling the backfill: runs under way are cancelled; run the same command with --reprocess failed to finish\n');
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const outcomes = await runBackfill({
      workspace,
      unit,
      from,
      to,
      reprocess,
      maxActive,
      signal: controller.signal,
      ...(values.json ? {} : { onEvent: (event) => context.io.err(`${formatSchedulerEvent(event, Date.now())}\n`) }),
    }).catch((cause: unknown) => {
      throw cause instanceof BackfillRangeError ? new UsageError(cause.message) : cause;
    });
    if (values.json) {
      context.io.out(`${JSON.stringify({ pipelineId: document.id, scheduleId: unit.scheduleId, slots: outcomes }, null, 2)}\n`);
    } else if (outcomes.length === 0) {
      context.io.out(`no slots of "${schedule.cron}" (${schedule.timezone}) between ${values.from} and ${values.to}\n`);
    } else {
      context.io.out(formatTable(['SLOT', 'STATE', 'RUN', 'NOTE'], outcomes.map((o) => [o.logicalDate, o.state, o.runId ?? '', o.reason ?? ''])));
      const ran = outcomes.filter((o) => o.state !== 'left');
      context.io.out(`${ran.length} of ${outcomes.length} slots ran: ${ran.filter((o) => o.state === 'succeeded').length} succeeded, ${ran.filter((o) => o.state !== 'succeeded').length} did not\n`);
    }
    return outcomes.some((o) => o.state === 'failed' || o.state === 'cancelled' || o.state === 'skipped') ? EXIT.failed : EXIT.ok;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await workspace.close();
  }
}

function usage(message: string): never {
  throw new UsageError(message);
}
