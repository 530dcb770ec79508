import type Database from 'better-sqlite3';
import { z } from 'zod';
import { REGISTRY_COMPONENT, REGISTRY_MIGRATIONS } from '../registry/registryMigrations.js';
import { migrateComponent } from '../store/componentMigrations.js';
import { openSqlite } from '../store/openSqlite.js';
import { describeDuration } from '../util/describeDuration.js';
import { APPROVAL_MIGRATIONS, APPROVALS_COMPONENT } from './approvalMigrations.js';
import {
  ApprovalError,
  ApprovalRecordSchema,
  approvalDeadline,
  approvalSubject,
  type ApprovalDecision,
  type ApprovalDecisionInput,
  type ApprovalRecord,
  type ApprovalState,
  type ApprovalStore,
  type NewApprovalRequest,
} from './approvalStore.js';

const COLUMNS = `run_id AS runId, node_id AS nodeId, pipeline_id AS pipelineId, message, requested_at AS requestedAt,
  timeout_ms AS timeoutMs, on_timeout AS onTimeout, state, decided_by AS decidedBy, decided_at AS decidedAt, comment,
  by_timeout AS byTimeout`;
const RowSchema = ApprovalRecordSchema.extend({ byTimeout: z.union([z.literal(0), z.literal(1)]) });

function toRecord(row: unknown): ApprovalRecord {
  const parsed = RowSchema.parse(row);
  return { ...parsed, byTimeout: parsed.byTimeout === 1 };
}

const STATE_OF: Record<ApprovalDecision, ApprovalState> = { approve: 'approved', reject: 'rejected' };

export interface ApprovalStoreOptions {
  /** Clock in epoch milliseconds; tests pin it. */
  now?: () => number;
}

/**
 * Approvals on SQLite, sharing the workspace connection like the model registry. Deciding is one
 * IMMEDIATE transaction that re-reads the row under the write lock, updates it only if it still
 * waits, and appends the audit row: two people deciding at once get one decision and one error,
 * and a crash leaves the decision and its audit entry both or neither.
 */
export class SqliteApprovalStore implements ApprovalStore {
  private readonly now: () => number;

  private constructor(
    private readonly db: Database.Database,
    private readonly ownsConnection: boolean,
    options: ApprovalStoreOptions,
  ) {
    this.now = options.now ?? Date.now;
    // The audit log belongs to the registry component; make sure it exists before writing to it.
    migrateComponent(db, REGISTRY_COMPONENT, REGISTRY_MIGRATIONS);
    migrateComponent(db, APPROVALS_COMPONENT, APPROVAL_MIGRATIONS);
  }

  /** On an open workspace connection (SqliteRunStore.database); `close` leaves it open. */
  static on(db: Database.Database, options: ApprovalStoreOptions = {}): SqliteApprovalStore {
    return new SqliteApprovalStore(db, false, options);
  }

  /** In a file of its own (tests, hosts with another run store). */
  static open(path: string, options: ApprovalStoreOptions = {}): SqliteApprovalStore {
    return openSqlite(path, (db) => new SqliteApprovalStore(db, true, options));
  }

  async request(input: NewApprovalRequest): Promise<ApprovalRecord> {
    return this.db
      .transaction((): ApprovalRecord => {
        const existing = this.read(input.runId, input.nodeId);
        if (existing) return existing;
        const time = this.now();
        this.db
          .prepare(`INSERT INTO approvals (run_id, node_id, pipeline_id, message, requested_at, timeout_ms, on_timeout, state, by_timeout)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'waiting', 0)`)
          .run(input.runId, input.nodeId, input.pipelineId, input.message, time, input.timeoutMs, input.onTimeout);
        this.appendAudit(time, `pipeline:${input.pipelineId}`, 'approval.request', approvalSubject(input.runId, input.nodeId), {
          pipelineId: input.pipelineId,
          message: input.message,
          timeoutMs: input.timeoutMs,
          onTimeout: input.onTimeout,
        });
        return this.read(input.runId, input.nodeId) as ApprovalRecord;
      })
      .immediate();
  }

  async get(runId: string, nodeId: string): Promise<ApprovalRecord | undefined> {
    return this.read(runId, nodeId);
  }

