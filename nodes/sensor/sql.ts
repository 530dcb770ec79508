import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { defineNode } from '../../engine/node/nodeDefinition.js';
import { NodeError } from '../../engine/node/nodeError.js';
import { awaitSensor } from './awaitSensor.js';
import { sensorParams } from './sensorParams.js';
import { truthy } from './truthy.js';

/** A JSON-safe form of a query value for the output's details (DuckDB gives bigints). */
function plain(value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}

/** The first row of `query` on a SQLite file opened read-only; undefined while the file does not exist. */
function firstRowSqlite(path: string, query: string): Record<string, unknown> | undefined {
  if (!existsSync(path)) return undefined;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const row: unknown = db.prepare(query).raw(false).get();
    return row !== null && typeof row === 'object' ? Object.fromEntries(Object.entries(row)) : undefined;
  } finally {
    db.close();
  }
}

/**
 * Waits until a query's first value is truthy: against a SQLite file (opened read-only for each
 * poke, so another process may write it meanwhile), or in DuckDB, whose SQL reads files directly
 * (`SELECT count(*) > 0 FROM read_parquet('/data/day=2024-01-01/*.parquet')`).
 */
export default defineNode({
  type: 'sensor.sql',
  version: 1,
  title: 'SQL sensor',
  category: 'sensor',
  description: 'Waits until a query (SQLite file, or DuckDB over files) returns a truthy first value; outputs that value and row. Holds no worker slot while waiting.',
  inputs: [],
  outputs: [{ name: 'found', type: 'metrics', description: 'value (when numeric), pokes, waited_ms; the first value and row in details' }],
  volatile: true,
  params: z.object({
    engine: z.enum(['sqlite', 'duckdb']).default('sqlite').describe('sqlite: the query runs on the database file; duckdb: the query runs in DuckDB and names the files it reads'),
    database: z.string().default('').describe('the SQLite file, relative to the pipeline file (engine sqlite)'),
    query: z.string().min(1).describe('its first column of its first row decides: not null, 0, false or empty means not yet').meta({ ui: { widget: 'code', language: 'sql' } }),
    ...sensorParams,
  }),
  async execute(ctx) {
    const { engine, query } = ctx.params;
    if (engine === 'sqlite' && ctx.params.database.trim() === '') {
      throw new NodeError(`Sensor "${ctx.nodeId}" in pipeline "${ctx.pipelineId}" needs the SQLite file to query.`, { param: 'database', hint: 'Set database to the .db/.sqlite file, or engine to duckdb.' });
    }
    const path = ctx.resolvePath(ctx.params.database);
    const firstRow = async (): Promise<Record<string, unknown> | undefined> => {
      try {
        if (engine === 'sqlite') return firstRowSqlite(path, query);
        return (await ctx.data.rows(query))[0];
      } catch (cause) {
        throw new NodeError(`Sensor "${ctx.nodeId}" in pipeline "${ctx.pipelineId}": the query failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
          param: 'query',
          hint: engine === 'sqlite' ? `Check the query against ${path}.` : 'Check the query and the paths of the files it reads.',
        });
      }
    };
    return awaitSensor(ctx, `a truthy result of: ${query}`, async () => {
      const row = await firstRow();
      if (row === undefined) return { found: false, seen: engine === 'sqlite' && !existsSync(path) ? `no file ${path} yet` : 'no rows' };
      const value = plain(Object.values(row)[0]);
      if (!truthy(value)) return { found: false, seen: `first value ${JSON.stringify(value)}` };
      return {
        found: true,
        seen: `first value ${JSON.stringify(value)}`,
        ...(typeof value === 'number' ? { values: { value } } : {}),
        details: { value, row: Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)])) },
      };
    });
  },
});
