import { randomUUID } from 'node:crypto';
import type { ArtifactStore } from '../artifacts/artifactStore.js';
import type { PlanNode } from '../compile/executionPlan.js';
import type { DataEngine } from '../data/dataEngine.js';
import { tablePreview } from '../data/tablePreview.js';
import type { AnyNodeDefinition } from '../node/nodeDefinition.js';
import type { NodeServices } from '../node/nodeServices.js';
import { isTaskDeferral, type TaskDeferral } from '../node/taskDeferral.js';
import { isTaskSkip } from '../node/taskSkip.js';
import { NodeOutputsSchema, artifactsOf, portValueFits, type NodeOutputs, type PortValue } from '../node/portValue.js';
import type { CacheDecision, RunEvent, TaskError } from '../run/runEvent.js';
import type { TaskState } from '../run/taskState.js';
import type { ArtifactRecord, CacheHit, CacheParts, RunStore } from '../store/runStore.js';
import type { BatchedLookup } from './batchedLookup.js';
import { cacheKeyOf, cacheParts, describeCacheMiss } from './cacheKey.js';
import { TaskCancelledError, TaskTimeoutError, classifyError } from './classifyError.js';
import { retryDelay, sleep } from './retryDelay.js';
import { createTaskContext } from './taskContext.js';
import type { TaskRecords } from './taskRecords.js';
import type { WorkerPool } from './workerPool.js';

export interface TaskEnvironment {
  runId: string;
  /** The run's task rows as the executor knows them (see TaskRecords). */
  records: TaskRecords;
  pipelineId: string;
  pipelineHash: string;
  baseDir: string;
  store: RunStore;
  artifacts: ArtifactStore;
  data: DataEngine;
  pool: WorkerPool;
  services: NodeServices;
  noCache: boolean;
  runSignal: AbortSignal;
  /**
   * How to stop each attempt under way; the run's abort calls them all. One listener on the run
   * signal for the whole run, rather than one added and removed per attempt: Node's EventTarget
   * made that a visible share of a no-op task's cost.
   */
  attempts: Set<() => void>;
  /** The latest earlier result under a cache key (batched: see BatchedLookup). */
  cacheHits: BatchedLookup<string, CacheHit>;
  /** By node id: the cache parts of the node's latest task in another run of this pipeline. */
  previousParts: BatchedLookup<string, CacheParts>;
  emit(event: RunEvent): void;
  now(): number;
}

export interface TaskOutcome {
  state: TaskState;
  outputs?: NodeOutputs;
  error?: TaskError;
  /** With state `waiting`: how to tell when running the task again would finish it. */
  deferral?: TaskDeferral;
}

/** How long tasks may run back to back without the event loop getting a turn. */
const MAX_UNYIELDED_MS = 10;
let lastYield = performance.now();

/**
 * Tasks that finish without real I/O (cache hits, no-ops) chain through microtasks only, so a
 * long stretch of them would hold the event loop: no event batch committed, no listener updated,
 * no Ctrl-C or IPC handled until the run ends. Every few milliseconds, let a turn of it pass.
 */
async function yieldEventLoop(): Promise<void> {
  if (performance.now() - lastYield < MAX_UNYIELDED_MS) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  lastYield = performance.now();
}

/** What the cache said about a task: it is finished (a hit, or a failure), or it has to run. */
export type TaskPreparation = { done: true; outcome: TaskOutcome } | { done: false; cacheKey: string; cache: CacheDecision };

type StateFields = Omit<Extract<RunEvent, { type: 'task.state' }>, 'type' | 'runId' | 'nodeId' | 'time'>;

/**
 * A ready task's cache key and lookup, done before it takes one of the run's slots: a hit needs
 * no slot, and tasks waiting for one share their lookups (see BatchedLookup). Never throws.
 */
