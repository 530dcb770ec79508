import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PipelineDocumentSchema } from '../../engine/format/pipelineDocument.js';
import { DataEngine } from '../../engine/data/dataEngine.js';
import { defineNode } from '../../engine/node/nodeDefinition.js';
import { NodeRegistry } from '../../engine/node/nodeRegistry.js';
import type { TableValue } from '../../engine/node/portValue.js';
import { Workspace } from '../../engine/workspace/workspace.js';
import { mapNode } from './map.js';

const segments = defineNode({
  type: 'test.segments',
  version: 1,
  title: 'Segments',
  category: 'debug',
  description: 'Rows in segments a (2 rows) and b (1 row).',
  inputs: [],
  outputs: [{ name: 'table', type: 'table' }],
  params: z.object({}),
  execute: async (ctx) => ({ table: await ctx.data.writeTable(`SELECT * FROM (VALUES ('a', 1), ('a', 2), ('b', 10)) AS t(segment, x)`) }),
});
/** Stands in for "train on this segment": metrics from its table and a param. */
const fit = defineNode({
  type: 'test.fit',
  version: 1,
  title: 'Fit',
  category: 'debug',
  description: 'Sums x of its table, times its scale.',
  inputs: [{ name: 'table', type: 'table', optional: true }],
  outputs: [{ name: 'metrics', type: 'metrics' }],
  params: z.object({ scale: z.number().default(1), name: z.string().default('') }),
  execute: async (ctx) => {
    const table = ctx.inputs.optionalTable('table');
    const [row] = table ? await ctx.data.rows(`SELECT sum(x)::DOUBLE AS s FROM ${ctx.data.from(table)}`) : [{ s: 0 }];
    return { metrics: { kind: 'metrics', values: { total: Number(row?.s ?? 0) * ctx.params.scale, nameLength: ctx.params.name.length }, details: {} } };
  },
});

let home: string;
let workspace: Workspace;
let registry: NodeRegistry;

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'trellis-map-'));
  const inner = new NodeRegistry([fit]);
  registry = new NodeRegistry([segments, fit, mapNode((type, version) => inner.get(type, version))]);
  workspace = await Workspace.open(home, registry);
});
afterEach(async () => {
  await workspace.close();
  rmSync(home, { recursive: true, force: true });
});

async function run(mapParams: Record<string, unknown>) {
  const document = PipelineDocumentSchema.parse({
    format: 'trellis.pipeline/1',
    id: 'fanout',
    params: { names: { type: 'string', default: 'x, yy ,zzz' } },
    nodes: [
      { id: 'rows', type: 'test.segments', version: 1 },
      { id: 'each', type: 'control.map', version: 1, params: mapParams },
    ],
    edges: [{ from: 'rows.table', to: 'each.table' }],
  });
  const result = await workspace.runDocument(document, home);
  if ('compileErrors' in result) throw new Error(JSON.stringify(result.compileErrors));
  return { result, each: result.tasks.find((t) => t.nodeId === 'each') };
}

async function rowsOf(table: TableValue | undefined): Promise<unknown[]> {
  if (!table) throw new Error('no results table');
  const data = await DataEngine.open(workspace.artifacts);
  try {
    return await data.rows(`SELECT * FROM ${data.from(table)} ORDER BY item`);
  } finally {
    data.closeDatabase();
  }
}

describe('control.map', () => {
  it('runs the inner node once per distinct value of a column, on that segment\'s rows', async () => {
    const { result, each } = await run({ column: 'segment', node: { type: 'test.fit', version: 1, params: { scale: 2 } } });
    expect(result.state).toBe('succeeded');
    const results = each?.outputs?.results;
    expect(results?.kind === 'table' && results.rows).toBe(2);
    expect(await rowsOf(results?.kind === 'table' ? results : undefined)).toEqual([
      { item: 'a', 'metrics.total': 6, 'metrics.nameLength': 0 },
      { item: 'b', 'metrics.total': 20, 'metrics.nameLength': 0 },
    ]);
  });

  it('maps over a list from a pipeline param, with {{ item }} in the inner params', async () => {
    const { each } = await run({ items: '{{ params.names }}', node: { type: 'test.fit', version: 1, params: { name: '{{ item }}' } } });
    const results = each?.outputs?.results;
    const rows = await rowsOf(results?.kind === 'table' ? results : undefined);
    expect(rows.map((r) => (r as Record<string, unknown>)['metrics.nameLength'])).toEqual([1, 2, 3]);
  });

  it('refuses to fan out past maxItems', async () => {
    const { result, each } = await run({ items: [1, 2, 3], maxItems: 2, node: { type: 'test.fit', version: 1 } });
    expect(result.state).toBe('failed');
    expect(each?.error?.message).toContain('more than maxItems (2)');
  });
});
