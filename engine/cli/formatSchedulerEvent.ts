import type { SchedulerEvent } from '../scheduler/schedulerEvent.js';

/** One log line for a scheduler event, stamped with the wall time it happened. */
export function formatSchedulerEvent(event: SchedulerEvent, now: number): string {
  const stamp = new Date(now).toISOString().replace('T', ' ').slice(0, 19);
  return `${stamp}  ${describe(event)}`;
}

function describe(event: SchedulerEvent): string {
  switch (event.type) {
    case 'pipeline.scheduled':
      return `${event.scheduleId}: scheduled "${event.cron}" (${event.timezone}) from ${event.origin}; ${event.next ? `next slot ${event.next}` : 'disabled: fires nothing'}`;
    case 'pipeline.problem':
      return `problem in ${event.origin}: ${event.message}`;
    case 'slot.fired':
      return `${event.scheduleId} ${event.logicalDate}: fired run ${event.runId}${event.trigger === 'schedule' ? '' : ` (${event.trigger})`}`;
    case 'slot.resumed':
      return `${event.scheduleId} ${event.logicalDate}: took over run ${event.runId} and resumed it`;
    case 'slot.missed':
      return `${event.scheduleId} ${event.logicalDate}: missed (${event.reason})`;
    case 'slot.skipped':
      return `${event.scheduleId} ${event.logicalDate}: skipped: ${event.reason}`;
    case 'slot.finished':
      return `${event.scheduleId} ${event.logicalDate}: run ${event.runId} ${event.state}`;
    case 'deadline.missed':
      return `${event.scheduleId} ${event.logicalDate}: DEADLINE MISSED (due ${event.deadline})${event.runId ? `, run ${event.runId}` : ''}`;
    case 'scheduler.error':
      return `scheduler error (retrying at the next tick): ${event.message}`;
  }
}
