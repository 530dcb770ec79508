import type Database from 'better-sqlite3';
import { z } from 'zod';
import { migrateComponent, type ComponentMigration } from '../store/componentMigrations.js';
import { openSqlite } from '../store/openSqlite.js';

const MIGRATIONS: readonly ComponentMigration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE alert_cooldowns (
        rule TEXT NOT NULL,
        subject TEXT NOT NULL,
        last_sent_at INTEGER NOT NULL,
        PRIMARY KEY (rule, subject)
      );
      CREATE TABLE alert_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time INTEGER NOT NULL,
        rule TEXT NOT NULL,
        subject TEXT NOT NULL,
        pipeline_id TEXT NOT NULL,
        run_id TEXT NOT NULL,
        title TEXT NOT NULL,
        outcome TEXT NOT NULL,
        detail TEXT NOT NULL
      );
      CREATE INDEX alert_log_pipeline ON alert_log (pipeline_id, time);
    `,
  },
];

/** sent: delivered to every channel; partial / failed: some or all channels failed; suppressed: within the cooldown. */
export const AlertOutcomeSchema = z.enum(['sent', 'partial', 'failed', 'suppressed']);
export type AlertOutcome = z.infer<typeof AlertOutcomeSchema>;

export const AlertLogRecordSchema = z.object({
  id: z.int(),
  time: z.number(),
  rule: z.string(),
  subject: z.string(),
  pipelineId: z.string(),
  runId: z.string(),
  title: z.string(),
  outcome: AlertOutcomeSchema,
  /** Per channel what happened, or why it was suppressed. */
  detail: z.string(),
});
export type AlertLogRecord = z.infer<typeof AlertLogRecordSchema>;

const LastSentSchema = z.object({ last_sent_at: z.number() });

/**
 * Durable alert state in the workspace database: when each (rule, subject) was last sent, which
 * is what the cooldown and de-duplication read (so they hold across processes and restarts), and
 * a log of every alert raised and what became of it.
 */
export class AlertLog {
  private constructor(
    private readonly db: Database.Database,
    private readonly owned: boolean,
  ) {
    migrateComponent(db, 'alerts', MIGRATIONS);
  }

  /** On a connection another store owns (the run store's). */
  static on(db: Database.Database): AlertLog {
    return new AlertLog(db, false);
  }

  static open(path: string): AlertLog {
    return openSqlite(path, (db) => new AlertLog(db, true));
  }

  /**
   * Claims the right to send (rule, subject) at `now`: true, and the send time recorded, when the
   * last send is at least `cooldownMs` ago; false otherwise. One immediate transaction, so two
   * processes judging the same alert at once send it once.
   */
  claim(rule: string, subject: string, now: number, cooldownMs: number): boolean {
    return this.db
      .transaction((): boolean => {
        const row = this.db.prepare('SELECT last_sent_at FROM alert_cooldowns WHERE rule = ? AND subject = ?').get(rule, subject);
        if (row !== undefined && now - LastSentSchema.parse(row).last_sent_at < cooldownMs) return false;
        this.db
          .prepare('INSERT INTO alert_cooldowns (rule, subject, last_sent_at) VALUES (?, ?, ?) ON CONFLICT (rule, subject) DO UPDATE SET last_sent_at = excluded.last_sent_at')
          .run(rule, subject, now);
        return true;
      })
      .immediate();
  }

  record(entry: Omit<AlertLogRecord, 'id'>): void {
    this.db
      .prepare('INSERT INTO alert_log (time, rule, subject, pipeline_id, run_id, title, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(entry.time, entry.rule, entry.subject, entry.pipelineId, entry.runId, entry.title, entry.outcome, entry.detail);
  }

  /** Newest first. */
  list(query: { pipelineId?: string; runId?: string; limit?: number } = {}): AlertLogRecord[] {
    const where: string[] = [];
    const args: Array<string | number> = [];
    if (query.pipelineId !== undefined) {
      where.push('pipeline_id = ?');
      args.push(query.pipelineId);
    }
    if (query.runId !== undefined) {
      where.push('run_id = ?');
      args.push(query.runId);
    }
    const rows = this.db
      .prepare(
        `SELECT id, time, rule, subject, pipeline_id AS pipelineId, run_id AS runId, title, outcome, detail FROM alert_log
         ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY time DESC, id DESC LIMIT ?`,
      )
      .all(...args, query.limit ?? 100);
    return z.array(AlertLogRecordSchema).parse(rows);
  }

  close(): void {
    if (this.owned) this.db.close();
  }
}
