import { describe, expect, it } from 'vitest';
import { moveNodes, setParam } from '../model/documentEdits.js';
import { CONTROL_HANDLE } from '../model/endpoints.js';
import { sampleDocument } from '../model/testing/fixtures.js';
import { flowEdges, flowNodes, nodesBounds, UNMEASURED_SIZE, withMoving, type PipelineFlowNode, type Size } from './flowElements.js';

const options = (previous: ReadonlyMap<string, PipelineFlowNode> = new Map(), measured: ReadonlyMap<string, Size> = new Map()) => ({ previous, selected: new Set(['train']), measured, draggable: true });

describe('canvas elements of a document', () => {
  it('draws each node where the layout puts it, selected as the UI says', () => {
    const nodes = flowNodes(sampleDocument(), options());
    expect(nodes.map((n) => [n.id, n.position.x, n.selected])).toEqual([
      ['load', 0, false],
      ['train', 300, true],
      ['evaluate', 600, false],
    ]);
  });

  it('reuses unchanged node objects and carries measured sizes into new ones', () => {
    const doc = sampleDocument();
    const first = flowNodes(doc, options());
    const previous = new Map(first.map((n) => [n.id, n]));
    const edited = setParam(doc, 'train', 'seed', 1);
    const measured = new Map([['train', { width: 230, height: 90 }]]);
    const second = flowNodes(edited, options(previous, measured));
    expect(second[0]).toBe(first[0]);
    expect(second[1]).not.toBe(first[1]);
    expect(second[1]?.measured).toEqual({ width: 230, height: 90 });
  });

  it('places nodes that have no layout yet', () => {
    const doc = sampleDocument();
    delete doc.ui;
    const xs = flowNodes(doc, options()).map((n) => n.position.x);
    expect(new Set(xs).size).toBe(3);
  });

  it('turns edges into handle-to-handle edges, control edges on the control handles', () => {
    const doc = sampleDocument();
    doc.edges.push({ from: 'load', to: 'evaluate' });
    const edges = flowEdges(doc, { selected: new Set(), portType: () => 'table', animated: (target) => target === 'train', deletable: true });
    expect(edges[0]).toMatchObject({ id: 'load.table->train.table', source: 'load', sourceHandle: 'table', target: 'train', targetHandle: 'table', animated: true, className: 'edge edge--table' });
    expect(edges[2]).toMatchObject({ source: 'load', sourceHandle: CONTROL_HANDLE, targetHandle: CONTROL_HANDLE, className: 'edge edge--control' });
  });
});

describe('canvas elements during a drag and a fit', () => {
  it('gives new objects to the dragged nodes only', () => {
    const nodes = flowNodes(sampleDocument(), options());
    const moved = withMoving(nodes, { train: { x: 310, y: 20 } });
    expect(moved[0]).toBe(nodes[0]);
    expect(moved[2]).toBe(nodes[2]);
    expect(moved[1]).not.toBe(nodes[1]);
    expect(moved[1]?.position).toEqual({ x: 310, y: 20 });
    expect(moved[1]?.data).toBe(nodes[1]?.data);
    expect(withMoving(nodes, null)).toBe(nodes);
  });

  it('keeps node data across a move, so the memoized node view is not redrawn', () => {
    const doc = sampleDocument();
    const first = flowNodes(doc, options());
    const previous = new Map(first.map((n) => [n.id, n]));
    const second = flowNodes(moveNodes(doc, { train: { x: 320, y: 0 } }), options(previous));
    expect(second[1]).not.toBe(first[1]);
    expect(second[1]?.data).toBe(first[1]?.data);
  });

  it('reuses edge objects that show the same thing', () => {
    const doc = sampleDocument();
    const edgeOptions = { selected: new Set<string>(), portType: () => 'table', animated: () => false, deletable: true };
    const first = flowEdges(doc, edgeOptions);
    const previous = new Map(first.map((e) => [e.id, e]));
    const same = flowEdges(doc, { ...edgeOptions, previous });
    expect(same[0]).toBe(first[0]);
    const selected = flowEdges(doc, { ...edgeOptions, previous, selected: new Set([first[0]?.id ?? '']) });
    expect(selected[0]).not.toBe(first[0]);
    expect(selected[1]).toBe(first[1]);
  });

  it('bounds the nodes with measured sizes where known, an assumed size elsewhere', () => {
    const nodes = flowNodes(sampleDocument(), options(new Map(), new Map([['evaluate', { width: 230, height: 60 }]])));
    expect(nodesBounds(nodes)).toEqual({ x: 0, y: 0, width: 600 + 230, height: UNMEASURED_SIZE.height });
    expect(nodesBounds([])).toBeNull();
  });
});
