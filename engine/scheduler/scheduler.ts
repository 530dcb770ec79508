import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { RunEventListener } from '../executor/eventRecorder.js';
import type { RunResult } from '../executor/executePlan.js';
import { newRunId } from '../executor/runTask.js';
import type { RunState } from '../run/taskState.js';
import type { Workspace } from '../workspace/workspace.js';
import { processAlive as defaultProcessAlive } from '../workspace/processAlive.js';
import { CronSlots } from './cronSlots.js';
import type { PipelineSource } from './pipelineSource.js';
import type { ScheduleSlot, SlotState } from './scheduleSlot.js';
import { systemClock, type SchedulerClock } from './schedulerClock.js';
import type { SchedulerEvent, SchedulerEventListener } from './schedulerEvent.js';
import type { SchedulerStore } from './schedulerStore.js';
import { scheduleUnits, type ScheduleUnit } from './scheduleUnit.js';
import { planForSlot, takeOverRun } from './slotRun.js';
import { openWorkspaceSchedulerStore } from './workspaceSchedulerStore.js';
import { zonedIso } from './zonedTime.js';

export interface SchedulerOptions {
  workspace: Workspace;
  source: PipelineSource;
  clock?: SchedulerClock;
  onEvent?: SchedulerEventListener;
  /** Listeners for the events of the runs it starts (the server forwards them to its clients). */
  runListeners?: RunEventListener[];
  /** A slot decided later than this after its time counts as missed-while-down (default one minute). */
  graceMs?: number;
  /** Longest sleep between ticks, so new pipelines, edits and a clock jump after sleep are noticed (default one minute). */
  maxSleepMs?: number;
  /** Tasks at once within one run. */
  concurrency?: number;
  /** Who this is in `scheduler_instances` (`scheduler`, `serve`, `app`). */
  role?: string;
  processAlive?: (pid: number, host: string) => boolean;
}

/** How many due slots one transaction decides; a long downtime is decided in several. */
const DECIDE_BATCH = 1000;

const slotKey = (slot: Pick<ScheduleSlot, 'scheduleId' | 'slotTime'>): string => `${slot.scheduleId}@${slot.slotTime}`;

/**
 * Fires pipeline runs at their cron slots. Each tick decides the slots that came due (durably,
 * before any run starts), takes over the slots of schedulers that stopped or died, starts queued
 * slots up to each pipeline's maxActiveRuns, flags missed deadlines, and sleeps until the next
 * slot or deadline. Ticks never overlap; a finished run triggers one. The clock is injected.
 */
export class Scheduler {
  readonly instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly store: SchedulerStore;
  private readonly clock: SchedulerClock;
  private readonly isAlive: (pid: number, host: string) => boolean;
  private readonly active = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private readonly announced = new Map<string, string>();
  private problems = new Set<string>();
  private units = new Map<string, ScheduleUnit>();
  private chain: Promise<void> = Promise.resolve();
  private pendingTicks = 0;
  private cancelSleep: (() => void) | undefined;
  private started = false;
  private stopping = false;

  constructor(private readonly options: SchedulerOptions) {
    this.store = openWorkspaceSchedulerStore(options.workspace);
    this.clock = options.clock ?? systemClock;
    this.isAlive = options.processAlive ?? defaultProcessAlive;
  }

  /** Registers this instance and runs the first tick (awaited, so a caller sees its effects). */
  async start(): Promise<void> {
    if (this.started) throw new Error('This scheduler has already started.');
    this.started = true;
    this.store.registerInstance(this.instanceId, this.options.role ?? 'scheduler', process.pid, hostname(), this.clock.now());
    await this.tick();
  }

  /** One tick after any tick already under way. */
  tick(): Promise<void> {
    this.pendingTicks += 1;
    this.chain = this.chain.then(async () => {
      this.pendingTicks -= 1;
      // Ticks asked for while one ran collapse into one.
      if (this.pendingTicks > 0 || this.stopping) return;
      await this.runTick();
    });
    return this.chain;
  }

  /** Resolves once no run of this scheduler is active and no tick is under way (tests, shutdown). */
  async drain(): Promise<void> {
    for (;;) {
      await this.chain;
      if (this.active.size === 0) {
        await this.chain;
        if (this.active.size === 0 && this.pendingTicks === 0) return;
      }
      await Promise.allSettled([...this.active.values()].map((a) => a.done));
    }
  }

