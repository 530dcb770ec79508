import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteModelRegistry } from '../registry/sqliteModelRegistry.js';
import { SqliteApprovalStore } from './sqliteApprovalStore.js';

let dir: string;
let clock: number;
let store: SqliteApprovalStore;
let registry: SqliteModelRegistry;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trellis-approvals-'));
  clock = 1_000_000;
  store = SqliteApprovalStore.open(join(dir, 'workspace.db'), { now: () => clock });
  registry = SqliteModelRegistry.open(join(dir, 'workspace.db'));
});
afterEach(async () => {
  await store.close();
  await registry.close();
  rmSync(dir, { recursive: true, force: true });
});

const request = { runId: 'r1', nodeId: 'gate', pipelineId: 'p', message: 'Ship?', timeoutMs: 60_000, onTimeout: 'reject' as const };

describe('SqliteApprovalStore', () => {
  it('records a request once: a re-run task gets the same request and its original time', async () => {
    const first = await store.request(request);
    clock += 5000;
    const again = await store.request({ ...request, message: 'changed' });
    expect(again).toEqual(first);
    expect(first).toMatchObject({ state: 'waiting', requestedAt: 1_000_000, decidedBy: null, byTimeout: false });
    expect((await registry.listAudit({ action: 'approval.request' })).length).toBe(1);
  });

  it('applies the default to a decision that arrives after the deadline, as of the deadline', async () => {
    await store.request(request);
    clock += 120_000;
    const decided = await store.decide({ runId: 'r1', nodeId: 'gate', decision: 'approve', actor: 'cli:late', comment: 'sorry, late' });
    expect(decided).toMatchObject({ state: 'rejected', decidedBy: 'timeout', byTimeout: true, decidedAt: 1_060_000 });
    const [audit] = await registry.listAudit({ action: 'approval.reject' });
    expect(audit).toMatchObject({ actor: 'timeout', time: 1_060_000, details: { byTimeout: true } });
  });

  it('expires only what is due, and nothing twice', async () => {
    await store.request(request);
    await store.request({ ...request, nodeId: 'forever', timeoutMs: null });
    expect(await store.expireDue(clock + 59_999)).toEqual([]);
    expect((await store.expireDue(clock + 60_000)).map((r) => [r.nodeId, r.state])).toEqual([['gate', 'rejected']]);
    expect(await store.expireDue(clock + 10_000_000)).toEqual([]);
    expect((await store.list({ state: 'waiting' })).map((r) => r.nodeId)).toEqual(['forever']);
  });

  it('keeps a decision final and says what went wrong', async () => {
    await store.request(request);
    await store.decide({ runId: 'r1', nodeId: 'gate', decision: 'approve', actor: 'cli:a' });
    await expect(store.decide({ runId: 'r1', nodeId: 'gate', decision: 'reject', actor: 'cli:b' })).rejects.toMatchObject({ code: 'decided' });
    await expect(store.decide({ runId: 'r1', nodeId: 'nope', decision: 'reject', actor: 'cli:b' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(store.decide({ runId: 'r1', nodeId: 'gate', decision: 'reject', actor: ' ' })).rejects.toMatchObject({ code: 'invalid' });
  });
});
