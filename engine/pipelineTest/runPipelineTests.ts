import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readSettingsFile } from '../environments/readSettingsFile.js';
import { selectEnvironment } from '../environments/selectEnvironment.js';
import { SettingsFileError } from '../environments/settingsFileError.js';
import { formatDiagnostic } from '../compile/diagnostic.js';
import type { PipelineDocument } from '../format/pipelineDocument.js';
import type { NodeRegistry } from '../node/nodeRegistry.js';
import { loadPipelineFile, Workspace } from '../workspace/workspace.js';
import { expectationOutcome, type ExpectationOutcome, type NodeFacts } from './expectationOutcome.js';
import { PipelineTestFileSchema, testFileFor, type PipelineTest } from './pipelineTestFile.js';

export interface TestOutcome {
  name: string;
  environment?: string;
  runId?: string;
  durationMs: number;
  /** The run state check first, then one per expectation. */
  outcomes: ExpectationOutcome[];
}

export interface PipelineTestReport {
  pipelineId: string;
  pipelineFile: string;
  testFile: string;
  tests: TestOutcome[];
}

export interface RunPipelineTestsOptions {
  pipelinePath: string;
  registry: NodeRegistry;
  /** `--env`: wins over each test's own `env`. */
  env?: string | undefined;
  /** Where tests run; a fresh temporary home per test when absent, removed afterwards. */
  home?: string | undefined;
  /** The user's Trellis home: searched for the environments file after the pipeline's folder. */
  settingsHome: string;
  processEnv?: NodeJS.ProcessEnv;
  /** Told as each test starts. */
  onTest?: (name: string) => void;
}

function pinNodeParams(document: PipelineDocument, test: PipelineTest): PipelineDocument {
  for (const id of Object.keys(test.nodeParams)) {
    if (!document.nodes.some((node) => node.id === id)) {
      throw new SettingsFileError(`test "${test.name}" pins params of node "${id}", which pipeline "${document.id}" does not have; its nodes: ${document.nodes.map((n) => n.id).join(', ')}`);
    }
  }
  return { ...document, nodes: document.nodes.map((node) => (Object.hasOwn(test.nodeParams, node.id) ? { ...node, params: { ...node.params, ...test.nodeParams[node.id] } } : node)) };
}

async function runOne(options: RunPipelineTestsOptions, loaded: { path: string; document: PipelineDocument }, test: PipelineTest): Promise<TestOutcome> {
  const started = Date.now();
  const selected = selectEnvironment({ pipelinePath: loaded.path, document: loaded.document, name: options.env ?? test.env, home: options.settingsHome, ...(options.processEnv ? { env: options.processEnv } : {}) });
  const document = pinNodeParams(selected.document, test);
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'trellis-test-'));
  const workspace = await Workspace.open(home, options.registry);
  try {
    const compiled = workspace.compileDocument(document, test.params);
    if (!compiled.ok) {
      throw new SettingsFileError(`test "${test.name}": the pipeline does not compile with its params:\n  ${compiled.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d, loaded.path)).join('\n  ')}`);
    }
    const result = await workspace.runPlan(compiled.plan, document, dirname(loaded.path), {});
    const tasks = await workspace.store.getTasks(result.runId);
    const metrics = await workspace.store.getMetrics({ runId: result.runId });
    const facts = new Map<string, NodeFacts>();
    for (const task of tasks) {
      const values: Record<string, number> = {};
      // A metrics output and recorded metrics both count; what the node recorded wins.
      for (const output of Object.values(task.outputs ?? {})) if (output.kind === 'metrics') Object.assign(values, output.values);
      for (const metric of metrics) if (metric.nodeId === task.nodeId) values[metric.name] = metric.value;
      facts.set(task.nodeId, { state: task.state, metrics: values, outputs: task.outputs ?? {}, ...(task.error ? { error: task.error.message } : {}) });
    }
    const failedNodes = tasks.filter((t) => t.state === 'failed').map((t) => `${t.nodeId}: ${t.error?.message ?? 'failed'}`);
    const runCheck: ExpectationOutcome =
      result.state === test.runState
        ? { name: `run ${test.runState}`, passed: true }
        : { name: `run ${test.runState}`, passed: false, message: `run ${result.runId}: state expected ${test.runState}, actual ${result.state}${failedNodes.length ? ` (${failedNodes.join('; ')})` : ''}` };
    return {
      name: test.name,
      ...(selected.environment ? { environment: selected.environment } : {}),
      runId: result.runId,
      durationMs: Date.now() - started,
      outcomes: [runCheck, ...test.expect.map((expectation) => expectationOutcome(expectation, facts))],
    };
  } finally {
    await workspace.close();
    if (options.home === undefined) rmSync(home, { recursive: true, force: true });
  }
}

/**
 * Runs the tests of a pipeline (`NAME.test.json` beside `NAME.trellis.json`), each on its pinned
 * params and node params, and judges its expectations. Invalid input (a missing or malformed test
 * file, an unknown environment, a pipeline that does not compile) throws a SettingsFileError.
 */
export async function runPipelineTests(options: RunPipelineTestsOptions): Promise<PipelineTestReport> {
  const loaded = loadPipelineFile(options.pipelinePath);
  if (!loaded.ok) throw new SettingsFileError(loaded.diagnostics.map((d) => formatDiagnostic(d, loaded.path)).join('\n'));
  const testFile = testFileFor(loaded.path);
  if (!existsSync(testFile)) {
    throw new SettingsFileError(`pipeline "${loaded.document.id}" has no tests: create ${testFile} with {"format": "trellis.test/1", "tests": [{"name": "...", "params": {}, "expect": [{"node": "...", "rows": {"min": 1}}]}]}`);
  }
  const file = readSettingsFile(testFile, PipelineTestFileSchema);
  const tests: TestOutcome[] = [];
  for (const test of file.tests) {
    options.onTest?.(test.name);
    tests.push(await runOne(options, loaded, test));
  }
  return { pipelineId: loaded.document.id, pipelineFile: loaded.path, testFile, tests };
}
