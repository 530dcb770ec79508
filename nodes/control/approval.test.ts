import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApprovalRecord } from '../../engine/approvals/approvalStore.js';
import { SqliteApprovalStore } from '../../engine/approvals/sqliteApprovalStore.js';
import { DetachRequest } from '../../engine/executor/detachRequest.js';
import type { RunResult } from '../../engine/executor/executePlan.js';
import { PipelineDocumentSchema, type PipelineDocument } from '../../engine/format/pipelineDocument.js';
import { NodeRegistry } from '../../engine/node/nodeRegistry.js';
import { SqliteModelRegistry } from '../../engine/registry/sqliteModelRegistry.js';
import { hookNodes, type Hook } from '../../engine/testing/hookNodes.js';
import { Workspace, type RunFileOptions } from '../../engine/workspace/workspace.js';
import approval from './approval.js';

let home: string;
let hooks: Record<string, Hook>;
let workspace: Workspace;

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'trellis-approval-'));
  hooks = {};
  workspace = await Workspace.open(home, new NodeRegistry([...hookNodes(new Proxy({}, { get: (_, key: string) => hooks[key] })), approval]));
});

afterEach(async () => {
  await workspace.close();
  rmSync(home, { recursive: true, force: true });
});

/** `a → gate → b` plus an independent `c`; the gate polls fast so tests stay quick. */
function pipeline(gate: Record<string, unknown> = {}): PipelineDocument {
  return PipelineDocumentSchema.parse({
    format: 'trellis.pipeline/1',
    id: 'approval-test',
    nodes: [
      { id: 'a', type: 'test.table', version: 1, params: { value: 7 } },
      { id: 'gate', type: 'control.approval', version: 1, params: { message: 'Ship it?', pollSeconds: 0.02, ...gate } },
      { id: 'b', type: 'test.table', version: 1, params: { label: 'b' } },
      { id: 'c', type: 'test.hook', version: 1, params: { label: 'c' } },
    ],
    edges: [
      { from: 'a.table', to: 'gate.value' },
      // A control edge: b needs the gate to succeed (an optional input alone would not).
      { from: 'gate', to: 'b' },
    ],
  });
}

async function start(document: PipelineDocument, options: RunFileOptions = {}): Promise<RunResult> {
  const result = await workspace.runDocument(document, home, options);
  if ('compileErrors' in result) throw new Error(JSON.stringify(result.compileErrors));
  return result;
}

/** Another connection to the workspace file, as `trellis approve` in a second process would open. */
function secondHandle(): SqliteApprovalStore {
  return SqliteApprovalStore.open(join(home, 'trellis.db'));
}

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The waiting request, once the gate's `waiting` state is committed too (events are batched). */
async function waitingApproval(store: SqliteApprovalStore): Promise<ApprovalRecord> {
  const request = await until(async () => (await store.list({ state: 'waiting' }))[0], 'the approval request');
  await until(async () => ((await workspace.store.getTasks(request.runId)).find((t) => t.nodeId === 'gate')?.state === 'waiting' ? true : undefined), 'the gate to wait');
  return request;
}
const stateOf = (result: RunResult, id: string): string | undefined => result.tasks.find((t) => t.nodeId === id)?.state;

