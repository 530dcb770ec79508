import { availableParallelism, hostname } from 'node:os';
import type { ArtifactStore } from '../artifacts/artifactStore.js';
import { ancestorsOf, descendantsOf, type ExecutionPlan, type PlanNode } from '../compile/executionPlan.js';
import { DataEngine } from '../data/dataEngine.js';
import type { AnyNodeDefinition } from '../node/nodeDefinition.js';
import type { NodeRegistry } from '../node/nodeRegistry.js';
import type { NodeServices } from '../node/nodeServices.js';
import type { TaskDeferral } from '../node/taskDeferral.js';
import { artifactsOf, type NodeOutputs, type PortValue } from '../node/portValue.js';
import type { CacheDecision, RunEvent } from '../run/runEvent.js';
import { FINAL_TASK_STATES, producedOutputs, type RunState, type TaskState } from '../run/taskState.js';
import type { CacheHit, CacheParts, RunSelection, RunStore, TaskRecord } from '../store/runStore.js';
import { DetachRequest } from './detachRequest.js';
import { EventRecorder, type RunEventListener } from './eventRecorder.js';
import { BatchedLookup } from './batchedLookup.js';
import { newRunId, prepareTask, runTask, type TaskEnvironment } from './runTask.js';
import { TaskRecords } from './taskRecords.js';
import { triggerRuleAllows, type UpstreamCounts } from './triggerRuleAllows.js';
import { WorkerPool } from './workerPool.js';

export interface ExecuteOptions {
  plan: ExecutionPlan;
  registry: NodeRegistry;
  store: RunStore;
  artifacts: ArtifactStore;
  services: NodeServices;
  /** Canonical text of the pipeline document, kept as the pipeline version (see NewRun). */
  documentJson: string | (() => string);
  /** Folder that relative paths in params resolve against (the pipeline file's). */
  baseDir: string;
  selection?: RunSelection;
  /** Maximum tasks at once; default: the number of cores. */
  concurrency?: number;
  noCache?: boolean;
  signal?: AbortSignal;
  listeners?: RunEventListener[];
  /** Continue this existing run (see `resumeRun`) instead of creating one. */
  resumeRunId?: string;
  runId?: string;
  /**
   * When nothing is left to do but wait for decisions (approvals), stop and record the run as
   * `waiting` instead of polling until they arrive; `resume` continues it once decided.
   */
  detachWhenWaiting?: boolean;
  pool?: WorkerPool;
  now?: () => number;
}

export interface RunResult {
  runId: string;
  state: RunState;
  tasks: TaskRecord[];
}

/** A partial run that cannot start: an upstream node it needs has never produced outputs. */
export class PartialRunError extends Error {
  override readonly name = 'PartialRunError';
}

interface TaskSlot {
  node: PlanNode;
  state: TaskState;
  /** How its upstreams have ended so far, judged by its trigger rule. */
  upstream: UpstreamCounts;
  /** Why the first upstream that blocks all_succeeded did (the reason it is skipped with). */
  blockedBy?: string;
  dependents: string[];
  outputs?: NodeOutputs;
  /** Set once the task is ready and its cache lookup missed: what runTask needs. */
  prepared?: { definition: AnyNodeDefinition; inputs: Record<string, PortValue[]>; cacheKey: string; cache: CacheDecision };
  /** While `waiting`: the timer of the next check for its decision. */
  poll?: NodeJS.Timeout;
}

/**
 * Runs a plan: independent tasks in parallel up to the concurrency limit, each task through
 * cache lookup (prepareTask, before it takes a slot), attempts and retries (runTask); a failed
 * task skips everything downstream of it unless it continues on failure. The store and the
 * worker pool are injected; every event is committed before listeners see it.
 */
