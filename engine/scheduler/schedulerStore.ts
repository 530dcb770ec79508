import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { PipelineSchedule } from '../format/pipelineSchedule.js';
import { migrateComponent } from '../store/componentMigrations.js';
import { openSqlite } from '../store/openSqlite.js';
import { CronSlots } from './cronSlots.js';
import { ScheduleSlotSchema, type ScheduleSlot, type SlotState, type SlotTrigger } from './scheduleSlot.js';
import { SCHEDULER_COMPONENT, SCHEDULER_MIGRATIONS } from './schedulerMigrations.js';
import { zonedIso } from './zonedTime.js';

const SLOT_COLUMNS = `schedule_id AS scheduleId, slot_time AS slotTime, logical_date AS logicalDate, trigger, state,
  run_id AS runId, pipeline_hash AS pipelineHash, owner, deadline_at AS deadlineAt, deadline_missed_at AS deadlineMissedAt,
  runs, reason, created_at AS createdAt, updated_at AS updatedAt, finished_at AS finishedAt`;

const CursorRowSchema = z.object({ scheduleId: z.string(), cron: z.string(), timezone: z.string(), cursor: z.number(), registeredAt: z.number(), updatedAt: z.number() });
export type ScheduleCursor = z.infer<typeof CursorRowSchema>;
const InstanceRowSchema = z.object({ pid: z.int(), host: z.string(), stoppedAt: z.number().nullable() });
const CountSchema = z.object({ n: z.int() });
const MinSchema = z.object({ t: z.number().nullable() });

export const ScheduleEventSchema = z.object({
  id: z.int(),
  time: z.number(),
  kind: z.string(),
  scheduleId: z.string(),
  slotTime: z.number().optional(),
  runId: z.string().optional(),
  message: z.string(),
});
export type ScheduleEvent = z.infer<typeof ScheduleEventSchema>;

/** A row as a record: SQLite NULL is an absent field here. */
function parseRow<S extends z.ZodType>(schema: S, row: unknown, what: string): z.output<S> {
  if (row === null || typeof row !== 'object') throw new Error(`scheduler store: ${what} is not a row`);
  return schema.parse(Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null)));
}

const slotFrom = (row: unknown): ScheduleSlot => parseRow(ScheduleSlotSchema, row, 'a slot');
const eventFrom = (row: unknown): ScheduleEvent => parseRow(ScheduleEventSchema, row, 'an event');

/** What `decideDue` did for one pipeline. */
export interface DueDecision {
  /** The pipeline was seen for the first time: its slots count from now on. */
  registered: boolean;
  queued: ScheduleSlot[];
  missed: ScheduleSlot[];
  /** More due slots remain than one call decides (`limit`); call again. */
  more: boolean;
}

export interface DueInput {
  scheduleId: string;
  schedule: PipelineSchedule;
  pipelineHash: string;
  now: number;
  /** A slot older than this when decided counts as late, so the catch-up policy applies to it. */
  graceMs: number;
  owner: string;
  newRunId: () => string;
  limit: number;
}

export type BackfillClaim = { claimed: ScheduleSlot } | { skipped: string; slot?: ScheduleSlot };

/**
 * The scheduler's durable state: per pipeline a cursor (every slot up to it is decided), the slots
 * with their state and run, the instances (scheduler processes, backfills) that own active slots,
 * and events such as missed deadlines. Each state change is one IMMEDIATE transaction, so two
 * schedulers on the same file never decide or start the same slot twice.
 *
 * Synchronous like better-sqlite3 itself: the scheduler is the only caller and runs in the process
 * that holds the workspace.
 */
export class SchedulerStore {
  private constructor(
    private readonly db: Database.Database,
    private readonly ownsConnection: boolean,
  ) {
    migrateComponent(db, SCHEDULER_COMPONENT, SCHEDULER_MIGRATIONS);
  }

  /** On an open workspace connection (SqliteRunStore.database); `close` leaves it open. */
  static on(db: Database.Database): SchedulerStore {
    return new SchedulerStore(db, false);
  }

