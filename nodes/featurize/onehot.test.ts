import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableValue } from '../../engine/node/portValue.js';
import { NodeTestBench } from '../../engine/testing/nodeTestBench.js';
import onehot from './onehot.js';
import { asTable, chainOf } from './testing/fixtures.js';

describe('featurize.onehot', () => {
  let bench: NodeTestBench;
  let fit: TableValue;
  beforeAll(async () => {
    bench = await NodeTestBench.create();
    // a ×3, b ×2, c ×1, d ×1, one NULL
    fit = await bench.table(`SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (3, 'a'), (4, 'c'), (5, 'b'), (6, 'a'), (7, 'd'), (8, NULL)) t(id, color)`);
  });
  afterAll(() => bench.close());

  it('keeps the K most frequent categories, puts the rest in "other", and drops the source column', async () => {
    const run = await bench.run(onehot, { params: { maxCategories: 2 }, inputs: { fit } });
    const fitted = asTable(run.outputs.fitted);
    expect(fitted.columns).toEqual([
      { name: 'id', type: 'INTEGER' }, { name: 'color_a', type: 'TINYINT' }, { name: 'color_b', type: 'TINYINT' }, { name: 'color_other', type: 'TINYINT' },
    ]);
    const rows = await bench.rows(fitted);
    expect(rows.map((r) => [r.color_a, r.color_b, r.color_other])).toEqual([
      [1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 0, 0],
    ]);
  });

  it('gives unseen categories all zeros with rest "drop", or "other", never an error', async () => {
    const apply = await bench.table(`SELECT * FROM (VALUES (9, 'a'), (10, 'zebra'), (11, NULL), (12, 'd')) t(id, color)`);
    const dropped = await bench.run(onehot, { params: { maxCategories: 2, rest: 'drop' }, inputs: { fit, apply } });
    expect(asTable(dropped.outputs.applied).columns.map((c) => c.name)).toEqual(['id', 'color_a', 'color_b']);
    expect((await bench.rows(dropped.outputs.applied)).map((r) => [r.color_a, r.color_b])).toEqual([[1, 0], [0, 0], [0, 0], [0, 0]]);
    const other = await bench.run(onehot, { params: { maxCategories: 2 }, inputs: { fit, apply } });
    expect((await bench.rows(other.outputs.applied)).map((r) => [r.color_a, r.color_b, r.color_other])).toEqual([[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 1]]);
  });

  it('encodes every category by default, in sorted order, like scikit-learn', async () => {
    const run = await bench.run(onehot, { inputs: { fit } });
    expect(asTable(run.outputs.fitted).columns.map((c) => c.name)).toEqual(['id', 'color_a', 'color_b', 'color_c', 'color_d', 'color_other']);
    const step = chainOf(bench, run.outputs.transform).steps[0];
    expect(step?.kind === 'onehot' && step.columns[0]?.categories.map((c) => c.value)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('never overwrites an existing column with an indicator', async () => {
    const t = await bench.table(`SELECT * FROM (VALUES ('x', 7), ('y', 8)) t(c, c_x)`);
    const run = await bench.run(onehot, { params: { columns: ['c'] }, inputs: { fit: t } });
    const rows = await bench.rows(run.outputs.fitted);
    expect(rows).toEqual([{ c_x: 7, c_x_2: 1, c_y: 0, c_other: 0 }, { c_x: 8, c_x_2: 0, c_y: 1, c_other: 0 }]);
  });

  it('encodes a named integer column and refuses a missing one', async () => {
    const run = await bench.run(onehot, { params: { columns: ['id'], maxCategories: 1, rest: 'drop' }, inputs: { fit } });
    expect(asTable(run.outputs.fitted).columns.map((c) => c.name)).toEqual(['color', 'id_1']);
    await expect(bench.run(onehot, { params: { columns: ['colour'] }, inputs: { fit } }))
      .rejects.toMatchObject({ name: 'NodeError', message: expect.stringContaining('"colour"'), details: { hint: expect.stringContaining('color (VARCHAR)') } });
  });
});
