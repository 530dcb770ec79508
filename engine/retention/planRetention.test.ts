import { describe, expect, it } from 'vitest';
import { planRetention, type RetentionInventory } from './planRetention.js';
import type { RetentionItem } from './retentionPolicy.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 1);
const id = (n: number): string => n.toString(16).padStart(64, '0');

function inventory(parts: Partial<RetentionInventory> = {}): RetentionInventory {
  return { versions: [], partitions: [], productions: [], references: new Map(), lineageOutputs: new Map(), bytes: new Map(), ...parts };
}
const find = (items: RetentionItem[], kind: RetentionItem['kind'], itemId: string): RetentionItem | undefined => items.find((i) => i.kind === kind && i.id === itemId);

describe('planRetention', () => {
  it('keeps the newest N versions and every aliased one, and drops the rest with the reason', () => {
    const versions = [1, 2, 3, 4].map((v) => ({ name: 'churn', version: v, artifact: id(v), createdAt: NOW - (10 - v) * DAY, aliases: v === 1 ? ['champion'] : [] }));
    const items = planRetention(inventory({ versions }), { keepVersions: 2, olderThanMs: 30 * DAY }, NOW);
    expect(['churn@v1', 'churn@v2', 'churn@v3', 'churn@v4'].map((v) => find(items, 'model_version', v)?.action)).toEqual(['keep', 'drop', 'keep', 'keep']);
    expect(find(items, 'model_version', 'churn@v1')?.reasons).toEqual(['alias champion points to it']);
    expect(find(items, 'model_version', 'churn@v4')?.reasons).toEqual(['one of the newest 2 versions of churn']);
    expect(find(items, 'model_version', 'churn@v2')?.reasons[0]).toContain('no alias points to it');
    expect(find(items, 'artifact', id(1))).toMatchObject({ action: 'keep', reasons: ['bundle of churn v1 (alias champion points to it)'] });
    expect(find(items, 'artifact', id(2))).toMatchObject({ action: 'drop' });
  });

  it('never drops what a kept version references, even produced long ago with a horizon of 0', () => {
    const bundle = id(10);
    const transform = id(11);
    const vocabulary = id(12);
    const trainingTable = id(13);
    const old = NOW - 400 * DAY;
    const items = planRetention(
      inventory({
        versions: [{ name: 'churn', version: 1, artifact: bundle, createdAt: old, aliases: ['champion'], lineageRunId: 'run-1' }],
        productions: [bundle, transform, vocabulary, trainingTable].map((artifact, i) => ({ artifact, kind: i === 3 ? 'table' : 'model', runId: 'run-1', runState: 'succeeded', nodeId: `n${i}`, createdAt: old })),
        lineageOutputs: new Map([['run-1', [bundle, transform]]]),
        // The transform names a vocabulary artifact: kept through the chain.
        references: new Map([[transform, [vocabulary]]]),
      }),
      { keepVersions: 0, olderThanMs: 0 },
      NOW,
    );
    expect(find(items, 'model_version', 'churn@v1')?.action).toBe('keep');
    expect(find(items, 'artifact', bundle)?.action).toBe('keep');
    expect(find(items, 'artifact', transform)?.reasons).toContain('model or transform output of run run-1, which trained churn v1');
    expect(find(items, 'artifact', vocabulary)?.action).toBe('keep');
    expect(find(items, 'artifact', vocabulary)?.reasons[0]).toMatch(/^referenced by kept artifact/);
    expect(find(items, 'artifact', trainingTable)).toMatchObject({ action: 'drop' });
    expect(find(items, 'artifact', trainingTable)?.reasons.at(-1)).toBe('nothing kept references it');
  });

  it('keeps outputs of runs that may still resume, and anything produced within the horizon', () => {
    const productions = [
      { artifact: id(1), kind: 'table', runId: 'waits', runState: 'waiting', nodeId: 'a', createdAt: NOW - 90 * DAY },
      { artifact: id(2), kind: 'table', runId: 'died', runState: 'interrupted', nodeId: 'a', createdAt: NOW - 90 * DAY },
      { artifact: id(3), kind: 'table', runId: 'new', runState: 'succeeded', nodeId: 'a', createdAt: NOW - 2 * DAY },
      { artifact: id(4), kind: 'table', runId: 'old', runState: 'failed', nodeId: 'a', createdAt: NOW - 90 * DAY },
      // The same content produced again recently: the recent production keeps it.
      { artifact: id(5), kind: 'table', runId: 'old', runState: 'succeeded', nodeId: 'b', createdAt: NOW - 90 * DAY },
      { artifact: id(5), kind: 'table', runId: 'new', runState: 'succeeded', nodeId: 'b', createdAt: NOW - DAY },
    ];
    const items = planRetention(inventory({ productions, bytes: new Map([[id(4), 1234]]) }), { keepVersions: 1, olderThanMs: 30 * DAY }, NOW);
    expect([1, 2, 3, 4, 5].map((n) => find(items, 'artifact', id(n))?.action)).toEqual(['keep', 'keep', 'keep', 'drop', 'keep']);
    expect(find(items, 'artifact', id(1))?.reasons[0]).toContain('which is waiting and may still need it');
    expect(find(items, 'artifact', id(4))).toMatchObject({ bytes: 1234, label: 'table from run old node a' });
  });

  it('drops feature partitions older than the horizon, and their data unless another kept thing uses it', () => {
    const shared = id(7);
    const items = planRetention(
      inventory({
        partitions: [
          { id: 1, featureSet: 'customers', artifact: id(6), createdAt: NOW - 60 * DAY },
          { id: 2, featureSet: 'customers', artifact: shared, createdAt: NOW - 60 * DAY },
          { id: 3, featureSet: 'customers', artifact: shared, createdAt: NOW - DAY },
        ],
      }),
      { keepVersions: 1, olderThanMs: 30 * DAY },
      NOW,
    );
    expect(['1', '2', '3'].map((p) => find(items, 'partition', p)?.action)).toEqual(['drop', 'drop', 'keep']);
    expect(find(items, 'artifact', id(6))?.action).toBe('drop');
    expect(find(items, 'artifact', shared)).toMatchObject({ action: 'keep', reasons: ['data of partition 3 of customers'] });
  });
});