  /** On a database file of its own, created as needed. */
  static open(path: string): SchedulerStore {
    return openSqlite(path, (db) => new SchedulerStore(db, true));
  }

  close(): void {
    if (this.ownsConnection) this.db.close();
  }

  registerInstance(id: string, role: string, pid: number, host: string, now: number): void {
    this.db.prepare('INSERT INTO scheduler_instances (id, role, pid, host, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)').run(id, role, pid, host, now, now);
  }

  heartbeat(id: string, now: number): void {
    this.db.prepare('UPDATE scheduler_instances SET heartbeat_at = ? WHERE id = ?').run(now, id);
  }

  stopInstance(id: string, now: number): void {
    this.db.prepare('UPDATE scheduler_instances SET stopped_at = ? WHERE id = ? AND stopped_at IS NULL').run(now, id);
  }

  /** Whether the instance still drives its slots: not stopped, and its process is alive. */
  instanceAlive(id: string, processAlive: (pid: number, host: string) => boolean): boolean {
    const row = this.db.prepare('SELECT pid, host, stopped_at AS stoppedAt FROM scheduler_instances WHERE id = ?').get(id);
    if (row === undefined) return false;
    const instance = InstanceRowSchema.parse(row);
    return instance.stoppedAt === null && processAlive(instance.pid, instance.host);
  }

  cursor(scheduleId: string): ScheduleCursor | undefined {
    const row = this.db.prepare('SELECT schedule_id AS scheduleId, cron, timezone, cursor, registered_at AS registeredAt, updated_at AS updatedAt FROM schedule_cursors WHERE schedule_id = ?').get(scheduleId);
    return row === undefined ? undefined : CursorRowSchema.parse(row);
  }

  /** Moves a pipeline's cursor to `now` without deciding its slots (a disabled schedule fires nothing). */
  holdCursor(scheduleId: string, schedule: PipelineSchedule, now: number): void {
    this.db
      .prepare(`INSERT INTO schedule_cursors (schedule_id, cron, timezone, cursor, registered_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (schedule_id) DO UPDATE SET cron = excluded.cron, timezone = excluded.timezone, cursor = MAX(cursor, excluded.cursor), updated_at = excluded.updated_at`)
      .run(scheduleId, schedule.cron, schedule.timezone, now, now, now);
  }

  /**
   * Decides the slots of one pipeline that came due since its cursor: on time ones are queued;
   * late ones (the scheduler was not running) follow the catch-up policy and are queued or
   * recorded as missed. Slots a backfill already holds are left alone. The cursor moves past
   * what was decided in the same transaction.
   */
  decideDue(input: DueInput): DueDecision {
    const { scheduleId, schedule, now } = input;
    return this.db
      .transaction((): DueDecision => {
        const current = this.cursor(scheduleId);
        if (!current) {
          this.holdCursor(scheduleId, schedule, now);
          return { registered: true, queued: [], missed: [], more: false };
        }
        const found = new CronSlots(schedule).between(current.cursor, now, input.limit + 1);
        const more = found.length > input.limit;
        const slots = more ? found.slice(0, input.limit) : found;
        const queued: ScheduleSlot[] = [];
        const missed: ScheduleSlot[] = [];
        slots.forEach((slotTime, i) => {
          const late = now - slotTime > input.graceMs;
          const last = !more && i === slots.length - 1;
          const run = !late || schedule.catchUp === 'all' || (schedule.catchUp === 'latest' && last);
          const trigger: SlotTrigger = late ? 'catch-up' : 'schedule';
          const inserted = this.insertSlot({
            scheduleId,
            slotTime,
            logicalDate: zonedIso(slotTime, schedule.timezone),
            trigger,
            state: run ? 'queued' : 'missed',
            runId: run ? input.newRunId() : null,
            pipelineHash: input.pipelineHash,
            owner: run ? input.owner : null,
            deadlineAt: run && schedule.deadlineMinutes !== undefined ? slotTime + schedule.deadlineMinutes * 60_000 : null,
            reason: run ? null : `the scheduler was not running at ${zonedIso(slotTime, schedule.timezone)}; catch-up policy "${schedule.catchUp}"`,
            now,
          });
          if (inserted) (run ? queued : missed).push(inserted);
        });
        const cursor = more ? (slots[slots.length - 1] as number) : now;
        this.db.prepare('UPDATE schedule_cursors SET cron = ?, timezone = ?, cursor = MAX(cursor, ?), updated_at = ? WHERE schedule_id = ?').run(schedule.cron, schedule.timezone, cursor, now, scheduleId);
        return { registered: false, queued, missed, more };
      })
      .immediate();
  }