export async function prepareTask(node: PlanNode, definition: AnyNodeDefinition, inputs: Readonly<Record<string, readonly PortValue[]>>, env: TaskEnvironment): Promise<TaskPreparation> {
  const state = (fields: StateFields): void => env.emit({ type: 'task.state', runId: env.runId, nodeId: node.id, time: env.now(), ...fields });
  let cacheKey: string;
  let cache: CacheDecision;
  try {
    const files = (definition.files?.(node.params) ?? []).map((f) => (f.startsWith('/') ? f : `${env.baseDir}/${f}`));
    const parts = await cacheParts(node, inputs, files);
    cacheKey = cacheKeyOf(parts);
    await env.store.setCacheParts(env.runId, node.id, cacheKey, parts);
    env.records.setCacheParts(node.id, cacheKey, parts);
    if (env.noCache) cache = { outcome: 'off', reason: 'caching turned off for this run (--no-cache)' };
    else if (!node.cache) cache = { outcome: 'off', reason: 'caching is off for this node ("cache": false)' };
    else {
      const hit = await env.cacheHits.get(cacheKey);
      if (hit && artifactsOf(hit.outputs).every((id) => env.artifacts.has(id))) {
        cache = { outcome: 'hit', reason: `same node version, params and inputs as run ${hit.runId}` };
        state({ state: 'cached', attempt: 0, cacheKey, cache, outputs: hit.outputs });
        return { done: true, outcome: { state: 'cached', outputs: hit.outputs } };
      }
      const previous = await env.previousParts.get(node.id);
      cache = { outcome: 'miss', reason: hit ? 'the cached outputs were removed from the artifact store' : describeCacheMiss(parts, previous) };
    }
  } catch (cause) {
    const error = classifyError(cause, node.id, node.type);
    state({ state: 'failed', attempt: 0, error });
    return { done: true, outcome: { state: 'failed', error } };
  }
  return { done: false, cacheKey, cache };
}

/** A prepared task (see prepareTask) through its attempts to a final state. Never throws. */
export async function runTask(node: PlanNode, definition: AnyNodeDefinition, inputs: Readonly<Record<string, readonly PortValue[]>>, env: TaskEnvironment, prepared: { cacheKey: string; cache: CacheDecision }): Promise<TaskOutcome> {
  await yieldEventLoop();
  const base = { runId: env.runId, nodeId: node.id };
  const state = (fields: StateFields): void => env.emit({ type: 'task.state', ...base, time: env.now(), ...fields });
  const { cacheKey, cache } = prepared;
  for (let attempt = 1; ; attempt++) {
    state(attempt === 1 ? { state: 'running', attempt, cacheKey, cache } : { state: 'running', attempt });
    const outcome = await attemptTask(node, definition, inputs, env, attempt);
    if (outcome.ok) {
      state({ state: 'succeeded', attempt, outputs: outcome.outputs });
      return { state: 'succeeded', outputs: outcome.outputs };
    }
    if ('skip' in outcome) {
      state({ state: 'skipped', attempt, reason: outcome.skip });
      return { state: 'skipped' };
    }
    if ('deferral' in outcome) {
      state({ state: 'waiting', attempt, reason: outcome.deferral.check.message });
      return { state: 'waiting', deferral: outcome.deferral };
    }
    const { error } = outcome;
    if (error.kind === 'cancelled' || env.runSignal.aborted) {
      const cancelled: TaskError = { kind: 'cancelled', message: `Node "${node.id}" was cancelled.` };
      state({ state: 'cancelled', attempt, error: cancelled });
      return { state: 'cancelled', error: cancelled };
    }
    if (attempt >= node.retry.maxAttempts) {
      state({ state: 'failed', attempt, error });
      return { state: 'failed', error };
    }
    const delay = retryDelay(node.retry, attempt + 1);
    env.emit({ type: 'task.log', ...base, time: env.now(), level: 'warn', message: `attempt ${attempt} of ${node.retry.maxAttempts} failed: ${error.message} — retrying in ${delay} ms` });
    try {
      await sleep(delay, env.runSignal);
    } catch {
      const cancelled: TaskError = { kind: 'cancelled', message: `Node "${node.id}" was cancelled while waiting to retry.` };
      state({ state: 'cancelled', attempt, error: cancelled });
      return { state: 'cancelled', error: cancelled };
    }
  }
}

type AttemptResult = { ok: true; outputs: NodeOutputs } | { ok: false; error: TaskError } | { ok: false; deferral: TaskDeferral } | { ok: false; skip: string };

