import { Cron } from 'croner';
import type { PipelineSchedule } from '../format/pipelineSchedule.js';

/**
 * The slot times of a schedule. Daylight-saving changes follow croner's rules: a job at a fixed
 * wall time ("30 2 * * *") that falls in a gap runs just after it and runs once when the time
 * repeats; interval jobs ("30 * * * *") skip the gap and run at both repeated times.
 */
export class CronSlots {
  private readonly cron: Cron;

  constructor(readonly schedule: Pick<PipelineSchedule, 'cron' | 'timezone'>) {
    this.cron = new Cron(schedule.cron, { timezone: schedule.timezone, mode: '5-or-6-parts' });
  }

  /** The first slot strictly after `after` (epoch ms), or undefined when the expression has no more. */
  next(after: number): number | undefined {
    return this.cron.nextRun(new Date(after))?.getTime();
  }

  /** Slots in (after, until], oldest first, at most `limit` of them. */
  between(after: number, until: number, limit: number): number[] {
    const slots: number[] = [];
    let cursor = after;
    while (slots.length < limit) {
      const next = this.next(cursor);
      if (next === undefined || next > until) break;
      slots.push(next);
      cursor = next;
    }
    return slots;
  }
}
