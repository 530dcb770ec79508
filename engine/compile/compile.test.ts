import { describe, expect, it } from 'vitest';
import { pipelineHash } from '../format/pipelineHash.js';
import { exampleDocument } from '../format/testing/exampleDocument.js';
import { compile, type CompileOptions, type CompileResult } from './compile.js';
import type { Diagnostic } from './diagnostic.js';
import type { ExecutionPlan, PlanNode } from './executionPlan.js';
import { resolvePointer } from './testing/resolvePointer.js';
import { testDocument, type TestDocumentInput } from './testing/testDocument.js';
import { testRegistry } from './testing/testRegistry.js';

const registry = testRegistry();

function compiled(input: TestDocumentInput, options?: CompileOptions): CompileResult {
  const document = testDocument(input);
  const result = compile(document, registry, options);
  // Every pointer must lead somewhere in the document as written.
  for (const d of result.diagnostics) expect(resolvePointer(input, d.pointer), `${d.code} ${d.pointer}`).toMatchObject({ found: true });
  return result;
}

/** The diagnostics of a document that must not compile. */
function rejected(input: TestDocumentInput, options?: CompileOptions): Diagnostic[] {
  const result = compiled(input, options);
  expect(result.ok, 'expected compile to reject the document').toBe(false);
  expect(result.diagnostics.length).toBeGreaterThan(0);
  return result.diagnostics;
}

/** The one diagnostic of a document with one problem. */
function onlyDiagnostic(input: TestDocumentInput, options?: CompileOptions): Diagnostic {
  const diagnostics = rejected(input, options);
  expect(diagnostics, JSON.stringify(diagnostics, null, 2)).toHaveLength(1);
  return diagnostics[0] as Diagnostic;
}

function planOf(input: TestDocumentInput, options?: CompileOptions): ExecutionPlan {
  const result = compiled(input, options);
  if (!result.ok) throw new Error(`expected a plan, got ${JSON.stringify(result.diagnostics, null, 2)}`);
  expect(result.diagnostics).toEqual([]);
  return result.plan;
}

function planNode(plan: ExecutionPlan, id: string): PlanNode {
  const node = plan.nodes.find((n) => n.id === id);
  if (!node) throw new Error(`no plan node ${id}`);
  return node;
}

const source = (id: string, params: Record<string, unknown> = {}): TestDocumentInput['nodes'][number] => ({ id, type: 'test.source', version: 1, params });
const transform = (id: string): TestDocumentInput['nodes'][number] => ({ id, type: 'test.transform', version: 1 });
const inspect = (id: string, params: Record<string, unknown> = {}): TestDocumentInput['nodes'][number] => ({ id, type: 'test.inspect', version: 1, params });
const configure = (id: string, params: Record<string, unknown>): TestDocumentInput['nodes'][number] => ({ id, type: 'test.configure', version: 1, params });

describe('compile: a valid pipeline', () => {
  it('compiles the example document into a plan in dependency order', () => {
    const document = testDocument(exampleDocument());
    const result = compile(document, registry);
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
    const { plan } = result;
    expect(plan).toMatchObject({ format: 'trellis.plan/1', pipelineId: 'churn', pipelineName: 'Churn model', pipelineHash: pipelineHash(document), params: { rows: 100, target: 'churned' } });
    expect(plan.nodes.map((n) => n.id)).toEqual(['load', 'clean', 'train', 'score', 'report']);
    expect(planNode(plan, 'score')).toMatchObject({
      inputs: { model: [{ node: 'train', port: 'model' }], table: [{ node: 'clean', port: 'table' }] },
      dependsOn: ['clean', 'train'],
      timeoutMs: 60_000,
      cache: false,
    });
    expect(planNode(plan, 'report')).toMatchObject({ dependsOn: ['load', 'score'], continueOnFailure: true, title: 'Test inspect' });
    expect(planNode(plan, 'clean').title).toBe('Clean rows');
    expect(planNode(plan, 'train').retry).toEqual({ maxAttempts: 3, delayMs: 10, backoff: 2, maxDelayMs: 100, jitter: false });
  });

  it('uses the pipeline id as its name when it has none, and an empty pipeline compiles', () => {
    expect(planOf({ id: 'nothing', nodes: [] })).toMatchObject({ pipelineId: 'nothing', pipelineName: 'nothing', nodes: [] });
  });
});

