import type { ExecutionPlan } from '../compile/executionPlan.js';
import type { TaskStateEvent } from '../run/runEvent.js';
import { FINAL_TASK_STATES } from '../run/taskState.js';
import type { CacheParts, TaskRecord } from '../store/runStore.js';

/**
 * The executor's own copy of its run's task rows, kept by folding in the same task.state events
 * (and cache parts) it hands the store, with the store's rules: the last state and attempt win,
 * each field keeps its last value given, started is when the task entered running (not each
 * attempt), finished is its last final state. A run's result is read from here once its events
 * are committed, rather than by reading every row back from the database (a tenth of a 10,000-task
 * run). `executePlan.test.ts` checks it matches the stored rows.
 */
export class TaskRecords {
  private readonly records = new Map<string, TaskRecord>();

  /** Starts from the stored rows (a resumed run) or, for a new run, every planned task pending. */
  constructor(runId: string, plan: ExecutionPlan, stored?: readonly TaskRecord[]) {
    if (stored) {
      for (const task of stored) this.records.set(task.nodeId, { ...task });
    } else {
      for (const node of plan.nodes) this.records.set(node.id, { runId, nodeId: node.id, type: node.type, state: 'pending', attempt: 0 });
    }
  }

  apply(event: TaskStateEvent): void {
    const record = this.records.get(event.nodeId);
    if (!record) return; // the store rejects it; the run fails on that commit
    if (event.state === 'running' && record.state !== 'running') record.startedAt = event.time;
    if (FINAL_TASK_STATES.has(event.state)) record.finishedAt = event.time;
    record.state = event.state;
    record.attempt = event.attempt;
    if (event.cacheKey !== undefined) record.cacheKey = event.cacheKey;
    if (event.cache !== undefined) record.cache = event.cache;
    if (event.error !== undefined) record.error = event.error;
    if (event.outputs !== undefined) record.outputs = event.outputs;
    if (event.reason !== undefined) record.reason = event.reason;
  }

  setCacheParts(nodeId: string, cacheKey: string, parts: CacheParts): void {
    const record = this.records.get(nodeId);
    if (!record) return;
    record.cacheKey = cacheKey;
    record.cacheParts = parts;
  }

  /** Every task, in plan order (the order the store keeps them in). */
  all(): TaskRecord[] {
    return [...this.records.values()];
  }
}
