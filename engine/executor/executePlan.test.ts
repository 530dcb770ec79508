import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeTask } from '../node/computeTask.js';
import { NodeError } from '../node/nodeError.js';
import { NodeRegistry } from '../node/nodeRegistry.js';
import { PipelineDocumentSchema, type PipelineDocumentInput } from '../format/pipelineDocument.js';
import type { RunEvent } from '../run/runEvent.js';
import { hookNodes, type Hook } from '../testing/hookNodes.js';
import { Workspace } from '../workspace/workspace.js';
import type { RunResult } from './executePlan.js';
import { PartialRunError } from './executePlan.js';

type NodeSpec = { id: string; type?: string; label?: string; value?: number; retry?: { maxAttempts: number; delayMs: number; jitter?: boolean }; timeoutMs?: number; continueOnFailure?: boolean; cache?: boolean };

function doc(nodes: NodeSpec[], edges: Array<[string, string]> = []): ReturnType<typeof PipelineDocumentSchema.parse> {
  const input: PipelineDocumentInput = {
    format: 'trellis.pipeline/1',
    id: 'exec-test',
    nodes: nodes.map((n) => ({
      id: n.id,
      type: n.type ?? 'test.hook',
      version: 1,
      params: { label: n.label ?? n.id, value: n.value ?? 0 },
      ...(n.retry ? { retry: { backoff: 1, maxDelayMs: 1000, jitter: false, ...n.retry } } : {}),
      ...(n.timeoutMs ? { timeoutMs: n.timeoutMs } : {}),
      ...(n.continueOnFailure ? { continueOnFailure: true } : {}),
      ...(n.cache === false ? { cache: false } : {}),
    })),
    edges: edges.map(([from, to]) => ({ from, to })),
  };
  return PipelineDocumentSchema.parse(input);
}

let home: string;
let hooks: Record<string, Hook>;
let workspace: Workspace;

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'trellis-exec-'));
  hooks = {};
  workspace = await Workspace.open(home, new NodeRegistry(hookNodes(new Proxy({}, { get: (_, key: string) => hooks[key] }))));
});

afterEach(async () => {
  await workspace.close();
  rmSync(home, { recursive: true, force: true });
});

async function run(document: ReturnType<typeof doc>, options: Parameters<Workspace['runDocument']>[2] = {}): Promise<RunResult> {
  const result = await workspace.runDocument(document, home, options);
  if ('compileErrors' in result) throw new Error(JSON.stringify(result.compileErrors));
  return result;
}

