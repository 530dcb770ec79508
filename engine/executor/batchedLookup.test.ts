import { describe, expect, it } from 'vitest';
import { BatchedLookup } from './batchedLookup.js';

describe('BatchedLookup', () => {
  it('looks up the keys asked for in one turn together, each once', async () => {
    const calls: string[][] = [];
    const lookup = new BatchedLookup<string, number>(async (keys) => {
      calls.push(keys);
      return new Map(keys.filter((k) => k !== 'none').map((k) => [k, k.length]));
    });
    const answers = await Promise.all([lookup.get('a'), lookup.get('bb'), lookup.get('a'), lookup.get('none')]);
    expect(answers).toEqual([1, 2, 1, undefined]);
    expect(calls).toEqual([['a', 'bb', 'none']]);
    expect(await lookup.get('ccc')).toBe(3);
    expect(calls).toHaveLength(2);
  });

  it('rejects every waiter of a batch whose lookup failed, and keeps working after', async () => {
    let fail = true;
    const lookup = new BatchedLookup<string, string>(async (keys) => {
      if (fail) throw new Error('database is locked');
      return new Map(keys.map((k) => [k, k]));
    });
    const results = await Promise.allSettled([lookup.get('a'), lookup.get('b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await lookup.get('c')).toBe('c');
  });
});
