import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PipelineDocumentSchema } from '../format/pipelineDocument.js';
import { NodeRegistry } from '../node/nodeRegistry.js';
import { hookNodes, type Hook } from '../testing/hookNodes.js';
import { Workspace } from '../workspace/workspace.js';

let home: string;
let workspace: Workspace;
/** Per run: the bundle, transform and the vocabulary only the transform names. */
const trained: Array<{ runId: string; bundle: string; transform: string; vocabulary: string }> = [];

const hooks: Record<string, Hook> = {
  train: (ctx) => {
    const vocabulary = ctx.artifacts.putJson({ words: ['a', 'b'], seed: ctx.params.value });
    const transform = ctx.artifacts.putJson({ format: 'trellis.transform/1', vocabulary, seed: ctx.params.value });
    const bundle = ctx.artifacts.putJson({ format: 'trellis.model/1', transform, seed: ctx.params.value });
    trained.push({ runId: ctx.runId, bundle, transform, vocabulary });
    return { model: { kind: 'model', artifact: bundle, summary: {} }, transform: { kind: 'transform', artifact: transform, summary: {} } };
  },
};

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'trellis-retention-'));
  trained.length = 0;
  workspace = await Workspace.open(home, new NodeRegistry(hookNodes(hooks)));
  for (const seed of [1, 2, 3]) {
    const document = PipelineDocumentSchema.parse({
      format: 'trellis.pipeline/1',
      id: 'retrain',
      nodes: [
        { id: 'rows', type: 'test.table', version: 1, params: { value: seed } },
        { id: 'train', type: 'test.hook', version: 1, params: { label: 'train', value: seed } },
      ],
      edges: [{ from: 'rows.table', to: 'train.in' }],
    });
    const result = await workspace.runDocument(document, home);
    if ('compileErrors' in result) throw new Error('did not compile');
    const run = trained.at(-1);
    if (!run) throw new Error('train did not run');
    await workspace.services.models.registerVersion({ name: 'churn', artifact: run.bundle, kind: 'fake', task: 'binary', metrics: {}, lineage: { runId: result.runId, pipelineId: 'retrain', nodeId: 'train' }, actor: 'test' });
  }
  await workspace.services.models.setAlias('churn', 'champion', 1, { actor: 'test' });
});

afterEach(async () => {
  await workspace.close();
  rmSync(home, { recursive: true, force: true });
});

describe('workspace retention', () => {
  it('a dry run lists what would go and why each kept thing stays, and removes nothing', async () => {
    const report = await workspace.services.retention.run({ keepVersions: 1, olderThanMs: 0 }, { dryRun: true, actor: 'test' });
    const action = (kind: string, id: string): string | undefined => report.items.find((i) => i.kind === kind && i.id === id)?.action;
    expect([1, 2, 3].map((v) => action('model_version', `churn@v${v}`))).toEqual(['keep', 'drop', 'keep']);
    const [first, second] = trained;
    if (!first || !second) throw new Error('expected three trainings');
    expect(action('artifact', first.bundle)).toBe('keep');
    expect(action('artifact', second.bundle)).toBe('drop');
    expect(report.dropped.versions).toBe(1);
    expect(report.dropped.artifacts).toBeGreaterThan(3);
    for (const item of report.items) if (item.kind === 'artifact') expect(workspace.artifacts.has(item.id)).toBe(true);
    expect((await workspace.services.models.listVersions('churn')).map((v) => v.version)).toEqual([1, 2, 3]);
  });

  it('with a horizon of 0 never removes what the champion references: its bundle, transform and what that names', async () => {
    const report = await workspace.services.retention.run({ keepVersions: 1, olderThanMs: 0 }, { dryRun: false, actor: 'cli:tester' });
    const [first, second, third] = trained;
    if (!first || !second || !third) throw new Error('expected three trainings');
    for (const id of [first.bundle, first.transform, first.vocabulary, third.bundle, third.transform, third.vocabulary]) expect(workspace.artifacts.has(id), id).toBe(true);
    expect(workspace.artifacts.has(second.bundle)).toBe(false);
    expect(workspace.artifacts.has(second.transform)).toBe(false);
    // Tables of every run were older than the horizon and nothing kept names them.
    const tables = report.items.filter((i) => i.kind === 'artifact' && i.label.startsWith('table'));
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) {
      expect(table.action).toBe('drop');
      expect(workspace.artifacts.has(table.id)).toBe(false);
    }
    expect((await workspace.services.models.listVersions('churn')).map((v) => v.version)).toEqual([1, 3]);
    expect((await workspace.services.models.resolve('churn@champion')).artifact).toBe(first.bundle);
    const [audit] = await workspace.services.models.listAudit({ action: 'retention.cleanup' });
    expect(audit).toMatchObject({ actor: 'cli:tester', subject: 'workspace', details: { dropped: { versions: 1 } } });

    // A second pass finds nothing more to drop.
    const again = await workspace.services.retention.run({ keepVersions: 1, olderThanMs: 0 }, { dryRun: true, actor: 'test' });
    expect(again.dropped).toMatchObject({ versions: 0, artifacts: 0 });
  });
});
