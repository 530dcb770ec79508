import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../../engine/executor/executePlan.js';
import { PipelineDocumentSchema, type PipelineDocument } from '../../engine/format/pipelineDocument.js';
import { NodeRegistry } from '../../engine/node/nodeRegistry.js';
import type { MetricsValue } from '../../engine/node/portValue.js';
import { hookNodes, type Hook } from '../../engine/testing/hookNodes.js';
import { Workspace, type RunFileOptions } from '../../engine/workspace/workspace.js';
import { sensorNodes } from './index.js';
import { valueAtPath } from './jsonPath.js';
import { pokeIntervalMs } from './sensorParams.js';
import { truthy } from './truthy.js';

let home: string;
let hooks: Record<string, Hook>;
let workspace: Workspace;

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'trellis-sensor-'));
  hooks = {};
  workspace = await Workspace.open(home, new NodeRegistry([...hookNodes(new Proxy({}, { get: (_, key: string) => hooks[key] })), ...sensorNodes]));
});

afterEach(async () => {
  await workspace.close();
  rmSync(home, { recursive: true, force: true });
});

/** The sensor `s` (polling fast), `after` behind it by a control edge, and an independent `c`. */
function pipeline(type: string, params: Record<string, unknown>): PipelineDocument {
  return PipelineDocumentSchema.parse({
    format: 'trellis.pipeline/1',
    id: 'sensor-test',
    nodes: [
      { id: 's', type, version: 1, params: { pokeSeconds: 0.01, timeout: '10s', ...params } },
      { id: 'after', type: 'test.hook', version: 1, params: { label: 'after' } },
      { id: 'c', type: 'test.hook', version: 1, params: { label: 'c' } },
    ],
    edges: [{ from: 's', to: 'after' }],
  });
}

async function run(document: PipelineDocument, options: RunFileOptions = {}): Promise<RunResult> {
  const result = await workspace.runDocument(document, home, options);
  if ('compileErrors' in result) throw new Error(JSON.stringify(result.compileErrors));
  return result;
}

const stateOf = (result: RunResult, id: string): string | undefined => result.tasks.find((t) => t.nodeId === id)?.state;

function found(result: RunResult): MetricsValue {
  const value = result.tasks.find((t) => t.nodeId === 's')?.outputs?.found;
  if (value?.kind !== 'metrics') throw new Error(`sensor s has no found output: ${JSON.stringify(result.tasks.find((t) => t.nodeId === 's'))}`);
  return value;
}

/** Runs `action` once, when the sensor first waits (so what it waits for surely came later). */
function onceWaiting(action: () => void): RunFileOptions {
  let done = false;
  return {
    listeners: [
      (event) => {
        if (done || event.type !== 'task.state' || event.nodeId !== 's' || event.state !== 'waiting') return;
        done = true;
        action();
      },
    ],
  };
}

describe('poke intervals', () => {
  it('grow by the backoff factor up to the maximum, and stay fixed with factor 1', () => {
    const backoff = { pokeSeconds: 0.5, backoffFactor: 2, maxPokeSeconds: 3 };
    expect([1, 2, 3, 4, 5].map((n) => pokeIntervalMs(backoff, n))).toEqual([500, 1000, 2000, 3000, 3000]);
    expect([1, 2, 9].map((n) => pokeIntervalMs({ ...backoff, backoffFactor: 1 }, n))).toEqual([500, 500, 500]);
  });
});

describe('conditions', () => {
  it('reads a first value as SQL flags are written', () => {
    expect([1, 2n, -1, 'yes', true, {}].map(truthy)).toEqual([true, true, true, true, true, true]);
    expect([0, 0n, null, undefined, false, '', ' 0 ', 'FALSE', Number.NaN].map(truthy)).toEqual(Array(9).fill(false));
  });

  it('follows a dot path through objects and list indices', () => {
    const doc = { job: { runs: [{ state: 'done' }], 'x.y': 1 } };
    expect(valueAtPath(doc, 'job.runs.0.state')).toBe('done');
    expect(valueAtPath(doc, '')).toBe(doc);
    expect(valueAtPath(doc, 'job.runs.1.state')).toBeUndefined();
    expect(valueAtPath(doc, 'job.runs.state')).toBeUndefined();
    expect(valueAtPath(doc, 'job.toString')).toBeUndefined();
  });
});