const stateOf = (result: RunResult, id: string): string | undefined => result.tasks.find((t) => t.nodeId === id)?.state;
const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('executePlan', () => {
  it('runs independent nodes in parallel up to the concurrency limit', async () => {
    let running = 0;
    let peak = 0;
    const busy: Hook = async () => {
      peak = Math.max(peak, ++running);
      await delay(60);
      running--;
      return {};
    };
    hooks = { a: busy, b: busy, c: busy, d: busy, e: busy, f: busy };
    const six = doc(['a', 'b', 'c', 'd', 'e', 'f'].map((id) => ({ id })));
    expect((await run(six, { concurrency: 4 })).state).toBe('succeeded');
    expect(peak).toBe(4);
    peak = 0;
    await run(six, { concurrency: 2, noCache: true });
    expect(peak).toBe(2);
  });

  it('passes tables along edges and reuses cached results, saying why a node re-ran', async () => {
    const pipeline = doc([{ id: 'one', type: 'test.table', value: 1 }, { id: 'two', type: 'test.table', value: 2 }, { id: 'sum', type: 'test.table', value: 10 }], [['one.table', 'sum.in'], ['two.table', 'sum.in']]);
    const first = await run(pipeline);
    expect(first.state).toBe('succeeded');
    const sum = first.tasks.find((t) => t.nodeId === 'sum');
    const table = sum?.outputs?.table;
    expect(table?.kind).toBe('table');
    if (table?.kind !== 'table') throw new Error('no table');
    const [row] = await (await import('../data/dataEngine.js')).DataEngine.open(workspace.artifacts).then((d) => d.rows(`SELECT v FROM ${d.from(table)}`));
    expect(row?.v).toBe(13);
    expect(sum?.cache).toEqual({ outcome: 'miss', reason: 'no earlier result for this node' });

    const again = await run(pipeline);
    expect(again.tasks.map((t) => t.state)).toEqual(['cached', 'cached', 'cached']);

    const changed = PipelineDocumentSchema.parse({ ...pipeline, nodes: pipeline.nodes.map((n) => (n.id === 'two' ? { ...n, params: { ...n.params, value: 5 } } : n)) });
    const third = await run(changed);
    expect(stateOf(third, 'one')).toBe('cached');
    expect(third.tasks.find((t) => t.nodeId === 'two')?.cache?.reason).toBe('params changed');
    expect(third.tasks.find((t) => t.nodeId === 'sum')?.cache?.reason).toBe('input "in" changed');

    const off = await run(pipeline, { noCache: true });
    expect(off.tasks.every((t) => t.state === 'succeeded' && t.cache?.outcome === 'off')).toBe(true);
  });

  it('retries with backoff and records every attempt', async () => {
    let calls = 0;
    hooks.flaky = () => {
      calls++;
      if (calls < 3) throw new NodeError(`flake ${calls}`);
      return {};
    };
    const result = await run(doc([{ id: 'flaky', retry: { maxAttempts: 3, delayMs: 10 } }]));
    expect(result.state).toBe('succeeded');
    expect(calls).toBe(3);
    const transitions = await workspace.store.getTransitions(result.runId, 'flaky');
    expect(transitions.map((t) => `${t.state}:${t.attempt}`)).toEqual(['queued:0', 'running:1', 'running:2', 'running:3', 'succeeded:3']);
    const logs = await workspace.store.getLogs(result.runId, 'flaky');
    expect(logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([expect.stringContaining('attempt 1 of 3 failed'), expect.stringContaining('attempt 2 of 3 failed')]);
  });

  it('skips what depends on a failed node, keeps independent branches going, and fails the run', async () => {
    hooks.bad = () => {
      throw new NodeError('bad input', { param: 'value', hint: 'use a positive value' });
    };
    const result = await run(doc([{ id: 'bad' }, { id: 'after' }, { id: 'later' }, { id: 'other' }], [['bad', 'after'], ['after', 'later']]));
    expect(result.state).toBe('failed');
    expect(stateOf(result, 'other')).toBe('succeeded');
    expect(stateOf(result, 'after')).toBe('skipped');
    expect(stateOf(result, 'later')).toBe('skipped');
    const failed = result.tasks.find((t) => t.nodeId === 'bad');
    expect(failed?.error).toMatchObject({ kind: 'user', param: 'value', hint: 'use a positive value' });
    expect(failed?.error?.message).toContain('Node "bad"');
    expect(result.tasks.find((t) => t.nodeId === 'after')?.reason).toBe('upstream node "bad" failed');
  });

  it('runs a node whose only missing inputs are optional, but not one linked by a control edge', async () => {
    hooks.bad = () => {
      throw new NodeError('no data today');
    };
    const result = await run(doc([{ id: 'bad', type: 'test.table' }, { id: 'tolerant', type: 'test.table', value: 7 }, { id: 'strict' }], [['bad.table', 'tolerant.in'], ['bad', 'strict']]));
    expect(stateOf(result, 'bad')).toBe('failed');
    expect(stateOf(result, 'tolerant')).toBe('succeeded');
    expect(stateOf(result, 'strict')).toBe('skipped');
  });

  it('lets a node continue on failure', async () => {
    hooks.bad = () => {
      throw new Error('boom');
    };
    const result = await run(doc([{ id: 'bad', continueOnFailure: true }, { id: 'after' }], [['bad', 'after']]));
    expect(stateOf(result, 'bad')).toBe('failed');
    expect(result.tasks.find((t) => t.nodeId === 'bad')?.error?.kind).toBe('internal');
    expect(stateOf(result, 'after')).toBe('succeeded');
    expect(result.state).toBe('succeeded');
  });

  it('times a node out through its signal', async () => {
    hooks.slow = (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('aborted'))));
    const result = await run(doc([{ id: 'slow', timeoutMs: 100 }]));
    expect(result.tasks[0]?.error?.kind).toBe('timeout');
    expect(result.tasks[0]?.error?.message).toContain('timed out after 100 ms');
  });

  it('stops waiting for a node that ignores its signal', async () => {
    hooks.stubborn = () => new Promise(() => undefined);
    const result = await run(doc([{ id: 'stubborn', timeoutMs: 50 }]));
    expect(result.tasks[0]?.state).toBe('failed');
  });

  it('cancels running work down to child processes and records the run as cancelled', async () => {
    let pid = 0;
    hooks.child = async (ctx) => {
      const started = ctx.spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
      await delay(100);
      pid = Number((await import('node:child_process')).execSync(`pgrep -n -f "setTimeout\\(\\(\\) => \\{\\}, 60000\\)"`).toString().trim());
      await started;
      return {};
    };
    const controller = new AbortController();
    const pending = run(doc([{ id: 'child' }, { id: 'after' }], [['child', 'after']]), { signal: controller.signal });
    await delay(400);
    controller.abort();
    const result = await pending;
    expect(result.state).toBe('cancelled');
    expect(stateOf(result, 'child')).toBe('cancelled');
    expect(stateOf(result, 'after')).toBe('cancelled');
    expect(pid).toBeGreaterThan(0);
    await delay(300);
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('keeps the event loop free while a node computes on a worker thread, and cancels it', async () => {
    const spin = computeTask(import.meta.url, '../testing/spinTask', 'spin');
    let ticks = 0;
    hooks.cpu = async (ctx) => {
      const timer = setInterval(() => ticks++, 20);
      try {
        await ctx.compute(spin, { ms: 600 });
      } finally {
        clearInterval(timer);
      }
      return {};
    };
    hooks.forever = async (ctx) => {
      await ctx.compute(spin, { ms: 60_000 });
      return {};
    };
    expect((await run(doc([{ id: 'cpu' }]))).state).toBe('succeeded');
    expect(ticks).toBeGreaterThanOrEqual(10);

    const controller = new AbortController();
    const pending = run(doc([{ id: 'forever' }]), { signal: controller.signal });
    await delay(500);
    controller.abort();
    expect((await pending).state).toBe('cancelled');
  });

  it('commits every event before listeners hear of it', async () => {
    // A second connection reads the database file directly, synchronously, inside the listener.
    const reader = new Database(join(home, 'trellis.db'), { readonly: true });
    const query = reader.prepare('SELECT state FROM tasks WHERE run_id = ? AND node_id = ?');
    const seen: string[] = [];
    const mismatches: string[] = [];
    const listener = (event: RunEvent): void => {
      if (event.type !== 'task.state') return;
      seen.push(`${event.nodeId}:${event.state}`);
      const row = query.get(event.runId, event.nodeId) as { state: string } | undefined;
      if (!['queued', 'running'].includes(event.state) && row?.state !== event.state) mismatches.push(`${event.nodeId}: event ${event.state}, stored ${row?.state}`);
    };
    const result = await run(doc([{ id: 'a' }, { id: 'b' }, { id: 'c' }], [['a', 'b']]), { listeners: [listener] });
    reader.close();
    expect(mismatches).toEqual([]);
    expect(seen.filter((s) => s.endsWith(':succeeded'))).toHaveLength(3);
    const stored = (await workspace.store.getTransitions(result.runId)).map((t) => `${t.nodeId}:${t.state}`);
    expect(stored).toEqual(seen);
  });

  it('runs from, up to, or only a node, reusing the latest upstream outputs', async () => {
    const counts: Record<string, number> = {};
    const count = (id: string): Hook => () => {
      counts[id] = (counts[id] ?? 0) + 1;
      return {};
    };
    hooks = { a: count('a'), b: count('b'), c: count('c'), d: count('d') };
    const chain = doc([{ id: 'a', type: 'test.table', value: 1 }, { id: 'b', type: 'test.table' }, { id: 'c', type: 'test.table' }, { id: 'd', type: 'test.table' }], [['a.table', 'b.in'], ['b.table', 'c.in'], ['c.table', 'd.in']]);
    await expect(run(chain, { selection: { mode: 'only', node: 'c' } })).rejects.toThrow(PartialRunError);

    const to = await run(chain, { selection: { mode: 'to', node: 'b' } });
    expect(to.tasks.map((t) => t.state)).toEqual(['succeeded', 'succeeded', 'skipped', 'skipped']);
    const from = await run(chain, { selection: { mode: 'from', node: 'c' }, noCache: true });
    expect(from.tasks.map((t) => t.state)).toEqual(['skipped', 'cached', 'succeeded', 'succeeded']);
    const only = await run(chain, { selection: { mode: 'only', node: 'd' }, noCache: true });
    expect(only.tasks.map((t) => t.state)).toEqual(['skipped', 'skipped', 'cached', 'succeeded']);
    expect(counts).toEqual({ a: 1, b: 1, c: 1, d: 2 });
    await expect(run(chain, { selection: { mode: 'only', node: 'nope' } })).rejects.toThrow('There is no node "nope"');
  });

  it('returns the task rows exactly as stored, whatever path each task took', async () => {
    let calls = 0;
    hooks.flaky = () => {
      calls++;
      if (calls < 2) throw new NodeError('flake');
      return {};
    };
    hooks.bad = () => {
      throw new NodeError('bad input', { param: 'value' });
    };
    const pipeline = doc(
      [{ id: 'one', type: 'test.table', value: 1 }, { id: 'flaky', retry: { maxAttempts: 2, delayMs: 5 } }, { id: 'bad' }, { id: 'after' }, { id: 'sum', type: 'test.table', value: 3 }],
      [['bad', 'after'], ['one.table', 'sum.in'], ['flaky', 'sum']],
    );
    const failed = await run(pipeline);
    expect(failed.state).toBe('failed');
    expect(failed.tasks).toEqual(await workspace.store.getTasks(failed.runId));
    hooks.bad = () => ({});
    const resumed = await workspace.resume(failed.runId);
    expect(resumed.state).toBe('succeeded');
    expect(resumed.tasks).toEqual(await workspace.store.getTasks(failed.runId));
    const cached = await run(pipeline);
    expect(cached.tasks.map((t) => t.state)).toContain('cached');
    expect(cached.tasks).toEqual(await workspace.store.getTasks(cached.runId));
    const partial = await run(pipeline, { selection: { mode: 'from', node: 'sum' }, noCache: true });
    expect(partial.tasks).toEqual(await workspace.store.getTasks(partial.runId));
  });

  it('resumes a failed run, re-running only what did not finish', async () => {
    const counts: Record<string, number> = {};
    let broken = true;
    const count = (id: string): Hook => () => {
      counts[id] = (counts[id] ?? 0) + 1;
      if (id === 'c' && broken) throw new NodeError('not yet');
      return {};
    };
    hooks = { a: count('a'), b: count('b'), c: count('c'), d: count('d') };
    const pipeline = doc([{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }], [['a', 'c'], ['b', 'c'], ['c', 'd']]);
    const failed = await run(pipeline);
    expect(failed.state).toBe('failed');
    broken = false;
    const resumed = await workspace.resume(failed.runId);
    expect(resumed.runId).toBe(failed.runId);
    expect(resumed.state).toBe('succeeded');
    expect(counts).toEqual({ a: 1, b: 1, c: 2, d: 1 });
    expect((await workspace.store.getRun(failed.runId))?.resumes).toBe(1);
  });
});
