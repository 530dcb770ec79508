import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { RunEventListener } from '../executor/eventRecorder.js';
import { newRunId } from '../executor/runTask.js';
import type { Workspace } from '../workspace/workspace.js';
import { CronSlots } from './cronSlots.js';
import type { ScheduledPipeline } from './pipelineSource.js';
import type { SlotState } from './scheduleSlot.js';
import type { SchedulerEventListener } from './schedulerEvent.js';
import { planForSlot } from './slotRun.js';
import { openWorkspaceSchedulerStore } from './workspaceSchedulerStore.js';
import { zonedIso } from './zonedTime.js';

export type Reprocess = 'none' | 'failed' | 'all';

export interface BackfillOptions {
  workspace: Workspace;
  pipeline: ScheduledPipeline;
  /** Slots in [from, to] (epoch ms) run. */
  from: number;
  to: number;
  /** Which slots that already ran run again: none, failed (and cancelled) ones, or all. */
  reprocess: Reprocess;
  /** Runs at once. */
  maxActive: number;
  now?: () => number;
  signal?: AbortSignal;
  onEvent?: SchedulerEventListener;
  runListeners?: RunEventListener[];
  /** Refuse ranges with more slots than this (a typo in a cron or a date should not start a million runs). */
  maxSlots?: number;
}

export interface BackfillSlotOutcome {
  slotTime: number;
  logicalDate: string;
  /** What the slot is now; `left` means it was not touched (see `reason`). */
  state: SlotState | 'left';
  runId?: string;
  reason?: string;
}

/** Thrown for a range that cannot be backfilled as asked; the message says what to change. */
export class BackfillRangeError extends Error {
  override readonly name = 'BackfillRangeError';
}

/**
 * Runs every slot of a pipeline's schedule in a range, oldest first, at most `maxActive` at
 * once, each with its logical date. Each slot is claimed in the scheduler store before its run
 * starts, so a scheduler running at the same time never fires it too, and slots that ran before
 * are left as `reprocess` says. Slots after `now` are not run (the scheduler fires them).
 */
export async function runBackfill(options: BackfillOptions): Promise<BackfillSlotOutcome[]> {
  const { workspace, pipeline } = options;
  const { schedule, document } = pipeline;
  const now = options.now ?? Date.now;
  const until = Math.min(options.to, now());
  if (options.from > options.to) throw new BackfillRangeError(`--from (${new Date(options.from).toISOString()}) is after --to (${new Date(options.to).toISOString()}); swap them.`);
  const limit = options.maxSlots ?? 10_000;
  const slots = new CronSlots(schedule).between(options.from - 1, until, limit + 1);
  if (slots.length > limit) throw new BackfillRangeError(`That range holds more than ${limit} slots of "${schedule.cron}"; backfill a shorter range at a time.`);

  const store = openWorkspaceSchedulerStore(workspace);
  const owner = `${hostname()}:${process.pid}:backfill-${randomUUID().slice(0, 8)}`;
  store.registerInstance(owner, 'backfill', process.pid, hostname(), now());
  const outcomes: BackfillSlotOutcome[] = slots.map((slotTime) => ({ slotTime, logicalDate: zonedIso(slotTime, schedule.timezone), state: 'left' }));
  const emit: SchedulerEventListener = (event) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A failing log sink must not stop the backfill.
    }
  };

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < outcomes.length && !options.signal?.aborted) {
      const outcome = outcomes[next++] as BackfillSlotOutcome;
      const runId = newRunId();
      const claim = store.claimBackfill({
        pipelineId: document.id,
        slotTime: outcome.slotTime,
        logicalDate: outcome.logicalDate,
        pipelineHash: pipeline.hash,
        reprocess: options.reprocess,
        owner,
        runId,
        now: now(),
        // No deadline: a backfilled slot is past it by design, and an alert for it would be noise.
      });
      if ('skipped' in claim) {
        outcome.reason = claim.skipped;
        if (claim.slot?.runId) outcome.runId = claim.slot.runId;
        continue;
      }
      const slot = claim.claimed;
      outcome.runId = runId;
      const planned = planForSlot(workspace, document, outcome.logicalDate);
      if (!planned.ok) {
        store.finish(slot, 'skipped', now(), planned.reason);
        Object.assign(outcome, { state: 'skipped', reason: planned.reason });
        emit({ type: 'slot.skipped', pipelineId: document.id, logicalDate: outcome.logicalDate, reason: planned.reason });
        continue;
      }
      emit({ type: 'slot.fired', pipelineId: document.id, logicalDate: outcome.logicalDate, runId, trigger: 'backfill' });
      let state: SlotState;
      let reason: string | undefined;
      try {
        const result = await workspace.runPlan(planned.plan, document, pipeline.baseDir, {
          runId,
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.runListeners ? { listeners: options.runListeners } : {}),
        });
        state = result.state === 'succeeded' || result.state === 'failed' || result.state === 'cancelled' ? result.state : 'failed';
      } catch (cause) {
        state = 'failed';
        reason = cause instanceof Error ? cause.message : String(cause);
      }
      store.finish(slot, state, now(), reason);
      outcome.state = state;
      if (reason !== undefined) outcome.reason = reason;
      emit({ type: 'slot.finished', pipelineId: document.id, logicalDate: outcome.logicalDate, runId, state });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.maxActive, outcomes.length)) }, worker));
  } finally {
    store.stopInstance(owner, now());
    store.close();
  }
  return outcomes;
}