describe('control.approval', () => {
  it('waits until approved from another store handle, then passes its input on and audits who, when and why', async () => {
    const other = secondHandle();
    try {
      const running = start(pipeline());
      const request = await waitingApproval(other);
      expect(request).toMatchObject({ nodeId: 'gate', pipelineId: 'approval-test', message: 'Ship it?', state: 'waiting', timeoutMs: null });
      const tasks = await workspace.store.getTasks(request.runId);
      expect(tasks.find((t) => t.nodeId === 'gate')?.state).toBe('waiting');
      expect(tasks.find((t) => t.nodeId === 'gate')?.reason).toContain('awaiting approval: Ship it?');
      expect(tasks.find((t) => t.nodeId === 'b')?.state).toBe('pending');
      await other.decide({ runId: request.runId, nodeId: 'gate', decision: 'approve', actor: 'cli:alice', comment: 'metrics look good' });
      const result = await running;
      expect(result.state).toBe('succeeded');
      expect(stateOf(result, 'gate')).toBe('succeeded');
      expect(stateOf(result, 'b')).toBe('succeeded');
      const gate = result.tasks.find((t) => t.nodeId === 'gate');
      const a = result.tasks.find((t) => t.nodeId === 'a');
      expect(gate?.outputs?.value).toEqual(a?.outputs?.table);
      expect(gate?.outputs?.decision).toMatchObject({ kind: 'metrics', values: { approved: 1, by_timeout: 0 }, details: { decidedBy: 'cli:alice', comment: 'metrics look good' } });
      const transitions = (await workspace.store.getTransitions(result.runId, 'gate')).map((t) => t.state);
      expect(transitions).toEqual(['queued', 'running', 'waiting', 'queued', 'running', 'succeeded']);

      const audit = await workspace.services.models.listAudit({ subject: `run:${result.runId}/node:gate` });
      expect(audit.map((e) => [e.action, e.actor])).toEqual([['approval.request', 'pipeline:approval-test'], ['approval.approve', 'cli:alice']]);
      expect(audit[1]?.details).toMatchObject({ comment: 'metrics look good', byTimeout: false });
      expect(audit[1]?.time).toBeGreaterThanOrEqual(request.requestedAt);
    } finally {
      await other.close();
    }
  });

  it('on rejection fails the gate and skips what depends on it; the first decision is final', async () => {
    const other = secondHandle();
    try {
      const running = start(pipeline());
      const request = await waitingApproval(other);
      await other.decide({ runId: request.runId, nodeId: 'gate', decision: 'reject', actor: 'cli:bob', comment: 'drift too high' });
      await expect(other.decide({ runId: request.runId, nodeId: 'gate', decision: 'approve', actor: 'cli:eve' })).rejects.toThrow(/already rejected by cli:bob/);
      const result = await running;
      expect(result.state).toBe('failed');
      const gate = result.tasks.find((t) => t.nodeId === 'gate');
      expect(gate?.state).toBe('failed');
      expect(gate?.error?.message).toMatch(/rejected by cli:bob .*: drift too high/);
      expect(stateOf(result, 'b')).toBe('skipped');
      expect(stateOf(result, 'c')).toBe('succeeded');
      const audit = await workspace.services.models.listAudit({ action: 'approval.reject' });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor: 'cli:bob', details: { comment: 'drift too high' } });
    } finally {
      await other.close();
    }
  });

  it.each([
    ['approve', 'succeeded', 'succeeded'],
    ['reject', 'failed', 'skipped'],
  ] as const)('applies the timeout default (%s) when nobody decides', async (onTimeout, gateState, bState) => {
    const result = await start(pipeline({ timeout: '60ms', onTimeout }));
    expect(stateOf(result, 'gate')).toBe(gateState);
    expect(stateOf(result, 'b')).toBe(bState);
    const [record] = await workspace.services.approvals.list({ runId: result.runId });
    expect(record).toMatchObject({ state: onTimeout === 'approve' ? 'approved' : 'rejected', decidedBy: 'timeout', byTimeout: true });
    const audit = await workspace.services.models.listAudit({ action: `approval.${onTimeout}` });
    expect(audit[0]).toMatchObject({ actor: 'timeout', details: { byTimeout: true } });
  });

  it('holds no worker slot while waiting: with concurrency 1 an independent branch runs meanwhile', async () => {
    let cRan = false;
    hooks.c = () => {
      cRan = true;
      return {};
    };
    const other = secondHandle();
    try {
      const running = start(pipeline(), { concurrency: 1 });
      const request = await waitingApproval(other);
      // Nothing decided yet, and one slot only: c can finish only if the gate let go of it.
      await until(async () => ((await workspace.store.getTasks(request.runId)).find((t) => t.nodeId === 'c')?.state === 'succeeded' ? true : undefined), 'c to finish');
      expect(cRan).toBe(true);
      expect((await other.get(request.runId, 'gate'))?.state).toBe('waiting');
      await other.decide({ runId: request.runId, nodeId: 'gate', decision: 'approve', actor: 'cli:alice' });
      expect((await running).state).toBe('succeeded');
    } finally {
      await other.close();
    }
  });

  it('leaves the run waiting (not interrupted) when its process lets go, and resume continues it after the decision', async () => {
    const detached = await start(pipeline(), { detachWhenWaiting: true });
    expect(detached.state).toBe('waiting');
    expect(stateOf(detached, 'gate')).toBe('waiting');
    expect(stateOf(detached, 'c')).toBe('succeeded');
    // A later process start must not call it interrupted.
    expect(await workspace.store.markInterrupted(() => false)).toEqual([]);
    expect((await workspace.store.getRun(detached.runId))?.state).toBe('waiting');

    const registry = SqliteModelRegistry.open(join(home, 'trellis.db'));
    const other = secondHandle();
    try {
      await other.decide({ runId: detached.runId, nodeId: 'gate', decision: 'approve', actor: 'token:ops' });
      const resumed = await workspace.resume(detached.runId);
      expect(resumed.state).toBe('succeeded');
      expect(stateOf(resumed, 'b')).toBe('succeeded');
      expect((await registry.listAudit({ action: 'approval.approve' }))[0]?.actor).toBe('token:ops');
    } finally {
      await other.close();
      await registry.close();
    }
  });

  it('a run whose process died while a task waited is recorded as waiting', async () => {
    const other = secondHandle();
    try {
      const running = start(pipeline());
      const request = await waitingApproval(other);
      await until(async () => ((await workspace.store.getTasks(request.runId)).find((t) => t.nodeId === 'c')?.state === 'succeeded' ? true : undefined), 'c to finish');
      // Another process starting up sees the run's process as dead.
      expect(await workspace.store.markInterrupted(() => false)).toEqual([]);
      expect((await workspace.store.getRun(request.runId))?.state).toBe('waiting');
      await other.decide({ runId: request.runId, nodeId: 'gate', decision: 'approve', actor: 'cli:alice' });
      await running;
    } finally {
      await other.close();
    }
  });

  it('stays waiting when its host lets go (Ctrl-C, a server shutting down), and cancels with nothing waiting', async () => {
    const controller = new AbortController();
    const other = secondHandle();
    try {
      const running = start(pipeline(), { signal: controller.signal });
      const request = await waitingApproval(other);
      controller.abort(new DetachRequest());
      const result = await running;
      expect(result.state).toBe('waiting');
      expect(stateOf(result, 'gate')).toBe('waiting');
      await other.decide({ runId: request.runId, nodeId: 'gate', decision: 'approve', actor: 'cli:alice' });
      expect((await workspace.resume(request.runId)).state).toBe('succeeded');
    } finally {
      await other.close();
    }
  });

  it('is cancelled with the run while it waits', async () => {
    const controller = new AbortController();
    const other = secondHandle();
    try {
      const running = start(pipeline(), { signal: controller.signal });
      await waitingApproval(other);
      controller.abort();
      const result = await running;
      expect(result.state).toBe('cancelled');
      expect(stateOf(result, 'gate')).toBe('cancelled');
      expect(stateOf(result, 'b')).not.toBe('succeeded');
    } finally {
      await other.close();
    }
  });
});
