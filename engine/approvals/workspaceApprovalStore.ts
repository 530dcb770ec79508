import { join } from 'node:path';
import type { RunStore } from '../store/runStore.js';
import { SqliteRunStore } from '../store/sqliteRunStore.js';
import { SqliteApprovalStore } from './sqliteApprovalStore.js';

/**
 * The approvals of a workspace: on the run store's own SQLite connection when it has one (so the
 * audit rows land in the workspace's one audit log), else in `approvals.db` under the home.
 */
export function openWorkspaceApprovalStore(store: RunStore, home: string): SqliteApprovalStore {
  return store instanceof SqliteRunStore ? SqliteApprovalStore.on(store.database) : SqliteApprovalStore.open(join(home, 'approvals.db'));
}
