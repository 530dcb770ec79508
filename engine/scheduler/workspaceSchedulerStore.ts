import { join } from 'node:path';
import { SqliteRunStore } from '../store/sqliteRunStore.js';
import type { Workspace } from '../workspace/workspace.js';
import { SchedulerStore } from './schedulerStore.js';

/**
 * The scheduler state of a workspace: on the run store's own SQLite connection when it has one,
 * else in `scheduler.db` under the home (the same rule as the model registry).
 */
export function openWorkspaceSchedulerStore(workspace: Workspace): SchedulerStore {
  return workspace.store instanceof SqliteRunStore ? SchedulerStore.on(workspace.store.database) : SchedulerStore.open(join(workspace.home, 'scheduler.db'));
}
