import { beforeEach, describe, expect, it } from 'vitest';
import { setParam } from '../model/documentEdits.js';
import { sampleDocument } from '../model/testing/fixtures.js';
import { currentDocument, editDocument, isDirty, markSaved, openDocument, redoEdit, undoEdit, useDocumentStore } from './documentStore.js';

describe('document store', () => {
  beforeEach(() => openDocument(sampleDocument(), { kind: 'new', label: 'test' }));

  it('opens a document with a fresh history and counts the opening', () => {
    const epoch = useDocumentStore.getState().epoch;
    openDocument(sampleDocument(), { kind: 'example', label: 'x' });
    const state = useDocumentStore.getState();
    expect(state.epoch).toBe(epoch + 1);
    expect(state.history.past).toEqual([]);
    expect(state.saved).toBe(state.history.present);
  });

  it('merges quick edits of one field into one undo step, but not edits of different fields', () => {
    editDocument((d) => setParam(d, 'train', 'seed', 1), 'param:train:seed');
    editDocument((d) => setParam(d, 'train', 'seed', 12), 'param:train:seed');
    editDocument((d) => setParam(d, 'train', 'seed', 123), 'param:train:seed');
    editDocument((d) => setParam(d, 'train', 'target', 'y'), 'param:train:target');
    expect(useDocumentStore.getState().history.past).toHaveLength(2);
    undoEdit();
    expect(currentDocument().nodes[1]?.params.seed).toBe(123);
    undoEdit();
    expect(currentDocument().nodes[1]?.params.seed).toBeUndefined();
    redoEdit();
    expect(currentDocument().nodes[1]?.params.seed).toBe(123);
  });

  it('records no step for an edit that changes nothing', () => {
    editDocument((d) => setParam(d, 'load', 'dataset', 'iris'));
    expect(useDocumentStore.getState().history.past).toHaveLength(0);
  });

  it('is dirty after an edit and clean again when undone back to the saved document or saved', () => {
    expect(isDirty(useDocumentStore.getState())).toBe(false);
    editDocument((d) => setParam(d, 'load', 'dataset', 'titanic'));
    expect(isDirty(useDocumentStore.getState())).toBe(true);
    undoEdit();
    expect(isDirty(useDocumentStore.getState())).toBe(false);
    redoEdit();
    markSaved(currentDocument());
    expect(isDirty(useDocumentStore.getState())).toBe(false);
  });
});
