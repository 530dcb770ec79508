import { Cron } from 'croner';
import { z } from 'zod';

/** Whether the runtime knows an IANA timezone name (the ICU data Node ships with decides). */
export function isKnownTimezone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Why a cron expression does not parse, or undefined when it does (5 fields, or 6 with seconds first). */
export function cronProblem(expression: string): string | undefined {
  try {
    new Cron(expression, { mode: '5-or-6-parts' });
    return undefined;
  } catch (cause) {
    return cause instanceof Error ? cause.message.replace(/^CronPattern: /, '') : String(cause);
  }
}

/**
 * When a pipeline runs by itself: a cron expression read in an IANA timezone, what to do about
 * slots that passed while no scheduler was running, how many of its runs may be active at once,
 * and how long after its slot a run should have finished. Each scheduled run gets the slot's time
 * as its logical date (pipeline param `logical_date`).
 */
export const PipelineScheduleSchema = z
  .object({
    cron: z
      .string()
      .superRefine((value, ctx) => {
        const problem = cronProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: `not a cron expression (${problem}); write 5 fields "minute hour day month weekday", e.g. "0 6 * * *"` });
      })
      .describe('cron expression, 5 fields "minute hour day-of-month month day-of-week" (or 6 with seconds first), e.g. "0 6 * * *"'),
    timezone: z
      .string()
      .default('UTC')
      .refine(isKnownTimezone, { message: 'not an IANA timezone; write a name such as "Europe/Berlin", "America/New_York" or "UTC"' })
      .describe('IANA timezone the cron expression is read in; daylight-saving changes follow it'),
    catchUp: z
      .enum(['skip', 'latest', 'all'])
      .default('latest')
      .describe('slots that passed while no scheduler ran: skip them all, run only the latest, or run every one (each is recorded as missed unless run)'),
    maxActiveRuns: z.int().min(1).max(1000).default(1).describe('runs of this pipeline active at once; later slots wait their turn'),
    deadlineMinutes: z.int().min(1).optional().describe("minutes after a slot's time by which its run should have finished; a later finish is recorded as a missed deadline"),
    enabled: z.boolean().default(true).describe('false: keep the schedule but fire nothing (backfill still works)'),
  })
  .strict();
export type PipelineSchedule = z.infer<typeof PipelineScheduleSchema>;
