import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeTestBench } from '../testing/nodeTestBench.js';
import { sqlString } from './dataEngine.js';

let bench: NodeTestBench;
beforeAll(async () => {
  bench = await NodeTestBench.create();
});
afterAll(async () => {
  await bench.close();
});

describe('DataEngine.writeTable', () => {
  it('keeps row order, schema and count, and still dictionary-encodes a categorical column with thousands of values', async () => {
    const rows = 200_000;
    const table = await bench.data.writeTable(
      `SELECT i, 'city_' || (hash(i) % 3000) AS city, (hash(i, 1) % 1000000)::DOUBLE / 7 AS price FROM range(${rows}) r(i) ORDER BY i`,
    );
    expect(table.rows).toBe(rows);
    expect(table.columns).toEqual([{ name: 'i', type: 'BIGINT' }, { name: 'city', type: 'VARCHAR' }, { name: 'price', type: 'DOUBLE' }]);
    const [order] = await bench.data.rows(`SELECT bool_and(i = n - 1) AS ordered FROM (SELECT i, row_number() OVER () AS n FROM ${bench.data.from(table)})`);
    expect(order?.ordered).toBe(true);

    const path = sqlString(bench.artifacts.path(table.artifact));
    const chunks = await bench.data.rows(`SELECT path_in_schema AS name, encodings, compression FROM parquet_metadata(${path}) WHERE row_group_id = 0 ORDER BY column_id`);
    expect(chunks.map((c) => c.compression)).toEqual(['SNAPPY', 'SNAPPY', 'SNAPPY']);
    // The dictionary limit that speeds up writing float columns must not cost a categorical
    // column its dictionary (file size, group-by speed).
    expect(String(chunks.find((c) => c.name === 'city')?.encodings)).toMatch(/DICTIONARY/);
  });
});
