import { beforeEach, describe, expect, it } from 'vitest';
import { sampleDocument } from '../model/testing/fixtures.js';
import { currentDocument, openDocument, undoEdit, useDocumentStore } from './documentStore.js';
import { dragEnd, dragMove, useDragStore } from './dragStore.js';

describe('dragging nodes', () => {
  beforeEach(() => {
    openDocument(sampleDocument(), { kind: 'new', label: 'test' });
    useDragStore.setState({ moving: null });
  });

  it('leaves the document alone while the pointer moves', () => {
    const before = useDocumentStore.getState();
    dragMove({ load: { x: 10, y: 0 } });
    dragMove({ load: { x: 20, y: 5 } });
    expect(useDocumentStore.getState()).toBe(before);
    expect(useDragStore.getState().moving).toEqual({ load: { x: 20, y: 5 } });
  });

  it('puts the final positions in the document as one undo step', () => {
    dragMove({ load: { x: 10, y: 0 }, train: { x: 300, y: 40 } });
    dragEnd({ load: { x: 20.4, y: 5 } });
    expect(useDragStore.getState().moving).toBeNull();
    expect(currentDocument().ui?.nodes?.load).toEqual({ x: 20, y: 5 });
    expect(currentDocument().ui?.nodes?.train).toEqual({ x: 300, y: 40 });
    expect(useDocumentStore.getState().history.past).toHaveLength(1);
    undoEdit();
    expect(currentDocument().ui?.nodes?.load).toEqual({ x: 0, y: 0 });
  });

  it('records nothing for a drag that ends where it started', () => {
    dragMove({ load: { x: 10, y: 0 } });
    dragEnd({ load: { x: 0, y: 0 } });
    expect(useDocumentStore.getState().history.past).toHaveLength(0);
  });
});
