import { describe, expect, it } from 'vitest';
import { record, redo, replacePresent, startHistory, undo } from './history.js';

describe('undo history', () => {
  it('undoes and redoes in order; a new edit drops the redo branch', () => {
    let h = startHistory('a');
    h = record(h, 'b');
    h = record(h, 'c');
    h = undo(h);
    expect(h.present).toBe('b');
    h = undo(h);
    expect(h.present).toBe('a');
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe('b');
    h = record(h, 'd');
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
    expect(undo(h).present).toBe('b');
  });

  it('records nothing for an edit that changed nothing', () => {
    const h = startHistory({ n: 1 });
    expect(record(h, h.present)).toBe(h);
  });

  it('keeps at most the limit of snapshots', () => {
    let h = startHistory(0);
    for (let i = 1; i <= 10; i++) h = record(h, i, 3);
    expect(h.past).toEqual([7, 8, 9]);
  });

  it('replaces the present without an undo step (keystrokes of one field)', () => {
    let h = record(startHistory('start'), 'typed a');
    h = replacePresent(h, 'typed ab');
    expect(h.present).toBe('typed ab');
    expect(undo(h).present).toBe('start');
  });
});
