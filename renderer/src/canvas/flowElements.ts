import type { Edge, Node, Rect } from '@xyflow/react';
import type { PipelineDocument, PipelineNode } from '../api/contract.js';
import { layeredLayout } from '../model/autoLayout.js';
import type { XY } from '../model/documentEdits.js';
import { CONTROL_HANDLE, edgeKey, parseEndpoint } from '../model/endpoints.js';

export type PipelineNodeData = { node: PipelineNode };
export type PipelineFlowNode = Node<PipelineNodeData, 'pipeline'>;
export type PipelineFlowEdge = Edge<{ portType: string }>;

export interface Size {
  width: number;
  height: number;
}

/**
 * The canvas nodes of a document. A node object from `previous` is reused when nothing it shows
 * changed, so React Flow skips it; sizes measured on screen are carried over, because React Flow
 * forgets a node's size (and hides it) when it receives a new object without one.
 */
export function flowNodes(
  document: PipelineDocument,
  options: { previous: ReadonlyMap<string, PipelineFlowNode>; selected: ReadonlySet<string>; measured: ReadonlyMap<string, Size>; draggable: boolean },
): PipelineFlowNode[] {
  const placed = document.ui?.nodes ?? {};
  const missing = document.nodes.some((n) => placed[n.id] === undefined);
  const fallback = missing ? layeredLayout(document) : {};
  return document.nodes.map((node) => {
    const at = placed[node.id] ?? fallback[node.id] ?? { x: 0, y: 0 };
    const selected = options.selected.has(node.id);
    const measured = options.measured.get(node.id);
    const before = options.previous.get(node.id);
    if (
      before &&
      before.data.node === node &&
      before.position.x === at.x &&
      before.position.y === at.y &&
      before.selected === selected &&
      before.draggable === options.draggable &&
      before.measured?.width === measured?.width &&
      before.measured?.height === measured?.height
    ) {
      return before;
    }
    // The same `data` while the node itself is unchanged: the memoized node view then skips a
    // node that was only moved or (de)selected by React Flow's own bookkeeping.
    const data = before && before.data.node === node ? before.data : { node };
    const next: PipelineFlowNode = { id: node.id, type: 'pipeline', position: { x: at.x, y: at.y }, data, selected, draggable: options.draggable, connectable: options.draggable, deletable: options.draggable };
    if (measured) next.measured = measured;
    return next;
  });
}

/**
 * Nodes being dragged, drawn where the pointer has them: only those node objects are new, so
 * React Flow redraws the dragged nodes and their edges and nothing else.
 */
export function withMoving(nodes: PipelineFlowNode[], moving: Readonly<Record<string, XY>> | null): PipelineFlowNode[] {
  if (!moving) return nodes;
  return nodes.map((node) => {
    const at = moving[node.id];
    return at && (at.x !== node.position.x || at.y !== node.position.y) ? { ...node, position: { x: at.x, y: at.y } } : node;
  });
}

/** Size assumed for a node React Flow has not measured yet (the width is fixed by canvas.css). */
export const UNMEASURED_SIZE: Size = { width: 230, height: 90 };

/** The rectangle the nodes cover, with measured sizes where known: what fitting the view shows. */
export function nodesBounds(nodes: readonly PipelineFlowNode[]): Rect | null {
  if (nodes.length === 0) return null;
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const node of nodes) {
    const width = node.measured?.width ?? UNMEASURED_SIZE.width;
    const height = node.measured?.height ?? UNMEASURED_SIZE.height;
    left = Math.min(left, node.position.x);
    top = Math.min(top, node.position.y);
    right = Math.max(right, node.position.x + width);
    bottom = Math.max(bottom, node.position.y + height);
  }
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/**
 * The canvas edges of a document; `portType` gives a data edge's type (for its colour). An edge
 * object from `previous` is reused when nothing it shows changed, so React Flow skips it.
 */
export function flowEdges(
  document: Pick<PipelineDocument, 'edges'>,
  options: {
    previous?: ReadonlyMap<string, PipelineFlowEdge>;
    selected: ReadonlySet<string>;
    portType: (nodeId: string, port: string) => string | undefined;
    animated: (targetNodeId: string) => boolean;
    deletable: boolean;
  },
): PipelineFlowEdge[] {
  return document.edges.map((edge) => {
    const from = parseEndpoint(edge.from);
    const to = parseEndpoint(edge.to);
    const id = edgeKey(edge);
    const portType = from.port === undefined ? 'control' : (options.portType(from.node, from.port) ?? 'any');
    const selected = options.selected.has(id);
    const animated = options.animated(to.node);
    const before = options.previous?.get(id);
    if (before && before.selected === selected && before.animated === animated && before.deletable === options.deletable && before.data?.portType === portType) return before;
    return {
      id,
      source: from.node,
      sourceHandle: from.port ?? CONTROL_HANDLE,
      target: to.node,
      targetHandle: to.port ?? CONTROL_HANDLE,
      selected,
      animated,
      deletable: options.deletable,
      className: `edge edge--${portType}`,
      data: { portType },
    };
  });
}