describe('compile: node types', () => {
  it('an unknown node type, with a did-you-mean', () => {
    const d = onlyDiagnostic({ nodes: [source('a'), { id: 'b', type: 'test.transforms', version: 1 }], edges: [{ from: 'a.table', to: 'b.table' }] });
    expect(d).toMatchObject({ code: 'node.unknown-type', severity: 'error', nodeId: 'b', pointer: '/nodes/1/type' });
    expect(d.message).toMatch(/no node type "test\.transforms"\. Did you mean "test\.transform"/);
  });

  it('an unknown node type with nothing close points to the catalog', () => {
    const d = onlyDiagnostic({ nodes: [{ id: 'a', type: 'zzz', version: 1 }] });
    expect(d).toMatchObject({ code: 'node.unknown-type', nodeId: 'a', pointer: '/nodes/0/type' });
    expect(d.message).toMatch(/trellis nodes/);
  });

  it('an unknown version lists the versions there are', () => {
    const d = onlyDiagnostic({ nodes: [source('s'), { id: 'v', type: 'test.versioned', version: 3 }], edges: [{ from: 's.table', to: 'v.table' }] });
    expect(d).toMatchObject({ code: 'node.unknown-version', nodeId: 'v', pointer: '/nodes/1/version' });
    expect(d.message).toMatch(/test\.versioned has versions 1, 2, not 3/);
  });

  it('each version of a type is checked against its own definition', () => {
    const v1 = { id: 'v', type: 'test.versioned', version: 1, params: { limit: 5 } };
    const edges = [{ from: 's.table', to: 'v.table' }];
    expect(planNode(planOf({ nodes: [source('s'), v1], edges }), 'v').params).toEqual({ limit: 5 });
    const d = onlyDiagnostic({ nodes: [source('s'), { ...v1, version: 2 }], edges });
    expect(d).toMatchObject({ code: 'param.unknown', nodeId: 'v', param: 'limit', pointer: '/nodes/1/params/limit' });
    expect(d.message).toMatch(/Its params: maxRows/);
    expect(planOf({ nodes: [source('s'), { id: 'v', type: 'test.versioned', version: 2 }, inspect('i')], edges: [...edges, { from: 'v.report', to: 'i.value' }] }).nodes).toHaveLength(3);
  });

  it('duplicate node ids', () => {
    const d = onlyDiagnostic({ nodes: [source('a'), source('b'), source('a')] });
    expect(d).toMatchObject({ code: 'node.duplicate-id', nodeId: 'a', pointer: '/nodes/2/id' });
    expect(d.message).toMatch(/used by nodes 0 and 2/);
  });
});