  /** Schedule ids (pipelines and segments) it fires, as of the last tick. */
  get scheduled(): string[] {
    return [...this.units.keys()];
  }

  /** Number of runs this scheduler is driving now. */
  get activeRuns(): number {
    return this.active.size;
  }

  /**
   * Stops firing and cancels the runs it drives. Their slots stay `running`, owned by a stopped
   * instance, so the next scheduler to start resumes them: a stop never loses a slot.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.cancelSleep?.();
    await this.chain.catch(() => undefined);
    for (const run of this.active.values()) run.controller.abort();
    await Promise.allSettled([...this.active.values()].map((a) => a.done));
    if (this.started) this.store.stopInstance(this.instanceId, this.clock.now());
    this.store.close();
  }

  private emit(event: SchedulerEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // A failing log sink must not stop the scheduler.
    }
  }

  private async runTick(): Promise<void> {
    this.cancelSleep?.();
    this.cancelSleep = undefined;
    try {
      const now = this.clock.now();
      this.store.heartbeat(this.instanceId, now);
      await this.refreshPipelines();
      for (const unit of this.units.values()) this.decide(unit, now);
      await this.takeOverOrphans(now);
      for (const unit of this.units.values()) if (unit.schedule.enabled) this.startQueued(unit);
      for (const slot of this.store.markDeadlinesMissed(now)) this.emitDeadline(slot);
    } catch (cause) {
      this.emit({ type: 'scheduler.error', message: cause instanceof Error ? cause.message : String(cause) });
    }
    if (!this.stopping) this.sleepUntilNext();
  }

  private async refreshPipelines(): Promise<void> {
    const listing = await this.options.source.list();
    const problems = new Set(listing.problems.map((p) => `${p.origin}\n${p.message}`));
    for (const problem of listing.problems) if (!this.problems.has(`${problem.origin}\n${problem.message}`)) this.emit({ type: 'pipeline.problem', ...problem });
    this.problems = problems;
    this.units = new Map(listing.pipelines.flatMap(scheduleUnits).map((unit) => [unit.scheduleId, unit]));
  }

  private decide(unit: ScheduleUnit, now: number): void {
    const { schedule, pipeline } = unit;
    const id = unit.scheduleId;
    const signature = `${schedule.cron}|${schedule.timezone}|${schedule.enabled}`;
    if (this.announced.get(id) !== signature) {
      this.announced.set(id, signature);
      const next = schedule.enabled ? new CronSlots(schedule).next(now) : undefined;
      this.emit({ type: 'pipeline.scheduled', scheduleId: id, cron: schedule.cron, timezone: schedule.timezone, origin: pipeline.origin, ...(next !== undefined ? { next: zonedIso(next, schedule.timezone) } : {}) });
    }
    if (!schedule.enabled) {
      this.store.holdCursor(id, schedule, now);
      return;
    }
    for (;;) {
      const decision = this.store.decideDue({
        scheduleId: id,
        schedule,
        pipelineHash: pipeline.hash,
        now,
        graceMs: this.options.graceMs ?? 60_000,
        owner: this.instanceId,
        newRunId,
        limit: DECIDE_BATCH,
      });
      for (const slot of decision.missed) this.emit({ type: 'slot.missed', scheduleId: id, logicalDate: slot.logicalDate, reason: slot.reason ?? '' });
      if (!decision.more) return;
    }
  }

  /** Active slots of known pipelines whose owner stopped or died become this scheduler's. */
  private async takeOverOrphans(now: number): Promise<void> {
    for (const unit of this.units.values()) {
      for (const slot of this.store.slots({ scheduleId: unit.scheduleId, states: ['queued', 'running'] })) {
        if (slot.owner !== this.instanceId) {
          if (slot.owner !== undefined && this.store.instanceAlive(slot.owner, this.isAlive)) continue;
          if (!this.store.adopt(slot, this.instanceId, now)) continue;
        }
        if (slot.state === 'running' && !this.active.has(slotKey(slot))) await this.reconcile(unit, slot);
      }
    }
  }

  /** A running slot this scheduler owns but does not drive: finish, resume or start its run. */
  private async reconcile(unit: ScheduleUnit, slot: ScheduleSlot): Promise<void> {
    const runId = slot.runId as string;
    const takeOver = await takeOverRun(this.options.workspace, runId, this.isAlive);
    if (takeOver.action === 'start') {
      this.launch(unit, slot, 'resumed');
    } else if (takeOver.action === 'finish') {
      this.settle(slot, takeOver.state);
    } else if (takeOver.action === 'resume') {
      this.emit({ type: 'slot.resumed', scheduleId: slot.scheduleId, logicalDate: slot.logicalDate, runId });
      this.track(slot, (signal) => this.options.workspace.resume(runId, { signal, ...this.runOptions() }));
    }
    // 'wait': still running in a live process; a later tick looks again.
  }

