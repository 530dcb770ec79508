import { create } from 'zustand';
import type { CatalogEntry } from '../api/contract.js';
import { EMPTY_CATALOG, indexCatalog, type CatalogIndex } from '../model/catalogIndex.js';
import type { Fragment } from '../model/clipboard.js';

export type BottomTab = 'problems' | 'logs' | 'output' | 'runs';
export type DialogName = 'import' | 'pipelines' | 'export-server' | 'pipeline-settings' | 'run-params' | null;

/** The app's top-level views: the canvas editor (default), a pipeline's KPI dashboard, the model registry, the approvals inbox. */
export type ViewName = 'canvas' | 'dashboard' | 'models' | 'approvals';

/** A question the confirmation dialog asks; `answer` settles the promise `askConfirmation` returned. */
export interface ConfirmRequest {
  /** Tells one question from the next, even when they read the same. */
  id: number;
  title: string;
  message: string;
  /** What will change, set apart in the dialog (e.g. `champion: v3 → v2`). */
  change?: string;
  confirmLabel: string;
  danger?: boolean;
  /** Ask for a reason too (required); it is handed back with the answer. */
  askReason?: boolean;
  answer: (result: ConfirmResult) => void;
}
export type ConfirmResult = { confirmed: true; reason: string } | { confirmed: false };

export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  message: string;
}

export interface UiState {
  catalog: CatalogIndex;
  selectedNodes: string[];
  selectedEdges: string[];
  toast: Toast | null;
  bottomTab: BottomTab;
  bottomOpen: boolean;
  dialog: DialogName;
  helpOpen: boolean;
  contextMenu: { nodeId: string; x: number; y: number } | null;
  clipboard: Fragment | null;
  /** Pastes since the last copy: each one lands a little further down and right. */
  pasteCount: number;
  /** A node the canvas should centre on (a clicked problem); the nonce repeats a request. */
  focusRequest: { nodeId: string; nonce: number } | null;
  eventsStatus: 'connecting' | 'open' | 'closed';
  view: ViewName;
  confirmation: ConfirmRequest | null;
}

/** The UI domain: selection, panels, dialogs, messages. */
export const useUiStore = create<UiState>()(() => ({
  catalog: EMPTY_CATALOG,
  selectedNodes: [],
  selectedEdges: [],
  toast: null,
  bottomTab: 'problems',
  bottomOpen: true,
  dialog: null,
  helpOpen: false,
  contextMenu: null,
  clipboard: null,
  pasteCount: 0,
  focusRequest: null,
  eventsStatus: 'connecting',
  view: 'canvas',
  confirmation: null,
}));

let toastIds = 0;
const TOAST_MS = { info: 4000, success: 3000, error: 9000 } as const;

/** Shows a message in the status line; errors stay longer. */
export function showToast(kind: Toast['kind'], message: string): void {
  const id = ++toastIds;
  useUiStore.setState({ toast: { id, kind, message } });
  window.setTimeout(() => {
    if (useUiStore.getState().toast?.id === id) useUiStore.setState({ toast: null });
  }, TOAST_MS[kind]);
}

export function dismissToast(): void {
  useUiStore.setState({ toast: null });
}

export function setCatalog(entries: CatalogEntry[]): void {
  useUiStore.setState({ catalog: indexCatalog(entries) });
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function select(nodes: string[], edges: string[] = []): void {
  useUiStore.setState((s) => (sameList(s.selectedNodes, nodes) && sameList(s.selectedEdges, edges) ? s : { selectedNodes: nodes, selectedEdges: edges }));
}

export function setBottomTab(tab: BottomTab): void {
  useUiStore.setState({ bottomTab: tab, bottomOpen: true });
}

export function toggleBottomPanel(): void {
  useUiStore.setState((s) => ({ bottomOpen: !s.bottomOpen }));
}

export function openDialog(dialog: DialogName): void {
  useUiStore.setState({ dialog, contextMenu: null });
}

export function setHelpOpen(open: boolean): void {
  useUiStore.setState({ helpOpen: open });
}

export function openContextMenu(nodeId: string, x: number, y: number): void {
  useUiStore.setState({ contextMenu: { nodeId, x, y } });
}

export function closeContextMenu(): void {
  useUiStore.setState((s) => (s.contextMenu ? { contextMenu: null } : s));
}

export function setClipboard(fragment: Fragment): void {
  useUiStore.setState({ clipboard: fragment, pasteCount: 0 });
}

export function nextPasteCount(): number {
  const count = useUiStore.getState().pasteCount + 1;
  useUiStore.setState({ pasteCount: count });
  return count;
}

export function requestFocus(nodeId: string): void {
  useUiStore.setState((s) => ({ focusRequest: { nodeId, nonce: (s.focusRequest?.nonce ?? 0) + 1 }, selectedNodes: [nodeId], selectedEdges: [] }));
}

export function setEventsStatus(status: UiState['eventsStatus']): void {
  useUiStore.setState({ eventsStatus: status });
}

export function setView(view: ViewName): void {
  useUiStore.setState((s) => (s.view === view ? s : { view, contextMenu: null }));
}

/**
 * Asks the user through the confirmation dialog (never window.confirm, which blocks the page and
 * cannot be styled or tested). A second question while one is open answers the first with "no".
 */
let confirmIds = 0;

export function askConfirmation(request: Omit<ConfirmRequest, 'answer' | 'id'>): Promise<ConfirmResult> {
  useUiStore.getState().confirmation?.answer({ confirmed: false });
  return new Promise((resolve) => {
    const answer = (result: ConfirmResult): void => {
      if (useUiStore.getState().confirmation?.answer === answer) useUiStore.setState({ confirmation: null });
      resolve(result);
    };
    useUiStore.setState({ confirmation: { ...request, id: ++confirmIds, answer }, contextMenu: null });
  });
}