describe('sensor.file', () => {
  it('fires when a file matching a glob appears, and outputs the matching files', async () => {
    mkdirSync(join(home, 'incoming'));
    writeFileSync(join(home, 'incoming', 'notes.txt'), 'not a match');
    const result = await run(pipeline('sensor.file', { path: 'incoming/*.csv' }), onceWaiting(() => writeFileSync(join(home, 'incoming', 'day1.csv'), 'a,b\n1,2\n')));
    expect(result.state).toBe('succeeded');
    expect(stateOf(result, 'after')).toBe('succeeded');
    expect(found(result).details.paths).toEqual([join(home, 'incoming', 'day1.csv')]);
    expect(found(result).values).toMatchObject({ files: 1, bytes: 8 });
    expect(found(result).values.pokes).toBeGreaterThan(1);
    const files = result.tasks.find((t) => t.nodeId === 's')?.outputs?.files;
    expect(files).toMatchObject({ kind: 'table', rows: 1 });
    const states = (await workspace.store.getTransitions(result.runId, 's')).map((t) => t.state);
    expect(states.slice(0, 3)).toEqual(['queued', 'running', 'waiting']);
  });

  it('reads a relative glob from the pipeline folder, even one whose name looks like a glob', async () => {
    const folder = join(home, 'runs [old]');
    mkdirSync(join(folder, 'in'), { recursive: true });
    writeFileSync(join(folder, 'in', 'a.csv'), 'x\n');
    const result = await workspace.runDocument(pipeline('sensor.file', { path: 'in/*.csv' }), folder);
    if ('compileErrors' in result) throw new Error(JSON.stringify(result.compileErrors));
    expect(found(result).details.paths).toEqual([join(folder, 'in', 'a.csv')]);
  });

  it('fires again only once what matches changed since its last firing (mtime, or content hash)', async () => {
    const file = join(home, 'data.csv');
    writeFileSync(file, 'x\n1\n');
    const byMtime = pipeline('sensor.file', { path: file, timeout: '80ms', softFail: true });
    expect(stateOf(await run(byMtime), 's')).toBe('succeeded');
    // Nothing changed: the second run waits, then soft-fails.
    expect(stateOf(await run(byMtime), 's')).toBe('skipped');
    const changed = await run(pipeline('sensor.file', { path: file, timeout: '5s' }), onceWaiting(() => writeFileSync(file, 'x\n1\n2\n')));
    expect(stateOf(changed, 's')).toBe('succeeded');
    expect(found(changed).values.pokes).toBeGreaterThan(1);

    const byHash = PipelineDocumentSchema.parse({ ...byMtime, id: 'sensor-hash', nodes: byMtime.nodes.map((n) => (n.id === 's' ? { ...n, params: { ...n.params, compare: 'hash' } } : n)) });
    expect(stateOf(await run(byHash), 's')).toBe('succeeded');
    // A new modification time with the same content is no change by hash.
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(stateOf(await run(byHash), 's')).toBe('skipped');
  });

  it('fails the run on timeout, naming the pipeline, node and what it waited for', async () => {
    const result = await run(pipeline('sensor.file', { path: 'never/*.parquet', timeout: '50ms' }));
    expect(result.state).toBe('failed');
    const sensor = result.tasks.find((t) => t.nodeId === 's');
    expect(sensor?.state).toBe('failed');
    expect(sensor?.error?.message).toMatch(/Sensor "s" in pipeline "sensor-test" timed out after 50ms .*files matching never\/\*\.parquet/);
    expect(stateOf(result, 'after')).toBe('skipped');
    expect(stateOf(result, 'c')).toBe('succeeded');
  });

  it('with softFail ends skipped on timeout, and so does what depends on it; the run succeeds', async () => {
    const result = await run(pipeline('sensor.file', { path: 'never/*.parquet', timeout: '50ms', softFail: true }));
    expect(result.state).toBe('succeeded');
    const sensor = result.tasks.find((t) => t.nodeId === 's');
    expect(sensor?.state).toBe('skipped');
    expect(stateOf(result, 'after')).toBe('skipped');
    expect(stateOf(result, 'c')).toBe('succeeded');
    expect(sensor?.reason).toMatch(/timed out .*softFail/);
  });

  it('holds no worker slot while waiting: with concurrency 1 an independent node runs meanwhile (and makes the file appear)', async () => {
    const file = join(home, 'made-by-c.txt');
    hooks.c = () => {
      writeFileSync(file, 'hello');
      return {};
    };
    const result = await run(pipeline('sensor.file', { path: file, timeout: '5s' }), { concurrency: 1 });
    expect(result.state).toBe('succeeded');
    const states = (await workspace.store.getTransitions(result.runId, 's')).map((t) => t.state);
    expect(states).toContain('waiting');
    expect(states.at(-1)).toBe('succeeded');
  });

  it('counts the timeout from the first poke across a resume in another process', async () => {
    const waiting = await run(pipeline('sensor.file', { path: 'never.txt', timeout: '150ms', pokeSeconds: 10 }), { detachWhenWaiting: true });
    expect(waiting.state).toBe('waiting');
    expect(stateOf(waiting, 's')).toBe('waiting');
    await new Promise((r) => setTimeout(r, 200));
    const resumed = await workspace.resume(waiting.runId);
    const sensor = resumed.tasks.find((t) => t.nodeId === 's');
    expect(sensor?.state).toBe('failed');
    expect(sensor?.error?.message).toMatch(/timed out after 150ms \(2 pokes\)/);
  });

  it('waits anew when a run whose sensor timed out is resumed', async () => {
    const file = join(home, 'late.txt');
    // Long enough for the listener (events reach it up to ~50 ms late) to write the file in time.
    const failed = await run(pipeline('sensor.file', { path: file, timeout: '300ms' }));
    expect(stateOf(failed, 's')).toBe('failed');
    const resumed = await workspace.resume(failed.runId, onceWaiting(() => writeFileSync(file, 'at last')));
    expect(resumed.state).toBe('succeeded');
    expect(stateOf(resumed, 'after')).toBe('succeeded');
  });
});