  async list(filter: { state?: ApprovalState; runId?: string } = {}): Promise<ApprovalRecord[]> {
    const where: string[] = [];
    const params: string[] = [];
    if (filter.state !== undefined) {
      where.push('state = ?');
      params.push(filter.state);
    }
    if (filter.runId !== undefined) {
      where.push('run_id = ?');
      params.push(filter.runId);
    }
    return this.db
      .prepare(`SELECT ${COLUMNS} FROM approvals ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY requested_at, rowid`)
      .all(...params)
      .map(toRecord);
  }

  async decide(input: ApprovalDecisionInput): Promise<ApprovalRecord> {
    if (input.actor.trim() === '') throw new ApprovalError('A decision needs to say who made it.', 'invalid');
    return this.db.transaction((): ApprovalRecord => this.decideNow(input, false, this.now())).immediate();
  }

  async expireDue(now: number): Promise<ApprovalRecord[]> {
    const dueSql = `SELECT ${COLUMNS} FROM approvals WHERE state = 'waiting' AND timeout_ms IS NOT NULL AND requested_at + timeout_ms <= ?`;
    // Inboxes and servers call this every few seconds: take the write lock only when something is due.
    if (this.db.prepare(dueSql).get(now) === undefined) return [];
    return this.db
      .transaction((): ApprovalRecord[] => {
        const due = this.db.prepare(dueSql).all(now).map(toRecord);
        return due.map((record) =>
          this.decideNow({ runId: record.runId, nodeId: record.nodeId, decision: record.onTimeout, actor: 'timeout', comment: `no decision within ${describeDuration(record.timeoutMs ?? 0)}; the default (${record.onTimeout}) applies` }, true, now),
        );
      })
      .immediate();
  }

  async close(): Promise<void> {
    if (this.ownsConnection) this.db.close();
  }

  /** Call inside a write transaction. */
  private decideNow(input: ApprovalDecisionInput, byTimeout: boolean, time: number): ApprovalRecord {
    const current = this.read(input.runId, input.nodeId);
    if (!current) {
      const waiting = this.db.prepare(`SELECT run_id || ' ' || node_id FROM approvals WHERE state = 'waiting' ORDER BY requested_at`).pluck().all();
      throw new ApprovalError(
        `Run ${input.runId} has no approval node "${input.nodeId}" waiting. ${waiting.length ? `Waiting: ${waiting.join(', ')}.` : 'Nothing waits for approval.'} List them with \`trellis approvals\`.`,
        'not_found',
      );
    }
    if (current.state !== 'waiting') {
      throw new ApprovalError(
        `Approval ${input.nodeId} of run ${input.runId} was already ${current.state} by ${current.decidedBy ?? 'someone'} at ${new Date(current.decidedAt ?? 0).toISOString()}; a decision is final.`,
        'decided',
      );
    }
    const deadline = approvalDeadline(current);
    // A person deciding after the deadline is too late: the default already applies.
    if (!byTimeout && deadline !== undefined && deadline <= time) {
      return this.decideNow({ runId: current.runId, nodeId: current.nodeId, decision: current.onTimeout, actor: 'timeout', comment: `no decision within ${describeDuration(current.timeoutMs ?? 0)}; the default (${current.onTimeout}) applies` }, true, deadline);
    }
    const comment = input.comment?.trim() ? input.comment : null;
    this.db
      .prepare(`UPDATE approvals SET state = ?, decided_by = ?, decided_at = ?, comment = ?, by_timeout = ? WHERE run_id = ? AND node_id = ?`)
      .run(STATE_OF[input.decision], input.actor, time, comment, byTimeout ? 1 : 0, input.runId, input.nodeId);
    this.appendAudit(time, input.actor, `approval.${input.decision}`, approvalSubject(input.runId, input.nodeId), {
      pipelineId: current.pipelineId,
      message: current.message,
      comment,
      byTimeout,
    });
    return this.read(input.runId, input.nodeId) as ApprovalRecord;
  }

  private read(runId: string, nodeId: string): ApprovalRecord | undefined {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM approvals WHERE run_id = ? AND node_id = ?`).get(runId, nodeId);
    return row === undefined ? undefined : toRecord(row);
  }

  private appendAudit(time: number, actor: string, action: string, subject: string, details: Record<string, unknown>): void {
    this.db.prepare('INSERT INTO audit_log (time, actor, action, subject, details) VALUES (?, ?, ?, ?, ?)').run(time, actor, action, subject, JSON.stringify(details));
  }
}
