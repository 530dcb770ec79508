import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  getViewportForBounds,
  useReactFlow,
  useStoreApi,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type OnDelete,
  type Viewport,
} from '@xyflow/react';
import { startTransition, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent, type MouseEvent as ReactMouseEvent, type ReactElement } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { addNodeOfType, connect, deleteElements } from '../actions/editActions.js';
import { entryFor } from '../model/catalogIndex.js';
import { moveNodes, type XY } from '../model/documentEdits.js';
import { editDocument, useDocumentStore } from '../stores/documentStore.js';
import { dragEnd, dragMove, useDragStore } from '../stores/dragStore.js';
import { closeRunView, shownRun, useRunStore } from '../stores/runStore.js';
import { closeContextMenu, openContextMenu, select, useUiStore } from '../stores/uiStore.js';
import { flowEdges, flowNodes, nodesBounds, withMoving, type PipelineFlowEdge, type PipelineFlowNode, type Size } from './flowElements.js';
import { nodeTypes } from './nodeTypes.js';
import { NODE_TYPE_MIME } from './paletteDrag.js';

const STATE_COLORS: Readonly<Record<string, string>> = {
  succeeded: '#1f9d55',
  cached: '#0e8a9a',
  failed: '#d93025',
  running: '#2f6fd0',
  queued: '#7fa7e0',
  skipped: '#c2c7ce',
  cancelled: '#d9822b',
  pending: '#dfe3e8',
};

/**
 * The canvas unmounts while another view (dashboard, models) shows; coming back restores the
 * viewport it had, and fits the view only when another document or run was opened meanwhile.
 */
const remembered: { viewport?: Viewport; fitted?: string } = {};

const FIT = { padding: 0.2, maxZoom: 1.2 } as const;
const MIN_ZOOM = 0.1;
// Props of React Flow made once: a new array or object on every render (a drag re-renders the
// canvas on each pointer move) makes React Flow update its store or listeners for nothing.
const DELETE_KEYS = ['Delete', 'Backspace'];
const MULTI_SELECT_KEYS = ['Control', 'Meta'];
const PRO_OPTIONS = { hideAttribution: true };

