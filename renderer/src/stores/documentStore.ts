import { create } from 'zustand';
import type { Diagnostic, PipelineDocument } from '../api/contract.js';
import { emptyDocument } from '../model/documentEdits.js';
import { record, redo, replacePresent, startHistory, undo, type History } from '../model/history.js';

/** Where the open document came from, for the title bar and for Save. */
export interface DocumentOrigin {
  kind: 'new' | 'workspace' | 'example' | 'file' | 'import' | 'run';
  label: string;
}

export interface DocumentState {
  history: History<PipelineDocument>;
  /** The document as last loaded or saved, to tell whether there are unsaved changes. */
  saved: PipelineDocument;
  origin: DocumentOrigin;
  /** Diagnostics of `validated` (the engine answers for one document at a time). */
  diagnostics: Diagnostic[];
  validated: PipelineDocument | null;
  /** Counts documents opened (not edits): the canvas fits the view to each new one. */
  epoch: number;
}

const initial = emptyDocument();

/** The document domain: the pipeline being edited and its history. Change it only through the functions below. */
export const useDocumentStore = create<DocumentState>()(() => ({
  history: startHistory(initial),
  saved: initial,
  origin: { kind: 'new', label: 'new pipeline' },
  diagnostics: [],
  validated: null,
  epoch: 0,
}));

/** Whether the document differs from what was last opened or saved (undoing back to it counts as clean). */
export function isDirty(state: DocumentState): boolean {
  return state.history.present !== state.saved;
}

export function currentDocument(): PipelineDocument {
  return useDocumentStore.getState().history.present;
}

/** Replaces the document (open, new, import): a fresh history. */
export function openDocument(document: PipelineDocument, origin: DocumentOrigin): void {
  useDocumentStore.setState((s) => ({ history: startHistory(document), saved: document, origin, diagnostics: [], validated: null, epoch: s.epoch + 1 }));
}

/** Edits of the same field within this time make one undo step (typing a word is one step). */
const COALESCE_MS = 1500;
let lastEdit: { key: string; time: number } | null = null;

/**
 * One undoable edit, through a pure helper of model/documentEdits.ts. Edits that pass the same
 * `coalesce` key in quick succession (keystrokes in one field) replace each other's undo step.
 */
export function editDocument(edit: (document: PipelineDocument) => PipelineDocument, coalesce?: string): void {
  const now = Date.now();
  const merge = coalesce !== undefined && lastEdit?.key === coalesce && now - lastEdit.time < COALESCE_MS;
  useDocumentStore.setState((s) => {
    const next = edit(s.history.present);
    if (next === s.history.present) return s;
    lastEdit = coalesce !== undefined ? { key: coalesce, time: now } : null;
    return { history: merge && s.history.past.length > 0 ? replacePresent(s.history, next) : record(s.history, next) };
  });
}

export function undoEdit(): void {
  lastEdit = null;
  useDocumentStore.setState((s) => ({ history: undo(s.history) }));
}

export function redoEdit(): void {
  lastEdit = null;
  useDocumentStore.setState((s) => ({ history: redo(s.history) }));
}

export function markSaved(document: PipelineDocument, origin?: DocumentOrigin): void {
  useDocumentStore.setState(origin ? { saved: document, origin } : { saved: document });
}

export function setDiagnostics(document: PipelineDocument, diagnostics: Diagnostic[]): void {
  useDocumentStore.setState({ validated: document, diagnostics });
}