describe('compile: node params', () => {
  it('a missing required param points at the node\'s params', () => {
    const d = onlyDiagnostic({ nodes: [configure('c', { count: 2 })] });
    expect(d).toMatchObject({ code: 'param.missing', nodeId: 'c', param: 'path', pointer: '/nodes/0/params' });
    expect(d.message).toMatch(/needs param "path" \(file to read\)\.$/);
  });

  it('a node written without params: each missing param points at the node', () => {
    const diagnostics = rejected({ nodes: [{ id: 'c', type: 'test.configure', version: 1 }] });
    expect(diagnostics.map((d) => [d.code, d.param, d.pointer])).toEqual([
      ['param.missing', 'path', '/nodes/0'],
      ['param.missing', 'count', '/nodes/0'],
    ]);
  });

  it('an ill-typed param', () => {
    const d = onlyDiagnostic({ nodes: [configure('c', { path: 'a.csv', count: 'three' })] });
    expect(d).toMatchObject({ code: 'param.invalid', nodeId: 'c', param: 'count', pointer: '/nodes/0/params/count' });
    expect(d.message).toMatch(/param "count" \(how many to take\): .*expected number/);
  });

  it('an out-of-range param, an enum outside its options, and a nested field', () => {
    const diagnostics = rejected({ nodes: [configure('c', { path: 'a.csv', count: 0, mode: 'slow', options: { delimiter: 5 }, columns: ['a', 7] })] });
    expect(diagnostics.map((d) => [d.code, d.param, d.pointer])).toEqual([
      ['param.invalid', 'count', '/nodes/0/params/count'],
      ['param.invalid', 'mode', '/nodes/0/params/mode'],
      ['param.invalid', 'columns', '/nodes/0/params/columns/1'],
      ['param.invalid', 'options', '/nodes/0/params/options/delimiter'],
    ]);
  });

  it('an unknown param, with the params the node has', () => {
    const d = onlyDiagnostic({ nodes: [source('s', { rows: 3, colour: 'red' })] });
    expect(d).toMatchObject({ code: 'param.unknown', nodeId: 's', param: 'colour', pointer: '/nodes/0/params/colour' });
    expect(d.message).toMatch(/has no param "colour"\. Its params: rows, seed/);
  });

  it('an unknown param whose name needs escaping in a pointer', () => {
    const d = onlyDiagnostic({ nodes: [source('s', { 'a/b~c': 1 })] });
    expect(d).toMatchObject({ code: 'param.unknown', param: 'a/b~c', pointer: '/nodes/0/params/a~1b~0c' });
  });

  it('applies defaults in the plan', () => {
    const plan = planOf({ nodes: [configure('c', { path: 'a.csv', count: 3 }), source('s')] });
    expect(planNode(plan, 'c').params).toEqual({ path: 'a.csv', count: 3, ratio: 0.25, enabled: true, mode: 'fast', columns: [], options: { header: true, delimiter: ',' } });
    expect(planNode(plan, 's')).toMatchObject({
      params: { rows: 10, seed: 42 },
      title: 'Test source',
      retry: { maxAttempts: 1, delayMs: 1000, backoff: 2, maxDelayMs: 60_000, jitter: true },
      cache: true,
      continueOnFailure: false,
      inputs: {},
      dependsOn: [],
    });
    expect(planNode(plan, 's').timeoutMs).toBeUndefined();
  });
});