export async function executePlan(options: ExecuteOptions): Promise<RunResult> {
  const { plan, store } = options;
  const now = options.now ?? Date.now;
  const signal = options.signal ?? new AbortController().signal;
  const selection = options.selection ?? { mode: 'all' };
  const concurrency = Math.max(1, options.concurrency ?? availableParallelism());
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));

  const slots = new Map<string, TaskSlot>();
  for (const node of plan.nodes) slots.set(node.id, { node, state: 'pending', upstream: { pending: node.dependsOn.length, succeeded: 0, failed: 0, skipped: 0, cancelled: 0, excused: 0 }, dependents: [] });
  for (const node of plan.nodes) for (const dep of node.dependsOn) slots.get(dep)?.dependents.push(node.id);

  // Tasks that already have results: resumed runs keep their finished tasks; partial runs reuse
  // the latest outputs of the nodes upstream of what they execute.
  const preset = new Map<string, { state: TaskState; outputs?: NodeOutputs; reason?: string; recorded?: boolean }>();
  const runId = options.resumeRunId ?? options.runId ?? newRunId();
  if (options.resumeRunId) {
    for (const task of await store.getTasks(options.resumeRunId)) {
      if (producedOutputs(task.state) && task.outputs) preset.set(task.nodeId, { state: task.state, outputs: task.outputs, recorded: true });
    }
  }
  if (selection.mode !== 'all') {
    const target = selection.node;
    if (target === undefined || !byId.has(target)) throw new PartialRunError(`There is no node "${String(target)}" in pipeline "${plan.pipelineId}".`);
    const selected = selection.mode === 'from' ? descendantsOf(plan, target) : selection.mode === 'to' ? ancestorsOf(plan, target) : new Set([target]);
    const needed = new Set<string>();
    for (const id of selected) for (const dep of byId.get(id)?.dependsOn ?? []) if (!selected.has(dep)) needed.add(dep);
    for (const id of needed) {
      if (preset.has(id)) continue;
      const previous = await store.latestOutputs(plan.pipelineId, id);
      if (!previous?.outputs || !artifactsOf(previous.outputs).every((a) => options.artifacts.has(a))) {
        throw new PartialRunError(`Node "${id}" has no earlier successful output to reuse for --${selection.mode} ${target}. Run the whole pipeline (or --to ${id}) first.`);
      }
      preset.set(id, { state: 'cached', outputs: previous.outputs, reason: `outside this partial run: reused the outputs of run ${previous.runId}` });
    }
    for (const node of plan.nodes) {
      if (!selected.has(node.id) && !needed.has(node.id)) preset.set(node.id, { state: 'skipped', reason: `outside this partial run (--${selection.mode} ${target})` });
    }
  }

  let records: TaskRecords;
  if (options.resumeRunId) {
    await store.reopenRun(runId, process.pid, hostname(), now());
    records = new TaskRecords(runId, plan, await store.getTasks(runId));
  } else {
    await store.createRun({ id: runId, plan, documentJson: options.documentJson, selection, startedAt: now(), pid: process.pid, host: hostname(), baseDir: options.baseDir });
    records = new TaskRecords(runId, plan);
  }

  const recorder = new EventRecorder(store, options.listeners ?? []);
  const emit = (event: RunEvent): void => {
    if (event.type === 'task.state') records.apply(event);
    recorder.emit(event);
  };
  const data = await DataEngine.open(options.artifacts);
  const pool = options.pool ?? new WorkerPool();
  const attempts = new Set<() => void>();
  const cacheHits = new BatchedLookup<string, CacheHit>((keys) => store.findByCacheKeys(keys));
  const previousParts = new BatchedLookup<string, CacheParts>((nodeIds) => store.previousCacheParts(plan.pipelineId, nodeIds, runId));
  const env: TaskEnvironment = { runId, records, attempts, cacheHits, previousParts, pipelineId: plan.pipelineId, pipelineHash: plan.pipelineHash, baseDir: options.baseDir, store, artifacts: options.artifacts, services: options.services, data, pool, noCache: options.noCache ?? false, runSignal: signal, emit, now };

  emit({ type: 'run.started', runId, time: now(), pipelineId: plan.pipelineId, pipelineHash: plan.pipelineHash, nodes: plan.nodes.map((n) => ({ id: n.id, type: n.type, title: n.title })), resumed: options.resumeRunId !== undefined });

  // Tasks waiting for a slot, first in first out; `readyHead` is the next to start (an index
  // rather than shift(), which moves the whole array on every start).
  let ready: string[] = [];
  let readyHead = 0;
  let running = 0;
  // Tasks between enqueue and a slot (their cache lookup in flight): not idle, so no detach yet.
  let preparing = 0;
  let waiting = 0;
  let detached = false;
  // Set by detachWhenWaiting, or by an abort with a DetachRequest while something waits.
  let detachWhenOnlyWaiting = options.detachWhenWaiting ?? false;
  let finishedCount = 0;
  let settle: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (settle = resolve));

  const finish = (id: string, state: TaskState, outputs?: NodeOutputs): void => {
    const slot = slots.get(id) as TaskSlot;
    slot.state = state;
    if (outputs) slot.outputs = outputs;
    finishedCount++;
    for (const dependentId of slot.dependents) {
      const dependent = slots.get(dependentId) as TaskSlot;
      if (dependent.state !== 'pending') continue;
      countUpstream(dependent, slot);
      const verdict = triggerRuleAllows(dependent.node.triggerRule ?? 'all_succeeded', dependent.upstream);
      if (verdict.decision === 'run') enqueue(dependentId);
      else if (verdict.decision === 'skip') skip(dependentId, dependent.node.triggerRule === undefined && dependent.blockedBy ? dependent.blockedBy : verdict.reason);
    }
    if (finishedCount === slots.size) settle();
  };
  /** A task the run's cancel reached before it started. */
  const cancel = (id: string): void => {
    emit({ type: 'task.state', runId, nodeId: id, time: now(), state: 'cancelled', attempt: 0, reason: 'the run was cancelled' });
    finish(id, 'cancelled');
  };
  const skip = (id: string, reason: string): void => {
    emit({ type: 'task.state', runId, nodeId: id, time: now(), state: 'skipped', attempt: 0, reason });
    finish(id, 'skipped');
  };
  const enqueue = (id: string, reason?: string): void => {
    const slot = slots.get(id) as TaskSlot;
    if (signal.aborted) {
      cancel(id);
      return;
    }
    // Internally no longer pending (a cancel now reaches it after its lookup); it is recorded as
    // queued only once it waits for a slot: a cache hit never does, and goes straight to cached.
    slot.state = 'queued';
    preparing++;
    void prepare(slot, reason).finally(() => {
      preparing--;
      detachIfOnlyWaiting();
    });
  };
  const pump = (): void => {
    while (running < concurrency && readyHead < ready.length) {
      const id = ready[readyHead++] as string;
      if (readyHead > 1024 && readyHead * 2 > ready.length) {
        ready = ready.slice(readyHead);
        readyHead = 0;
      }
      running++;
      void start(id).finally(() => {
        running--;
        pump();
        detachIfOnlyWaiting();
      });
    }
  };
  /** A queued task's inputs and cache lookup, before it takes a slot: a cache hit needs none. */
  const prepare = async (slot: TaskSlot, reason?: string): Promise<void> => {
    const id = slot.node.id;
    const definition = options.registry.get(slot.node.type, slot.node.version);
    const inputs: Record<string, PortValue[]> = {};
    const missing: string[] = [];
    for (const [port, refs] of Object.entries(slot.node.inputs)) {
      const values: PortValue[] = [];
      for (const ref of refs) {
        const value = slots.get(ref.node)?.outputs?.[ref.port];
        if (value) values.push(value);
        else missing.push(`${port} (from ${ref.node}.${ref.port})`);
      }
      inputs[port] = values;
    }
    if (!definition) {
      emit({ type: 'task.state', runId, nodeId: id, time: now(), state: 'failed', attempt: 0, error: { kind: 'user', message: `Node "${id}": node type ${slot.node.type} v${slot.node.version} is not in this catalog.` } });
      finish(id, 'failed');
      return;
    }
    const requiredMissing = missing.filter((m) => !definition.inputs.find((p) => m.startsWith(`${p.name} `))?.optional);
    if (requiredMissing.length > 0) {
      skip(id, `no value for input ${requiredMissing.join(', ')}: the upstream node produced none`);
      return;
    }
    const preparation = await prepareTask(slot.node, definition, inputs, env);
    if (preparation.done) {
      finish(id, preparation.outcome.state, preparation.outcome.outputs);
      return;
    }
    if (signal.aborted) {
      // Cancelled while its cache was looked up: it never gets a slot.
      cancel(id);
      return;
    }
    slot.prepared = { definition, inputs, cacheKey: preparation.cacheKey, cache: preparation.cache };
    // The common case builds no extra object: this runs once per task of every run.
    emit(reason === undefined
      ? { type: 'task.state', runId, nodeId: id, time: now(), state: 'queued', attempt: 0 }
      : { type: 'task.state', runId, nodeId: id, time: now(), state: 'queued', attempt: 0, reason });
    ready.push(id);
    pump();
  };
  const start = async (id: string): Promise<void> => {
    const slot = slots.get(id) as TaskSlot;
    const prepared = slot.prepared as NonNullable<TaskSlot['prepared']>;
    slot.state = 'running';
    slot.prepared = undefined;
    const outcome = await runTask(slot.node, prepared.definition, prepared.inputs, env, prepared);
    if (outcome.state === 'waiting' && outcome.deferral) awaitDecision(id, outcome.deferral);
    else finish(id, outcome.state, outcome.outputs);
  };
  // A waiting task holds no slot: only a timer that asks whether its decision has arrived, then
  // queues the task to run again (the node reads the decision itself).
  const awaitDecision = (id: string, deferral: TaskDeferral): void => {
    const slot = slots.get(id) as TaskSlot;
    slot.state = 'waiting';
    waiting++;
    const check = async (): Promise<void> => {
      let decided = false;
      try {
        decided = await deferral.check.ready();
      } catch (cause) {
        emit({ type: 'task.log', runId, nodeId: id, time: now(), level: 'warn', message: `checking for the decision failed (will retry): ${cause instanceof Error ? cause.message : String(cause)}` });
      }
      if (slot.state !== 'waiting' || detached || detachWhenOnlyWaiting) return;
      if (!decided) {
        slot.poll = setTimeout(() => void check(), deferral.check.pollMs);
        return;
      }
      slot.poll = undefined;
      waiting--;
      slot.state = 'pending';
      enqueue(id, 'the awaited decision arrived');
    };
    slot.poll = setTimeout(() => void check(), deferral.check.pollMs);
  };
  const detachIfOnlyWaiting = (): void => {
    if (!detachWhenOnlyWaiting || detached || waiting === 0 || running > 0 || preparing > 0 || readyHead < ready.length) return;
    detached = true;
    for (const slot of slots.values()) if (slot.poll) clearTimeout(slot.poll);
    settle();
  };

  const onAbort = (): void => {
    // The host is going away, not the run: what waits for a decision stays waiting (see DetachRequest).
    if (signal.reason instanceof DetachRequest && waiting > 0) {
      detachWhenOnlyWaiting = true;
      for (const slot of slots.values()) if (slot.poll) clearTimeout(slot.poll);
    }
    // Queued tasks never start; running ones see their signal abort (runTask).
    const queued = ready.slice(readyHead);
    ready = [];
    readyHead = 0;
    for (const id of queued) {
      cancel(id);
    }
    for (const slot of slots.values()) {
      if (slot.state === 'waiting' && !detachWhenOnlyWaiting) {
        clearTimeout(slot.poll);
        waiting--;
        emit({ type: 'task.state', runId, nodeId: slot.node.id, time: now(), state: 'cancelled', attempt: 0, reason: 'the run was cancelled while it waited for a decision' });
        finish(slot.node.id, 'cancelled');
      }
    }
    for (const slot of slots.values()) {
      if (slot.state === 'pending') {
        cancel(slot.node.id);
      }
    }
    detachIfOnlyWaiting();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  // After onAbort, as each attempt's own listener used to be: queued tasks are cancelled first.
  const stopAttempts = (): void => {
    for (const stop of [...attempts]) stop();
  };
  signal.addEventListener('abort', stopAttempts, { once: true });

  try {
    for (const node of plan.nodes) {
      const given = preset.get(node.id);
      if (!given) continue;
      const slot = slots.get(node.id) as TaskSlot;
      if (!given.recorded) {
        emit(given.state === 'cached'
          ? { type: 'task.state', runId, nodeId: node.id, time: now(), state: 'cached', attempt: 0, cache: { outcome: 'hit', reason: given.reason ?? 'reused' }, ...(given.outputs ? { outputs: given.outputs } : {}) }
          : { type: 'task.state', runId, nodeId: node.id, time: now(), state: given.state, attempt: 0, ...(given.reason ? { reason: given.reason } : {}) });
      }
      slot.state = given.state;
      if (given.outputs) slot.outputs = given.outputs;
    }
    // Settle preset tasks in plan order so dependents count them off before anything starts.
    for (const node of plan.nodes) {
      const given = preset.get(node.id);
      if (given) {
        (slots.get(node.id) as TaskSlot).state = 'pending';
        finishPreset(node.id, given.state, given.outputs);
      }
    }
    if (signal.aborted) onAbort();
    for (const node of plan.nodes) {
      const slot = slots.get(node.id) as TaskSlot;
      if (slot.state === 'pending' && slot.node.dependsOn.length === 0) enqueue(node.id);
    }
    if (slots.size === 0 || finishedCount === slots.size) settle();
    await allDone;
  } finally {
    signal.removeEventListener('abort', onAbort);
    signal.removeEventListener('abort', stopAttempts);
  }

  const states = [...slots.values()];
  const failed = states.some((s) => s.state === 'failed' && !s.node.continueOnFailure);
  const state: RunState = detached ? 'waiting' : signal.aborted ? 'cancelled' : failed ? 'failed' : 'succeeded';
  const failedNodes = states.filter((s) => s.state === 'failed').map((s) => s.node.id);
  const waitingNodes = states.filter((s) => s.state === 'waiting').map((s) => s.node.id);
  emit(state === 'failed'
    ? { type: 'run.finished', runId, time: now(), state, error: `node${failedNodes.length > 1 ? 's' : ''} ${failedNodes.join(', ')} failed` }
    : state === 'waiting'
      ? { type: 'run.finished', runId, time: now(), state, error: `waiting for a decision on ${waitingNodes.join(', ')}; resume after it (trellis resume ${runId})` }
      : { type: 'run.finished', runId, time: now(), state });
  try {
    await recorder.flush();
  } finally {
    if (!options.pool) await pool.close();
    data.closeDatabase();
  }
  // Every event is committed by now (flush), so the records are what the store holds.
  return { runId, state, tasks: records.all() };

  /**
   * Counts how `upstream` ended for `dependent`'s trigger rule. An upstream that produced
   * outputs but not the one a gate (or a required input) of the dependent reads counts as
   * skipped: the branch was not taken.
   */
  function countUpstream(dependent: TaskSlot, upstream: TaskSlot): void {
    const counts = dependent.upstream;
    const id = upstream.node.id;
    counts.pending--;
    let outcome: 'succeeded' | 'failed' | 'skipped' | 'cancelled';
    let reason: string;
    if (producedOutputs(upstream.state)) {
      const notTaken = missingOutputOf(dependent.node, upstream);
      if (notTaken === undefined) {
        counts.succeeded++;
        return;
      }
      outcome = 'skipped';
      reason = `branch not taken: upstream node "${id}" did not produce "${notTaken}"`;
    } else {
      outcome = upstream.state === 'failed' ? 'failed' : upstream.state === 'cancelled' ? 'cancelled' : 'skipped';
      reason = `upstream node "${id}" ${outcome === 'skipped' ? 'was skipped' : outcome}`;
    }
    counts[outcome]++;
    const excused = (outcome === 'failed' && upstream.node.continueOnFailure) || !needsOutputsOf(dependent.node, id);
    if (excused) counts.excused++;
    else dependent.blockedBy ??= reason;
  }

  /** The first output of `upstream` that `node` needs (a gate or a required input) and it did not produce. */
  function missingOutputOf(node: PlanNode, upstream: TaskSlot): string | undefined {
    const produced = upstream.outputs ?? {};
    const id = upstream.node.id;
    for (const gate of node.gates ?? []) if (gate.node === id && !produced[gate.port]) return gate.port;
    if (!node.gates && Object.keys(node.inputs).length === 0) return undefined;
    const definition = options.registry.get(node.type, node.version);
    for (const [port, refs] of Object.entries(node.inputs)) {
      if (definition?.inputs.find((p) => p.name === port)?.optional) continue;
      for (const ref of refs) if (ref.node === id && !produced[ref.port]) return ref.port;
    }
    return undefined;
  }

  /** Whether `node` cannot run without `upstream`: a control edge or a required input from it. */
  function needsOutputsOf(node: PlanNode, upstream: string): boolean {
    if (node.after?.includes(upstream)) return true;
    const definition = options.registry.get(node.type, node.version);
    const fed = Object.entries(node.inputs).filter(([, refs]) => refs.some((ref) => ref.node === upstream));
    if (fed.length === 0) return true; // only a control edge links them
    return fed.some(([port]) => !definition?.inputs.find((p) => p.name === port)?.optional);
  }

  function finishPreset(id: string, state: TaskState, outputs?: NodeOutputs): void {
    if (FINAL_TASK_STATES.has(state)) finish(id, state, outputs);
  }
}
