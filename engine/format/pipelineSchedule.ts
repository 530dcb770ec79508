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

const cronField = z.string().superRefine((value, ctx) => {
  const problem = cronProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `not a cron expression (${problem}); write 5 fields "minute hour day month weekday", e.g. "0 6 * * *"` });
});
const catchUpField = z.enum(['skip', 'latest', 'all']);
const maxActiveRunsField = z.int().min(1).max(1000);
const deadlineField = z.int().min(1);
// The IDENTIFIER pattern of pipelineDocument.ts, repeated: that module imports this one.
const nodeRef = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'a node id');

/**
 * Part of a pipeline on its own cron: the nodes from one node on (`from`), up to one node
 * (`to`), or one node (`only`), as `trellis run --from/--to/--only` selects them. Nodes it needs
 * from outside reuse their latest successful outputs, so featurization can run hourly and
 * training daily in one pipeline. Unset policies are the pipeline schedule's.
 */
export const PipelineSegmentSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'use letters, digits, "_" or "-", starting with a letter or "_"').describe('segment name, unique in the pipeline'),
    cron: cronField.describe("the segment's cron expression, read in the pipeline schedule's timezone"),
    from: nodeRef.optional().describe('this node and everything downstream of it'),
    to: nodeRef.optional().describe('this node and everything upstream of it'),
    only: nodeRef.optional().describe('this node alone'),
    catchUp: catchUpField.optional(),
    maxActiveRuns: maxActiveRunsField.optional(),
    deadlineMinutes: deadlineField.optional(),
  })
  .strict()
  .superRefine((segment, ctx) => {
    const given = (['from', 'to', 'only'] as const).filter((k) => segment[k] !== undefined);
    if (given.length !== 1) ctx.addIssue({ code: 'custom', message: `segment "${segment.id}" needs exactly one of "from", "to" or "only" (a node id) to say which nodes it runs${given.length ? `; it has ${given.join(' and ')}` : ''}` });
  });
export type PipelineSegment = z.infer<typeof PipelineSegmentSchema>;

/**
 * When a pipeline runs by itself: a cron expression read in an IANA timezone, what to do about
 * slots that passed while no scheduler was running, how many of its runs may be active at once,
 * and how long after its slot a run should have finished. Each scheduled run gets the slot's time
 * as its logical date (pipeline param `logical_date`). Segments run parts of it on their own crons.
 */
export const PipelineScheduleSchema = z
  .object({
    cron: cronField.describe('cron expression, 5 fields "minute hour day-of-month month day-of-week" (or 6 with seconds first), e.g. "0 6 * * *"'),
    timezone: z
      .string()
      .default('UTC')
      .refine(isKnownTimezone, { message: 'not an IANA timezone; write a name such as "Europe/Berlin", "America/New_York" or "UTC"' })
      .describe('IANA timezone the cron expression is read in; daylight-saving changes follow it'),
    catchUp: catchUpField
      .default('latest')
      .describe('slots that passed while no scheduler ran: skip them all, run only the latest, or run every one (each is recorded as missed unless run)'),
    maxActiveRuns: maxActiveRunsField.default(1).describe('runs of this pipeline active at once; later slots wait their turn'),
    deadlineMinutes: deadlineField.optional().describe("minutes after a slot's time by which its run should have finished; a later finish is recorded as a missed deadline"),
    enabled: z.boolean().default(true).describe('false: keep the schedule but fire nothing (backfill still works)'),
    segments: z
      .array(PipelineSegmentSchema)
      .optional()
      .superRefine((segments, ctx) => {
        const seen = new Set<string>();
        for (const [i, segment] of (segments ?? []).entries()) {
          if (seen.has(segment.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `segment id "${segment.id}" is used twice; give each segment its own id` });
          seen.add(segment.id);
        }
      })
      .describe('parts of the pipeline on their own crons'),
  })
  .strict();
export type PipelineSchedule = z.infer<typeof PipelineScheduleSchema>;