describe('compile: edges and ports', () => {
  it('an edge from a node that does not exist', () => {
    const d = onlyDiagnostic({ nodes: [transform('t')], edges: [{ from: 'ghost.table', to: 't.table' }] });
    expect(d).toMatchObject({ code: 'edge.missing-node', nodeId: 'ghost', pointer: '/edges/0/from' });
    expect(d.message).toMatch(/no node "ghost"/);
  });

  it('an edge to a node that does not exist', () => {
    const d = onlyDiagnostic({ nodes: [source('s')], edges: [{ from: 's.table', to: 'ghost.table' }] });
    expect(d).toMatchObject({ code: 'edge.missing-node', nodeId: 'ghost', pointer: '/edges/0/to' });
  });

  it('an edge to a port the node does not have lists its inputs', () => {
    const diagnostics = rejected({ nodes: [source('s'), transform('t')], edges: [{ from: 's.table', to: 't.tables' }] });
    expect(diagnostics[0]).toMatchObject({ code: 'edge.missing-port', nodeId: 't', port: 'tables', pointer: '/edges/0/to' });
    expect(diagnostics[0]?.message).toMatch(/has no input "tables"\. Inputs: table\./);
    // …and the input it meant is still unconnected.
    expect(diagnostics.slice(1)).toEqual([expect.objectContaining({ code: 'input.unconnected', nodeId: 't', port: 'table' })]);
  });

  it('an edge from an output the node does not have lists its outputs', () => {
    const d = onlyDiagnostic({ nodes: [source('s'), inspect('i')], edges: [{ from: 's.rows', to: 'i.value' }] });
    expect(d).toMatchObject({ code: 'edge.missing-port', nodeId: 's', port: 'rows', pointer: '/edges/0/from' });
    expect(d.message).toMatch(/has no output "rows"\. Outputs: table\./);
  });

  it('an edge with a port at only one end', () => {
    const d = onlyDiagnostic({ nodes: [source('s'), inspect('i')], edges: [{ from: 's', to: 'i.value' }] });
    expect(d).toMatchObject({ code: 'edge.missing-port', nodeId: 's', pointer: '/edges/0/from' });
  });

  it('incompatible port types', () => {
    const d = onlyDiagnostic({
      nodes: [source('s'), { id: 'fit', type: 'test.train', version: 1 }, transform('t')],
      edges: [{ from: 's.table', to: 'fit.table' }, { from: 'fit.model', to: 't.table' }],
    });
    expect(d).toMatchObject({ code: 'edge.type-mismatch', nodeId: 't', port: 'table', pointer: '/edges/1/to' });
    expect(d.message).toMatch(/gives a model, but input "table" of node "t" takes a table/);
  });

  it('an "any" input takes every type', () => {
    const plan = planOf({ nodes: [source('s'), { id: 'fit', type: 'test.train', version: 1 }, inspect('i')], edges: [{ from: 's.table', to: 'fit.table' }, { from: 'fit.model', to: 'i.value' }] });
    expect(planNode(plan, 'i').inputs).toEqual({ value: [{ node: 'fit', port: 'model' }] });
  });

  it('a required input left unconnected; an optional one may be', () => {
    const d = onlyDiagnostic({ nodes: [source('s'), { id: 'fit', type: 'test.train', version: 1 }, { id: 'score', type: 'test.score', version: 1 }], edges: [{ from: 's.table', to: 'fit.table' }, { from: 's.table', to: 'score.table' }] });
    expect(d).toMatchObject({ code: 'input.unconnected', nodeId: 'score', port: 'model', pointer: '/nodes/2' });
    expect(d.message).toMatch(/needs its input "model" \(model\) connected/);
  });

  it('two edges into a single input', () => {
    const d = onlyDiagnostic({ nodes: [source('a'), source('b'), transform('t')], edges: [{ from: 'a.table', to: 't.table' }, { from: 'b.table', to: 't.table' }] });
    expect(d).toMatchObject({ code: 'edge.duplicate-input', nodeId: 't', port: 'table', pointer: '/edges/1/to' });
    expect(d.message).toMatch(/a\.table and b\.table both feed it/);
  });

  it('a multiple input takes several edges, in edge order', () => {
    const plan = planOf({
      nodes: [source('a'), source('b'), source('c'), { id: 'u', type: 'test.union', version: 1 }],
      edges: [{ from: 'c.table', to: 'u.tables' }, { from: 'a.table', to: 'u.tables' }, { from: 'b.table', to: 'u.tables' }],
    });
    expect(planNode(plan, 'u').inputs.tables).toEqual([{ node: 'c', port: 'table' }, { node: 'a', port: 'table' }, { node: 'b', port: 'table' }]);
    expect(planNode(plan, 'u').dependsOn).toEqual(['a', 'b', 'c']);
  });

  it('an edge from a node to itself', () => {
    const d = onlyDiagnostic({ nodes: [inspect('i')], edges: [{ from: 'i', to: 'i' }] });
    expect(d).toMatchObject({ code: 'edge.self', nodeId: 'i', pointer: '/edges/0/to' });
  });
});

