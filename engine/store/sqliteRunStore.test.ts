import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PLAN_FORMAT, type ExecutionPlan, type PlanNode } from '../compile/executionPlan.js';
import type { NodeOutputs } from '../node/portValue.js';
import type { RunEvent, TaskStateEvent } from '../run/runEvent.js';
import type { CacheParts, NewRun } from './runStore.js';
import { LATEST_SCHEMA_VERSION, migrateSchema, SQLITE_MIGRATIONS } from './sqliteMigrations.js';
import { SqliteRunStore } from './sqliteRunStore.js';

const ARTIFACT_A = 'a'.repeat(64);
const ARTIFACT_B = 'b'.repeat(64);

function plan(pipelineId: string, nodeIds: readonly string[], hash = `hash-${pipelineId}`): ExecutionPlan {
  return {
    format: PLAN_FORMAT,
    pipelineId,
    pipelineName: `Pipeline ${pipelineId}`,
    pipelineHash: hash,
    params: { threshold: 0.5, label: 'churn', strict: true },
    nodes: nodeIds.map((id, index): PlanNode => ({
      id,
      type: 'test.step',
      version: 1,
      title: id,
      params: { n: index },
      inputs: index === 0 ? {} : { in: [{ node: nodeIds[index - 1] ?? '', port: 'out' }] },
      dependsOn: index === 0 ? [] : [nodeIds[index - 1] ?? ''],
      retry: { maxAttempts: 2, delayMs: 10, backoff: 2, maxDelayMs: 100, jitter: false },
      cache: true,
      continueOnFailure: false,
    })),
  };
}

function newRun(id: string, p: ExecutionPlan, startedAt: number, extra: Partial<NewRun> = {}): NewRun {
  return {
    id,
    plan: p,
    documentJson: `{"id":"${p.pipelineId}","hash":"${p.pipelineHash}"}`,
    selection: { mode: 'all' },
    startedAt,
    pid: 4242,
    host: 'workstation',
    baseDir: '/pipelines',
    ...extra,
  };
}

function taskState(runId: string, nodeId: string, time: number, fields: Omit<TaskStateEvent, 'type' | 'runId' | 'nodeId' | 'time'>): TaskStateEvent {
  return { type: 'task.state', runId, nodeId, time, ...fields };
}

function tableOutputs(artifact: string): NodeOutputs {
  return { out: { kind: 'table', artifact, columns: [{ name: 'x', type: 'DOUBLE' }], rows: 3 } };
}

const PARTS: CacheParts = { type: 'test.step', version: 1, params: '{"n":0}', inputs: { in: ['abc'] }, files: {} };

let dir: string;
let dbPath: string;
let store: SqliteRunStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trellis-store-'));
  dbPath = join(dir, 'nested', 'folder', 'runs.sqlite');
  store = SqliteRunStore.open(dbPath);
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A second connection, as another process would have, to look at what is really on disk. */
function rawDb(): Database.Database {
  return new Database(dbPath);
}

function count(sql: string, ...params: string[]): number {
  const db = rawDb();
  try {
    const value: unknown = db.prepare(sql).pluck().get(...params);
    if (typeof value !== 'number') throw new Error(`expected a count from ${sql}`);
    return value;
  } finally {
    db.close();
  }
}

