/**
 * The embedded run store: one SQLite file (better-sqlite3) per workspace.
 *
 * Durability: WAL with synchronous=NORMAL means a committed transaction survives the process being
 * killed at any point (only a power loss can drop the last commits), at a fraction of the fsync
 * cost of FULL. That is the guarantee the executor relies on: an event batch is stored before
 * anyone sees it.
 *
 * Every write is one IMMEDIATE transaction: taking the write lock up front lets busy_timeout wait
 * for another process instead of failing with SQLITE_BUSY when a read transaction tries to upgrade.
 *
 * JSON columns are validated with the record schemas on the way out, so a row written by a buggy
 * or older build fails loudly with the run and node it belongs to rather than leaking bad data.
 */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { ExecutionPlanSchema, type ExecutionPlan } from '../compile/executionPlan.js';
import type { RunEvent, RunEventOf } from '../run/runEvent.js';
import { FINAL_TASK_STATES, RunStateSchema, type RunState, type TaskState } from '../run/taskState.js';
import {
  CacheHitSchema,
  CachePartsSchema,
  LogRecordSchema,
  MetricRecordSchema,
  RunRecordSchema,
  TaskRecordSchema,
  TaskTransitionSchema,
  type ArtifactRecord,
  type CacheHit,
  type CacheParts,
  type LogRecord,
  type MetricRecord,
  type NewRun,
  type PipelineRecord,
  type RunQuery,
  type RunRecord,
  type RunStore,
  type TaskRecord,
  type TaskTransition,
} from './runStore.js';
import { migrateSchema } from './sqliteMigrations.js';
import { openSqlite } from './openSqlite.js';

/**
 * Task states a resume runs again: everything but succeeded and cached, which keep their outputs.
 * queued and running are included because a run that ended badly can leave tasks in flight (its
 * process died between a task starting and the run being marked), and they must not stay stuck.
 */
const REOPENED_TASK_STATES: readonly TaskState[] = ['pending', 'queued', 'running', 'waiting', 'failed', 'cancelled', 'skipped'];
/** Task states that were in flight when their process died. */
const IN_FLIGHT_TASK_STATES: readonly TaskState[] = ['queued', 'running'];

const RUN_COLUMNS = `
  id, pipeline_id AS pipelineId, pipeline_name AS pipelineName, pipeline_hash AS pipelineHash,
  state, params, selection, started_at AS startedAt, finished_at AS finishedAt, error, pid, host,
  resumes, base_dir AS baseDir`;
const RUN_JSON = ['params', 'selection'] as const;

const TASK_COLUMNS = `
  run_id AS runId, node_id AS nodeId, type, state, attempt, started_at AS startedAt,
  finished_at AS finishedAt, cache_key AS cacheKey, cache_parts AS cacheParts, cache, error,
  outputs, reason`;
const TASK_JSON = ['cacheParts', 'cache', 'error', 'outputs'] as const;
const CACHE_HIT_JSON = ['outputs'] as const;

const TextSchema = z.string();
const RunHostSchema = z.object({ id: z.string(), pid: z.int(), host: z.string() });
const TaskHeadSchema = z.object({ nodeId: z.string(), attempt: z.int() });
const RunStateRowSchema = z.object({ state: z.string(), pid: z.int(), host: z.string() });

/**
 * Turns a row (columns aliased to record keys) into a validated record: NULL columns become absent
 * keys and JSON columns are parsed, then the whole object goes through the record's schema.
 */
function toRecord<S extends z.ZodType>(schema: S, row: unknown, jsonKeys: readonly string[], what: string): z.output<S> {
  // Rows come from better-sqlite3 as plain objects; a full record schema per row was measurable.
  if (row === null || typeof row !== 'object') throw new Error(`run store: ${what} is not a row`);
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value === null) continue;
    if (jsonKeys.includes(key) && typeof value === 'string') {
      try {
        const parsed: unknown = JSON.parse(value);
        input[key] = parsed;
      } catch (cause) {
        throw new Error(`run store: ${what} has malformed JSON in ${key}`, { cause });
      }
    } else {
      input[key] = value;
    }
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new Error(`run store: ${what} does not match its schema: ${z.prettifyError(result.error)}`, { cause: result.error });
  }
  return result.data;
}

/** A JSON text column parsed and validated on its own (not as part of a row). */
function parseJsonText<S extends z.ZodType>(schema: S, text: unknown, what: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(TextSchema.parse(text));
  } catch (cause) {
    throw new Error(`run store: ${what} is not valid JSON text`, { cause });
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new Error(`run store: ${what} does not match its schema: ${z.prettifyError(result.error)}`, { cause: result.error });
  }
  return result.data;
}

function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

interface TaskStateParams {
  runId: string;
  nodeId: string;
  state: TaskState;
  attempt: number;
  startedAt: number | null;
  startedIfEntering: number | null;
  finishedAt: number | null;
  cacheKey: string | null;
  cacheParts: string | null;
  cache: string | null;
  error: string | null;
  outputs: string | null;
  reason: string | null;
}

