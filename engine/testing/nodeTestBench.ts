import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import type { KpiSeries } from '../api/engineApi.js';
import { AlertLog } from '../alerts/alertLog.js';
import { AlertService } from '../alerts/alertService.js';
import { ArtifactStore } from '../artifacts/artifactStore.js';
import { DataEngine, type Row } from '../data/dataEngine.js';
import { createTaskContext } from '../executor/taskContext.js';
import { SqliteFeatureStore } from '../featurestore/sqliteFeatureStore.js';
import { SqliteModelRegistry } from '../registry/sqliteModelRegistry.js';
import { SqliteApprovalStore } from '../approvals/sqliteApprovalStore.js';
import { WorkerPool } from '../executor/workerPool.js';
import { SensorLog } from '../sensors/sensorLog.js';
import type { LogLevel } from '../node/nodeContext.js';
import type { NodeDefinition } from '../node/nodeDefinition.js';
import type { NodeOutputs, PortValue, TableValue } from '../node/portValue.js';

export interface BenchRun {
  outputs: NodeOutputs;
  logs: Array<{ level: LogLevel; message: string }>;
  metrics: Record<string, number>;
  progress: number[];
}

/**
 * Runs one node's `execute` with a real context (artifact store in a temp folder, DuckDB, worker
 * pool) and no run store: the quick way to test a node. Params go through the node's schema, so
 * defaults apply as they do in a pipeline.
 */
export class NodeTestBench {
  /** What `ctx.services.history.kpis` answers (the bench has no run store): set it in a test. */
  kpiSeries: KpiSeries[] = [];

  private constructor(
    readonly dir: string,
    readonly artifacts: ArtifactStore,
    readonly data: DataEngine,
    private readonly pool: WorkerPool,
    /** A real feature store on a SQLite file in `dir`, what `ctx.services.featureStore` reaches. */
    readonly featureStore: SqliteFeatureStore,
    /** A real model registry on a SQLite file in `dir`, what `ctx.services.models` reaches. */
    readonly models: SqliteModelRegistry,
    /** Approvals on the registry's file (so decisions reach its audit log), what `ctx.services.approvals` reaches. */
    readonly approvals: SqliteApprovalStore,
    /** Alerts with a real cooldown log on a SQLite file in `dir`, what `ctx.services.alerts` reaches. */
    readonly alerts: AlertService,
    /** Sensor state on a SQLite file in `dir`, what `ctx.services.sensors` reaches. */
    readonly sensors: SensorLog,
  ) {}

  static async create(): Promise<NodeTestBench> {
    const dir = mkdtempSync(join(tmpdir(), 'trellis-node-'));
    const artifacts = new ArtifactStore(join(dir, 'artifacts'));
    const models = SqliteModelRegistry.open(join(dir, 'registry.db'));
    const approvals = SqliteApprovalStore.open(join(dir, 'registry.db'));
    const alerts = new AlertService(AlertLog.open(join(dir, 'alerts.db')));
    return new NodeTestBench(dir, artifacts, await DataEngine.open(artifacts), new WorkerPool(2), SqliteFeatureStore.open(join(dir, 'featurestore.db')), models, approvals, alerts, SensorLog.open(join(dir, 'sensors.db')));
  }

  /** A table artifact from a SQL query, e.g. `SELECT * FROM (VALUES (1, 'a')) t(x, y)`. */
  table(select: string): Promise<TableValue> {
    return this.data.writeTable(select);
  }

  /** All rows of a table value, in stored order. */
  rows(table: PortValue | undefined): Promise<Row[]> {
    if (!table || table.kind !== 'table') throw new Error(`expected a table, got ${table?.kind ?? 'nothing'}`);
    return this.data.rows(`SELECT * FROM ${this.data.from(table)}`);
  }

  async run<P extends z.ZodObject>(
    definition: NodeDefinition<P>,
    options: { params?: z.input<P>; inputs?: Record<string, PortValue | PortValue[]>; baseDir?: string; signal?: AbortSignal } = {},
  ): Promise<BenchRun> {
    const params = definition.params.parse(options.params ?? {}) as z.output<P>;
    const logs: BenchRun['logs'] = [];
    const metrics: Record<string, number> = {};
    const progress: number[] = [];
    const inputs: Record<string, PortValue[]> = {};
    for (const [port, value] of Object.entries(options.inputs ?? {})) inputs[port] = Array.isArray(value) ? value : [value];
    const connection = await this.data.connect();
    const task = createTaskContext({
      runId: 'test-run',
      pipelineId: 'test-pipeline',
      pipelineHash: 'test-pipeline-hash',
      nodeId: 'node',
      attempt: 1,
      params: params as Record<string, unknown>,
      inputs,
      signal: options.signal ?? new AbortController().signal,
      artifacts: this.artifacts,
      data: connection,
      services: {
        models: this.models,
        featureStore: this.featureStore,
        approvals: this.approvals,
        retention: { run: () => Promise.reject(new Error('the node test bench has no run store to clean up; test retention with a Workspace')) },
        alerts: this.alerts,
        sensors: this.sensors,
        history: { kpis: async (_pipelineId, metric) => this.kpiSeries.filter((k) => metric === undefined || k.metric === metric) },
      },
      baseDir: options.baseDir ?? this.dir,
      pool: this.pool,
      log: (level, message) => logs.push({ level, message }),
      progress: (fraction) => progress.push(fraction),
      metric: (name, value) => (metrics[name] = value),
    });
    try {
      const outputs = await definition.execute({ ...task.context, params });
      return { outputs, logs, metrics, progress };
    } finally {
      connection.close();
      task.dispose();
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
    this.data.closeDatabase();
    this.featureStore.close();
    await this.models.close();
    await this.approvals.close();
    this.alerts.log.close();
    this.sensors.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
