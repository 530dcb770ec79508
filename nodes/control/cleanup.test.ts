import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PipelineDocumentSchema } from '../../engine/format/pipelineDocument.js';
import { NodeRegistry } from '../../engine/node/nodeRegistry.js';
import { RetentionReportSchema } from '../../engine/retention/retentionPolicy.js';
import { hookNodes } from '../../engine/testing/hookNodes.js';
import { Workspace } from '../../engine/workspace/workspace.js';
import cleanup from './cleanup.js';

let home: string;
let workspace: Workspace;

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'trellis-cleanup-'));
  workspace = await Workspace.open(home, new NodeRegistry([...hookNodes({}), cleanup]));
});
afterEach(async () => {
  await workspace.close();
  rmSync(home, { recursive: true, force: true });
});

async function run(nodes: unknown[], edges: unknown[] = []) {
  const result = await workspace.runDocument(PipelineDocumentSchema.parse({ format: 'trellis.pipeline/1', id: 'p', nodes, edges }), home);
  if ('compileErrors' in result) throw new Error(JSON.stringify(result.compileErrors));
  return result;
}

describe('control.cleanup', () => {
  it('drops earlier runs\' artifacts past the horizon but never its own run\'s, and reports why', async () => {
    const earlier = await run([{ id: 'rows', type: 'test.table', version: 1, params: { value: 1 } }]);
    const table = earlier.tasks[0]?.outputs?.table;
    if (table?.kind !== 'table') throw new Error('no table');
    expect(workspace.artifacts.has(table.artifact)).toBe(true);

    const pass = await run(
      [
        { id: 'fresh', type: 'test.table', version: 1, params: { value: 2 } },
        { id: 'clean', type: 'control.cleanup', version: 1, params: { olderThan: '0s', keepVersions: 0 } },
      ],
      [{ from: 'fresh', to: 'clean' }],
    );
    expect(pass.state).toBe('succeeded');
    expect(workspace.artifacts.has(table.artifact)).toBe(false);
    const fresh = pass.tasks.find((t) => t.nodeId === 'fresh')?.outputs?.table;
    if (fresh?.kind !== 'table') throw new Error('no fresh table');
    expect(workspace.artifacts.has(fresh.artifact)).toBe(true);

    const outputs = pass.tasks.find((t) => t.nodeId === 'clean')?.outputs;
    const report = outputs?.report;
    if (report?.kind !== 'report') throw new Error('no report');
    const parsed = RetentionReportSchema.parse(workspace.artifacts.readJson(report.artifact));
    expect(parsed.items.find((i) => i.id === fresh.artifact)?.reasons[0]).toContain('which is running and may still need it');
    expect(parsed.items.find((i) => i.id === table.artifact)?.action).toBe('drop');
    expect(outputs?.summary).toMatchObject({ kind: 'metrics', values: { dropped_artifacts: 2 } });
  });
});
