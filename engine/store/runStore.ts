import { z } from 'zod';
import type { ExecutionPlan } from '../compile/executionPlan.js';
import { NodeOutputsSchema } from '../node/portValue.js';
import { CacheDecisionSchema, TaskErrorSchema, type RunEvent } from '../run/runEvent.js';
import { RunStateSchema, TaskStateSchema } from '../run/taskState.js';

/** Which part of a plan a run executes. */
export const RunSelectionSchema = z.object({
  mode: z.enum(['all', 'from', 'to', 'only']),
  node: z.string().optional(),
});
export type RunSelection = z.infer<typeof RunSelectionSchema>;

/** What a cache key was made of, kept so a miss can say what changed since the last run. */
export const CachePartsSchema = z.object({
  type: z.string(),
  version: z.int(),
  params: z.string(),
  inputs: z.record(z.string(), z.array(z.string())),
  files: z.record(z.string(), z.string()),
});
export type CacheParts = z.infer<typeof CachePartsSchema>;

export const RunRecordSchema = z.object({
  id: z.string(),
  pipelineId: z.string(),
  pipelineName: z.string(),
  pipelineHash: z.string(),
  state: RunStateSchema,
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  selection: RunSelectionSchema,
  startedAt: z.number(),
  finishedAt: z.number().optional(),
  error: z.string().optional(),
  /** Process that drives the run; a dead one means the run was interrupted. */
  pid: z.int(),
  host: z.string(),
  /** How many times `resume` has picked the run up. */
  resumes: z.int(),
  /** Folder of the pipeline file, for paths relative to it. */
  baseDir: z.string(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

export const TaskRecordSchema = z.object({
  runId: z.string(),
  nodeId: z.string(),
  type: z.string(),
  state: TaskStateSchema,
  attempt: z.int(),
  startedAt: z.number().optional(),
  finishedAt: z.number().optional(),
  cacheKey: z.string().optional(),
  cacheParts: CachePartsSchema.optional(),
  cache: CacheDecisionSchema.optional(),
  error: TaskErrorSchema.optional(),
  outputs: NodeOutputsSchema.optional(),
  reason: z.string().optional(),
});
export type TaskRecord = z.infer<typeof TaskRecordSchema>;

/** The result a cache hit reuses: the outputs of an earlier task with the same cache key. */
export const CacheHitSchema = z.object({
  runId: z.string(),
  state: z.enum(['succeeded', 'cached']),
  outputs: NodeOutputsSchema,
});
export type CacheHit = z.infer<typeof CacheHitSchema>;

export const LogRecordSchema = z.object({
  runId: z.string(),
  nodeId: z.string(),
  time: z.number(),
  level: z.enum(['debug', 'info', 'warn', 'error']),
  message: z.string(),
});
export type LogRecord = z.infer<typeof LogRecordSchema>;

export const MetricRecordSchema = z.object({
  runId: z.string(),
  pipelineId: z.string(),
  nodeId: z.string(),
  name: z.string(),
  value: z.number(),
  time: z.number(),
});
export type MetricRecord = z.infer<typeof MetricRecordSchema>;

export const TaskTransitionSchema = z.object({
  runId: z.string(),
  nodeId: z.string(),
  state: TaskStateSchema,
  attempt: z.int(),
  time: z.number(),
});
export type TaskTransition = z.infer<typeof TaskTransitionSchema>;

export const ArtifactRecordSchema = z.object({
  id: z.string(),
  kind: z.string(),
  bytes: z.int(),
  runId: z.string(),
  nodeId: z.string(),
  port: z.string(),
  createdAt: z.number(),
});
export type ArtifactRecord = z.infer<typeof ArtifactRecordSchema>;

export interface NewRun {
  id: string;
  plan: ExecutionPlan;
  /**
   * The canonical pipeline document text, stored once per hash as a pipeline version. A function
   * is called only when the version is new: writing out a large document again for every run of
   * it was a visible part of starting one.
   */
  documentJson: string | (() => string);
  selection: RunSelection;
  startedAt: number;
  pid: number;
  host: string;
  baseDir: string;
}

/** A pipeline known to the workspace and its latest version. */
export interface PipelineRecord {
  id: string;
  name: string;
  hash: string;
  updatedAt: number;
  lastRun?: { id: string; state: z.infer<typeof RunStateSchema>; startedAt: number };
}

export interface RunQuery {
  pipelineId?: string;
  state?: z.infer<typeof RunStateSchema>;
  limit?: number;
}

/**
 * The durable record of everything that runs. The executor calls `apply` with each batch of
 * events and only emits them once it resolves, so what listeners see is always already stored.
 * Async throughout so a server-grade store (PostgreSQL) can stand in for the embedded SQLite one.
 */
export interface RunStore {
  /** Creates the run (state running, every planned task pending) and its pipeline version. */
  createRun(run: NewRun): Promise<void>;
  /** Saves a version of a pipeline document (canonical text); saving a known hash makes it the latest again. */
  savePipelineVersion(pipelineId: string, name: string, hash: string, documentJson: string, time: number): Promise<void>;
  /** Pipelines with their latest version (saved or run), most recently changed first. */
  listPipelines(): Promise<PipelineRecord[]>;
  /** The document text of a pipeline's latest version, or of the version `hash`. */
  getPipelineDocument(pipelineId: string, hash?: string): Promise<string | undefined>;
  /** Records events atomically (one transaction), in order. */
  apply(events: readonly RunEvent[]): Promise<void>;
  /** Stores what a task's cache key was made of (before its state event). */
  setCacheParts(runId: string, nodeId: string, cacheKey: string, parts: CacheParts): Promise<void>;
  recordArtifacts(artifacts: readonly ArtifactRecord[]): Promise<void>;

  getRun(runId: string): Promise<RunRecord | undefined>;
  listRuns(query?: RunQuery): Promise<RunRecord[]>;
  getPlan(runId: string): Promise<ExecutionPlan | undefined>;
  getDocument(pipelineHash: string): Promise<string | undefined>;
  getTasks(runId: string): Promise<TaskRecord[]>;
  getTransitions(runId: string, nodeId?: string): Promise<TaskTransition[]>;
  getLogs(runId: string, nodeId?: string): Promise<LogRecord[]>;
  getMetrics(query: { runId?: string; pipelineId?: string; name?: string }): Promise<MetricRecord[]>;

  /**
   * For each cache key that has one, the outputs of the most recent succeeded (or cached) task
   * with that key. One call for many keys: the executor asks for a whole ready layer at once.
   */
  findByCacheKeys(cacheKeys: readonly string[]): Promise<Map<string, CacheHit>>;
  /** The most recent task of this pipeline node that produced outputs (succeeded or cached). */
  latestOutputs(pipelineId: string, nodeId: string): Promise<TaskRecord | undefined>;
  /**
   * By node id, for each of `nodeIds` that has one: the cache parts of its most recent task in
   * another run of this pipeline.
   */
  previousCacheParts(pipelineId: string, nodeIds: readonly string[], beforeRunId: string): Promise<Map<string, CacheParts>>;

  /**
   * Marks runs whose driving process is gone as interrupted (their unfinished tasks go back to
   * pending), or as waiting when a task awaits a decision. Returns the interrupted ones' ids.
   * Called at every start.
   */
  markInterrupted(isAlive: (pid: number, host: string) => boolean): Promise<string[]>;
  /** Takes over an interrupted, waiting, failed or cancelled run for `resume`: state running again, new pid. */
  reopenRun(runId: string, pid: number, host: string, time: number): Promise<void>;

  close(): Promise<void>;
}