  private startQueued(unit: ScheduleUnit): void {
    for (;;) {
      const slot = this.store.startNext(unit.scheduleId, unit.schedule.maxActiveRuns, this.instanceId, this.clock.now());
      if (!slot) return;
      this.launch(unit, slot, 'fired');
    }
  }

  private launch(unit: ScheduleUnit, slot: ScheduleSlot, how: 'fired' | 'resumed'): void {
    const { pipeline } = unit;
    const planned = planForSlot(this.options.workspace, pipeline.document, slot.logicalDate);
    if (!planned.ok) {
      this.store.finish(slot, 'skipped', this.clock.now(), planned.reason);
      this.emit({ type: 'slot.skipped', scheduleId: slot.scheduleId, logicalDate: slot.logicalDate, reason: planned.reason });
      return;
    }
    const runId = slot.runId as string;
    this.emit(how === 'fired' ? { type: 'slot.fired', scheduleId: slot.scheduleId, logicalDate: slot.logicalDate, runId, trigger: slot.trigger } : { type: 'slot.resumed', scheduleId: slot.scheduleId, logicalDate: slot.logicalDate, runId });
    this.track(slot, (signal) => this.options.workspace.runPlan(planned.plan, pipeline.document, pipeline.baseDir, { runId, signal, selection: unit.selection, ...this.runOptions() }));
  }

  private runOptions(): { listeners?: RunEventListener[]; concurrency?: number } {
    return { ...(this.options.runListeners ? { listeners: this.options.runListeners } : {}), ...(this.options.concurrency !== undefined ? { concurrency: this.options.concurrency } : {}) };
  }

  private track(slot: ScheduleSlot, start: (signal: AbortSignal) => Promise<RunResult>): void {
    const controller = new AbortController();
    const key = slotKey(slot);
    const done = start(controller.signal)
      .then(
        (result) => this.settle(slot, result.state),
        (cause: unknown) => this.settle(slot, 'failed', cause instanceof Error ? cause.message : String(cause)),
      )
      .catch((cause: unknown) => this.emit({ type: 'scheduler.error', message: cause instanceof Error ? cause.message : String(cause) }))
      .finally(() => {
        this.active.delete(key);
        if (!this.stopping) void this.tick();
      });
    this.active.set(key, { controller, done });
  }

  private settle(slot: ScheduleSlot, runState: RunState, reason?: string): void {
    // Cancelled by our own shutdown: the slot stays running so the next scheduler resumes it.
    if (this.stopping && runState === 'cancelled') return;
    // A run left waiting on an approval is still the slot's run: it goes on once decided.
    if (runState === 'running' || runState === 'interrupted' || runState === 'waiting') return;
    const state: SlotState = runState;
    const finished = this.store.finish(slot, state, this.clock.now(), reason);
    if (!finished) return;
    this.emit({ type: 'slot.finished', scheduleId: slot.scheduleId, logicalDate: slot.logicalDate, runId: slot.runId as string, state });
    if (finished.deadlineMissed) this.emitDeadline(finished.slot);
  }

  private emitDeadline(slot: ScheduleSlot): void {
    this.emit({ type: 'deadline.missed', scheduleId: slot.scheduleId, logicalDate: slot.logicalDate, deadline: new Date(slot.deadlineAt ?? 0).toISOString(), ...(slot.runId ? { runId: slot.runId } : {}) });
  }

  private sleepUntilNext(): void {
    const now = this.clock.now();
    let wake = now + (this.options.maxSleepMs ?? 60_000);
    for (const unit of this.units.values()) {
      if (!unit.schedule.enabled) continue;
      const cursor = this.store.cursor(unit.scheduleId)?.cursor ?? now;
      const next = new CronSlots(unit.schedule).next(Math.max(cursor, now - 1));
      if (next !== undefined) wake = Math.min(wake, next);
    }
    const deadline = this.store.nextDeadline();
    if (deadline !== undefined) wake = Math.min(wake, deadline);
    this.cancelSleep = this.clock.sleep(Math.max(0, wake - now), () => void this.tick());
  }
}
