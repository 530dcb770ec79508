import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PipelineDocumentSchema, type PipelineDocumentInput } from '../format/pipelineDocument.js';
import { NodeRegistry } from '../node/nodeRegistry.js';
import { hookNodes } from '../testing/hookNodes.js';
import { Workspace } from '../workspace/workspace.js';
import type { Alert } from './alert.js';
import { startWebhookReceiver, type WebhookReceiver } from './testing/localReceivers.js';

function pipeline(label: string, alerts: unknown[], value = 0): PipelineDocumentInput {
  return {
    format: 'trellis.pipeline/1',
    id: 'watched',
    name: 'Watched pipeline',
    nodes: [{ id: 'check', type: 'test.hook', version: 1, params: { label, value } }],
    edges: [],
    alerts: alerts as PipelineDocumentInput['alerts'],
  };
}

describe('pipeline-level alert rules', () => {
  let home: string;
  let workspace: Workspace;
  let webhook: WebhookReceiver;
  const hook = (): { type: 'webhook'; url: string } => ({ type: 'webhook', url: webhook.url });

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'trellis-rules-'));
    webhook = await startWebhookReceiver();
    workspace = await Workspace.open(
      home,
      new NodeRegistry(
        hookNodes({
          drift: (ctx) => {
            ctx.metric('dataset_drift', ctx.params.value);
            ctx.metric('roc_auc', 0.6);
            return {};
          },
          boom: () => {
            throw new Error('the source table is empty');
          },
          slow: async () => {
            await new Promise((resolve) => setTimeout(resolve, 1500));
            return {};
          },
        }),
      ),
    );
  });
  beforeEach(() => {
    webhook.received.length = 0;
  });
  afterAll(async () => {
    await workspace.close();
    await webhook.close();
    rmSync(home, { recursive: true, force: true });
  });

  const run = async (document: PipelineDocumentInput): Promise<string> => {
    const result = await workspace.runDocument(PipelineDocumentSchema.parse(document), home);
    if ('compileErrors' in result) throw new Error(JSON.stringify(result.compileErrors));
    return result.runId;
  };

  it('rejects a literal SMTP password in the pipeline file', () => {
    const parsed = PipelineDocumentSchema.safeParse(pipeline('drift', [{ id: 'mail', on: 'failure', channels: [{ type: 'email', host: 'h', from: 'a@b.c', to: ['d@e.f'], password: 'hunter2' }] }]));
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(/secret reference/);
  });

  it('sends on failure with the failed node and its error', async () => {
    const runId = await run(pipeline('boom', [{ id: 'failed', on: 'failure', channels: [hook()] }]));
    const [body] = await webhook.waitFor(1);
    expect(body).toMatchObject({ rule: 'watched/failed', subject: 'failure:watched', severity: 'critical', runId, message: expect.stringContaining('the source table is empty'), facts: { failed_nodes: 'check' } });
  });

  it('sends on drift and on a KPI below its threshold, once per cooldown', async () => {
    const rules = [
      { id: 'drift', on: 'drift', channels: [hook()] },
      { id: 'auc', on: 'kpi', metric: 'roc_auc', below: 0.7, channels: [hook()] },
      { id: 'auc-ok', on: 'kpi', metric: 'roc_auc', below: 0.5, channels: [hook()] },
    ];
    await run(pipeline('drift', rules, 0));
    // No drift: only the KPI rule fires.
    const first = (await webhook.waitFor(1)) as Alert[];
    expect(first.map((a) => a.subject)).toEqual(['kpi:check.roc_auc']);
    await run(pipeline('drift', rules, 1));
    await webhook.waitFor(2);
    // The KPI alert is within its cooldown; the drift one is new.
    expect((webhook.received as Alert[]).map((a) => a.rule)).toEqual(['watched/auc', 'watched/drift']);
    expect(workspace.services.alerts.log.list({ pipelineId: 'watched' }).slice(0, 2).map((r) => [r.rule, r.outcome])).toEqual(
      expect.arrayContaining([['watched/auc', 'suppressed'], ['watched/drift', 'sent']]),
    );
  });

  it('sends a missed deadline while the run is still going', async () => {
    const done = run(pipeline('slow', [{ id: 'late', on: 'deadline', maxMinutes: 0.1 / 60, channels: [hook()] }]));
    await webhook.waitFor(1);
    // It arrived while the run was still going (the node sleeps 1.5 s; the deadline is 0.1 s).
    const [latest] = await workspace.store.listRuns({ pipelineId: 'watched', limit: 1 });
    expect(latest?.state).toBe('running');
    const runId = await done;
    expect(webhook.received[0]).toMatchObject({ subject: `deadline:${runId}`, title: 'Watched pipeline missed its deadline' });
    // Judged again at the end of the run: the same alert, not sent twice.
    expect(webhook.received).toHaveLength(1);
  });
});