async function attemptTask(node: PlanNode, definition: AnyNodeDefinition, inputs: Readonly<Record<string, readonly PortValue[]>>, env: TaskEnvironment, attempt: number): Promise<AttemptResult> {
  const controller = new AbortController();
  // A node that ignores its signal must not hold the run: stopping also rejects this promise,
  // which the node's own promise races against.
  let rejectStopped: (reason: unknown) => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => (rejectStopped = reject));
  stopped.catch(() => undefined); // settled after the race is over: nobody is waiting then
  const stop = (reason: unknown): void => {
    if (controller.signal.aborted) return;
    controller.abort(reason);
    rejectStopped(reason);
  };
  const onRunAbort = (): void => stop(new TaskCancelledError());
  env.attempts.add(onRunAbort);
  if (env.runSignal.aborted) onRunAbort();
  const timer = node.timeoutMs === undefined ? undefined : setTimeout(() => stop(new TaskTimeoutError(node.timeoutMs as number)), node.timeoutMs);
  const base = { runId: env.runId, nodeId: node.id };
  let connection: DataEngine | undefined;
  let dispose = (): void => undefined;
  try {
    connection = await env.data.connect();
    const task = createTaskContext({
      runId: env.runId,
      pipelineId: env.pipelineId,
      pipelineHash: env.pipelineHash,
      nodeId: node.id,
      attempt,
      params: node.params,
      inputs,
      signal: controller.signal,
      artifacts: env.artifacts,
      data: connection,
      baseDir: env.baseDir,
      pool: env.pool,
      services: env.services,
      log: (level, message) => env.emit({ type: 'task.log', ...base, time: env.now(), level, message }),
      progress: (fraction, message) => env.emit(message === undefined ? { type: 'task.progress', ...base, time: env.now(), fraction } : { type: 'task.progress', ...base, time: env.now(), fraction, message }),
      metric: (name, value) => env.emit({ type: 'task.metric', ...base, time: env.now(), name, value }),
    });
    dispose = task.dispose;
    const raw = await Promise.race([definition.execute(task.context), stopped]);
    const outputs = await withPreviews(checkOutputs(definition, raw), connection, env.artifacts);
    await env.store.recordArtifacts(artifactRecords(outputs, env, node.id));
    return { ok: true, outputs };
  } catch (cause) {
    if (isTaskDeferral(cause) && !controller.signal.aborted) return { ok: false, deferral: cause };
    if (isTaskSkip(cause) && !controller.signal.aborted) return { ok: false, skip: cause.message };
    const reason = controller.signal.aborted ? controller.signal.reason : cause;
    return { ok: false, error: classifyError(reason, node.id, node.type) };
  } finally {
    if (timer) clearTimeout(timer);
    env.attempts.delete(onRunAbort);
    connection?.close();
    dispose();
  }
}

function checkOutputs(definition: AnyNodeDefinition, raw: unknown): NodeOutputs {
  const parsed = NodeOutputsSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`returned malformed outputs: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  for (const port of definition.outputs) {
    const value = parsed.data[port.name];
    if (!value) {
      if (port.optional) continue;
      throw new Error(`did not produce its output "${port.name}"`);
    }
    if (!portValueFits(port.type, value)) throw new Error(`output "${port.name}" should be a ${port.type} but is a ${value.kind}`);
  }
  return parsed.data;
}

/** Every table output gets a stored preview, so the CLI and the app can show it without rereading. */
async function withPreviews(outputs: NodeOutputs, data: DataEngine, artifacts: ArtifactStore): Promise<NodeOutputs> {
  const result: NodeOutputs = {};
  for (const [port, value] of Object.entries(outputs)) {
    result[port] = value.kind === 'table' && value.preview === undefined ? { ...value, preview: artifacts.putJson(await tablePreview(data, value)) } : value;
  }
  return result;
}

function artifactRecords(outputs: NodeOutputs, env: TaskEnvironment, nodeId: string): ArtifactRecord[] {
  return Object.entries(outputs).flatMap(([port, value]) => {
    if (!('artifact' in value)) return [];
    const record = (id: string, kind: string): ArtifactRecord => ({ id, kind, bytes: env.artifacts.size(id), runId: env.runId, nodeId, port, createdAt: env.now() });
    const records = [record(value.artifact, value.kind)];
    if (value.kind === 'table' && value.preview !== undefined) records.push(record(value.preview, 'preview'));
    return records;
  });
}

export function newRunId(): string {
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${stamp}-${randomUUID().slice(0, 8)}`;
}