describe('sensor.sql', () => {
  it('waits until a query on a SQLite file returns a truthy first value, written by another connection', async () => {
    const path = join(home, 'flags.db');
    const db = new Database(path);
    try {
      db.exec("CREATE TABLE flags (name TEXT, ready INTEGER); INSERT INTO flags VALUES ('daily', 0)");
      const update = (): void => void db.prepare("UPDATE flags SET ready = 42 WHERE name = 'daily'").run();
      const result = await run(pipeline('sensor.sql', { database: 'flags.db', query: "SELECT ready, name FROM flags WHERE name = 'daily'" }), onceWaiting(update));
      expect(result.state).toBe('succeeded');
      expect(found(result).values).toMatchObject({ value: 42 });
      expect(found(result).details).toMatchObject({ value: 42, row: { ready: 42, name: 'daily' } });
      expect(found(result).values.pokes).toBeGreaterThan(1);
    } finally {
      db.close();
    }
  });

  it('waits while the SQLite file does not exist yet', async () => {
    const create = (): void => {
      const db = new Database(join(home, 'late.db'));
      db.exec('CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1)');
      db.close();
    };
    const result = await run(pipeline('sensor.sql', { database: 'late.db', query: 'SELECT v FROM t' }), onceWaiting(create));
    expect(stateOf(result, 's')).toBe('succeeded');
  });

  it('runs DuckDB SQL over files: waits until a glob matches two CSV files', async () => {
    const dir = join(home, 'drop');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.csv'), 'x\n1\n');
    const result = await run(pipeline('sensor.sql', { engine: 'duckdb', query: `SELECT count(*) >= 2 FROM glob('${dir}/*.csv')` }), onceWaiting(() => writeFileSync(join(dir, 'b.csv'), 'x\n2\n')));
    expect(stateOf(result, 's')).toBe('succeeded');
    expect(found(result).details.value).toBe(true);
  });

  it('fails with the query error when the query is wrong', async () => {
    writeFileSync(join(home, 'empty.db'), '');
    const result = await run(pipeline('sensor.sql', { database: 'empty.db', query: 'SELECT nope FROM missing' }));
    expect(result.tasks.find((t) => t.nodeId === 's')?.error?.message).toMatch(/the query failed: no such table: missing/);
  });
});

