import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { RunEventListener } from '../executor/eventRecorder.js';
import type { RunResult } from '../executor/executePlan.js';
import { newRunId } from '../executor/runTask.js';
import { processAlive } from '../workspace/processAlive.js';
import type { Workspace } from '../workspace/workspace.js';
import { CronSlots } from './cronSlots.js';
import type { ScheduleUnit } from './scheduleUnit.js';
import type { ScheduleSlot, SlotState } from './scheduleSlot.js';
import type { SchedulerEventListener } from './schedulerEvent.js';
import { planForSlot, takeOverRun } from './slotRun.js';
import { openWorkspaceSchedulerStore } from './workspaceSchedulerStore.js';
import { zonedIso } from './zonedTime.js';

export type Reprocess = 'none' | 'failed' | 'all';

export interface BackfillOptions {
  workspace: Workspace;
  /** The pipeline, or one of its segments (see scheduleUnits). */
  unit: ScheduleUnit;
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
  processAlive?: (pid: number, host: string) => boolean;
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
 * are left as `reprocess` says. A slot left running by a backfill or scheduler that died has its
 * run resumed instead. Slots after `now` are not run (the scheduler fires them).
 */
export async function runBackfill(options: BackfillOptions): Promise<BackfillSlotOutcome[]> {
  const { workspace, unit } = options;
  const { schedule, pipeline } = unit;
  const { document } = pipeline;
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

  const isAlive = options.processAlive ?? processAlive;
  const runOptions = { ...(options.signal ? { signal: options.signal } : {}), ...(options.runListeners ? { listeners: options.runListeners } : {}) };

  /** Runs (or resumes) the slot's run and records how it ended. */
  const drive = async (outcome: BackfillSlotOutcome, slot: ScheduleSlot, run: () => Promise<RunResult>): Promise<void> => {
    const runId = slot.runId as string;
    outcome.runId = runId;
    let state: SlotState;
    let reason: string | undefined;
    try {
      const result = await run();
      state = result.state === 'succeeded' || result.state === 'failed' || result.state === 'cancelled' ? result.state : 'failed';
    } catch (cause) {
      state = 'failed';
      reason = cause instanceof Error ? cause.message : String(cause);
    }
    store.finish(slot, state, now(), reason);
    outcome.state = state;
    if (reason !== undefined) outcome.reason = reason;
    emit({ type: 'slot.finished', scheduleId: unit.scheduleId, logicalDate: outcome.logicalDate, runId, state });
  };

  /** Starts a claimed slot's run with its logical date, or records why it cannot run. */
  const start = async (outcome: BackfillSlotOutcome, slot: ScheduleSlot, how: 'fired' | 'resumed'): Promise<void> => {
    const runId = slot.runId as string;
    const planned = planForSlot(workspace, document, outcome.logicalDate);
    if (!planned.ok) {
      store.finish(slot, 'skipped', now(), planned.reason);
      Object.assign(outcome, { state: 'skipped', reason: planned.reason, runId });
      emit({ type: 'slot.skipped', scheduleId: unit.scheduleId, logicalDate: outcome.logicalDate, reason: planned.reason });
      return;
    }
    emit(how === 'fired' ? { type: 'slot.fired', scheduleId: unit.scheduleId, logicalDate: outcome.logicalDate, runId, trigger: 'backfill' } : { type: 'slot.resumed', scheduleId: unit.scheduleId, logicalDate: outcome.logicalDate, runId });
    await drive(outcome, slot, () => workspace.runPlan(planned.plan, document, pipeline.baseDir, { runId, selection: unit.selection, ...runOptions }));
  };

  /** A slot left running by a backfill or scheduler that died: finish its run rather than start another. */
  const takeOver = async (outcome: BackfillSlotOutcome, slot: ScheduleSlot): Promise<void> => {
    const runId = slot.runId as string;
    const found = await takeOverRun(workspace, runId, isAlive);
    if (found.action === 'start') return start(outcome, slot, 'resumed');
    if (found.action === 'resume') {
      emit({ type: 'slot.resumed', scheduleId: unit.scheduleId, logicalDate: outcome.logicalDate, runId });
      return drive(outcome, slot, () => workspace.resume(runId, runOptions));
    }
    if (found.action === 'finish') {
      store.finish(slot, found.state, now());
      Object.assign(outcome, { state: found.state, runId });
      return;
    }
    Object.assign(outcome, { runId, reason: `its run ${runId} is still running in another process` });
  };

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < outcomes.length && !options.signal?.aborted) {
      const outcome = outcomes[next++] as BackfillSlotOutcome;
      const existing = store.slot(unit.scheduleId, outcome.slotTime);
      if (existing?.state === 'running' && existing.owner !== undefined && !store.instanceAlive(existing.owner, isAlive) && store.adopt(existing, owner, now())) {
        await takeOver(outcome, existing);
        continue;
      }
      const claim = store.claimBackfill({ scheduleId: unit.scheduleId, slotTime: outcome.slotTime, logicalDate: outcome.logicalDate, pipelineHash: pipeline.hash, reprocess: options.reprocess, owner, runId: newRunId(), now: now() });
      // No deadline on a claimed backfill slot: it is past by design, and an alert for it would be noise.
      if ('skipped' in claim) {
        outcome.reason = claim.skipped;
        if (claim.slot?.runId) outcome.runId = claim.slot.runId;
        continue;
      }
      await start(outcome, claim.claimed, 'fired');
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
