import type { ComponentMigration } from '../store/componentMigrations.js';

/** The scheduler's component name in `trellis_components`. */
export const SCHEDULER_COMPONENT = 'scheduler';

/**
 * The scheduler's tables in the workspace database. Never edit a shipped migration: append one.
 *
 * `schedule_cursors.cursor` is the instant up to which every slot of a pipeline has been decided
 * (claimed, missed or skipped); it only moves forward, in the same transaction that writes the
 * slots it passes, so a slot is decided exactly once however many schedulers share the file.
 * No foreign keys to `runs`: retention may delete a run while its slot's history stays.
 */
export const SCHEDULER_MIGRATIONS: readonly ComponentMigration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE scheduler_instances (
        id TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        started_at REAL NOT NULL,
        heartbeat_at REAL NOT NULL,
        stopped_at REAL
      );

      CREATE TABLE schedule_cursors (
        schedule_id TEXT PRIMARY KEY,
        cron TEXT NOT NULL,
        timezone TEXT NOT NULL,
        cursor REAL NOT NULL,
        registered_at REAL NOT NULL,
        updated_at REAL NOT NULL
      );

      CREATE TABLE schedule_slots (
        schedule_id TEXT NOT NULL,
        slot_time REAL NOT NULL,
        logical_date TEXT NOT NULL,
        trigger TEXT NOT NULL CHECK (trigger IN ('schedule', 'catch-up', 'backfill')),
        state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'missed', 'skipped')),
        run_id TEXT,
        pipeline_hash TEXT,
        owner TEXT,
        deadline_at REAL,
        deadline_missed_at REAL,
        runs INTEGER NOT NULL DEFAULT 0,
        reason TEXT,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        finished_at REAL,
        PRIMARY KEY (schedule_id, slot_time)
      );
      CREATE INDEX schedule_slots_active ON schedule_slots(state) WHERE state IN ('queued', 'running');
      CREATE INDEX schedule_slots_deadlines ON schedule_slots(deadline_at) WHERE deadline_missed_at IS NULL AND deadline_at IS NOT NULL;

      -- Every run a slot has had, oldest first: a reprocessed slot keeps its earlier runs here.
      CREATE TABLE schedule_slot_runs (
        run_id TEXT PRIMARY KEY,
        schedule_id TEXT NOT NULL,
        slot_time REAL NOT NULL,
        trigger TEXT NOT NULL,
        started_at REAL NOT NULL
      );
      CREATE INDEX schedule_slot_runs_by_slot ON schedule_slot_runs(schedule_id, slot_time);

      -- What alert rules read: missed deadlines (and later other scheduler incidents), append-only.
      CREATE TABLE schedule_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time REAL NOT NULL,
        kind TEXT NOT NULL,
        schedule_id TEXT NOT NULL,
        slot_time REAL,
        run_id TEXT,
        message TEXT NOT NULL
      );
      CREATE INDEX schedule_events_by_pipeline ON schedule_events(schedule_id, time);
      CREATE TRIGGER schedule_events_no_update BEFORE UPDATE ON schedule_events
        BEGIN SELECT RAISE(ABORT, 'schedule_events is append-only'); END;
    `,
  },
];
