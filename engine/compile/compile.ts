import { ENDPOINT, type PipelineDocument, type PipelineParam } from '../format/pipelineDocument.js';
import { pipelineHash } from '../format/pipelineHash.js';
import type { AnyNodeDefinition } from '../node/nodeDefinition.js';
import type { NodeRegistry } from '../node/nodeRegistry.js';
import { portTypesCompatible } from '../node/portValue.js';
import { error, pointer, type Diagnostic } from './diagnostic.js';
import { PLAN_FORMAT, type ExecutionPlan, type PlanNode, type PortRef } from './executionPlan.js';
import { findCycles } from './findCycles.js';
import { topologicalOrder } from './topologicalOrder.js';
import { substituteParams, type ParamValue } from './paramReferences.js';
import { validateNodeParams } from './validateNodeParams.js';
import { defaultFits } from './defaultFits.js';

export interface CompileOptions {
  /** Run-time values for pipeline params (from `--param k=v`: strings are coerced to the declared type). */
  params?: Readonly<Record<string, ParamValue>>;
}

export type CompileResult =
  | { ok: true; plan: ExecutionPlan; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

function coerce(value: ParamValue, declared: PipelineParam): ParamValue | undefined {
  switch (declared.type) {
    case 'string':
      return String(value);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      return value === 'true' ? true : value === 'false' ? false : undefined;
    case 'number':
    case 'integer': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      if (!Number.isFinite(n) || (declared.type === 'integer' && !Number.isInteger(n))) return undefined;
      return n;
    }
  }
}

function resolvePipelineParams(document: PipelineDocument, overrides: Readonly<Record<string, ParamValue>>, diagnostics: Diagnostic[]): Record<string, ParamValue> {
  const resolved: Record<string, ParamValue> = {};
  for (const [name, declared] of Object.entries(document.params)) {
    if (declared.default === undefined) continue;
    const value = defaultFits(declared.default, declared) ? declared.default : undefined;
    if (value === undefined) {
      diagnostics.push(error('schema.invalid', `Pipeline param "${name}" has default ${JSON.stringify(declared.default)}, which is not a ${declared.type}.`, pointer('params', name, 'default'), { param: name }));
    } else resolved[name] = value;
  }
  for (const [name, raw] of Object.entries(overrides)) {
    // Own properties only: an override named "constructor" must not find Object.prototype's.
    const declared = Object.hasOwn(document.params, name) ? document.params[name] : undefined;
    if (!declared) {
      const known = Object.keys(document.params);
      // The override is not in the document: point at the params it should be declared in.
      diagnostics.push(error('param.override-invalid', `There is no pipeline param "${name}" to set. ${known.length ? `Declared params: ${known.join(', ')}.` : 'This pipeline declares no params.'}`, known.length ? pointer('params') : '', { param: name }));
      continue;
    }
    const value = coerce(raw, declared);
    if (value === undefined) {
      diagnostics.push(error('param.override-invalid', `Pipeline param "${name}" is a ${declared.type}; ${JSON.stringify(raw)} is not.`, pointer('params', name), { param: name }));
    } else resolved[name] = value;
  }
  return resolved;
}

interface Endpoint {
  node: string;
  port?: string;
}

function parseEndpoint(text: string): Endpoint | undefined {
  if (!ENDPOINT.test(text)) return undefined;
  const dot = text.indexOf('.');
  return dot < 0 ? { node: text } : { node: text.slice(0, dot), port: text.slice(dot + 1) };
}

/**
 * Compiles a pipeline document against a node catalog: pipeline params resolved, node params
 * checked and defaulted, edges and port types checked, cycles found, nodes put in dependency
 * order. Pure: no I/O, never throws on bad input; every problem is a diagnostic.
 */