describe('createRun', () => {
  it('stores the run, its pipeline version and a pending task per plan node', async () => {
    const p = plan('churn', ['load', 'train', 'eval']);
    await store.createRun(newRun('r1', p, 1000, { selection: { mode: 'from', node: 'train' } }));

    const run = await store.getRun('r1');
    expect(run).toEqual({
      id: 'r1',
      pipelineId: 'churn',
      pipelineName: 'Pipeline churn',
      pipelineHash: 'hash-churn',
      state: 'running',
      params: { threshold: 0.5, label: 'churn', strict: true },
      selection: { mode: 'from', node: 'train' },
      startedAt: 1000,
      pid: 4242,
      host: 'workstation',
      resumes: 0,
      baseDir: '/pipelines',
    });
    // Absent, not undefined-valued: records cross IPC/HTTP as JSON and are compared with toEqual.
    expect(Object.keys(run ?? {})).not.toContain('finishedAt');
    expect(Object.keys(run ?? {})).not.toContain('error');

    expect(await store.getPlan('r1')).toEqual(p);
    expect(await store.getDocument('hash-churn')).toBe('{"id":"churn","hash":"hash-churn"}');
    const tasks = await store.getTasks('r1');
    expect(tasks).toEqual([
      { runId: 'r1', nodeId: 'load', type: 'test.step', state: 'pending', attempt: 0 },
      { runId: 'r1', nodeId: 'train', type: 'test.step', state: 'pending', attempt: 0 },
      { runId: 'r1', nodeId: 'eval', type: 'test.step', state: 'pending', attempt: 0 },
    ]);
  });

  it('stores a pipeline version once however many runs use it', async () => {
    const p = plan('churn', ['load']);
    await store.createRun(newRun('r1', p, 1000));
    await store.createRun(newRun('r2', p, 2000, { documentJson: 'ignored: same hash' }));
    await store.createRun(newRun('r3', plan('churn', ['load'], 'hash-2'), 3000));

    expect(count('SELECT count(*) FROM pipeline_versions')).toBe(2);
    expect(count('SELECT count(*) FROM pipelines')).toBe(1);
    expect(await store.getDocument('hash-churn')).toBe('{"id":"churn","hash":"hash-churn"}');
    const db = rawDb();
    expect(db.prepare('SELECT first_seen, last_seen FROM pipelines').get()).toEqual({ first_seen: 1000, last_seen: 3000 });
    db.close();
  });

  it('is atomic: a duplicate run id leaves nothing half-written', async () => {
    await store.createRun(newRun('r1', plan('a', ['x']), 1000));
    await expect(store.createRun(newRun('r1', plan('b', ['y']), 2000))).rejects.toThrow();
    expect(count('SELECT count(*) FROM pipelines')).toBe(1);
    expect(count('SELECT count(*) FROM tasks')).toBe(1);
  });

  it('returns undefined for what does not exist', async () => {
    expect(await store.getRun('nope')).toBeUndefined();
    expect(await store.getPlan('nope')).toBeUndefined();
    expect(await store.getDocument('nope')).toBeUndefined();
    expect(await store.getTasks('nope')).toEqual([]);
  });
});