describe('compile: cycles', () => {
  /** Control edges "a → b" between inspect nodes, which need no inputs. */
  const graph = (ids: string[], arrows: Array<[string, string]>): TestDocumentInput => ({ nodes: ids.map((id) => inspect(id)), edges: arrows.map(([from, to]) => ({ from, to })) });

  it('a 2-cycle, named in order from the node first in the document', () => {
    const d = onlyDiagnostic({ nodes: [transform('a'), transform('b')], edges: [{ from: 'a.table', to: 'b.table' }, { from: 'b.table', to: 'a.table' }] });
    expect(d).toMatchObject({ code: 'graph.cycle', nodeId: 'a', cycle: ['a', 'b'], pointer: '/nodes/0' });
    expect(d.message).toMatch(/a → b → a/);
  });

  it('a 3-cycle, following the arrows', () => {
    const d = onlyDiagnostic(graph(['x', 'c', 'b', 'a'], [['a', 'b'], ['b', 'c'], ['c', 'a'], ['x', 'a']]));
    expect(d).toMatchObject({ code: 'graph.cycle', nodeId: 'c', cycle: ['c', 'a', 'b'], pointer: '/nodes/1' });
    expect(d.message).toMatch(/c → a → b → c/);
  });

  it('two separate cycles give two diagnostics', () => {
    const diagnostics = rejected(graph(['a', 'b', 'c', 'd', 'e', 'f'], [['a', 'b'], ['b', 'a'], ['c', 'd'], ['d', 'e'], ['e', 'c'], ['b', 'f']]));
    expect(diagnostics.map((d) => d.cycle)).toEqual([['a', 'b'], ['c', 'd', 'e']]);
    expect(diagnostics.every((d) => d.code === 'graph.cycle')).toBe(true);
  });

  it('names a real cycle when several loops share nodes', () => {
    // a ⇄ x, x ⇄ y: a walk that always takes the first unvisited dependency ends at y, which has
    // no edge to a; the reported cycle must still close.
    const arrows: Array<[string, string]> = [['x', 'a'], ['y', 'x'], ['a', 'x'], ['x', 'y']];
    const [d] = rejected(graph(['a', 'x', 'y'], arrows));
    const cycle = d?.cycle ?? [];
    expect(cycle[0]).toBe('a');
    const edges = new Set(arrows.map(([from, to]) => `${from}>${to}`));
    cycle.forEach((id, i) => expect(edges.has(`${id}>${cycle[(i + 1) % cycle.length]}`), `${id} → ${cycle[(i + 1) % cycle.length]}`).toBe(true));
  });

  it('a cycle through control and data edges alike', () => {
    const d = onlyDiagnostic({ nodes: [source('s'), transform('t')], edges: [{ from: 's.table', to: 't.table' }, { from: 't', to: 's' }] });
    expect(d.cycle).toEqual(['s', 't']);
  });
});

