import type { SlotState, SlotTrigger } from './scheduleSlot.js';

/** What the scheduler reports as it works, for its log (`trellis scheduler` prints one line each). */
export type SchedulerEvent =
  /** A pipeline's schedule is in force: first seen, or its cron or timezone changed. */
  | { type: 'pipeline.scheduled'; scheduleId: string; cron: string; timezone: string; next?: string; origin: string }
  /** A pipeline could not be read or is not schedulable; nothing of it fires until it is fixed. */
  | { type: 'pipeline.problem'; origin: string; message: string }
  | { type: 'slot.fired'; scheduleId: string; logicalDate: string; runId: string; trigger: SlotTrigger }
  /** A slot's run was taken over after its scheduler stopped or died, and resumed (or started). */
  | { type: 'slot.resumed'; scheduleId: string; logicalDate: string; runId: string }
  | { type: 'slot.missed'; scheduleId: string; logicalDate: string; reason: string }
  | { type: 'slot.skipped'; scheduleId: string; logicalDate: string; reason: string }
  | { type: 'slot.finished'; scheduleId: string; logicalDate: string; runId: string; state: SlotState }
  | { type: 'deadline.missed'; scheduleId: string; logicalDate: string; runId?: string; deadline: string }
  /** Something went wrong in the scheduler itself; it keeps going and tries again at the next tick. */
  | { type: 'scheduler.error'; message: string };

export type SchedulerEventListener = (event: SchedulerEvent) => void;
