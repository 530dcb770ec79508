import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PipelineDocumentSchema } from '../format/pipelineDocument.js';
import type { TriggerRule } from '../format/triggerRule.js';
import { z } from 'zod';
import { defineNode } from '../node/nodeDefinition.js';
import { NodeError } from '../node/nodeError.js';
import { NodeRegistry } from '../node/nodeRegistry.js';
import { hookNodes, type Hook } from '../testing/hookNodes.js';
import { Workspace } from '../workspace/workspace.js';
import type { RunResult } from './executePlan.js';

/** A node with a required input, to show that no trigger rule runs a node without one. */
const needs = defineNode({
  type: 'test.needs',
  version: 1,
  title: 'Needs a table',
  category: 'debug',
  description: 'Takes one required table.',
  inputs: [{ name: 'in', type: 'table' }],
  outputs: [],
  params: z.object({}),
  execute: async () => ({}),
});

let home: string;
let hooks: Record<string, Hook>;
let workspace: Workspace;

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'trellis-rules-'));
  hooks = {};
  workspace = await Workspace.open(home, new NodeRegistry([...hookNodes(new Proxy({}, { get: (_, key: string) => hooks[key] })), needs]));
});
afterEach(async () => {
  await workspace.close();
  rmSync(home, { recursive: true, force: true });
});

const failing = (): never => {
  throw new NodeError('it broke');
};

/** Hook nodes linked by control edges; `rules` gives some of them a trigger rule. */
async function run(ids: string[], edges: Array<[string, string]>, rules: Record<string, TriggerRule> = {}): Promise<RunResult> {
  const document = PipelineDocumentSchema.parse({
    format: 'trellis.pipeline/1',
    id: 'rules',
    nodes: ids.map((id) => ({ id, type: 'test.hook', version: 1, params: { label: id }, ...(rules[id] ? { triggerRule: rules[id] } : {}) })),
    edges: edges.map(([from, to]) => ({ from, to })),
  });
  const result = await workspace.runDocument(document, home);
  if ('compileErrors' in result) throw new Error(JSON.stringify(result.compileErrors));
  return result;
}
const task = (result: RunResult, id: string) => result.tasks.find((t) => t.nodeId === id);

describe('trigger rules', () => {
  it('runs an all_done cleanup node after a failure, while an all_succeeded sibling is skipped', async () => {
    hooks.train = failing;
    const result = await run(['load', 'train', 'report', 'cleanup'], [['load', 'train'], ['train', 'report'], ['train', 'cleanup'], ['load', 'cleanup']], { cleanup: 'all_done' });
    expect(result.state).toBe('failed');
    expect(task(result, 'report')).toMatchObject({ state: 'skipped', reason: 'upstream node "train" failed' });
    expect(task(result, 'cleanup')?.state).toBe('succeeded');
  });

  it('takes the one_failed alert path only when something failed', async () => {
    hooks.b = failing;
    const failed = await run(['a', 'b', 'alert'], [['a', 'alert'], ['b', 'alert']], { alert: 'one_failed' });
    expect(task(failed, 'alert')?.state).toBe('succeeded');

    hooks = {};
    const fine = await run(['a', 'b', 'alert'], [['a', 'alert'], ['b', 'alert']], { alert: 'one_failed' });
    expect(fine.state).toBe('succeeded');
    expect(task(fine, 'alert')).toMatchObject({ state: 'skipped', reason: 'trigger rule one_failed: no upstream failed (upstream 2 succeeded)' });
  });

  it('joins after a skipped path with none_failed and one_succeeded, but not with all_succeeded', async () => {
    hooks.bad = failing;
    // bad fails (continueOnFailure is not set, so the run fails); mid is skipped because of it.
    const result = await run(
      ['bad', 'mid', 'ok', 'strict', 'lenient', 'any'],
      [['bad', 'mid'], ['mid', 'strict'], ['ok', 'strict'], ['mid', 'lenient'], ['ok', 'lenient'], ['mid', 'any'], ['ok', 'any']],
      { lenient: 'none_failed', any: 'one_succeeded' },
    );
    expect(task(result, 'mid')?.state).toBe('skipped');
    expect(task(result, 'strict')).toMatchObject({ state: 'skipped', reason: 'upstream node "mid" was skipped' });
    expect(task(result, 'lenient')?.state).toBe('succeeded');
    expect(task(result, 'any')?.state).toBe('succeeded');
  });

  it('skips a node whose control edge comes from a failed node, even when its data from that node is optional', async () => {
    hooks.src = failing;
    const document = (control: boolean) => PipelineDocumentSchema.parse({
      format: 'trellis.pipeline/1',
      id: 'gated',
      nodes: [{ id: 'src', type: 'test.table', version: 1, params: { label: 'src' } }, { id: 'use', type: 'test.table', version: 1, params: { label: 'use' } }],
      edges: [{ from: 'src.table', to: 'use.in' }, ...(control ? [{ from: 'src', to: 'use' }] : [])],
    });
    const gated = await workspace.runDocument(document(true), home);
    if ('compileErrors' in gated) throw new Error(JSON.stringify(gated.compileErrors));
    expect(task(gated, 'use')).toMatchObject({ state: 'skipped', reason: 'upstream node "src" failed' });
    // Without the control edge the optional input is simply empty and the node runs.
    const open = await workspace.runDocument(document(false), home);
    if ('compileErrors' in open) throw new Error(JSON.stringify(open.compileErrors));
    expect(task(open, 'use')?.state).toBe('succeeded');
  });

  it('skips a none_failed node as soon as an upstream fails, and an always node still runs', async () => {
    hooks.bad = failing;
    const result = await run(['bad', 'ok', 'guard', 'finally'], [['bad', 'guard'], ['ok', 'guard'], ['bad', 'finally']], { guard: 'none_failed', finally: 'always' });
    expect(task(result, 'guard')).toMatchObject({ state: 'skipped', reason: 'trigger rule none_failed: upstream 1 failed' });
    expect(task(result, 'finally')?.state).toBe('succeeded');
  });

  it('skips a node whose required input has no value even when its rule lets it run', async () => {
    hooks.bad = failing;
    const document = PipelineDocumentSchema.parse({
      format: 'trellis.pipeline/1',
      id: 'rules',
      nodes: [
        { id: 'bad', type: 'test.table', version: 1, params: { label: 'bad' } },
        { id: 'use', type: 'test.needs', version: 1, params: {}, triggerRule: 'all_done' },
      ],
      edges: [{ from: 'bad.table', to: 'use.in' }],
    });
    const result = await workspace.runDocument(document, home);
    if ('compileErrors' in result) throw new Error(JSON.stringify(result.compileErrors));
    expect(task(result, 'use')?.state).toBe('skipped');
    expect(task(result, 'use')?.reason).toContain('no value for input in');
  });
});
