import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiFailure } from '../../engine/api/apiFailure.js';
import { createHttpEngineClient, type HttpEngineClient } from '../../engine/api/httpEngineClient.js';
import { PipelineDocumentSchema, type PipelineDocumentInput } from '../../engine/format/pipelineDocument.js';
import { startTestServer, type TestServer } from '../../engine/server/testing/testServer.js';
import approval from './approval.js';

/** Approvals through the HTTP transport of the EngineApi, so roles, schemas and caller identity apply. */
describe('approvals over the EngineApi', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      nodes: [approval],
      tokens: [
        { token: 'view', role: 'viewer' },
        { token: 'edit', role: 'editor' },
        { token: 'approve', role: 'approver', name: 'dana' },
      ],
    });
  });
  afterAll(async () => {
    await server.close();
  });

  const as = (token: string): HttpEngineClient => createHttpEngineClient({ baseUrl: server.url, token });
  const document = (id: string): PipelineDocumentInput => ({
    format: 'trellis.pipeline/1',
    id,
    name: `Gate ${id}`,
    nodes: [
      { id: 'gate', type: 'control.approval', version: 1, params: { message: `Go ahead with ${id}?`, pollSeconds: 0.02 } },
      { id: 'after', type: 'test.table', version: 1, params: { value: 1 } },
    ],
    edges: [{ from: 'gate', to: 'after' }],
  });

  async function failure(call: Promise<unknown>): Promise<ApiFailure> {
    try {
      await call;
    } catch (cause) {
      if (cause instanceof ApiFailure) return cause;
      throw cause;
    }
    throw new Error('the call succeeded');
  }

  async function waitingFor(runId: string): Promise<void> {
    for (let i = 0; i < 300; i++) {
      const run = await server.workspace.store.getTasks(runId);
      if (run.find((t) => t.nodeId === 'gate')?.state === 'waiting') return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('the gate never waited');
  }

  async function finished(runId: string): Promise<string> {
    for (let i = 0; i < 500; i++) {
      const run = await server.workspace.store.getRun(runId);
      if (run && run.state !== 'running') return run.state;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`run ${runId} never finished`);
  }

  it('lists waiting approvals to viewers; only approvers decide, and the audit log names the token', async () => {
    const started = await as('edit').startRun({ document: document('p1') });
    if (!started.ok) throw new Error('did not start');
    await waitingFor(started.runId);
    const listed = await as('view').listApprovals({});
    expect(listed).toMatchObject([{ runId: started.runId, nodeId: 'gate', pipelineName: 'Gate p1', message: 'Go ahead with p1?', state: 'waiting', deadline: null, runState: 'running' }]);

    expect(await as('view').whoAmI({})).toEqual({ role: 'viewer', actor: expect.stringMatching(/^token:token-[0-9a-f]{8}$/) });
    expect(await as('approve').whoAmI({})).toEqual({ role: 'approver', actor: 'token:dana' });
    expect((await failure(as('view').decideApproval({ runId: started.runId, nodeId: 'gate', decision: 'approve', comment: 'ok' }))).code).toBe('forbidden');
    expect((await failure(as('edit').decideApproval({ runId: started.runId, nodeId: 'gate', decision: 'approve', comment: 'ok' }))).code).toBe('forbidden');
    expect((await failure(as('approve').decideApproval({ runId: started.runId, nodeId: 'gate', decision: 'approve', comment: '  ' }))).code).toBe('bad-request');
    expect((await failure(as('approve').decideApproval({ runId: started.runId, nodeId: 'nope', decision: 'approve', comment: 'ok' }))).code).toBe('not-found');

    const decided = await as('approve').decideApproval({ runId: started.runId, nodeId: 'gate', decision: 'approve', comment: 'reviewed the metrics' });
    expect(decided).toMatchObject({ resumed: false, approval: { state: 'approved', decidedBy: 'token:dana', comment: 'reviewed the metrics' } });
    expect(await finished(started.runId)).toBe('succeeded');
    expect(await as('view').listApprovals({})).toEqual([]);
    const audit = await as('view').listAudit({ subject: `run:${started.runId}/node:gate` });
    expect(audit.map((entry) => [entry.action, entry.actor])).toEqual([['approval.approve', 'token:dana'], ['approval.request', 'pipeline:p1']]);
    expect((await failure(as('approve').decideApproval({ runId: started.runId, nodeId: 'gate', decision: 'reject', comment: 'late' }))).code).toBe('invalid');
  });

  it('resumes a run no process drives once its approval is decided (the server watch too)', async () => {
    const detached = await server.workspace.runDocument(PipelineDocumentSchema.parse(document('p2')), server.home, { detachWhenWaiting: true });
    if ('compileErrors' in detached) throw new Error('did not compile');
    expect(detached.state).toBe('waiting');
    expect(await server.service.sweepApprovals()).toEqual([]);
    const decided = await as('approve').decideApproval({ runId: detached.runId, nodeId: 'gate', decision: 'reject', comment: 'not this one' });
    expect(decided.resumed).toBe(true);
    expect(await finished(detached.runId)).toBe('failed');
    const tasks = await server.workspace.store.getTasks(detached.runId);
    expect(tasks.find((t) => t.nodeId === 'after')?.state).toBe('skipped');
  });
});
