/** How a deferred task is checked for its decision. */
export interface DeferralCheck {
  /** Said while the task waits (task reason, CLI, app): e.g. "awaiting approval: promote churn v7". */
  message: string;
  /** How often the executor calls `ready` (a store read): seconds, not milliseconds, apart. */
  pollMs: number;
  /** Whether running the task again would now finish it (a decision exists or a timeout passed). */
  ready(): Promise<boolean>;
}

/**
 * Thrown by a node that must wait for a decision made outside the run (a human approval). The
 * executor records the task as `waiting`, frees its worker slot, polls `ready` and, once it
 * answers true, runs the task again from the start, so the node reads the decision from the
 * same place it recorded the request (the store) and never keeps waiting state in memory:
 * a resumed run in another process behaves exactly like the one that started waiting.
 */
export class TaskDeferral extends Error {
  override readonly name = 'TaskDeferral';
  constructor(readonly check: DeferralCheck) {
    super(check.message);
  }
}

export function isTaskDeferral(value: unknown): value is TaskDeferral {
  return value instanceof TaskDeferral;
}
