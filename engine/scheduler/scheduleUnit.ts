import type { PipelineSchedule } from '../format/pipelineSchedule.js';
import type { RunSelection } from '../store/runStore.js';
import type { ScheduledPipeline } from './pipelineSource.js';

/** One thing the scheduler fires: a whole pipeline, or one of its segments. */
export interface ScheduleUnit {
  /** The pipeline id, or `pipeline.segment` for a segment: the key of its cursor and slots. */
  scheduleId: string;
  pipeline: ScheduledPipeline;
  segment?: string;
  /** The schedule in force: the pipeline's, with a segment's own cron and policies. */
  schedule: PipelineSchedule;
  /** Which nodes its runs execute. */
  selection: RunSelection;
}

/** The whole pipeline on its cron, and each segment on its own. */
export function scheduleUnits(pipeline: ScheduledPipeline): ScheduleUnit[] {
  const { schedule } = pipeline;
  const id = pipeline.document.id;
  const units: ScheduleUnit[] = [{ scheduleId: id, pipeline, schedule, selection: { mode: 'all' } }];
  for (const segment of schedule.segments ?? []) {
    const mode = segment.from !== undefined ? 'from' : segment.to !== undefined ? 'to' : 'only';
    const deadlineMinutes = segment.deadlineMinutes ?? schedule.deadlineMinutes;
    units.push({
      scheduleId: `${id}.${segment.id}`,
      pipeline,
      segment: segment.id,
      schedule: {
        cron: segment.cron,
        timezone: schedule.timezone,
        catchUp: segment.catchUp ?? schedule.catchUp,
        maxActiveRuns: segment.maxActiveRuns ?? schedule.maxActiveRuns,
        enabled: schedule.enabled,
        ...(deadlineMinutes !== undefined ? { deadlineMinutes } : {}),
      },
      selection: { mode, node: segment[mode] },
    });
  }
  return units;
}

/** The unit of `pipeline` named `segment` (or the whole pipeline), if there is one. */
export function findUnit(pipeline: ScheduledPipeline, segment: string | undefined): ScheduleUnit | undefined {
  return scheduleUnits(pipeline).find((unit) => unit.segment === segment);
}