describe('apply', () => {
  beforeEach(async () => {
    await store.createRun(newRun('r1', plan('churn', ['load', 'train', 'eval', 'report']), 1000));
  });

  it('stores the same rows and transitions whether events come one per batch or all in one', async () => {
    // Before the compared events: train is already running (an earlier batch), so a running event
    // at the start of the next batch must keep its started_at.
    const before: RunEvent[] = [taskState('r1', 'train', 900, { state: 'running', attempt: 1 })];
    const events: RunEvent[] = [
      taskState('r1', 'load', 1001, { state: 'queued', attempt: 0 }),
      taskState('r1', 'load', 1002, { state: 'running', attempt: 1, cacheKey: 'key-load', cache: { outcome: 'miss', reason: 'first run' } }),
      { type: 'task.log', runId: 'r1', nodeId: 'load', time: 1003, level: 'warn', message: 'retrying' },
      taskState('r1', 'load', 1004, { state: 'running', attempt: 2 }),
      taskState('r1', 'load', 1005, { state: 'succeeded', attempt: 2, outputs: tableOutputs(ARTIFACT_A) }),
      taskState('r1', 'train', 1006, { state: 'running', attempt: 2 }),
      taskState('r1', 'train', 1007, { state: 'failed', attempt: 2, error: { message: 'boom', kind: 'internal' } }),
      taskState('r1', 'eval', 1008, { state: 'queued', attempt: 0 }),
      taskState('r1', 'report', 1009, { state: 'skipped', attempt: 0, reason: 'upstream node train failed' }),
    ];
    const other = SqliteRunStore.open(join(dir, 'other.db'));
    try {
      await other.createRun(newRun('r1', plan('churn', ['load', 'train', 'eval', 'report']), 1000));
      for (const target of [store, other]) {
        await target.apply(before);
        await target.setCacheParts('r1', 'load', 'key-from-parts', PARTS);
        await target.setCacheParts('r1', 'eval', 'key-eval', PARTS);
      }
      for (const event of events) await store.apply([event]);
      await other.apply(events);
      expect(await other.getTasks('r1')).toEqual(await store.getTasks('r1'));
      expect(await other.getTransitions('r1')).toEqual(await store.getTransitions('r1'));
      expect((await store.getTasks('r1')).find((t) => t.nodeId === 'train')?.startedAt).toBe(900);
    } finally {
      await other.close();
    }
  });

  it('round-trips every event kind', async () => {
    const events: RunEvent[] = [
      { type: 'run.started', runId: 'r1', time: 1000, pipelineId: 'churn', pipelineHash: 'hash-churn', nodes: [], resumed: false },
      taskState('r1', 'load', 1001, { state: 'queued', attempt: 0 }),
      taskState('r1', 'load', 1002, { state: 'running', attempt: 1, cacheKey: 'key-load', cache: { outcome: 'miss', reason: 'first run' } }),
      { type: 'task.progress', runId: 'r1', nodeId: 'load', time: 1003, fraction: 0.5, message: 'half' },
      { type: 'task.log', runId: 'r1', nodeId: 'load', time: 1004, level: 'warn', message: '3 rows dropped' },
      { type: 'task.metric', runId: 'r1', nodeId: 'load', time: 1005, name: 'rows', value: 3 },
      taskState('r1', 'load', 1006, { state: 'succeeded', attempt: 1, outputs: tableOutputs(ARTIFACT_A) }),
      taskState('r1', 'train', 1007, { state: 'running', attempt: 1 }),
      taskState('r1', 'train', 1008, { state: 'failed', attempt: 1, error: { message: 'no label column', kind: 'user', param: 'label', hint: 'pick a column' } }),
      taskState('r1', 'eval', 1009, { state: 'skipped', attempt: 0, reason: 'upstream node train failed' }),
      { type: 'run.finished', runId: 'r1', time: 1010, state: 'failed', error: 'node train failed' },
    ];
    await store.apply(events);

    const tasks = await store.getTasks('r1');
    expect(tasks).toEqual([
      {
        runId: 'r1',
        nodeId: 'load',
        type: 'test.step',
        state: 'succeeded',
        attempt: 1,
        startedAt: 1002,
        finishedAt: 1006,
        // Set by the running event and kept when the succeeded event does not repeat them.
        cacheKey: 'key-load',
        cache: { outcome: 'miss', reason: 'first run' },
        outputs: tableOutputs(ARTIFACT_A),
      },
      {
        runId: 'r1',
        nodeId: 'train',
        type: 'test.step',
        state: 'failed',
        attempt: 1,
        startedAt: 1007,
        finishedAt: 1008,
        error: { message: 'no label column', kind: 'user', param: 'label', hint: 'pick a column' },
      },
      { runId: 'r1', nodeId: 'eval', type: 'test.step', state: 'skipped', attempt: 0, finishedAt: 1009, reason: 'upstream node train failed' },
      { runId: 'r1', nodeId: 'report', type: 'test.step', state: 'pending', attempt: 0 },
    ]);
    expect(await store.getLogs('r1')).toEqual([{ runId: 'r1', nodeId: 'load', time: 1004, level: 'warn', message: '3 rows dropped' }]);
    expect(await store.getMetrics({ runId: 'r1' })).toEqual([{ runId: 'r1', pipelineId: 'churn', nodeId: 'load', name: 'rows', value: 3, time: 1005 }]);
    const run = await store.getRun('r1');
    expect(run?.state).toBe('failed');
    expect(run?.finishedAt).toBe(1010);
    expect(run?.error).toBe('node train failed');
    // Progress is deliberately not stored; only the six task.state events became transitions.
    expect(count('SELECT count(*) FROM task_transitions')).toBe(6);
  });

  it('appends transitions in order, keeping the first start across retries', async () => {
    await store.apply([
      taskState('r1', 'train', 10, { state: 'queued', attempt: 0 }),
      taskState('r1', 'train', 20, { state: 'running', attempt: 1 }),
    ]);
    await store.apply([
      taskState('r1', 'train', 30, { state: 'running', attempt: 2 }),
      taskState('r1', 'load', 35, { state: 'running', attempt: 1 }),
      taskState('r1', 'train', 40, { state: 'succeeded', attempt: 2, outputs: tableOutputs(ARTIFACT_B) }),
    ]);

    expect(await store.getTransitions('r1', 'train')).toEqual([
      { runId: 'r1', nodeId: 'train', state: 'queued', attempt: 0, time: 10 },
      { runId: 'r1', nodeId: 'train', state: 'running', attempt: 1, time: 20 },
      { runId: 'r1', nodeId: 'train', state: 'running', attempt: 2, time: 30 },
      { runId: 'r1', nodeId: 'train', state: 'succeeded', attempt: 2, time: 40 },
    ]);
    expect((await store.getTransitions('r1')).map((t) => `${t.nodeId}:${t.state}`)).toEqual([
      'train:queued',
      'train:running',
      'train:running',
      'load:running',
      'train:succeeded',
    ]);
    const train = (await store.getTasks('r1')).find((t) => t.nodeId === 'train');
    expect(train).toMatchObject({ state: 'succeeded', attempt: 2, startedAt: 20, finishedAt: 40 });
  });

  it('filters logs by node and metrics by pipeline and name, in time order', async () => {
    await store.createRun(newRun('r2', plan('other', ['load']), 2000));
    await store.apply([
      { type: 'task.log', runId: 'r1', nodeId: 'load', time: 1, level: 'info', message: 'a' },
      { type: 'task.log', runId: 'r1', nodeId: 'train', time: 2, level: 'error', message: 'b' },
      { type: 'task.metric', runId: 'r1', nodeId: 'eval', time: 30, name: 'auc', value: 0.8 },
      { type: 'task.metric', runId: 'r1', nodeId: 'eval', time: 10, name: 'auc', value: 0.7 },
      { type: 'task.metric', runId: 'r1', nodeId: 'eval', time: 20, name: 'f1', value: 0.6 },
      { type: 'task.metric', runId: 'r2', nodeId: 'load', time: 15, name: 'auc', value: 0.1 },
    ]);
    expect((await store.getLogs('r1', 'train')).map((l) => l.message)).toEqual(['b']);
    expect((await store.getLogs('r1')).map((l) => l.message)).toEqual(['a', 'b']);
    expect((await store.getMetrics({ pipelineId: 'churn', name: 'auc' })).map((m) => m.value)).toEqual([0.7, 0.8]);
    expect((await store.getMetrics({ name: 'auc' })).map((m) => m.value)).toEqual([0.7, 0.1, 0.8]);
    expect((await store.getMetrics({ runId: 'r2' })).map((m) => m.pipelineId)).toEqual(['other']);
  });

  it('stores a whole batch or none of it', async () => {
    const batch: RunEvent[] = [
      taskState('r1', 'load', 10, { state: 'running', attempt: 1 }),
      { type: 'task.log', runId: 'r1', nodeId: 'load', time: 11, level: 'info', message: 'hello' },
      taskState('r1', 'ghost', 12, { state: 'running', attempt: 1 }),
    ];
    await expect(store.apply(batch)).rejects.toThrow(/node "ghost" of run r1/);
    expect((await store.getTasks('r1'))[0]?.state).toBe('pending');
    expect(await store.getLogs('r1')).toEqual([]);
    expect(await store.getTransitions('r1')).toEqual([]);
  });

  it('rejects events for a run that was never created', async () => {
    await expect(store.apply([{ type: 'task.log', runId: 'nope', nodeId: 'x', time: 1, level: 'info', message: 'm' }])).rejects.toThrow(/run nope/);
    await expect(store.apply([{ type: 'task.metric', runId: 'nope', nodeId: 'x', time: 1, name: 'm', value: 1 }])).rejects.toThrow(/run nope/);
    await expect(store.apply([{ type: 'run.finished', runId: 'nope', time: 1, state: 'succeeded' }])).rejects.toThrow(/run nope/);
  });

  it('refuses a metric that SQLite could not give back', async () => {
    await expect(store.apply([{ type: 'task.metric', runId: 'r1', nodeId: 'eval', time: 1, name: 'psi', value: Number.NaN }])).rejects.toThrow(/"psi" of node "eval".*finite/);
    expect(await store.getMetrics({ runId: 'r1' })).toEqual([]);
  });

  it('handles a batch of 30,000 task.state events', async () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `n${i}`);
    await store.createRun(newRun('big', plan('big', ids), 5000));
    const events: RunEvent[] = [];
    for (const [i, id] of ids.entries()) {
      events.push(taskState('big', id, i, { state: 'queued', attempt: 0 }));
      events.push(taskState('big', id, i + 1, { state: 'running', attempt: 1 }));
      events.push(taskState('big', id, i + 2, { state: 'succeeded', attempt: 1, cacheKey: `k${i}`, outputs: tableOutputs(ARTIFACT_A) }));
    }
    await store.apply(events);

    const tasks = await store.getTasks('big');
    expect(tasks).toHaveLength(10_000);
    expect(tasks.every((t) => t.state === 'succeeded' && t.finishedAt !== undefined)).toBe(true);
    expect(tasks[9_999]).toMatchObject({ nodeId: 'n9999', startedAt: 10_000, finishedAt: 10_001, cacheKey: 'k9999' });
    expect(count(`SELECT count(*) FROM task_transitions WHERE run_id = 'big'`)).toBe(30_000);
    expect((await store.getPlan('big'))?.nodes).toHaveLength(10_000);
  });
});

