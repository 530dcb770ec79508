import { CronSlots } from '../../scheduler/cronSlots.js';
import type { ScheduleSlot } from '../../scheduler/scheduleSlot.js';
import { scheduleUnits } from '../../scheduler/scheduleUnit.js';
import { openWorkspaceSchedulerStore } from '../../scheduler/workspaceSchedulerStore.js';
import { zonedIso } from '../../scheduler/zonedTime.js';
import { openWorkspace, type CliContext } from '../cliContext.js';
import { EXIT, UsageError, type ExitCode } from '../cliIo.js';
import { formatTable } from '../formatTable.js';
import { pipelinePaths, pipelineSource } from './schedulerCommand.js';

interface ScheduleOverview {
  /** The pipeline id, or `pipeline.segment`. */
  scheduleId: string;
  pipelineId: string;
  segment?: string;
  selection: string;
  origin: string;
  cron: string;
  timezone: string;
  catchUp: string;
  maxActiveRuns: number;
  enabled: boolean;
  /** The next slot a running scheduler fires (local ISO time), if enabled. */
  next?: string;
  /** False until a scheduler has seen the pipeline: its slots count from that moment. */
  registered: boolean;
  slots: ScheduleSlot[];
}

/** `trellis schedules`: per scheduled pipeline, its next slot and its latest slots with their states. */
export async function schedulesCommand(args: string[], context: CliContext): Promise<ExitCode> {
  const { paths, json, limit: limitText } = pipelinePaths(args);
  const limit = limitText === undefined ? 5 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit takes a whole number above 0, got "${limitText}"`);
  const workspace = await openWorkspace(context);
  const store = openWorkspaceSchedulerStore(workspace);
  try {
    const listing = await pipelineSource(workspace, paths).list();
    for (const problem of listing.problems) context.io.err(`note: ${problem.origin}: ${problem.message}\n`);
    const now = Date.now();
    const overviews: ScheduleOverview[] = listing.pipelines.flatMap(scheduleUnits).map(({ scheduleId, pipeline, segment, schedule, selection }) => {
      const next = schedule.enabled ? new CronSlots(schedule).next(now) : undefined;
      return {
        scheduleId,
        pipelineId: pipeline.document.id,
        ...(segment !== undefined ? { segment } : {}),
        selection: selection.mode === 'all' ? 'all nodes' : `--${selection.mode} ${selection.node ?? ''}`,
        origin: pipeline.origin,
        cron: schedule.cron,
        timezone: schedule.timezone,
        catchUp: schedule.catchUp,
        maxActiveRuns: schedule.maxActiveRuns,
        enabled: schedule.enabled,
        ...(next !== undefined ? { next: zonedIso(next, schedule.timezone) } : {}),
        registered: store.cursor(scheduleId) !== undefined,
        slots: store.slots({ scheduleId, limit }),
      };
    });
    if (json) {
      context.io.out(`${JSON.stringify(overviews, null, 2)}\n`);
      return EXIT.ok;
    }
    if (overviews.length === 0) {
      context.io.out(`no scheduled pipelines ${paths.length > 0 ? `in ${paths.join(', ')}` : 'saved in this workspace'}: add a "schedule" section, e.g. { "cron": "0 6 * * *", "timezone": "Europe/Berlin" }\n`);
      return EXIT.ok;
    }
    context.io.out(formatTable(['SCHEDULE', 'RUNS', 'CRON', 'TIMEZONE', 'CATCH-UP', 'MAX', 'NEXT'], overviews.map((o) => [
      o.scheduleId, o.selection, o.cron, o.timezone, o.catchUp, String(o.maxActiveRuns), o.enabled ? (o.next ?? 'none') : 'disabled',
    ])));
    for (const o of overviews) {
      context.io.out(`\n${o.scheduleId}${o.registered ? '' : ' (no scheduler has seen it yet: its slots count from when one does)'}\n`);
      if (o.slots.length === 0) {
        context.io.out('  no slots yet\n');
        continue;
      }
      const rows = o.slots.map((s) => ['  ' + s.logicalDate, s.state, s.trigger, s.runId ?? '', s.deadlineMissedAt !== undefined ? 'deadline missed' : (s.reason ?? '')]);
      context.io.out(formatTable(['  SLOT', 'STATE', 'TRIGGER', 'RUN', 'NOTE'], rows));
    }
    return EXIT.ok;
  } finally {
    store.close();
    await workspace.close();
  }
}
