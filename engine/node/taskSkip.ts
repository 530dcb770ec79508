/**
 * Thrown by a node that decides it should not have run after all (a sensor whose timeout passed
 * with `softFail`): the executor records the task `skipped` with this message as the reason, not
 * `failed`, so the run does not fail, and what needs its outputs is skipped like below any other
 * skipped node. Not retried: skipping is a decision, not an error.
 */
export class TaskSkip extends Error {
  override readonly name = 'TaskSkip';
}

export function isTaskSkip(value: unknown): value is TaskSkip {
  return value instanceof TaskSkip;
}