export function compile(document: PipelineDocument, registry: NodeRegistry, options: CompileOptions = {}): CompileResult {
  const diagnostics: Diagnostic[] = [];
  const params = resolvePipelineParams(document, options.params ?? {}, diagnostics);

  // Nodes: ids, definitions, params.
  const definitions = new Map<string, AnyNodeDefinition>();
  const nodeParams = new Map<string, Record<string, unknown>>();
  const indexOf = new Map<string, number>();
  document.nodes.forEach((node, index) => {
    const at = (...rest: Array<string | number>): string => pointer('nodes', index, ...rest);
    if (indexOf.has(node.id)) {
      diagnostics.push(error('node.duplicate-id', `Node id "${node.id}" is used by nodes ${indexOf.get(node.id)} and ${index}; give each node its own id.`, at('id'), { nodeId: node.id }));
      return;
    }
    indexOf.set(node.id, index);
    const definition = registry.get(node.type, node.version);
    if (!definition) {
      if (registry.hasType(node.type)) {
        diagnostics.push(error('node.unknown-version', `Node "${node.id}": ${node.type} has versions ${registry.versions(node.type).join(', ')}, not ${node.version}.`, at('version'), { nodeId: node.id }));
      } else {
        const near = registry.suggest(node.type);
        diagnostics.push(error('node.unknown-type', `Node "${node.id}": there is no node type "${node.type}".${near.length ? ` Did you mean ${near.map((n) => `"${n}"`).join(', ')}?` : ' Run `trellis nodes` for the catalog.'}`, at('type'), { nodeId: node.id }));
      }
      return;
    }
    definitions.set(node.id, definition);
    const substituted = substituteParams(node.params, params);
    for (const ref of substituted.undefinedReferences) {
      const declared = Object.keys(document.params);
      const problem = Object.hasOwn(document.params, ref.name)
        ? `which has no default and was not given a value. Give it a "default", or set it for the run (--param ${ref.name}=...).`
        : `which is not declared. ${declared.length ? `Declared: ${declared.join(', ')}.` : 'Declare it under "params".'}`;
      diagnostics.push(error('param.undefined-reference', `Node "${node.id}" refers to pipeline param "${ref.name}", ${problem}`, at('params', ...ref.path), { nodeId: node.id, param: String(ref.path[0] ?? ref.name) }));
    }
    // A node written without params has none in the file to point into: point at the node.
    let paramsAt = '';
    for (const _key in node.params) {
      paramsAt = at('params');
      break;
    }
    paramsAt ||= at();
    const checked = validateNodeParams(definition, substituted.value, node.id, paramsAt);
    diagnostics.push(...checked.diagnostics);
    if (checked.params) nodeParams.set(node.id, checked.params);
  });

  // Edges.
  const inputs = new Map<string, Record<string, PortRef[]>>();
  const dependsOn = new Map<string, Set<string>>();
  const gates = new Map<string, PortRef[]>();
  const after = new Map<string, Set<string>>();
  // "node.port" of every input some edge is aimed at, good or not: a broken edge is reported as
  // itself, not again as an input nobody connected.
  const aimedAt = new Set<string>();
  for (const id of indexOf.keys()) {
    inputs.set(id, {});
    dependsOn.set(id, new Set());
  }
  document.edges.forEach((edge, index) => {
    const at = (field: string): string => pointer('edges', index, field);
    const from = parseEndpoint(edge.from);
    const to = parseEndpoint(edge.to);
    if (!from || !to) return; // the schema already reported it
    if (to.port !== undefined) aimedAt.add(`${to.node}.${to.port}`);
    let broken = false;
    for (const [end, field] of [[from, 'from'], [to, 'to']] as const) {
      if (!indexOf.has(end.node)) {
        diagnostics.push(error('edge.missing-node', `Edge ${edge.from} → ${edge.to}: there is no node "${end.node}".`, at(field), { nodeId: end.node }));
        broken = true;
      }
    }
    if (broken) return;
    if (from.node === to.node) {
      diagnostics.push(error('edge.self', `Edge ${edge.from} → ${edge.to} connects node "${from.node}" to itself.`, at('to'), { nodeId: from.node }));
      return;
    }
    dependsOn.get(to.node)?.add(from.node);
    if (from.port === undefined && to.port === undefined) {
      // A control edge: the node waits for that one to succeed, even where a data edge from it
      // only feeds an optional input.
      after.set(to.node, (after.get(to.node) ?? new Set()).add(from.node));
      return;
    }
    if (from.port !== undefined && to.port === undefined) {
      // A control edge from one output: the node runs only when that output is produced.
      const source = definitions.get(from.node);
      if (!source) return; // unknown type: already reported
      if (!source.outputs.some((p) => p.name === from.port)) {
        diagnostics.push(error('edge.missing-port', `Node "${from.node}" (${source.type}) has no output "${from.port}". Outputs: ${source.outputs.map((p) => p.name).join(', ') || 'none'}.`, at('from'), { nodeId: from.node, port: from.port }));
        return;
      }
      const nodeGates = gates.get(to.node) ?? [];
      nodeGates.push({ node: from.node, port: from.port });
      gates.set(to.node, nodeGates);
      return;
    }
    if (from.port === undefined || to.port === undefined) {
      diagnostics.push(error('edge.missing-port', `Edge ${edge.from} → ${edge.to}: give both ends a port ("node.port"), neither (a control edge), or only "from" (run only when that output is produced).`, at(from.port === undefined ? 'from' : 'to'), { nodeId: from.port === undefined ? from.node : to.node }));
      return;
    }
    const source = definitions.get(from.node);
    const target = definitions.get(to.node);
    if (!source || !target) return; // unknown type: already reported
    const output = source.outputs.find((p) => p.name === from.port);
    const input = target.inputs.find((p) => p.name === to.port);
    if (!output) {
      diagnostics.push(error('edge.missing-port', `Node "${from.node}" (${source.type}) has no output "${from.port}". Outputs: ${source.outputs.map((p) => p.name).join(', ') || 'none'}.`, at('from'), { nodeId: from.node, port: from.port }));
    }
    if (!input) {
      diagnostics.push(error('edge.missing-port', `Node "${to.node}" (${target.type}) has no input "${to.port}". Inputs: ${target.inputs.map((p) => p.name).join(', ') || 'none'}.`, at('to'), { nodeId: to.node, port: to.port }));
    }
    if (!output || !input) return;
    if (!portTypesCompatible(output.type, input.type)) {
      diagnostics.push(error('edge.type-mismatch', `Edge ${edge.from} → ${edge.to}: output "${from.port}" gives a ${output.type}, but input "${to.port}" of node "${to.node}" takes a ${input.type}.`, at('to'), { nodeId: to.node, port: to.port }));
      return;
    }
    const portInputs = inputs.get(to.node) as Record<string, PortRef[]>;
    const existing = portInputs[to.port] ?? [];
    if (existing.length > 0 && !input.multiple) {
      const first = existing[0] as PortRef;
      diagnostics.push(error('edge.duplicate-input', `Input "${to.port}" of node "${to.node}" takes one edge, but ${first.node}.${first.port} and ${edge.from} both feed it. Remove one, or combine them first (e.g. data.union).`, at('to'), { nodeId: to.node, port: to.port }));
      return;
    }
    portInputs[to.port] = [...existing, { node: from.node, port: from.port }];
  });

  // Required inputs.
  for (const [id, definition] of definitions) {
    const connected = inputs.get(id) ?? {};
    for (const port of definition.inputs) {
      if (!port.optional && !(connected[port.name]?.length) && !aimedAt.has(`${id}.${port.name}`)) {
        diagnostics.push(error('input.unconnected', `Node "${id}" (${definition.type}) needs its input "${port.name}" (${port.type}) connected.`, pointer('nodes', indexOf.get(id) ?? 0), { nodeId: id, port: port.name }));
      }
    }
  }

  // Cycles and order. An order that places every node proves there is no cycle, which is the
  // common case; only then is the search for the cycles to name skipped.
  const order = [...indexOf.keys()];
  const topological = topologicalOrder(order, dependsOn);
  const cycles = topological.length === order.length ? [] : findCycles(order, (id) => [...(dependsOn.get(id) ?? [])]);
  for (const cycle of cycles) {
    const first = cycle[0] as string;
    diagnostics.push(error('graph.cycle', `These nodes form a cycle: ${[...cycle, first].join(' → ')}. Remove one of its edges.`, pointer('nodes', indexOf.get(first) ?? 0), { nodeId: first, cycle }));
  }

  if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics };

  const nodes: PlanNode[] = topological.map((id) => {
    const node = document.nodes[indexOf.get(id) as number] as PipelineDocument['nodes'][number];
    const definition = definitions.get(id) as AnyNodeDefinition;
    const planNode: PlanNode = {
      id,
      type: node.type,
      version: node.version,
      title: node.title ?? definition.title,
      params: nodeParams.get(id) ?? {},
      inputs: inputs.get(id) ?? {},
      dependsOn: [...(dependsOn.get(id) ?? [])].sort(),
      retry: node.retry ?? { maxAttempts: 1, delayMs: 1000, backoff: 2, maxDelayMs: 60_000, jitter: true },
      cache: node.cache ?? !definition.volatile,
      continueOnFailure: node.continueOnFailure ?? false,
    };
    if (node.timeoutMs !== undefined) planNode.timeoutMs = node.timeoutMs;
    // Only when set, so plans (and their stored JSON) without control flow stay as they were.
    if (node.triggerRule !== undefined && node.triggerRule !== 'all_succeeded') planNode.triggerRule = node.triggerRule;
    const nodeGates = gates.get(id);
    if (nodeGates) planNode.gates = nodeGates;
    const controlledBy = after.get(id);
    if (controlledBy) planNode.after = [...controlledBy].sort();
    return planNode;
  });
  return {
    ok: true,
    diagnostics,
    plan: {
      format: PLAN_FORMAT,
      pipelineId: document.id,
      pipelineName: document.name ?? document.id,
      pipelineHash: pipelineHash(document),
      params,
      nodes,
    },
  };
}
