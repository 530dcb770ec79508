import type Database from 'better-sqlite3';
import { z } from 'zod';
import { migrateComponent, type ComponentMigration } from '../store/componentMigrations.js';
import { openSqlite } from '../store/openSqlite.js';

const MIGRATIONS: readonly ComponentMigration[] = [
  {
    version: 1,
    sql: `
      -- One row per sensor task of a run: when it first poked and how often, so its timeout and
      -- backoff count from the first poke even when the run is resumed by another process.
      CREATE TABLE sensor_pokes (
        run_id TEXT NOT NULL,
        node_id TEXT NOT NULL,
        first_poke_at INTEGER NOT NULL,
        pokes INTEGER NOT NULL,
        PRIMARY KEY (run_id, node_id)
      );
      -- What a sensor of a pipeline saw when it last fired (e.g. file sizes and times), so the
      -- next run fires only on a change.
      CREATE TABLE sensor_seen (
        pipeline_id TEXT NOT NULL,
        node_id TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        seen_at INTEGER NOT NULL,
        PRIMARY KEY (pipeline_id, node_id)
      );
    `,
  },
];

export const SensorPokesSchema = z.object({ firstPokeAt: z.number(), pokes: z.int() });
/** A sensor task's pokes so far in its run. */
export type SensorPokes = z.infer<typeof SensorPokesSchema>;

const FingerprintSchema = z.object({ fingerprint: z.string() });

/**
 * Durable sensor state in the workspace database: per run, the first poke and the poke count
 * (timeout and backoff survive `trellis resume` in another process); per pipeline and node, what
 * the sensor saw when it last fired (change detection across runs).
 */
export class SensorLog {
  private constructor(
    private readonly db: Database.Database,
    private readonly owned: boolean,
  ) {
    migrateComponent(db, 'sensors', MIGRATIONS);
  }

  /** On a connection another store owns (the run store's). */
  static on(db: Database.Database): SensorLog {
    return new SensorLog(db, false);
  }

  static open(path: string): SensorLog {
    return openSqlite(path, (db) => new SensorLog(db, true));
  }

  /** Counts one poke at `now`; the first one of the run's task records its time. */
  poke(runId: string, nodeId: string, now: number): SensorPokes {
    const row = this.db
      .prepare(
        `INSERT INTO sensor_pokes (run_id, node_id, first_poke_at, pokes) VALUES (?, ?, ?, 1)
         ON CONFLICT (run_id, node_id) DO UPDATE SET pokes = pokes + 1
         RETURNING first_poke_at AS firstPokeAt, pokes`,
      )
      .get(runId, nodeId, now);
    return SensorPokesSchema.parse(row);
  }

  /** The pokes so far, or undefined before the first. */
  pokes(runId: string, nodeId: string): SensorPokes | undefined {
    const row = this.db.prepare('SELECT first_poke_at AS firstPokeAt, pokes FROM sensor_pokes WHERE run_id = ? AND node_id = ?').get(runId, nodeId);
    return row === undefined ? undefined : SensorPokesSchema.parse(row);
  }

  /** Forgets the run's pokes once the sensor is done (fired or timed out): running it again in the same run (resume after a timeout) waits anew. */
  clearPokes(runId: string, nodeId: string): void {
    this.db.prepare('DELETE FROM sensor_pokes WHERE run_id = ? AND node_id = ?').run(runId, nodeId);
  }

  /** What the pipeline's sensor saw when it last fired, or undefined if it never fired. */
  lastSeen(pipelineId: string, nodeId: string): string | undefined {
    const row = this.db.prepare('SELECT fingerprint FROM sensor_seen WHERE pipeline_id = ? AND node_id = ?').get(pipelineId, nodeId);
    return row === undefined ? undefined : FingerprintSchema.parse(row).fingerprint;
  }

  recordSeen(pipelineId: string, nodeId: string, fingerprint: string, now: number): void {
    this.db
      .prepare(
        `INSERT INTO sensor_seen (pipeline_id, node_id, fingerprint, seen_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (pipeline_id, node_id) DO UPDATE SET fingerprint = excluded.fingerprint, seen_at = excluded.seen_at`,
      )
      .run(pipelineId, nodeId, fingerprint, now);
  }

  close(): void {
    if (this.owned) this.db.close();
  }
}