/** One task's row update, merged over the task.state events of a batch. */
interface MergedTaskRow extends TaskStateParams {
  /** No event in the batch set more than state and attempt. */
  onlyState: boolean;
}

type SqlValue = string | number;
/** Tables written many rows at a time, with the columns each flattened row gives, in order. */
const MULTI_INSERT_COLUMNS = {
  task_transitions: ['run_id', 'node_id', 'state', 'attempt', 'time'],
  tasks: ['run_id', 'node_id', 'pipeline_id', 'type', 'state', 'attempt'],
} as const;
type MultiInsertTable = keyof typeof MULTI_INSERT_COLUMNS;
const MULTI_INSERT_CHUNK_ROWS = 256;

interface TaskBatch {
  rows: Map<string, MergedTaskRow>;
  /** run_id, node_id, state, attempt, time of each transition, flattened, in event order. */
  transitions: SqlValue[];
}

interface TransitionParams {
  runId: string;
  nodeId: string;
  state: TaskState;
  attempt: number;
  time: number;
}

/** Prepared once per connection: `apply` runs for every event batch of every run. */
function prepareStatements(db: Database.Database) {
  return {
    upsertPipeline: db.prepare<{ id: string; name: string; time: number }>(`
      INSERT INTO pipelines (id, name, first_seen, last_seen) VALUES (@id, @name, @time, @time)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, last_seen = max(last_seen, excluded.last_seen)`),
    insertVersion: db.prepare<{ hash: string; pipelineId: string; document: string; time: number }>(`
      INSERT INTO pipeline_versions (hash, pipeline_id, document, created_at) VALUES (@hash, @pipelineId, @document, @time)
      ON CONFLICT (hash) DO NOTHING`),
    saveVersion: db.prepare<{ hash: string; pipelineId: string; document: string; time: number }>(`
      INSERT INTO pipeline_versions (hash, pipeline_id, document, created_at) VALUES (@hash, @pipelineId, @document, @time)
      ON CONFLICT (hash) DO UPDATE SET created_at = max(created_at, excluded.created_at)`),
    listPipelines: db.prepare<[]>(`
      SELECT p.id, p.name, v.hash, v.created_at AS updatedAt,
             r.id AS runId, r.state AS runState, r.started_at AS runStartedAt
      FROM pipelines p
      JOIN pipeline_versions v ON v.hash = (
        SELECT hash FROM pipeline_versions WHERE pipeline_id = p.id ORDER BY created_at DESC, rowid DESC LIMIT 1)
      LEFT JOIN runs r ON r.id = (
        SELECT id FROM runs WHERE pipeline_id = p.id ORDER BY started_at DESC, rowid DESC LIMIT 1)
      ORDER BY max(v.created_at, coalesce(r.started_at, 0)) DESC`),
    latestDocument: db.prepare<[string]>(`
      SELECT document FROM pipeline_versions WHERE pipeline_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1`),
    versionExists: db.prepare<[string]>(`SELECT 1 FROM pipeline_versions WHERE hash = ?`).pluck(),
    documentOfVersion: db.prepare<[string, string]>(`SELECT document FROM pipeline_versions WHERE pipeline_id = ? AND hash = ?`),
    insertRun: db.prepare<{
      id: string;
      pipelineId: string;
      pipelineName: string;
      pipelineHash: string;
      params: string;
      selection: string;
      startedAt: number;
      pid: number;
      host: string;
      baseDir: string;
      plan: string;
    }>(`
      INSERT INTO runs (id, pipeline_id, pipeline_name, pipeline_hash, state, params, selection, started_at, pid, host, resumes, base_dir, plan)
      VALUES (@id, @pipelineId, @pipelineName, @pipelineHash, 'running', @params, @selection, @startedAt, @pid, @host, 0, @baseDir, @plan)`),
    // started_at is taken on entering running, not on every attempt, so a retried task's
    // duration covers its retries; a reset to pending clears it so a resume starts afresh.
    // @startedAt: the batch entered running after another state; @startedIfEntering: the batch's
    // first event is running, which is an entry only if the stored row was not running already.
    updateTaskState: db.prepare<TaskStateParams>(`
      UPDATE tasks SET
        started_at = CASE
          WHEN @startedAt IS NOT NULL THEN @startedAt
          WHEN @startedIfEntering IS NOT NULL AND state <> 'running' THEN @startedIfEntering
          ELSE started_at END,
        finished_at = coalesce(@finishedAt, finished_at),
        state = @state,
        attempt = @attempt,
        cache_key = coalesce(@cacheKey, cache_key),
        cache_parts = coalesce(@cacheParts, cache_parts),
        cache = coalesce(@cache, cache),
        error = coalesce(@error, error),
        outputs = coalesce(@outputs, outputs),
        reason = coalesce(@reason, reason)
      WHERE run_id = @runId AND node_id = @nodeId`),
    // The common case of the above (queued, pending: nothing but the state), at half the cost.
    updateTaskStateOnly: db.prepare<{ runId: string; nodeId: string; state: TaskState; attempt: number }>(`
      UPDATE tasks SET state = @state, attempt = @attempt WHERE run_id = @runId AND node_id = @nodeId`),
    insertTransition: db.prepare<TransitionParams>(`
      INSERT INTO task_transitions (run_id, node_id, state, attempt, time) VALUES (@runId, @nodeId, @state, @attempt, @time)`),
    // INSERT ... SELECT FROM runs so an unknown run id shows up as zero changes (a clear error)
    // rather than a bare foreign-key failure.
    insertLog: db.prepare<{ runId: string; nodeId: string; time: number; level: string; message: string }>(`
      INSERT INTO logs (run_id, node_id, time, level, message) SELECT id, @nodeId, @time, @level, @message FROM runs WHERE id = @runId`),
    insertMetric: db.prepare<{ runId: string; nodeId: string; name: string; value: number; time: number }>(`
      INSERT INTO metrics (pipeline_id, run_id, node_id, name, value, time)
      SELECT pipeline_id, id, @nodeId, @name, @value, @time FROM runs WHERE id = @runId`),
    finishRun: db.prepare<{ runId: string; state: RunState; time: number; error: string | null }>(`
      UPDATE runs SET state = @state, finished_at = @time, error = @error WHERE id = @runId`),
    taskExists: db.prepare<[string, string]>(`SELECT 1 FROM tasks WHERE run_id = ? AND node_id = ?`).pluck(),
    setCacheParts: db.prepare<{ runId: string; nodeId: string; cacheKey: string; parts: string }>(`
      UPDATE tasks SET cache_key = @cacheKey, cache_parts = @parts WHERE run_id = @runId AND node_id = @nodeId`),
    insertArtifact: db.prepare<{ id: string; kind: string; bytes: number; runId: string; nodeId: string; port: string; createdAt: number }>(`
      INSERT INTO artifacts (id, kind, bytes, run_id, node_id, port, created_at) VALUES (@id, @kind, @bytes, @runId, @nodeId, @port, @createdAt)
      ON CONFLICT (id, run_id, node_id, port) DO NOTHING`),

    getRun: db.prepare<[string]>(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = ?`),
    getRunState: db.prepare<[string]>(`SELECT state, pid, host FROM runs WHERE id = ?`),
    getPlan: db.prepare<[string]>(`SELECT plan FROM runs WHERE id = ?`).pluck(),
    getDocument: db.prepare<[string]>(`SELECT document FROM pipeline_versions WHERE hash = ?`).pluck(),
    getTasks: db.prepare<[string]>(`SELECT ${TASK_COLUMNS} FROM tasks WHERE run_id = ? ORDER BY rowid`),
    getTransitions: db.prepare<[string]>(`
      SELECT run_id AS runId, node_id AS nodeId, state, attempt, time FROM task_transitions WHERE run_id = ? ORDER BY id`),
    getNodeTransitions: db.prepare<[string, string]>(`
      SELECT run_id AS runId, node_id AS nodeId, state, attempt, time FROM task_transitions WHERE run_id = ? AND node_id = ? ORDER BY id`),
    getLogs: db.prepare<[string]>(`
      SELECT run_id AS runId, node_id AS nodeId, time, level, message FROM logs WHERE run_id = ? ORDER BY id`),
    getNodeLogs: db.prepare<[string, string]>(`
      SELECT run_id AS runId, node_id AS nodeId, time, level, message FROM logs WHERE run_id = ? AND node_id = ? ORDER BY id`),

    // Many keys per call (a JSON array), one index search each, and only what a hit needs.
    findByCacheKeys: db.prepare<[string]>(`
      SELECT k.value AS cacheKey, t.run_id AS runId, t.state, t.outputs
      FROM json_each(?) AS k
      JOIN tasks AS t ON t.rowid = (
        SELECT rowid FROM tasks
        WHERE cache_key = k.value AND state IN ('succeeded', 'cached') AND outputs IS NOT NULL
        ORDER BY finished_at DESC, rowid DESC LIMIT 1)`),
    latestOutputs: db.prepare<[string, string]>(`
      SELECT ${TASK_COLUMNS} FROM tasks
      WHERE pipeline_id = ? AND node_id = ? AND state IN ('succeeded', 'cached')
      ORDER BY finished_at DESC, rowid DESC LIMIT 1`),
    // "Most recent" is when the task last did something, not when its run began: a resumed old
    // run that recomputed a node today is newer than a run started this morning.
    previousCacheParts: db.prepare<{ pipelineId: string; runId: string; nodeIds: string }>(`
      SELECT k.value AS nodeId, (
        SELECT t.cache_parts FROM tasks t JOIN runs r ON r.id = t.run_id
        WHERE t.pipeline_id = @pipelineId AND t.node_id = k.value AND t.run_id <> @runId AND t.cache_parts IS NOT NULL
        ORDER BY coalesce(t.finished_at, t.started_at, r.started_at) DESC, t.rowid DESC LIMIT 1) AS parts
      FROM json_each(@nodeIds) AS k`),

    runningRuns: db.prepare<[]>(`SELECT id, pid, host FROM runs WHERE state = 'running' ORDER BY started_at, rowid`),
    markRunInterrupted: db.prepare<[string]>(`UPDATE runs SET state = 'interrupted' WHERE id = ? AND state = 'running'`),
    // A run whose process ended while a task awaited a decision is not broken: it stays waiting
    // (its waiting tasks keep their state) until resumed after the decision.
    markRunWaiting: db.prepare<[string]>(`UPDATE runs SET state = 'waiting' WHERE id = ? AND state = 'running'`),
    hasWaitingTask: db.prepare<[string]>(`SELECT 1 FROM tasks WHERE run_id = ? AND state = 'waiting' LIMIT 1`).pluck(),
    tasksInStates: db.prepare<[string, ...TaskState[]]>(`
      SELECT node_id AS nodeId, attempt FROM tasks WHERE run_id = ? AND state IN (${placeholders(IN_FLIGHT_TASK_STATES)})`),
    tasksToReopen: db.prepare<[string, ...TaskState[]]>(`
      SELECT node_id AS nodeId, attempt FROM tasks WHERE run_id = ? AND state IN (${placeholders(REOPENED_TASK_STATES)})`),
    // A task sent back to pending loses what its last attempt left (error, reason, outputs,
    // timing); otherwise a resumed task that then succeeds would still show the old error.
    // Its cache key and parts stay: they are the best record of what it last ran with.
    resetTask: db.prepare<[string, string]>(`
      UPDATE tasks SET state = 'pending', started_at = NULL, finished_at = NULL, cache = NULL, error = NULL, outputs = NULL, reason = NULL
      WHERE run_id = ? AND node_id = ?`),
    reopenRun: db.prepare<{ runId: string; pid: number; host: string }>(`
      UPDATE runs SET state = 'running', pid = @pid, host = @host, resumes = resumes + 1, finished_at = NULL, error = NULL
      WHERE id = @runId`),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

const PipelineRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  hash: z.string(),
  updatedAt: z.number(),
  runId: z.string().nullable(),
  runState: RunStateSchema.nullable(),
  runStartedAt: z.number().nullable(),
});
const DocumentRowSchema = z.object({ document: z.string() });
const CacheHitRowSchema = CacheHitSchema.extend({ cacheKey: z.string() });
const PreviousPartsRowSchema = z.object({ nodeId: z.string(), parts: z.string().nullable() });

export class SqliteRunStore implements RunStore {
  private readonly db: Database.Database;
  private readonly statements: Statements;
  /** Built once: `apply` is the hot path, called for every event batch. */
  private readonly applyBatch: Database.Transaction<(events: readonly RunEvent[]) => void>;
  /** listRuns has four filter shapes; each gets one prepared statement on first use. */
  private readonly listStatements = new Map<string, Database.Statement<unknown[]>>();
  /** Cache parts not yet written, by task: they ride in the next write transaction (see setCacheParts). */
  private readonly pendingCacheParts = new Map<string, { runId: string; nodeId: string; cacheKey: string; parts: string }>();
  /** How many of the pending cache parts belong to each run. */
  private readonly pendingCachePartsOfRun = new Map<string, number>();
  private readonly writePendingCacheParts: Database.Transaction<() => void>;
  /**
   * Node ids of runs this connection created and has not seen finish, so setCacheParts (once per
   * task) can check its task exists without a query; other runs fall back to the query.
   */
  private readonly tasksOfOpenRuns = new Map<string, ReadonlySet<string>>();
  /** Multi-row inserts, by table and row count (powers of two). */
  private readonly multiInsertStatements = new Map<string, Database.Statement<SqlValue[][]>>();

  private constructor(db: Database.Database) {
    this.db = db;
    this.statements = prepareStatements(db);
    this.applyBatch = db.transaction((events: readonly RunEvent[]): void => {
      const batch: TaskBatch = { rows: new Map(), transitions: [] };
      for (const event of events) this.applyOne(event, batch);
      this.writeTaskBatch(batch);
      this.writeCacheParts();
    });
    this.writePendingCacheParts = db.transaction((): void => this.writeCacheParts());
  }

  /**
   * The open connection, for workspace components that keep their own tables in the same file
   * (model registry, feature store, ...; see componentMigrations.ts). One connection per process
   * means their writes never wait on this store's lock.
   */
  get database(): Database.Database {
    return this.db;
  }

  /** Opens (creating folders and schema as needed) the run database at `path`. */
  static open(path: string): SqliteRunStore {
    return openSqlite(path, (db) => {
      migrateSchema(db, path);
      return new SqliteRunStore(db);
    });
  }

  async createRun(run: NewRun): Promise<void> {
    const { plan } = run;
    const s = this.statements;
    this.db
      .transaction((): void => {
        s.upsertPipeline.run({ id: plan.pipelineId, name: plan.pipelineName, time: run.startedAt });
        if (s.versionExists.get(plan.pipelineHash) === undefined) {
          const document = typeof run.documentJson === 'string' ? run.documentJson : run.documentJson();
          s.insertVersion.run({ hash: plan.pipelineHash, pipelineId: plan.pipelineId, document, time: run.startedAt });
        }
        s.insertRun.run({
          id: run.id,
          pipelineId: plan.pipelineId,
          pipelineName: plan.pipelineName,
          pipelineHash: plan.pipelineHash,
          params: JSON.stringify(plan.params),
          selection: JSON.stringify(run.selection),
          startedAt: run.startedAt,
          pid: run.pid,
          host: run.host,
          baseDir: run.baseDir,
          plan: JSON.stringify(plan),
        });
        const tasks: SqlValue[] = [];
        for (const node of plan.nodes) tasks.push(run.id, node.id, plan.pipelineId, node.type, 'pending', 0);
        this.insertMany('tasks', tasks);
      })
      .immediate();
    this.tasksOfOpenRuns.set(run.id, new Set(plan.nodes.map((node) => node.id)));
  }

  async savePipelineVersion(pipelineId: string, name: string, hash: string, documentJson: string, time: number): Promise<void> {
    const s = this.statements;
    this.db
      .transaction((): void => {
        s.upsertPipeline.run({ id: pipelineId, name, time });
        s.saveVersion.run({ hash, pipelineId, document: documentJson, time });
      })
      .immediate();
  }

  async listPipelines(): Promise<PipelineRecord[]> {
    return this.statements.listPipelines.all().map((raw) => {
      const row = PipelineRowSchema.parse(raw);
      const record: PipelineRecord = { id: row.id, name: row.name, hash: row.hash, updatedAt: row.updatedAt };
      if (row.runId !== null && row.runState !== null && row.runStartedAt !== null) record.lastRun = { id: row.runId, state: row.runState, startedAt: row.runStartedAt };
      return record;
    });
  }

  async getPipelineDocument(pipelineId: string, hash?: string): Promise<string | undefined> {
    const raw = hash === undefined ? this.statements.latestDocument.get(pipelineId) : this.statements.documentOfVersion.get(pipelineId, hash);
    return raw === undefined ? undefined : DocumentRowSchema.parse(raw).document;
  }

  async apply(events: readonly RunEvent[]): Promise<void> {
    if (events.length === 0 && this.pendingCacheParts.size === 0) return;
    this.applyBatch.immediate(events);
  }

  private applyOne(event: RunEvent, batch: TaskBatch): void {
    const s = this.statements;
    switch (event.type) {
      case 'run.started':
      case 'task.progress':
      case 'alert':
        // alerts live in the alert log;
        // run.started is fully described by createRun/reopenRun; progress is too frequent to keep.
        return;
      case 'task.state':
        this.mergeTaskState(event, batch);
        return;
      case 'task.log': {
        const { changes } = s.insertLog.run({ runId: event.runId, nodeId: event.nodeId, time: event.time, level: event.level, message: event.message });
        if (changes === 0) throw unknownRun(event.runId, event.type);
        return;
      }
      case 'task.metric': {
        // SQLite stores NaN as NULL and the schema rejects Infinity on the way out, so a bad value
        // would poison every later read of the series; refuse it here with the node that sent it.
        if (!Number.isFinite(event.value)) {
          throw new Error(`run store: metric "${event.name}" of node "${event.nodeId}" in run ${event.runId} is ${event.value}; metrics must be finite numbers`);
        }
        const { changes } = s.insertMetric.run({ runId: event.runId, nodeId: event.nodeId, name: event.name, value: event.value, time: event.time });
        if (changes === 0) throw unknownRun(event.runId, event.type);
        return;
      }
      case 'run.finished': {
        const { changes } = s.finishRun.run({ runId: event.runId, state: event.state, time: event.time, error: event.error ?? null });
        if (changes === 0) throw unknownRun(event.runId, event.type);
        this.tasksOfOpenRuns.delete(event.runId);
        return;
      }
    }
  }

  /**
   * Folds a task.state event into the batch's one pending row update for its task: a task usually
   * goes queued → running → succeeded within one batch, and rewriting its row (and the cache-key
   * index) three times was the largest cost of a big run. The merged update stores exactly what
   * applying the events one by one would: last state and attempt, the last non-null value of each
   * field, finished_at from the last final event, started_at from the last entry into running.
   */
  private mergeTaskState(event: RunEventOf<'task.state'>, batch: TaskBatch): void {
    const { runId, nodeId, state, attempt, time } = event;
    const key = taskKey(runId, nodeId);
    const pending = this.takeCacheParts(runId, nodeId);
    let row = batch.rows.get(key);
    if (row === undefined) {
      row = {
        runId, nodeId, state, attempt,
        startedAt: null, startedIfEntering: null, finishedAt: null,
        cacheKey: null, cacheParts: null, cache: null, error: null, outputs: null, reason: null,
        onlyState: true,
      };
      // Whether this first event enters running depends on the stored state: decided in SQL.
      if (state === 'running') row.startedIfEntering = time;
      batch.rows.set(key, row);
    } else {
      if (state === 'running' && row.state !== 'running') {
        row.startedAt = time;
        row.startedIfEntering = null;
      }
      row.state = state;
      row.attempt = attempt;
    }
    const final = FINAL_TASK_STATES.has(state);
    if (final) row.finishedAt = time;
    const cacheKey = event.cacheKey ?? pending?.cacheKey;
    if (cacheKey !== undefined) row.cacheKey = cacheKey;
    if (pending !== undefined) row.cacheParts = pending.parts;
    if (event.cache !== undefined) row.cache = JSON.stringify(event.cache);
    if (event.error !== undefined) row.error = JSON.stringify(event.error);
    if (event.outputs !== undefined) row.outputs = JSON.stringify(event.outputs);
    if (event.reason !== undefined) row.reason = event.reason;
    if (final || state === 'running' || pending !== undefined || event.cacheKey !== undefined || event.cache !== undefined ||
      event.error !== undefined || event.outputs !== undefined || event.reason !== undefined) row.onlyState = false;
    batch.transitions.push(runId, nodeId, state, attempt, time);
  }

  /** Writes the batch's merged task rows, then its transitions in event order. Call inside a transaction. */
  private writeTaskBatch(batch: TaskBatch): void {
    const s = this.statements;
    for (const row of batch.rows.values()) {
      const { changes } = row.onlyState
        ? s.updateTaskStateOnly.run({ runId: row.runId, nodeId: row.nodeId, state: row.state, attempt: row.attempt })
        : s.updateTaskState.run({
            runId: row.runId,
            nodeId: row.nodeId,
            state: row.state,
            attempt: row.attempt,
            startedAt: row.startedAt,
            startedIfEntering: row.startedIfEntering,
            finishedAt: row.finishedAt,
            cacheKey: row.cacheKey,
            cacheParts: row.cacheParts,
            cache: row.cache,
            error: row.error,
            outputs: row.outputs,
            reason: row.reason,
          });
      if (changes === 0) {
        throw new Error(`run store: task.state for node "${row.nodeId}" of run ${row.runId}, which has no such task (was the run created with this plan?)`);
      }
    }
    this.insertMany('task_transitions', batch.transitions);
  }

  /** Inserts flattened rows of `table`, many per statement: binding one row per call dominated. */
  private insertMany(table: MultiInsertTable, values: readonly SqlValue[]): void {
    const width = MULTI_INSERT_COLUMNS[table].length;
    let offset = 0;
    let left = values.length / width;
    // Chunks of the largest power of two that fits: a handful of statements, each prepared once.
    while (left > 0) {
      let rows = MULTI_INSERT_CHUNK_ROWS;
      while (rows > left) rows >>= 1;
      this.multiInsertStatement(table, rows).run(values.slice(offset, offset + rows * width));
      offset += rows * width;
      left -= rows;
    }
  }

  private multiInsertStatement(table: MultiInsertTable, rows: number): Database.Statement<SqlValue[][]> {
    const key = `${table}:${rows}`;
    let statement = this.multiInsertStatements.get(key);
    if (statement === undefined) {
      const columns = MULTI_INSERT_COLUMNS[table];
      const tuple = `(${columns.map(() => '?').join(', ')})`;
      statement = this.db.prepare<SqlValue[][]>(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => tuple).join(', ')}`);
      this.multiInsertStatements.set(key, statement);
    }
    return statement;
  }

  /**
   * Committing cache parts on their own cost one transaction per task, the largest single cost of
   * a 10,000-task run. The executor always follows them with the task's state event, so they are
   * written in the transaction that records the next event batch (in the same row update as that
   * event when the batch holds it): other readers see a task's parts and its new state together.
   * Reads that return parts of unfinished tasks (getTasks, previousCacheParts) write pending ones
   * first; reads of finished tasks (findByCacheKey, latestOutputs) need not, as parts are only
   * ever set before a task finishes.
   */
  async setCacheParts(runId: string, nodeId: string, cacheKey: string, parts: CacheParts): Promise<void> {
    // Checked now (a read, no commit) so a wrong task fails here, with the task that asked.
    const known = this.tasksOfOpenRuns.get(runId);
    if (known ? !known.has(nodeId) : this.statements.taskExists.get(runId, nodeId) === undefined) {
      throw new Error(`run store: cannot set cache parts of node "${nodeId}" in run ${runId}: no such task`);
    }
    const key = taskKey(runId, nodeId);
    if (!this.pendingCacheParts.has(key)) this.pendingCachePartsOfRun.set(runId, (this.pendingCachePartsOfRun.get(runId) ?? 0) + 1);
    this.pendingCacheParts.set(key, { runId, nodeId, cacheKey, parts: JSON.stringify(parts) });
  }

  /** Takes a task's pending cache parts, to write them with its state update. */
  private takeCacheParts(runId: string, nodeId: string): { cacheKey: string; parts: string } | undefined {
    if (this.pendingCacheParts.size === 0) return undefined;
    const key = taskKey(runId, nodeId);
    const pending = this.pendingCacheParts.get(key);
    if (pending === undefined) return undefined;
    this.pendingCacheParts.delete(key);
    const left = (this.pendingCachePartsOfRun.get(runId) ?? 1) - 1;
    if (left > 0) this.pendingCachePartsOfRun.set(runId, left);
    else this.pendingCachePartsOfRun.delete(runId);
    return pending;
  }

  /** Writes pending cache parts. Call inside a transaction. */
  private writeCacheParts(): void {
    if (this.pendingCacheParts.size === 0) return;
    const pending = [...this.pendingCacheParts.values()];
    this.pendingCacheParts.clear();
    this.pendingCachePartsOfRun.clear();
    for (const row of pending) this.statements.setCacheParts.run(row);
  }

  /** Before a read of tasks: pending cache parts become visible (one transaction, only if any). */
  private flushCacheParts(): void {
    if (this.pendingCacheParts.size > 0) this.writePendingCacheParts.immediate();
  }

  async recordArtifacts(artifacts: readonly ArtifactRecord[]): Promise<void> {
    if (artifacts.length === 0) return;
    const s = this.statements;
    this.db
      .transaction((): void => {
        for (const artifact of artifacts) s.insertArtifact.run(artifact);
      })
      .immediate();
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const row = this.statements.getRun.get(runId);
    return row === undefined ? undefined : toRecord(RunRecordSchema, row, RUN_JSON, `run ${runId}`);
  }

  async listRuns(query: RunQuery = {}): Promise<RunRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.pipelineId !== undefined) {
      where.push('pipeline_id = ?');
      params.push(query.pipelineId);
    }
    if (query.state !== undefined) {
      where.push('state = ?');
      params.push(query.state);
    }
    if (query.limit !== undefined && !(Number.isInteger(query.limit) && query.limit >= 0)) {
      throw new Error(`run store: listRuns limit must be a whole number ≥ 0, got ${query.limit}`);
    }
    // LIMIT -1 is SQLite for "no limit", which keeps one statement per filter shape.
    params.push(query.limit ?? -1);
    const sql = `SELECT ${RUN_COLUMNS} FROM runs ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, rowid DESC LIMIT ?`;
    let statement = this.listStatements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare<unknown[]>(sql);
      this.listStatements.set(sql, statement);
    }
    return statement.all(...params).map((row) => toRecord(RunRecordSchema, row, RUN_JSON, 'run in listRuns'));
  }

  async getPlan(runId: string): Promise<ExecutionPlan | undefined> {
    const text = this.statements.getPlan.get(runId);
    return text === undefined ? undefined : parseJsonText(ExecutionPlanSchema, text, `the plan of run ${runId}`);
  }

  async getDocument(pipelineHash: string): Promise<string | undefined> {
    const text = this.statements.getDocument.get(pipelineHash);
    return text === undefined ? undefined : TextSchema.parse(text);
  }

  async getTasks(runId: string): Promise<TaskRecord[]> {
    this.flushCacheParts();
    return this.statements.getTasks.all(runId).map((row) => toTask(row, `a task of run ${runId}`));
  }

  async getTransitions(runId: string, nodeId?: string): Promise<TaskTransition[]> {
    const s = this.statements;
    const rows = nodeId === undefined ? s.getTransitions.all(runId) : s.getNodeTransitions.all(runId, nodeId);
    return rows.map((row) => toRecord(TaskTransitionSchema, row, [], `a transition of run ${runId}`));
  }

  async getLogs(runId: string, nodeId?: string): Promise<LogRecord[]> {
    const s = this.statements;
    const rows = nodeId === undefined ? s.getLogs.all(runId) : s.getNodeLogs.all(runId, nodeId);
    return rows.map((row) => toRecord(LogRecordSchema, row, [], `a log line of run ${runId}`));
  }

  async getMetrics(query: { runId?: string; pipelineId?: string; name?: string }): Promise<MetricRecord[]> {
    const where: string[] = [];
    const params: string[] = [];
    if (query.pipelineId !== undefined) {
      where.push('pipeline_id = ?');
      params.push(query.pipelineId);
    }
    if (query.name !== undefined) {
      where.push('name = ?');
      params.push(query.name);
    }
    if (query.runId !== undefined) {
      where.push('run_id = ?');
      params.push(query.runId);
    }
    const sql = `
      SELECT run_id AS runId, pipeline_id AS pipelineId, node_id AS nodeId, name, value, time FROM metrics
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY time, id`;
    let statement = this.listStatements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare<unknown[]>(sql);
      this.listStatements.set(sql, statement);
    }
    return statement.all(...params).map((row) => toRecord(MetricRecordSchema, row, [], 'a metric'));
  }

  async findByCacheKeys(cacheKeys: readonly string[]): Promise<Map<string, CacheHit>> {
    const hits = new Map<string, CacheHit>();
    if (cacheKeys.length === 0) return hits;
    for (const row of this.statements.findByCacheKeys.all(JSON.stringify(cacheKeys))) {
      const { cacheKey, ...hit } = toRecord(CacheHitRowSchema, row, CACHE_HIT_JSON, 'a cache hit');
      hits.set(cacheKey, hit);
    }
    return hits;
  }

  async latestOutputs(pipelineId: string, nodeId: string): Promise<TaskRecord | undefined> {
    const row = this.statements.latestOutputs.get(pipelineId, nodeId);
    return row === undefined ? undefined : toTask(row, `the latest task of ${pipelineId}/${nodeId}`);
  }

  async previousCacheParts(pipelineId: string, nodeIds: readonly string[], beforeRunId: string): Promise<Map<string, CacheParts>> {
    const found = new Map<string, CacheParts>();
    if (nodeIds.length === 0) return found;
    // Called for every cache miss: write pending parts only when another run's could be the answer.
    if (this.pendingCacheParts.size > (this.pendingCachePartsOfRun.get(beforeRunId) ?? 0)) this.flushCacheParts();
    for (const raw of this.statements.previousCacheParts.all({ pipelineId, runId: beforeRunId, nodeIds: JSON.stringify(nodeIds) })) {
      const row = PreviousPartsRowSchema.parse(raw);
      if (row.parts !== null) found.set(row.nodeId, parseJsonText(CachePartsSchema, row.parts, `the cache parts of ${pipelineId}/${row.nodeId}`));
    }
    return found;
  }

  async markInterrupted(isAlive: (pid: number, host: string) => boolean): Promise<string[]> {
    this.flushCacheParts();
    const s = this.statements;
    const time = Date.now();
    // Checked and updated under the write lock, so a run that another process finishes meanwhile
    // is not marked interrupted after the fact.
    return this.db
      .transaction((): string[] => {
        const interrupted: string[] = [];
        for (const row of s.runningRuns.all()) {
          const run = RunHostSchema.parse(row);
          if (isAlive(run.pid, run.host)) continue;
          const waiting = s.hasWaitingTask.get(run.id) !== undefined;
          (waiting ? s.markRunWaiting : s.markRunInterrupted).run(run.id);
          this.resetTasks(run.id, s.tasksInStates.all(run.id, ...IN_FLIGHT_TASK_STATES), time);
          if (!waiting) interrupted.push(run.id);
        }
        return interrupted;
      })
      .immediate();
  }

  async reopenRun(runId: string, pid: number, host: string, time: number): Promise<void> {
    this.flushCacheParts();
    const s = this.statements;
    this.db
      .transaction((): void => {
        const row = s.getRunState.get(runId);
        if (row === undefined) throw new Error(`run store: cannot resume run ${runId}: no such run`);
        const current = RunStateRowSchema.parse(row);
        // Two processes driving one run would interleave their events; a run whose process died
        // must first be found by markInterrupted.
        if (current.state === 'running') {
          throw new Error(
            `run store: cannot resume run ${runId}: it is still running (pid ${current.pid} on ${current.host}). ` +
              'Wait for it to finish, cancel it, or let markInterrupted mark it interrupted if that process is gone.',
          );
        }
        s.reopenRun.run({ runId, pid, host });
        this.resetTasks(runId, s.tasksToReopen.all(runId, ...REOPENED_TASK_STATES), time);
      })
      .immediate();
  }

  /** Sends tasks back to pending, recording the change as a transition. Call inside a transaction. */
  private resetTasks(runId: string, rows: readonly unknown[], time: number): void {
    const s = this.statements;
    for (const row of rows) {
      const task = TaskHeadSchema.parse(row);
      s.resetTask.run(runId, task.nodeId);
      s.insertTransition.run({ runId, nodeId: task.nodeId, state: 'pending', attempt: task.attempt, time });
    }
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.flushCacheParts();
    this.db.close();
  }
}

function taskKey(runId: string, nodeId: string): string {
  return `${runId}\u0000${nodeId}`;
}

function toTask(row: unknown, what: string): TaskRecord {
  return toRecord(TaskRecordSchema, row, TASK_JSON, what);
}

function unknownRun(runId: string, eventType: string): Error {
  return new Error(`run store: ${eventType} for run ${runId}, which does not exist (createRun must come first)`);
}
