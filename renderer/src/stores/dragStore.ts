import { create } from 'zustand';
import { moveNodes, type XY } from '../model/documentEdits.js';
import { editDocument } from './documentStore.js';

export interface DragState {
  /** Where the pointer has the nodes being dragged (canvas coordinates); null when none is. */
  moving: Readonly<Record<string, XY>> | null;
}

/**
 * A drag in progress, kept apart from the document: a pointer move redraws the dragged nodes
 * only, and the document (its subscribers, its history) changes once, when the drag ends. Its
 * own store, because every subscriber of the document or UI store would run on each move.
 */
export const useDragStore = create<DragState>()(() => ({ moving: null }));

/** The dragged nodes moved (React Flow reports every pointer move of a drag). */
export function dragMove(positions: Readonly<Record<string, XY>>): void {
  if (Object.keys(positions).length === 0) return;
  useDragStore.setState((s) => ({ moving: { ...s.moving, ...positions } }));
}

/**
 * The nodes came to rest: these final positions, and any dragged node not among them, become
 * the document's layout in one undoable edit.
 */
export function dragEnd(final: Readonly<Record<string, XY>> = {}): void {
  const positions = { ...useDragStore.getState().moving, ...final };
  useDragStore.setState({ moving: null });
  editDocument((d) => moveNodes(d, positions));
}