describe('cache and reuse lookups', () => {
  beforeEach(async () => {
    await store.createRun(newRun('r1', plan('churn', ['load', 'train']), 1000));
    await store.createRun(newRun('r2', plan('churn', ['load', 'train']), 2000));
    await store.createRun(newRun('r3', plan('churn', ['load', 'train']), 3000));
    await store.createRun(newRun('o1', plan('other', ['load', 'train']), 4000));
  });

  it('findByCacheKeys returns, for each key, the most recent task that produced outputs under it', async () => {
    await store.apply([
      taskState('r1', 'load', 100, { state: 'succeeded', attempt: 1, cacheKey: 'k', outputs: tableOutputs(ARTIFACT_A) }),
      taskState('r2', 'load', 200, { state: 'cached', attempt: 0, cacheKey: 'k', outputs: tableOutputs(ARTIFACT_B) }),
      // Later, but without outputs: not a usable cache entry.
      taskState('r3', 'load', 300, { state: 'failed', attempt: 1, cacheKey: 'k', error: { message: 'boom', kind: 'internal' } }),
      taskState('o1', 'load', 250, { state: 'running', attempt: 1, cacheKey: 'k' }),
    ]);
    const hits = await store.findByCacheKeys(['k', 'other-key', 'k']);
    expect(hits.get('k')).toEqual({ runId: 'r2', state: 'cached', outputs: tableOutputs(ARTIFACT_B) });
    expect(hits.has('other-key')).toBe(false);
    expect(hits.size).toBe(1);
    expect(await store.findByCacheKeys([])).toEqual(new Map());
  });

  it('findByCacheKeys ignores a succeeded task that recorded no outputs', async () => {
    await store.apply([taskState('r1', 'load', 100, { state: 'succeeded', attempt: 1, cacheKey: 'k' })]);
    expect(await store.findByCacheKeys(['k'])).toEqual(new Map());
  });

  it('latestOutputs picks the last finished succeeded or cached task of that pipeline node', async () => {
    await store.apply([
      taskState('r1', 'train', 500, { state: 'succeeded', attempt: 1, outputs: tableOutputs(ARTIFACT_A) }),
      // r2 started later but finished earlier: finish time decides.
      taskState('r2', 'train', 400, { state: 'cached', attempt: 0, outputs: tableOutputs(ARTIFACT_B) }),
      taskState('r3', 'train', 900, { state: 'failed', attempt: 1, error: { message: 'x', kind: 'user' } }),
      taskState('o1', 'train', 999, { state: 'succeeded', attempt: 1, outputs: tableOutputs(ARTIFACT_B) }),
    ]);
    expect(await store.latestOutputs('churn', 'train')).toMatchObject({ runId: 'r1', outputs: tableOutputs(ARTIFACT_A) });
    expect(await store.latestOutputs('churn', 'load')).toBeUndefined();
    expect(await store.latestOutputs('nope', 'train')).toBeUndefined();
  });

  it('previousCacheParts returns the latest parts from another run of the same pipeline node', async () => {
    const older: CacheParts = { ...PARTS, params: '{"n":1}' };
    const newer: CacheParts = { ...PARTS, params: '{"n":2}' };
    await store.setCacheParts('r1', 'train', 'k1', older);
    await store.setCacheParts('r2', 'train', 'k2', newer);
    await store.setCacheParts('r3', 'train', 'k3', { ...PARTS, params: 'current run' });
    await store.setCacheParts('o1', 'train', 'k4', { ...PARTS, params: 'other pipeline' });
    await store.apply([
      taskState('r1', 'train', 100, { state: 'succeeded', attempt: 1 }),
      taskState('r2', 'train', 200, { state: 'failed', attempt: 1, error: { message: 'x', kind: 'user' } }),
      taskState('o1', 'train', 900, { state: 'succeeded', attempt: 1 }),
    ]);

    expect(await store.previousCacheParts('churn', ['train', 'load'], 'r3')).toEqual(new Map([['train', newer]]));
    expect(await store.previousCacheParts('churn', ['train'], 'r2')).toEqual(new Map([['train', { ...PARTS, params: 'current run' }]]));
    expect(await store.previousCacheParts('churn', ['load'], 'r3')).toEqual(new Map());

    const task = (await store.getTasks('r2')).find((t) => t.nodeId === 'train');
    expect(task).toMatchObject({ cacheKey: 'k2', cacheParts: newer });
  });

  it('setCacheParts fails clearly for a task that does not exist', async () => {
    await expect(store.setCacheParts('r1', 'ghost', 'k', PARTS)).rejects.toThrow(/"ghost" in run r1/);
  });
});

