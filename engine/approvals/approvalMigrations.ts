import type { ComponentMigration } from '../store/componentMigrations.js';

/** The approvals' component name in `trellis_components`. */
export const APPROVALS_COMPONENT = 'approvals';

/**
 * Approval requests and decisions in the workspace database. No foreign key to `runs`: a decision
 * is governance history and outlives retention of the run. Never edit a shipped migration.
 */
export const APPROVAL_MIGRATIONS: readonly ComponentMigration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE approvals (
        run_id TEXT NOT NULL,
        node_id TEXT NOT NULL,
        pipeline_id TEXT NOT NULL,
        message TEXT NOT NULL,
        requested_at REAL NOT NULL,
        timeout_ms INTEGER,
        on_timeout TEXT NOT NULL CHECK (on_timeout IN ('approve', 'reject')),
        state TEXT NOT NULL CHECK (state IN ('waiting', 'approved', 'rejected')),
        decided_by TEXT,
        decided_at REAL,
        comment TEXT,
        by_timeout INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (run_id, node_id)
      );
      CREATE INDEX approvals_by_state ON approvals(state, requested_at);
      -- A decision is final: once decided, a row never changes again.
      CREATE TRIGGER approvals_decided_once BEFORE UPDATE ON approvals WHEN OLD.state <> 'waiting'
        BEGIN SELECT RAISE(ABORT, 'an approval is decided only once'); END;
    `,
  },
];
