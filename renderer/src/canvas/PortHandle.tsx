import { Handle, useNodeId, type Position } from '@xyflow/react';
import type { CSSProperties, ReactElement } from 'react';

export interface PortHandleProps {
  /** A React Flow handle that connections start from and end on; else a marker only. */
  live: boolean;
  type: 'source' | 'target';
  position: Position;
  id: string;
  className: string;
  title: string;
  style?: CSSProperties;
  'data-testid': string;
  'data-port-type'?: string;
}

/**
 * A port's handle. Live, it is React Flow's Handle. As a marker (the canvas zoomed out too far
 * to aim at a handle) it is a plain element with the classes and data attributes React Flow reads
 * when it measures a node's handles (`.source`/`.target`, `data-handleid`, `data-handlepos`), so
 * edges still end on it, without the Handle's store subscription, which every live handle
 * re-evaluates on each change of React Flow's store (each pointer move of a drag). Same classes,
 * so it is drawn on the same pixels; no `nodrag`, so a node can be dragged by it.
 */
export function PortHandle({ live, type, position, id, className, title, style, ...data }: PortHandleProps): ReactElement {
  const nodeId = useNodeId();
  if (live) return <Handle type={type} position={position} id={id} className={className} title={title} style={style} {...data} />;
  return (
    <div
      className={`react-flow__handle react-flow__handle-${position} ${type} ${className}`}
      data-handleid={id}
      data-nodeid={nodeId ?? undefined}
      data-handlepos={position}
      title={title}
      style={style}
      {...data}
    />
  );
}