describe('interrupted runs', () => {
  it('markInterrupted takes over runs whose process is gone and leaves live ones alone', async () => {
    await store.createRun(newRun('dead', plan('p', ['a', 'b', 'c', 'd']), 1000, { pid: 111, host: 'h1' }));
    await store.createRun(newRun('alive', plan('p', ['a', 'b']), 2000, { pid: 222, host: 'h1' }));
    await store.createRun(newRun('done', plan('p', ['a']), 500, { pid: 333, host: 'h1' }));
    await store.apply([
      { type: 'run.finished', runId: 'done', time: 600, state: 'succeeded' },
      taskState('dead', 'a', 10, { state: 'succeeded', attempt: 1, outputs: tableOutputs(ARTIFACT_A) }),
      taskState('dead', 'b', 11, { state: 'running', attempt: 2 }),
      taskState('dead', 'c', 12, { state: 'queued', attempt: 0 }),
      taskState('alive', 'a', 13, { state: 'running', attempt: 1 }),
    ]);

    const asked: string[] = [];
    const interrupted = await store.markInterrupted((pid, host) => {
      asked.push(`${pid}@${host}`);
      return pid === 222;
    });

    expect(interrupted).toEqual(['dead']);
    expect(asked).toEqual(['111@h1', '222@h1']);
    const dead = await store.getRun('dead');
    expect(dead?.state).toBe('interrupted');
    expect(dead && 'finishedAt' in dead).toBe(false);
    expect((await store.getTasks('dead')).map((t) => `${t.nodeId}:${t.state}`)).toEqual(['a:succeeded', 'b:pending', 'c:pending', 'd:pending']);
    const b = (await store.getTasks('dead')).find((t) => t.nodeId === 'b');
    expect(b).toEqual({ runId: 'dead', nodeId: 'b', type: 'test.step', state: 'pending', attempt: 2 });
    expect((await store.getTransitions('dead', 'b')).map((t) => [t.state, t.attempt])).toEqual([
      ['running', 2],
      ['pending', 2],
    ]);
    expect(await store.getTransitions('dead', 'd')).toEqual([]);
    expect((await store.getRun('alive'))?.state).toBe('running');
    expect((await store.getTasks('alive'))[0]?.state).toBe('running');

    // Idempotent: an interrupted run is not taken over twice.
    expect(await store.markInterrupted(() => false)).toEqual(['alive']);
  });

  it('reopenRun resets only tasks that did not produce outputs', async () => {
    await store.createRun(newRun('r', plan('p', ['ok', 'hit', 'bad', 'skip', 'stop', 'wait']), 1000));
    await store.apply([
      taskState('r', 'ok', 10, { state: 'succeeded', attempt: 1, cacheKey: 'k-ok', outputs: tableOutputs(ARTIFACT_A) }),
      taskState('r', 'hit', 11, { state: 'cached', attempt: 0, cacheKey: 'k-hit', outputs: tableOutputs(ARTIFACT_B) }),
      taskState('r', 'bad', 12, { state: 'running', attempt: 1, cacheKey: 'k-bad' }),
      taskState('r', 'bad', 13, { state: 'failed', attempt: 1, error: { message: 'boom', kind: 'internal' } }),
      taskState('r', 'skip', 14, { state: 'skipped', attempt: 0, reason: 'upstream node bad failed' }),
      taskState('r', 'stop', 15, { state: 'cancelled', attempt: 1, error: { message: 'cancelled', kind: 'cancelled' } }),
      { type: 'run.finished', runId: 'r', time: 20, state: 'failed', error: 'node bad failed' },
    ]);
    const before = await store.getTasks('r');

    await store.reopenRun('r', 9999, 'laptop', 100);

    const run = await store.getRun('r');
    expect(run).toMatchObject({ state: 'running', pid: 9999, host: 'laptop', resumes: 1 });
    expect(run && ('finishedAt' in run || 'error' in run)).toBe(false);
    const after = await store.getTasks('r');
    expect(after[0]).toEqual(before[0]);
    expect(after[1]).toEqual(before[1]);
    expect(after.slice(2).map((t) => t.state)).toEqual(['pending', 'pending', 'pending', 'pending']);
    // The failed attempt's leftovers go; its cache key stays as the record of what it ran with.
    expect(after[2]).toEqual({ runId: 'r', nodeId: 'bad', type: 'test.step', state: 'pending', attempt: 1, cacheKey: 'k-bad' });
    expect(after[3]).toEqual({ runId: 'r', nodeId: 'skip', type: 'test.step', state: 'pending', attempt: 0 });
    const resets = (await store.getTransitions('r')).filter((t) => t.time === 100);
    expect(resets.map((t) => t.nodeId)).toEqual(['bad', 'skip', 'stop', 'wait']);
    expect(resets.every((t) => t.state === 'pending')).toBe(true);

    await store.apply([{ type: 'run.finished', runId: 'r', time: 200, state: 'succeeded' }]);
    await store.reopenRun('r', 1, 'laptop', 300);
    expect((await store.getRun('r'))?.resumes).toBe(2);
  });

  it('reopenRun refuses a run that is still running or does not exist', async () => {
    await store.createRun(newRun('r', plan('p', ['a']), 1000, { pid: 7, host: 'box' }));
    await expect(store.reopenRun('r', 8, 'box', 5)).rejects.toThrow(/still running \(pid 7 on box\)/);
    await expect(store.reopenRun('missing', 8, 'box', 5)).rejects.toThrow(/no such run/);
    expect((await store.getRun('r'))?.resumes).toBe(0);
  });
});