describe('compile: pipeline params', () => {
  const params = {
    rows: { type: 'integer' as const, default: 5 },
    ratio: { type: 'number' as const, default: 0.5 },
    label: { type: 'string' as const, default: 'x' },
    strict: { type: 'boolean' as const, default: false },
    unset: { type: 'string' as const },
  };

  it('substitutes references: a whole-string reference keeps the type, an embedded one is text', () => {
    const plan = planOf({ params, nodes: [source('s', { rows: '{{ params.rows }}', seed: '{{params.rows}}' }), configure('c', { path: 'data/{{ params.label }}-{{params.rows}}.csv', count: '{{ params.rows }}', ratio: '{{ params.ratio }}', enabled: '{{ params.strict }}', columns: ['{{ params.label }}', 'y'] })] });
    expect(planNode(plan, 's').params).toEqual({ rows: 5, seed: 5 });
    expect(planNode(plan, 'c').params).toMatchObject({ path: 'data/x-5.csv', count: 5, ratio: 0.5, enabled: false, columns: ['x', 'y'] });
    expect(plan.params).toEqual({ rows: 5, ratio: 0.5, label: 'x', strict: false });
  });

  it('a reference to an undeclared param', () => {
    const d = onlyDiagnostic({ params, nodes: [inspect('i', { label: 'n = {{ params.count }}' })] });
    expect(d).toMatchObject({ code: 'param.undefined-reference', nodeId: 'i', param: 'label', pointer: '/nodes/0/params/label' });
    expect(d.message).toMatch(/"count", which is not declared\. Declared: rows, ratio, label, strict, unset\./);
  });

  it('a reference inside a list points at the item', () => {
    const d = onlyDiagnostic({ nodes: [configure('c', { path: 'p', count: 1, columns: ['a', '{{ params.missing }}'] })] });
    expect(d).toMatchObject({ code: 'param.undefined-reference', nodeId: 'c', param: 'columns', pointer: '/nodes/0/params/columns/1' });
    expect(d.message).toMatch(/Declare it under "params"/);
  });

  it('a reference to a declared param with no value says to give it one', () => {
    const d = onlyDiagnostic({ params, nodes: [inspect('i', { label: '{{ params.unset }}' })] });
    expect(d).toMatchObject({ code: 'param.undefined-reference', nodeId: 'i', param: 'label' });
    expect(d.message).toMatch(/has no default and was not given a value/);
    expect(planNode(planOf({ params, nodes: [inspect('i', { label: '{{ params.unset }}' })] }, { params: { unset: 'now' } }), 'i').params).toEqual({ label: 'now' });
  });

  it('a reference does not find members of Object.prototype', () => {
    const diagnostics = rejected({ nodes: [inspect('i', { label: '{{ params.constructor }}' }), inspect('j', { label: 'a {{ params.toString }}' })] });
    expect(diagnostics.map((d) => [d.code, d.nodeId])).toEqual([['param.undefined-reference', 'i'], ['param.undefined-reference', 'j']]);
  });

  it.each([
    ['integer', 1.5],
    ['integer', '3'],
    ['number', '0.5'],
    ['boolean', 'true'],
    ['string', 5],
  ] as const)('a default that does not fit its declared type: %s given %j', (type, value) => {
    const d = onlyDiagnostic({ params: { n: { type, default: value } }, nodes: [] });
    expect(d).toMatchObject({ code: 'schema.invalid', param: 'n', pointer: '/params/n/default' });
    expect(d.message).toMatch(new RegExp(`which is not a ${type}`));
  });

  it('coerces run-time overrides to the declared types', () => {
    const nodes = [source('s', { rows: '{{ params.rows }}' }), inspect('i', { label: '{{ params.ratio }}/{{ params.strict }}/{{ params.label }}' })];
    const plan = planOf({ params, nodes }, { params: { rows: '12', ratio: '0.75', strict: 'true', label: 42 } });
    expect(plan.params).toEqual({ rows: 12, ratio: 0.75, label: '42', strict: true });
    expect(planNode(plan, 's').params.rows).toBe(12);
    expect(planNode(plan, 'i').params.label).toBe('0.75/true/42');
    expect(planOf({ params, nodes }, { params: { rows: 3, ratio: -2e3, strict: false } }).params).toMatchObject({ rows: 3, ratio: -2000, strict: false });
  });

  it.each([
    ['an integer given a fraction', 'rows', '2.5'],
    ['an integer given text', 'rows', 'many'],
    ['a number given an empty string', 'ratio', ''],
    ['a number given infinity', 'ratio', 'Infinity'],
    ['a boolean given "yes"', 'strict', 'yes'],
    ['a boolean given a number', 'strict', 1],
  ])('rejects an ill-typed override: %s', (_label, name, value) => {
    const d = onlyDiagnostic({ params, nodes: [] }, { params: { [name]: value } });
    expect(d).toMatchObject({ code: 'param.override-invalid', param: name, pointer: `/params/${name}` });
    expect(d.message).toMatch(new RegExp(`"${name}" is a (integer|number|boolean)`));
  });

  it('rejects an override of an undeclared param, pointing at the declared params', () => {
    const d = onlyDiagnostic({ params, nodes: [] }, { params: { rowz: '3' } });
    expect(d).toMatchObject({ code: 'param.override-invalid', param: 'rowz', pointer: '/params' });
    expect(d.message).toMatch(/no pipeline param "rowz".*Declared params: rows, ratio/);
    const none = onlyDiagnostic({ nodes: [] }, { params: { constructor: '3' } });
    expect(none).toMatchObject({ code: 'param.override-invalid', param: 'constructor', pointer: '' });
    expect(none.message).toMatch(/declares no params/);
  });
});