describe('sensor.http', () => {
  let server: Server;
  let url: string;
  let requests: number[];
  let authorization: string | undefined;
  let answer: (n: number) => { status: number; body: unknown };

  beforeEach(async () => {
    requests = [];
    answer = () => ({ status: 200, body: {} });
    server = createServer((req, res) => {
      requests.push(performance.now());
      authorization = req.headers.authorization;
      const { status, body } = answer(requests.length);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/status`;
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('waits for a 2xx status and a JSON path equal to a value; outputs the body', async () => {
    answer = (n) => (n <= 2 ? { status: 503, body: { error: 'starting' } } : { status: 200, body: { job: { state: n < 5 ? 'running' : 'done', tags: ['x'] } } });
    const result = await run(pipeline('sensor.http', { url, jsonPath: 'job.state', equals: 'done' }));
    expect(result.state).toBe('succeeded');
    expect(requests).toHaveLength(5);
    expect(found(result).values).toMatchObject({ status: 200, pokes: 5 });
    expect(found(result).details).toMatchObject({ value: 'done', body: { job: { state: 'done', tags: ['x'] } } });
  });

  it('checks a listed status and a JSON list containing a value, sending a secret header from the environment', async () => {
    answer = (n) => ({ status: n < 3 ? 200 : 202, body: { ready: n < 4 ? ['a'] : ['a', 'daily'] } });
    process.env.TRELLIS_SENSOR_TEST_TOKEN = 's3cret';
    try {
      const result = await run(pipeline('sensor.http', { url, status: [202], jsonPath: 'ready', contains: 'daily', headers: { Authorization: 'Bearer env:TRELLIS_SENSOR_TEST_TOKEN' } }));
      expect(stateOf(result, 's')).toBe('succeeded');
      expect(requests).toHaveLength(4);
      expect(authorization).toBe('Bearer s3cret');
    } finally {
      delete process.env.TRELLIS_SENSOR_TEST_TOKEN;
    }
  });

  it('backs off: each interval the previous one times the factor, up to the maximum', async () => {
    answer = (n) => ({ status: n < 6 ? 404 : 200, body: {} });
    const result = await run(pipeline('sensor.http', { url, pokeSeconds: 0.02, backoffFactor: 2, maxPokeSeconds: 0.08 }));
    expect(stateOf(result, 's')).toBe('succeeded');
    const gaps = requests.slice(1).map((t, i) => t - (requests[i] as number));
    // Timers never fire early; under load they may fire late, so only lower bounds are asserted.
    [20, 40, 80, 80].forEach((least, i) => expect(gaps[i]).toBeGreaterThanOrEqual(least - 2));
    expect(gaps[2]).toBeGreaterThan(gaps[0] as number);
  });

  it('treats a refused connection as not yet, and times out with soft fail', async () => {
    const result = await run(pipeline('sensor.http', { url: 'http://127.0.0.1:9/', timeout: '60ms', softFail: true }));
    expect(result.state).toBe('succeeded');
    expect(stateOf(result, 's')).toBe('skipped');
    expect(stateOf(result, 'after')).toBe('skipped');
  });
});