describe('listRuns', () => {
  it('lists newest first, ties in insertion order reversed, with filters and a limit', async () => {
    await store.createRun(newRun('a1', plan('a', ['x']), 1000));
    await store.createRun(newRun('b1', plan('b', ['x']), 2000));
    await store.createRun(newRun('a2', plan('a', ['x']), 3000));
    await store.createRun(newRun('a3', plan('a', ['x']), 3000));
    await store.apply([{ type: 'run.finished', runId: 'a2', time: 3500, state: 'succeeded' }]);

    expect((await store.listRuns()).map((r) => r.id)).toEqual(['a3', 'a2', 'b1', 'a1']);
    expect((await store.listRuns({ pipelineId: 'a' })).map((r) => r.id)).toEqual(['a3', 'a2', 'a1']);
    expect((await store.listRuns({ state: 'running' })).map((r) => r.id)).toEqual(['a3', 'b1', 'a1']);
    expect((await store.listRuns({ pipelineId: 'a', state: 'running', limit: 1 })).map((r) => r.id)).toEqual(['a3']);
    expect((await store.listRuns({ limit: 2 })).map((r) => r.id)).toEqual(['a3', 'a2']);
    expect(await store.listRuns({ limit: 0 })).toEqual([]);
    await expect(store.listRuns({ limit: -1 })).rejects.toThrow(/limit/);
  });
});