/** The canvas: a view of the document (or of a past run's document, read-only). */
export function Canvas(): ReactElement {
  const editable = useDocumentStore((s) => s.history.present);
  const epoch = useDocumentStore((s) => s.epoch);
  const viewing = useRunStore((s) => s.viewing);
  const document = viewing?.document ?? editable;
  const readOnly = viewing !== null;
  const catalog = useUiStore((s) => s.catalog);
  const [selectedNodes, selectedEdges] = useUiStore(useShallow((s) => [s.selectedNodes, s.selectedEdges]));
  const running = useRunStore(useShallow((s) => Object.entries(shownRun(s)?.tasks ?? {}).flatMap(([id, t]) => (t.state === 'running' ? [id] : []))));
  const taskStates = useRunStore(useShallow((s) => Object.fromEntries(Object.entries(shownRun(s)?.tasks ?? {}).map(([id, t]) => [id, t.state]))));
  const focusRequest = useUiStore((s) => s.focusRequest);
  const flow = useReactFlow<PipelineFlowNode, PipelineFlowEdge>();

  const previous = useRef(new Map<string, PipelineFlowNode>());
  // Sizes React Flow measured, handed back on the nodes: React Flow forgets the size of (and
  // hides again) a node handed over as a new object without one, and the minimap draws a node
  // only once its own object has a size. Bumped once per batch of measurements; the node views
  // themselves are not re-rendered for it (their `data` stays the same object).
  const measured = useRef(new Map<string, Size>());
  const [sizesVersion, setSizesVersion] = useState(0);
  const placed = useMemo(() => {
    const list = flowNodes(document, { previous: previous.current, selected: new Set(selectedNodes), measured: measured.current, draggable: !readOnly });
    previous.current = new Map(list.map((n) => [n.id, n]));
    return list;
    // sizesVersion stands for the contents of `measured`, a ref.
  }, [document, selectedNodes, readOnly, sizesVersion]);
  // Where the pointer has the dragged nodes: the document takes their positions once, when the
  // drag ends (one undo step, one store update), not on every pointer move.
  const moving = useDragStore((s) => s.moving);
  const nodes = useMemo(() => withMoving(placed, moving), [placed, moving]);

  // Edges depend on the graph, not the layout: moving a node leaves every edge object as it was.
  const previousEdges = useRef(new Map<string, PipelineFlowEdge>());
  const graphNodes = document.nodes;
  const graphEdges = document.edges;
  const edges = useMemo(() => {
    const runningSet = new Set(running);
    const byId = new Map(graphNodes.map((n) => [n.id, n]));
    const list = flowEdges(
      { edges: graphEdges },
      {
        previous: previousEdges.current,
        selected: new Set(selectedEdges),
        portType: (nodeId, port) => {
          const node = byId.get(nodeId);
          return node ? entryFor(catalog, node.type, node.version)?.outputs.find((p) => p.name === port)?.type : undefined;
        },
        animated: (target) => runningSet.has(target),
        deletable: !readOnly,
      },
    );
    previousEdges.current = new Map(list.map((e) => [e.id, e]));
    return list;
  }, [graphNodes, graphEdges, selectedEdges, running, catalog, readOnly]);

  // A newly opened document (or run) is fitted into view. The view is set from the stored layout
  // before React Flow draws a node, so the nodes are drawn once, where they will be seen (drawing
  // them at the old view first, then again after a fit, doubles the cost of opening a large
  // pipeline); once React Flow has measured them, a fit with the real sizes corrects it.
  const store = useStoreApi<PipelineFlowNode, PipelineFlowEdge>();
  const fitKey = `${epoch}:${viewing?.runId ?? ''}`;
  useLayoutEffect(() => {
    if (remembered.fitted === fitKey) return;
    const { width, height } = store.getState();
    const bounds = nodesBounds(nodes);
    if (bounds && width > 0 && height > 0) void flow.setViewport(getViewportForBounds(bounds, width, height, MIN_ZOOM, FIT.maxZoom, FIT.padding));
    // Only for a newly opened document (or run), not on later edits of it: hence fitKey alone.
  }, [fitKey]);
  useEffect(() => {
    if (remembered.fitted === fitKey) return;
    const timer = window.setTimeout(() => {
      remembered.fitted = fitKey;
      void flow.fitView(FIT);
    }, 60);
    return () => window.clearTimeout(timer);
  }, [fitKey, flow]);
  useEffect(
    () => () => {
      remembered.viewport = flow.getViewport();
    },
    [flow],
  );

  useEffect(() => {
    if (!focusRequest) return;
    const node = flow.getNode(focusRequest.nodeId);
    if (!node) return;
    const width = node.measured?.width ?? 220;
    const height = node.measured?.height ?? 100;
    void flow.setCenter(node.position.x + width / 2, node.position.y + height / 2, { zoom: Math.max(flow.getZoom(), 1), duration: 300 });
  }, [focusRequest, flow]);

  const onNodesChange = useCallback(
    (changes: NodeChange<PipelineFlowNode>[]) => {
      const dragged: Record<string, XY> = {};
      const moved: Record<string, XY> = {};
      const selection = new Set(useUiStore.getState().selectedNodes);
      let selectionChanged = false;
      let resized = false;
      for (const change of changes) {
        if (change.type === 'dimensions' && change.dimensions) {
          const before = measured.current.get(change.id);
          if (before?.width !== change.dimensions.width || before.height !== change.dimensions.height) {
            measured.current.set(change.id, change.dimensions);
            resized = true;
          }
        } else if (change.type === 'position' && change.position) {
          // A drag in progress is drawn from `moving`; a move without a drag (arrow keys) and
          // the drag's last position go to the document.
          if (change.dragging) dragged[change.id] = change.position;
          else moved[change.id] = change.position;
        } else if (change.type === 'select') {
          selectionChanged = true;
          if (change.selected) selection.add(change.id);
          else selection.delete(change.id);
        }
      }
      if (!readOnly) dragMove(dragged);
      if (!readOnly && Object.keys(moved).length > 0) {
        if (useDragStore.getState().moving) dragEnd(moved);
        else editDocument((d) => moveNodes(d, moved));
      }
      if (selectionChanged) select([...selection], useUiStore.getState().selectedEdges);
      // Not urgent (the nodes are drawn and React Flow knows their sizes; this is for the
      // minimap): a transition, so React renders it in slices and a click is answered first.
      if (resized) startTransition(() => setSizesVersion((v) => v + 1));
    },
    [readOnly],
  );

  // The last positions of a drag usually come as a change above; this settles whatever remains.
  const onDragStop = useCallback(() => {
    if (useDragStore.getState().moving) dragEnd();
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange<PipelineFlowEdge>[]) => {
    const selection = new Set(useUiStore.getState().selectedEdges);
    let changed = false;
    for (const change of changes) {
      if (change.type !== 'select') continue;
      changed = true;
      if (change.selected) selection.add(change.id);
      else selection.delete(change.id);
    }
    if (changed) select(useUiStore.getState().selectedNodes, [...selection]);
  }, []);

  const onDelete: OnDelete<PipelineFlowNode, PipelineFlowEdge> = useCallback(({ nodes: gone, edges: goneEdges }) => {
    deleteElements(
      gone.map((n) => n.id),
      goneEdges.map((e) => e.id),
    );
  }, []);

  const onConnect = useCallback((connection: Connection) => {
    connect({ source: connection.source, sourceHandle: connection.sourceHandle ?? null, target: connection.target, targetHandle: connection.targetHandle ?? null });
  }, []);

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(NODE_TYPE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(NODE_TYPE_MIME);
      if (!type) return;
      event.preventDefault();
      const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      // The pointer holds the node by its header, a little in from the left.
      addNodeOfType(type, { x: at.x - 40, y: at.y - 20 });
    },
    [flow],
  );

  const onNodeContextMenu = useCallback((event: ReactMouseEvent, node: PipelineFlowNode) => {
    event.preventDefault();
    if (!useUiStore.getState().selectedNodes.includes(node.id)) select([node.id]);
    openContextMenu(node.id, event.clientX, event.clientY);
  }, []);

  // The same function until a task state changes: the minimap redraws every node when it changes.
  const minimapColor = useCallback((n: PipelineFlowNode) => STATE_COLORS[taskStates[n.id] ?? ''] ?? '#c9d3e0', [taskStates]);

  return (
    <div className="canvas" data-testid="canvas" data-readonly={readOnly ? 'true' : 'false'}>
      {viewing && (
        <div className="canvas-banner" data-testid="run-view-banner">
          <span>
            Run <code>{viewing.runId}</code> of {viewing.document.name ?? viewing.document.id}, read-only
          </span>
          <button type="button" onClick={closeRunView} data-testid="close-run-view">
            Back to editor
          </button>
        </div>
      )}
      {document.nodes.length === 0 && (
        <div className="canvas-empty" data-testid="canvas-empty">
          Drag a node from the palette to start, or open a pipeline.
        </div>
      )}
      <ReactFlow<PipelineFlowNode, PipelineFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onlyRenderVisibleElements
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onDelete={onDelete}
        onConnect={onConnect}
        onNodeDragStop={onDragStop}
        onSelectionDragStop={onDragStop}
        onNodeContextMenu={onNodeContextMenu}
        onPaneClick={closeContextMenu}
        onMoveStart={closeContextMenu}
        onDragOver={onDragOver}
        onDrop={onDrop}
        nodesConnectable={!readOnly}
        deleteKeyCode={readOnly ? null : DELETE_KEYS}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        minZoom={MIN_ZOOM}
        maxZoom={2.5}
        proOptions={PRO_OPTIONS}
        {...(remembered.viewport ? { defaultViewport: remembered.viewport } : {})}
      >
        <Background gap={20} size={1} color="#d8dce2" />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable nodeColor={minimapColor} nodeStrokeWidth={2} data-testid="minimap" />
      </ReactFlow>
    </div>
  );
}