  private insertSlot(row: {
    scheduleId: string;
    slotTime: number;
    logicalDate: string;
    trigger: SlotTrigger;
    state: SlotState;
    runId: string | null;
    pipelineHash: string | null;
    owner: string | null;
    deadlineAt: number | null;
    reason: string | null;
    now: number;
  }): ScheduleSlot | undefined {
    const result = this.db
      .prepare(`INSERT INTO schedule_slots (schedule_id, slot_time, logical_date, trigger, state, run_id, pipeline_hash, owner, deadline_at, reason, created_at, updated_at)
        VALUES (@scheduleId, @slotTime, @logicalDate, @trigger, @state, @runId, @pipelineHash, @owner, @deadlineAt, @reason, @now, @now)
        ON CONFLICT (schedule_id, slot_time) DO NOTHING`)
      .run(row);
    return result.changes === 1 ? this.slot(row.scheduleId, row.slotTime) : undefined;
  }

  slot(scheduleId: string, slotTime: number): ScheduleSlot | undefined {
    const row = this.db.prepare(`SELECT ${SLOT_COLUMNS} FROM schedule_slots WHERE schedule_id = ? AND slot_time = ?`).get(scheduleId, slotTime);
    return row === undefined ? undefined : slotFrom(row);
  }

  /** Slots newest first, optionally of one pipeline and in some states. */
  slots(query: { scheduleId?: string; states?: readonly SlotState[]; limit?: number } = {}): ScheduleSlot[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.scheduleId !== undefined) {
      where.push('schedule_id = ?');
      params.push(query.scheduleId);
    }
    if (query.states) {
      where.push(`state IN (${query.states.map(() => '?').join(', ')})`);
      params.push(...query.states);
    }
    params.push(query.limit ?? -1);
    return this.db
      .prepare(`SELECT ${SLOT_COLUMNS} FROM schedule_slots ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY slot_time DESC LIMIT ?`)
      .all(...params)
      .map(slotFrom);
  }

  /** Run ids of every run a slot has had, oldest first. */
  slotRuns(scheduleId: string, slotTime: number): string[] {
    return this.db
      .prepare('SELECT run_id AS runId FROM schedule_slot_runs WHERE schedule_id = ? AND slot_time = ? ORDER BY started_at, rowid')
      .all(scheduleId, slotTime)
      .map((row) => z.object({ runId: z.string() }).parse(row).runId);
  }

  /**
   * Starts the oldest slot this owner has queued for the pipeline, if fewer than `maxActive` of
   * its slots are running (whoever runs them). Returns the slot, now running.
   */
  startNext(scheduleId: string, maxActive: number, owner: string, now: number): ScheduleSlot | undefined {
    return this.db
      .transaction((): ScheduleSlot | undefined => {
        const { n } = CountSchema.parse(this.db.prepare("SELECT count(*) AS n FROM schedule_slots WHERE schedule_id = ? AND state = 'running'").get(scheduleId));
        if (n >= maxActive) return undefined;
        const row = this.db.prepare(`SELECT ${SLOT_COLUMNS} FROM schedule_slots WHERE schedule_id = ? AND state = 'queued' AND owner = ? ORDER BY slot_time LIMIT 1`).get(scheduleId, owner);
        if (row === undefined) return undefined;
        const slot = slotFrom(row);
        this.markRunning(slot, now);
        return this.slot(scheduleId, slot.slotTime);
      })
      .immediate();
  }

  private markRunning(slot: ScheduleSlot, now: number): void {
    this.db.prepare("UPDATE schedule_slots SET state = 'running', runs = runs + 1, updated_at = ? WHERE schedule_id = ? AND slot_time = ?").run(now, slot.scheduleId, slot.slotTime);
    this.db.prepare('INSERT INTO schedule_slot_runs (run_id, schedule_id, slot_time, trigger, started_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_id) DO NOTHING').run(slot.runId, slot.scheduleId, slot.slotTime, slot.trigger, now);
  }

  /** Hands an active slot whose owner is gone to `owner`; false when someone else took it first. */
  adopt(slot: ScheduleSlot, owner: string, now: number): boolean {
    const result = this.db
      .prepare("UPDATE schedule_slots SET owner = ?, updated_at = ? WHERE schedule_id = ? AND slot_time = ? AND owner IS ? AND state IN ('queued', 'running')")
      .run(owner, now, slot.scheduleId, slot.slotTime, slot.owner ?? null);
    return result.changes === 1;
  }

  /**
   * Records the end of a slot's run (or that it could not run: `skipped`). Only the slot's current
   * run can finish it. A finish after the deadline records the missed deadline if no check has.
   */
  finish(slot: Pick<ScheduleSlot, 'scheduleId' | 'slotTime' | 'runId'>, state: SlotState, now: number, reason?: string): { slot: ScheduleSlot; deadlineMissed: boolean } | undefined {
    return this.db
      .transaction(() => {
        const result = this.db
          .prepare("UPDATE schedule_slots SET state = ?, reason = ?, owner = NULL, finished_at = ?, updated_at = ? WHERE schedule_id = ? AND slot_time = ? AND run_id IS ? AND state IN ('queued', 'running')")
          .run(state, reason ?? null, now, now, slot.scheduleId, slot.slotTime, slot.runId ?? null);
        if (result.changes !== 1) return undefined;
        const finished = this.slot(slot.scheduleId, slot.slotTime) as ScheduleSlot;
        const deadlineMissed = finished.deadlineAt !== undefined && finished.deadlineMissedAt === undefined && now > finished.deadlineAt && state !== 'skipped';
        if (deadlineMissed) this.recordDeadlineMissed(finished, now, `finished ${state} after its deadline`);
        return { slot: deadlineMissed ? (this.slot(slot.scheduleId, slot.slotTime) as ScheduleSlot) : finished, deadlineMissed };
      })
      .immediate();
  }

  /** Active slots past their deadline that nobody has flagged yet; flags them and records the events. */
  markDeadlinesMissed(now: number): ScheduleSlot[] {
    return this.db
      .transaction((): ScheduleSlot[] => {
        const due = this.db
          .prepare(`SELECT ${SLOT_COLUMNS} FROM schedule_slots WHERE deadline_at IS NOT NULL AND deadline_missed_at IS NULL AND deadline_at <= ? AND state IN ('queued', 'running')`)
          .all(now)
          .map(slotFrom);
        for (const slot of due) this.recordDeadlineMissed(slot, now, `not finished by its deadline (${slot.state})`);
        return due.map((slot) => this.slot(slot.scheduleId, slot.slotTime) as ScheduleSlot);
      })
      .immediate();
  }

  private recordDeadlineMissed(slot: ScheduleSlot, now: number, what: string): void {
    this.db.prepare('UPDATE schedule_slots SET deadline_missed_at = ? WHERE schedule_id = ? AND slot_time = ?').run(now, slot.scheduleId, slot.slotTime);
    const deadline = new Date(slot.deadlineAt ?? now).toISOString();
    this.appendEvent(now, 'deadline.missed', slot.scheduleId, slot.slotTime, slot.runId, `Run ${slot.runId ?? '(not started)'} of ${slot.scheduleId} for ${slot.logicalDate} ${what}; the deadline was ${deadline}.`);
  }

  /** The earliest deadline of an active slot not yet flagged, to wake up for it. */
  nextDeadline(): number | undefined {
    const { t } = MinSchema.parse(this.db.prepare("SELECT min(deadline_at) AS t FROM schedule_slots WHERE deadline_at IS NOT NULL AND deadline_missed_at IS NULL AND state IN ('queued', 'running')").get());
    return t ?? undefined;
  }

  appendEvent(time: number, kind: string, scheduleId: string, slotTime: number | undefined, runId: string | undefined, message: string): void {
    this.db.prepare('INSERT INTO schedule_events (time, kind, schedule_id, slot_time, run_id, message) VALUES (?, ?, ?, ?, ?, ?)').run(time, kind, scheduleId, slotTime ?? null, runId ?? null, message);
  }

  events(query: { scheduleId?: string; kind?: string; limit?: number } = {}): ScheduleEvent[] {
    return this.db
      .prepare(`SELECT id, time, kind, schedule_id AS scheduleId, slot_time AS slotTime, run_id AS runId, message FROM schedule_events
        WHERE (? IS NULL OR schedule_id = ?) AND (? IS NULL OR kind = ?) ORDER BY id DESC LIMIT ?`)
      .all(query.scheduleId ?? null, query.scheduleId ?? null, query.kind ?? null, query.kind ?? null, query.limit ?? -1)
      .map(eventFrom);
  }

  /**
   * Claims a slot for a backfill run that starts at once (without a deadline: it is past by design). A slot that is queued or running is
   * never taken; one that already ran is taken again only as `reprocess` allows (failed: failed
   * or cancelled runs; all: succeeded ones too). Missed and skipped slots are always taken.
   */
  claimBackfill(input: {
    scheduleId: string;
    slotTime: number;
    logicalDate: string;
    pipelineHash: string;
    reprocess: 'none' | 'failed' | 'all';
    owner: string;
    runId: string;
    now: number;
  }): BackfillClaim {
    return this.db
      .transaction((): BackfillClaim => {
        const existing = this.slot(input.scheduleId, input.slotTime);
        if (existing) {
          const refusal = backfillRefusal(existing, input.reprocess);
          if (refusal) return { skipped: refusal, slot: existing };
          this.db
            .prepare(`UPDATE schedule_slots SET trigger = 'backfill', state = 'queued', run_id = ?, pipeline_hash = ?, owner = ?, deadline_at = NULL, deadline_missed_at = NULL,
              reason = NULL, finished_at = NULL, updated_at = ? WHERE schedule_id = ? AND slot_time = ?`)
            .run(input.runId, input.pipelineHash, input.owner, input.now, input.scheduleId, input.slotTime);
        } else {
          const { scheduleId, slotTime, logicalDate, pipelineHash, owner, runId, now } = input;
          this.insertSlot({ scheduleId, slotTime, logicalDate, pipelineHash, owner, runId, now, trigger: 'backfill', state: 'queued', deadlineAt: null, reason: null });
        }
        const claimed = this.slot(input.scheduleId, input.slotTime) as ScheduleSlot;
        this.markRunning(claimed, input.now);
        return { claimed: this.slot(input.scheduleId, input.slotTime) as ScheduleSlot };
      })
      .immediate();
  }
}

function backfillRefusal(slot: ScheduleSlot, reprocess: 'none' | 'failed' | 'all'): string | undefined {
  switch (slot.state) {
    case 'queued':
    case 'running':
      return `already ${slot.state} (run ${slot.runId ?? '?'})`;
    case 'succeeded':
      return reprocess === 'all' ? undefined : `already succeeded (run ${slot.runId ?? '?'}); --reprocess all runs it again`;
    case 'failed':
    case 'cancelled':
      return reprocess === 'none' ? `already ${slot.state} (run ${slot.runId ?? '?'}); --reprocess failed runs it again` : undefined;
    case 'missed':
    case 'skipped':
      return undefined;
  }
}