describe('artifacts', () => {
  it('keeps one row per producing run, node and port', async () => {
    await store.createRun(newRun('r1', plan('p', ['a']), 1000));
    await store.createRun(newRun('r2', plan('p', ['a']), 2000));
    const record = { id: ARTIFACT_A, kind: 'table', bytes: 123, runId: 'r1', nodeId: 'a', port: 'out', createdAt: 1 };
    await store.recordArtifacts([record, { ...record, port: 'other' }]);
    await store.recordArtifacts([record, { ...record, runId: 'r2', createdAt: 2 }]);
    expect(count('SELECT count(*) FROM artifacts WHERE id = ?', ARTIFACT_A)).toBe(3);
    expect(count('SELECT count(*) FROM artifacts WHERE run_id = ?', 'r2')).toBe(1);
  });
});

describe('reading validates what is stored', () => {
  it('rejects a JSON column that does not match its schema, naming the run', async () => {
    await store.createRun(newRun('r1', plan('p', ['a']), 1000));
    const db = rawDb();
    db.prepare(`UPDATE tasks SET outputs = ? WHERE run_id = 'r1'`).run('{"out":{"kind":"table","artifact":"not-a-hash","columns":[],"rows":1}}');
    db.close();
    await expect(store.getTasks('r1')).rejects.toThrow(/task of run r1 does not match its schema/);
  });

  it('rejects malformed JSON text', async () => {
    await store.createRun(newRun('r1', plan('p', ['a']), 1000));
    const db = rawDb();
    db.prepare(`UPDATE runs SET selection = '{not json' WHERE id = 'r1'`).run();
    db.prepare(`UPDATE runs SET plan = '{"format":"wrong"}' WHERE id = 'r1'`).run();
    db.close();
    await expect(store.getRun('r1')).rejects.toThrow(/malformed JSON in selection/);
    await expect(store.getPlan('r1')).rejects.toThrow(/plan of run r1 does not match its schema/);
  });

  it('rejects an unknown task state rather than passing it on', async () => {
    await store.createRun(newRun('r1', plan('p', ['a']), 1000));
    const db = rawDb();
    db.prepare(`UPDATE tasks SET state = 'exploded'`).run();
    db.close();
    await expect(store.getTasks('r1')).rejects.toThrow(/does not match its schema/);
  });
});

