import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PipelineDocumentSchema, type PipelineDocumentInput } from '../../engine/format/pipelineDocument.js';
import { defineNode } from '../../engine/node/nodeDefinition.js';
import { NodeRegistry } from '../../engine/node/nodeRegistry.js';
import { hookNodes } from '../../engine/testing/hookNodes.js';
import { Workspace } from '../../engine/workspace/workspace.js';
import branch from './branch.js';

/** Stands in for an evaluation node: metrics with an auc. */
const metrics = defineNode({
  type: 'test.metrics',
  version: 1,
  title: 'Metrics',
  category: 'debug',
  description: 'Metrics with the given auc.',
  inputs: [],
  outputs: [{ name: 'out', type: 'metrics' }],
  params: z.object({ auc: z.number() }),
  execute: async (ctx) => ({ out: { kind: 'metrics', values: { auc: ctx.params.auc }, details: {} } }),
});

let home: string;
let workspace: Workspace;

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'trellis-branch-'));
  workspace = await Workspace.open(home, new NodeRegistry([...hookNodes({}), metrics, branch]));
});
afterEach(async () => {
  await workspace.close();
  rmSync(home, { recursive: true, force: true });
});

/** evaluate → gate → (deploy | retrain), then a report after both paths. */
function pipeline(auc: number, mode: string): PipelineDocumentInput {
  return {
    format: 'trellis.pipeline/1',
    id: 'branching',
    params: { mode: { type: 'string', default: mode } },
    nodes: [
      { id: 'rows', type: 'test.table', version: 1, params: { value: 1 } },
      { id: 'evaluate', type: 'test.metrics', version: 1, params: { auc } },
      { id: 'gate', type: 'control.branch', version: 1, params: { condition: 'metrics.auc >= 0.8 and values.mode == "full"', values: { mode: '{{ params.mode }}' } } },
      { id: 'deploy', type: 'test.table', version: 1, params: { value: 2 } },
      { id: 'retrain', type: 'test.table', version: 1, params: { value: 3 } },
      { id: 'after_deploy', type: 'test.table', version: 1, params: { value: 4 } },
      { id: 'report', type: 'test.hook', version: 1, params: {}, triggerRule: 'none_failed' },
    ],
    edges: [
      { from: 'evaluate.out', to: 'gate.metrics' },
      { from: 'rows.table', to: 'gate.table' },
      { from: 'gate.true', to: 'deploy' },
      { from: 'gate.false', to: 'retrain' },
      { from: 'deploy', to: 'after_deploy' },
      { from: 'deploy', to: 'report' },
      { from: 'retrain', to: 'report' },
    ],
  };
}

async function run(auc: number, mode = 'full') {
  const result = await workspace.runDocument(PipelineDocumentSchema.parse(pipeline(auc, mode)), home);
  if ('compileErrors' in result) throw new Error(JSON.stringify(result.compileErrors));
  return result;
}
const task = (result: Awaited<ReturnType<typeof run>>, id: string) => result.tasks.find((t) => t.nodeId === id);

describe('control.branch', () => {
  it('takes the true path and skips the false one; the run succeeds', async () => {
    const result = await run(0.85);
    expect(result.state).toBe('succeeded');
    expect(task(result, 'deploy')?.state).toBe('succeeded');
    expect(task(result, 'after_deploy')?.state).toBe('succeeded');
    expect(task(result, 'retrain')).toMatchObject({ state: 'skipped', reason: 'branch not taken: upstream node "gate" did not produce "false"' });
    expect(task(result, 'report')?.state).toBe('succeeded');
    expect(task(result, 'gate')?.outputs?.true).toMatchObject({ values: { taken: 1 }, details: { reason: 'condition "metrics.auc >= 0.8 and values.mode == "full"" is true (metrics.auc = 0.85, values.mode = "full")' } });
    const logs = await workspace.store.getLogs(result.runId, 'gate');
    expect(logs.map((l) => l.message)).toContainEqual(expect.stringContaining('taking "true"'));
  });

  it('takes the false path: what hangs off the true one is skipped, transitively', async () => {
    for (const [auc, mode] of [[0.7, 'full'], [0.9, 'quick']] as const) {
      const result = await run(auc, mode);
      expect(result.state).toBe('succeeded');
      expect(['succeeded', 'cached']).toContain(task(result, 'retrain')?.state); // the second pass reuses the first
      expect(task(result, 'deploy')).toMatchObject({ state: 'skipped', reason: 'branch not taken: upstream node "gate" did not produce "true"' });
      expect(task(result, 'after_deploy')).toMatchObject({ state: 'skipped', reason: 'upstream node "deploy" was skipped' });
      expect(['succeeded', 'cached']).toContain(task(result, 'report')?.state);
    }
  });

  it('rejects a condition it cannot parse when the pipeline compiles', async () => {
    const document = pipeline(0.9, 'full');
    const gate = document.nodes[2];
    if (gate) gate.params = { condition: 'metrics.auc >= ' };
    const result = await workspace.runDocument(PipelineDocumentSchema.parse(document), home);
    expect('compileErrors' in result && JSON.stringify(result.compileErrors)).toContain('expected a value at the end');
  });

  it('fails with the available names when the condition reads one that is not there', async () => {
    const document = pipeline(0.9, 'full');
    const gate = document.nodes[2];
    if (gate) gate.params = { condition: 'metrics.f1 > 0.5' };
    const result = await workspace.runDocument(PipelineDocumentSchema.parse(document), home);
    if ('compileErrors' in result) throw new Error('compile failed');
    expect(result.state).toBe('failed');
    expect(task(result, 'gate')?.error?.message).toContain('Available: metrics.auc, table.rows');
  });
});
