import { z } from 'zod';

/** The states of one schedule slot (one cron time of one pipeline). */
export const SLOT_STATES = [
  /** Claimed for a run that waits for a free place (maxActiveRuns); its run id is already chosen. */
  'queued',
  /** Its run has started (or was interrupted and waits to be resumed by a scheduler). */
  'running',
  /** Its run succeeded. */
  'succeeded',
  /** Its run failed. */
  'failed',
  /** Its run was cancelled by someone (a scheduler shutting down leaves the slot running instead). */
  'cancelled',
  /** It passed while no scheduler was running and the catch-up policy did not run it. */
  'missed',
  /** It came due but could not run (the pipeline did not compile); `reason` says why. */
  'skipped',
] as const;
export const SlotStateSchema = z.enum(SLOT_STATES);
export type SlotState = z.infer<typeof SlotStateSchema>;

/** Slots whose run is claimed or under way: a scheduler or a backfill owns them. */
export const ACTIVE_SLOT_STATES: readonly SlotState[] = ['queued', 'running'];

/** What put a slot in motion: its time came, a catch-up after downtime, or `trellis backfill`. */
export const SlotTriggerSchema = z.enum(['schedule', 'catch-up', 'backfill']);
export type SlotTrigger = z.infer<typeof SlotTriggerSchema>;

export const ScheduleSlotSchema = z.object({
  scheduleId: z.string(),
  /** The slot's instant (epoch ms): its logical date. */
  slotTime: z.number(),
  /** The logical date as the run receives it: local ISO time with offset in the schedule's timezone. */
  logicalDate: z.string(),
  trigger: SlotTriggerSchema,
  state: SlotStateSchema,
  /** The slot's latest run (chosen when it is claimed, so a restart finds it). */
  runId: z.string().optional(),
  pipelineHash: z.string().optional(),
  /** The scheduler or backfill instance that drives it while queued or running. */
  owner: z.string().optional(),
  deadlineAt: z.number().optional(),
  /** When the deadline was found missed (the run had not finished by then). */
  deadlineMissedAt: z.number().optional(),
  /** How many runs this slot has had (a backfill with --reprocess adds one). */
  runs: z.int(),
  reason: z.string().optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
  finishedAt: z.number().optional(),
});
export type ScheduleSlot = z.infer<typeof ScheduleSlotSchema>;