describe('the database file', () => {
  it('is created with the latest schema version, in WAL mode, and survives reopening', async () => {
    expect(LATEST_SCHEMA_VERSION).toBe(SQLITE_MIGRATIONS.length);
    await store.createRun(newRun('r1', plan('p', ['a']), 1000));
    await store.apply([taskState('r1', 'a', 5, { state: 'succeeded', attempt: 1, outputs: tableOutputs(ARTIFACT_A) })]);
    const db = rawDb();
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();

    await store.close();
    store = SqliteRunStore.open(dbPath);
    expect((await store.getTasks('r1'))[0]?.state).toBe('succeeded');
  });

  it('refuses a database written by a newer Trellis', async () => {
    await store.close();
    const db = rawDb();
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => SqliteRunStore.open(dbPath)).toThrow(
      new RegExp(`written by a newer Trellis \\(schema version ${LATEST_SCHEMA_VERSION + 1}; this Trellis knows up to ${LATEST_SCHEMA_VERSION}\\)`),
    );
    // Reopen something valid so afterEach has a store to close.
    store = SqliteRunStore.open(join(dir, 'other.sqlite'));
  });

  it('applies only the migrations a database has not had, each once', () => {
    const db = new Database(join(dir, 'm.sqlite'));
    const migrations = [
      { version: 1, description: 'one', sql: 'CREATE TABLE one (x INTEGER)' },
      { version: 2, description: 'two', sql: 'CREATE TABLE two (x INTEGER)' },
    ];
    migrateSchema(db, 'm', migrations.slice(0, 1));
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    migrateSchema(db, 'm', migrations);
    migrateSchema(db, 'm', migrations);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare(`SELECT count(*) FROM sqlite_master WHERE name IN ('one', 'two')`).pluck().get()).toBe(2);
    expect(() => migrateSchema(db, 'm', migrations.slice(0, 1))).toThrow(/newer Trellis/);
    db.close();
  });

  it('rolls a failing migration back entirely', () => {
    const db = new Database(join(dir, 'bad.sqlite'));
    const broken = [
      { version: 1, description: 'ok', sql: 'CREATE TABLE fine (x INTEGER)' },
      { version: 2, description: 'broken', sql: 'CREATE TABLE nope (' },
    ];
    expect(() => migrateSchema(db, 'bad', broken)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'fine'`).pluck().get()).toBe(0);
    expect(() => migrateSchema(db, 'bad', [{ version: 2, description: 'misnumbered', sql: '' }])).toThrow(/versions must run 1, 2, 3/);
    db.close();
  });

  it('waits for another process that holds the write lock instead of failing', async () => {
    await store.createRun(newRun('r1', plan('p', ['a']), 1000));
    // Another process (say the CLI while the app is open) holds the write lock for a moment.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const db = new (require('better-sqlite3'))(${JSON.stringify(dbPath)});
db.exec('BEGIN IMMEDIATE');
process.stdout.write('locked\\n');
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
db.exec('COMMIT');
db.close();`,
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<number | null>((resolve) => holder.on('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('locked')) resolve();
      });
      holder.on('exit', () => reject(new Error('the lock holder exited before taking the lock')));
    });

    await store.apply([taskState('r1', 'a', 5, { state: 'running', attempt: 1 })]);
    expect((await store.getTasks('r1'))[0]?.state).toBe('running');
    expect(await exited).toBe(0);
  });

  it('keeps every committed batch when the writing process is killed', async () => {
    // A real child process that commits, then dies by SIGKILL without closing the database.
    const storeModule = fileURLToPath(new URL('./sqliteRunStore.ts', import.meta.url));
    const script = join(dir, 'writer.mts');
    writeFileSync(
      script,
      `import { SqliteRunStore } from ${JSON.stringify(storeModule)};
const store = SqliteRunStore.open(${JSON.stringify(dbPath)});
const nodes = ['a', 'b'].map((id) => ({ id, type: 't', version: 1, title: id, params: {}, inputs: {}, dependsOn: [],
  retry: { maxAttempts: 1, delayMs: 0, backoff: 1, maxDelayMs: 0, jitter: false }, cache: true, continueOnFailure: false }));
const plan = { format: 'trellis.plan/1' as const, pipelineId: 'k', pipelineName: 'k', pipelineHash: 'hk', params: {}, nodes };
await store.createRun({ id: 'killed', plan, documentJson: '{}', selection: { mode: 'all' }, startedAt: 1, pid: process.pid, host: 'h', baseDir: '/' });
await store.apply([{ type: 'task.state', runId: 'killed', nodeId: 'a', time: 2, state: 'succeeded', attempt: 1 }]);
await store.apply([{ type: 'task.state', runId: 'killed', nodeId: 'b', time: 3, state: 'running', attempt: 1 }]);
process.kill(process.pid, 'SIGKILL');
`,
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: process.cwd(), encoding: 'utf8' });
    expect(child.signal, child.stderr).toBe('SIGKILL');

    const db = rawDb();
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    expect(await store.markInterrupted(() => false)).toEqual(['killed']);
    expect((await store.getTasks('killed')).map((t) => `${t.nodeId}:${t.state}`)).toEqual(['a:succeeded', 'b:pending']);
  });
});
