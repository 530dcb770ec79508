import { FINAL_TASK_STATES, type ApiOutput, type CacheDecision, type LogRecord, type NodeOutputs, type RunEvent, type RunState, type TaskError, type TaskState } from '../api/contract.js';

/** One node in one run, as the canvas draws it. */
export interface TaskView {
  state: TaskState;
  attempt: number;
  /** When it (last) started running. */
  startedAt?: number;
  finishedAt?: number;
  progress?: { fraction: number; message?: string };
  cache?: CacheDecision;
  error?: TaskError;
  outputs?: NodeOutputs;
  /** Why it was skipped. */
  reason?: string;
  metrics: Record<string, number>;
}

export interface LogLine {
  time: number;
  nodeId: string;
  level: LogRecord['level'];
  message: string;
}

/** A run folded from its events (live) or from its stored record (history). */
export interface RunView {
  runId: string;
  pipelineId?: string;
  /** `starting` until `run.started` arrives. */
  state: RunState | 'starting';
  startedAt: number;
  finishedAt?: number;
  error?: string;
  tasks: Record<string, TaskView>;
  logs: LogLine[];
}

/** Log lines kept per run in memory; the store keeps all of them (open the run from history). */
export const MAX_LOG_LINES = 5000;

export function emptyRun(runId: string, time: number): RunView {
  return { runId, state: 'starting', startedAt: time, tasks: {}, logs: [] };
}

function task(run: RunView, nodeId: string): TaskView {
  return run.tasks[nodeId] ?? { state: 'pending', attempt: 0, metrics: {} };
}

function withTask(run: RunView, nodeId: string, next: TaskView): RunView {
  return { ...run, tasks: { ...run.tasks, [nodeId]: next } };
}

/** Folds one event into a run; events of other runs must not be passed in. */
export function applyRunEvent(current: RunView | undefined, event: RunEvent): RunView {
  const run = current ?? emptyRun(event.runId, event.time);
  switch (event.type) {
    case 'run.started': {
      const tasks: Record<string, TaskView> = { ...run.tasks };
      // A resumed run keeps the states it already had; a fresh run starts every node pending.
      for (const node of event.nodes) tasks[node.id] ??= { state: 'pending', attempt: 0, metrics: {} };
      const next: RunView = { ...run, pipelineId: event.pipelineId, state: 'running', tasks };
      delete next.finishedAt;
      delete next.error;
      if (!event.resumed) next.startedAt = event.time;
      return next;
    }
    case 'task.state': {
      const before = task(run, event.nodeId);
      const next: TaskView = { ...before, state: event.state, attempt: event.attempt };
      if (event.state === 'running' && before.state !== 'running') {
        next.startedAt = event.time;
        delete next.finishedAt;
        delete next.error;
      }
      if (event.state !== 'running') delete next.progress;
      if (FINAL_TASK_STATES.has(event.state)) next.finishedAt = event.time;
      if (event.cache) next.cache = event.cache;
      if (event.error) next.error = event.error;
      if (event.outputs) next.outputs = event.outputs;
      if (event.reason !== undefined) next.reason = event.reason;
      return withTask(run, event.nodeId, next);
    }
    case 'task.progress': {
      const progress = event.message !== undefined ? { fraction: event.fraction, message: event.message } : { fraction: event.fraction };
      return withTask(run, event.nodeId, { ...task(run, event.nodeId), progress });
    }
    case 'task.metric': {
      const before = task(run, event.nodeId);
      return withTask(run, event.nodeId, { ...before, metrics: { ...before.metrics, [event.name]: event.value } });
    }
    case 'task.log': {
      const line: LogLine = { time: event.time, nodeId: event.nodeId, level: event.level, message: event.message };
      const logs = run.logs.length >= MAX_LOG_LINES ? [...run.logs.slice(run.logs.length - MAX_LOG_LINES + 1), line] : [...run.logs, line];
      return { ...run, logs };
    }
    case 'alert':
      // Shown as a notification (AlertToasts), not part of the run's state.
      return run;
    case 'run.finished': {
      const next: RunView = { ...run, state: event.state, finishedAt: event.time };
      if (event.error !== undefined) next.error = event.error;
      return next;
    }
  }
}

/** A stored run (`getRun`, plus its logs) in the shape live runs have. */
export function runViewFromRecord(detail: ApiOutput<'getRun'>, logs: readonly LogRecord[] = []): RunView {
  const tasks: Record<string, TaskView> = {};
  for (const record of detail.tasks) {
    const view: TaskView = { state: record.state, attempt: record.attempt, metrics: {} };
    if (record.startedAt !== undefined) view.startedAt = record.startedAt;
    if (record.finishedAt !== undefined) view.finishedAt = record.finishedAt;
    if (record.cache) view.cache = record.cache;
    if (record.error) view.error = record.error;
    if (record.outputs) view.outputs = record.outputs;
    if (record.reason !== undefined) view.reason = record.reason;
    tasks[record.nodeId] = view;
  }
  for (const metric of detail.metrics) {
    const view = tasks[metric.nodeId];
    if (view) view.metrics[metric.name] = metric.value;
  }
  const run: RunView = {
    runId: detail.run.id,
    pipelineId: detail.run.pipelineId,
    state: detail.run.state,
    startedAt: detail.run.startedAt,
    tasks,
    logs: logs.map((l) => ({ time: l.time, nodeId: l.nodeId, level: l.level, message: l.message })),
  };
  if (detail.run.finishedAt !== undefined) run.finishedAt = detail.run.finishedAt;
  if (detail.run.error !== undefined) run.error = detail.run.error;
  return run;
}

export function isRunActive(run: RunView | undefined): boolean {
  return run !== undefined && (run.state === 'running' || run.state === 'starting');
}

/** "850 ms", "12.3 s", "4 min 05 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
}