describe('compile: order', () => {
  it('control edges order nodes without carrying data', () => {
    const plan = planOf({ nodes: [inspect('b'), inspect('a')], edges: [{ from: 'a', to: 'b' }] });
    expect(plan.nodes.map((n) => n.id)).toEqual(['a', 'b']);
    expect(planNode(plan, 'b')).toMatchObject({ dependsOn: ['a'], inputs: {} });
  });

  it('an edge from one output to a node gates the node on that output, and carries the trigger rule', () => {
    const plan = planOf({ nodes: [inspect('b'), source('a')], edges: [{ from: 'a.table', to: 'b' }] });
    expect(planNode(plan, 'b')).toMatchObject({ dependsOn: ['a'], inputs: {}, gates: [{ node: 'a', port: 'table' }] });
    expect(planNode(plan, 'b').triggerRule).toBeUndefined();
    const ruled = planOf({ nodes: [source('a'), { ...inspect('b'), triggerRule: 'all_done' }], edges: [{ from: 'a', to: 'b' }] });
    expect(planNode(ruled, 'b')).toMatchObject({ triggerRule: 'all_done' });
    const d = onlyDiagnostic({ nodes: [source('a'), inspect('b')], edges: [{ from: 'a.rows', to: 'b' }] });
    expect(d).toMatchObject({ code: 'edge.missing-port', nodeId: 'a', port: 'rows', pointer: '/edges/0/from' });
  });

  it('is stable by document order among nodes that are ready together', () => {
    const ids = ['m', 'c', 'x', 'a', 'k'];
    expect(planOf({ nodes: ids.map((id) => source(id)) }).nodes.map((n) => n.id)).toEqual(ids);
    // a diamond written bottom-up: each step takes the earliest-written ready node.
    const plan = planOf({
      nodes: [{ id: 'join', type: 'test.union', version: 1 }, transform('right'), transform('left'), source('top'), inspect('side')],
      edges: [{ from: 'top.table', to: 'left.table' }, { from: 'top.table', to: 'right.table' }, { from: 'left.table', to: 'join.tables' }, { from: 'right.table', to: 'join.tables' }],
    });
    expect(plan.nodes.map((n) => n.id)).toEqual(['top', 'right', 'left', 'join', 'side']);
  });

  it('a 10,000-node chain compiles without overflowing the stack', () => {
    const n = 10_000;
    const nodes = [source('n0'), ...Array.from({ length: n - 1 }, (_, i) => transform(`n${i + 1}`))].reverse();
    const edges = Array.from({ length: n - 1 }, (_, i) => ({ from: `n${i}.table`, to: `n${i + 1}.table` }));
    const plan = planOf({ nodes, edges });
    expect(plan.nodes).toHaveLength(n);
    expect(plan.nodes.map((node) => node.id)).toEqual(Array.from({ length: n }, (_, i) => `n${i}`));
  });

  it('a 10,000-node cycle is found and named whole', () => {
    const n = 10_000;
    const d = onlyDiagnostic({ nodes: Array.from({ length: n }, (_, i) => inspect(`n${i}`)), edges: Array.from({ length: n }, (_, i) => ({ from: `n${i}`, to: `n${(i + 1) % n}` })) });
    expect(d.cycle).toEqual(Array.from({ length: n }, (_, i) => `n${i}`));
  });

  it('a 10,000-input fan-in compiles', () => {
    const n = 10_000;
    const plan = planOf({
      nodes: [{ id: 'u', type: 'test.union', version: 1 }, ...Array.from({ length: n }, (_, i) => source(`s${i}`))],
      edges: Array.from({ length: n }, (_, i) => ({ from: `s${i}.table`, to: 'u.tables' })),
    });
    expect(plan.nodes[n]?.id).toBe('u');
    expect(planNode(plan, 'u').inputs.tables).toHaveLength(n);
  });
});
