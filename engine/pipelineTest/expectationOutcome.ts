import type { NodeOutputs } from '../node/portValue.js';
import type { TaskState } from '../run/taskState.js';
import type { Expectation } from './pipelineTestFile.js';

/** What a test found of one node after its run. */
export interface NodeFacts {
  state: TaskState;
  metrics: Record<string, number>;
  outputs: NodeOutputs;
  error?: string;
}

export interface ExpectationOutcome {
  /** Short name of the check, e.g. `evaluate.roc_auc >= 0.7`: the JUnit test case name. */
  name: string;
  passed: boolean;
  /** Why it failed: node, field, expected and actual. */
  message?: string;
}

function bounds(min: number | undefined, max: number | undefined, equals?: number): string {
  if (equals !== undefined) return `= ${equals}`;
  if (min !== undefined && max !== undefined) return `in [${min}, ${max}]`;
  return min !== undefined ? `>= ${min}` : `<= ${max}`;
}

function within(value: number, min: number | undefined, max: number | undefined, equals?: number): boolean {
  if (equals !== undefined && value !== equals) return false;
  return (min === undefined || value >= min) && (max === undefined || value <= max);
}

/** Judges one expectation against what the run produced. */
export function expectationOutcome(expectation: Expectation, facts: ReadonlyMap<string, NodeFacts>): ExpectationOutcome {
  const node = facts.get(expectation.node);
  const fail = (name: string, message: string): ExpectationOutcome => ({ name, passed: false, message });
  const missing = (name: string): ExpectationOutcome => fail(name, `node "${expectation.node}" did not run (it is not in the pipeline, or the run stopped before it); known nodes: ${[...facts.keys()].join(', ')}`);

  if ('state' in expectation) {
    const name = `${expectation.node} is ${expectation.state}`;
    if (!node) return missing(name);
    return node.state === expectation.state ? { name, passed: true } : fail(name, `node "${expectation.node}": state expected ${expectation.state}, actual ${node.state}${node.error ? ` (${node.error})` : ''}`);
  }
  if ('rows' in expectation) {
    const { min, max, equals } = typeof expectation.rows === 'number' ? { min: undefined, max: undefined, equals: expectation.rows } : { ...expectation.rows, equals: undefined };
    const name = `${expectation.node}${expectation.port ? `.${expectation.port}` : ''} rows ${bounds(min, max, equals)}`;
    if (!node) return missing(name);
    const tables = Object.entries(node.outputs).filter(([port, value]) => value.kind === 'table' && (expectation.port === undefined || port === expectation.port));
    const table = tables[0]?.[1];
    if (!table || table.kind !== 'table') return fail(name, `node "${expectation.node}" has no table output${expectation.port ? ` "${expectation.port}"` : ''} (state ${node.state}; outputs: ${Object.keys(node.outputs).join(', ') || 'none'})`);
    return within(table.rows, min, max, equals) ? { name, passed: true } : fail(name, `node "${expectation.node}": rows expected ${bounds(min, max, equals)}, actual ${table.rows}`);
  }
  if ('metric' in expectation) {
    const name = `${expectation.node}.${expectation.metric} ${bounds(expectation.min, expectation.max, expectation.equals)}`;
    if (!node) return missing(name);
    const value = node.metrics[expectation.metric];
    if (value === undefined) return fail(name, `node "${expectation.node}" has no metric "${expectation.metric}" (state ${node.state}); its metrics: ${Object.keys(node.metrics).join(', ') || 'none'}`);
    return within(value, expectation.min, expectation.max, expectation.equals)
      ? { name, passed: true }
      : fail(name, `node "${expectation.node}": metric ${expectation.metric} expected ${bounds(expectation.min, expectation.max, expectation.equals)}, actual ${value}`);
  }
  const name = `${expectation.node} ${expectation.passed ? 'passed' : 'did not pass'}`;
  if (!node) return missing(name);
  const checksFailed = node.metrics.checks_failed ?? 0;
  const passed = (node.state === 'succeeded' || node.state === 'cached') && checksFailed === 0 && node.metrics.passed !== 0;
  const actual = node.state === 'succeeded' || node.state === 'cached' ? `${checksFailed} failed check${checksFailed === 1 ? '' : 's'}` : `state ${node.state}${node.error ? ` (${node.error})` : ''}`;
  return passed === expectation.passed ? { name, passed: true } : fail(name, `node "${expectation.node}": passed expected ${expectation.passed}, actual ${passed} (${actual})`);
}
