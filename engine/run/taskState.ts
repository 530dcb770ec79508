import { z } from 'zod';

/** The states of one task (a node in one run). */
export const TASK_STATES = [
  /** Not started: waiting for its upstream nodes. */
  'pending',
  /** Upstream done; waiting for a free slot. */
  'queued',
  /** Executing (an attempt is under way, or waiting for a retry delay). */
  'running',
  /**
   * Deferred: waiting for a decision from outside the run (a human approval). Holds no worker
   * slot; the executor polls for the decision and runs the task again once it exists. Survives its
   * process: a run left with waiting tasks is `waiting`, not `interrupted`, and `resume` goes on.
   */
  'waiting',
  /** Finished and produced its outputs. */
  'succeeded',
  /** Its last attempt failed (or timed out). */
  'failed',
  /** Not run: an upstream node failed or was skipped, or it lies outside a partial run. */
  'skipped',
  /** Stopped by a cancel before it finished. */
  'cancelled',
  /** Not run: an earlier result with the same cache key was reused. */
  'cached',
] as const;
export const TaskStateSchema = z.enum(TASK_STATES);
export type TaskState = z.infer<typeof TaskStateSchema>;

/** States a task never leaves within a run. */
export const FINAL_TASK_STATES: ReadonlySet<TaskState> = new Set(['succeeded', 'failed', 'skipped', 'cancelled', 'cached']);

/** A finished task whose outputs downstream nodes can use. */
export function producedOutputs(state: TaskState): boolean {
  return state === 'succeeded' || state === 'cached';
}

/** The states of a whole run. */
export const RUN_STATES = [
  /** Tasks are executing. */
  'running',
  /** Every selected task succeeded or was cached (continue-on-failure nodes may have failed). */
  'succeeded',
  /** A task failed. */
  'failed',
  /** Stopped by a cancel. */
  'cancelled',
  /** Its process died while it was running; `resume` finishes it. */
  'interrupted',
  /**
   * No process drives it and a task awaits a decision (an approval): its process ended, or let go
   * of it (`run --no-wait`). Once decided, `resume` (or a running server) continues it.
   */
  'waiting',
] as const;
export const RunStateSchema = z.enum(RUN_STATES);
export type RunState = z.infer<typeof RunStateSchema>;
