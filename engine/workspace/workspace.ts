import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AlertLog } from '../alerts/alertLog.js';
import { AlertService } from '../alerts/alertService.js';
import { watchRunAlerts, type AlertReport } from '../alerts/runAlertWatcher.js';
import { loadKpis } from '../api/kpiSeries.js';
import { ArtifactStore } from '../artifacts/artifactStore.js';
import { compile, type CompileResult } from '../compile/compile.js';
import type { ExecutionPlan } from '../compile/executionPlan.js';
import { error, type Diagnostic } from '../compile/diagnostic.js';
import type { ParamValue } from '../compile/paramReferences.js';
import { executePlan, type RunResult } from '../executor/executePlan.js';
import { openWorkspaceApprovalStore } from '../approvals/workspaceApprovalStore.js';
import { SensorLog } from '../sensors/sensorLog.js';
import type { WorkerPool } from '../executor/workerPool.js';
import { openWorkspaceFeatureStore } from '../featurestore/workspaceFeatureStore.js';
import { openWorkspaceModelRegistry } from '../registry/workspaceModelRegistry.js';
import type { RunEventListener } from '../executor/eventRecorder.js';
import { canonicalJson } from '../format/canonicalJson.js';
import { loadDocument } from '../format/loadDocument.js';
import type { PipelineDocument } from '../format/pipelineDocument.js';
import type { NodeRegistry } from '../node/nodeRegistry.js';
import type { NodeServices } from '../node/nodeServices.js';
import type { RunSelection, RunStore } from '../store/runStore.js';
import { SqliteRunStore } from '../store/sqliteRunStore.js';
import { processAlive } from './processAlive.js';
import type { RetentionService } from '../retention/retentionPolicy.js';
import { WorkspaceRetention } from '../retention/workspaceRetention.js';

export type LoadedPipeline =
  | { ok: true; path: string; document: PipelineDocument; diagnostics: Diagnostic[]; migratedFrom?: string }
  | { ok: false; path: string; diagnostics: Diagnostic[] };

export interface RunFileOptions {
  /** Id for the new run (generated when absent). */
  runId?: string;
  params?: Record<string, ParamValue>;
  selection?: RunSelection;
  noCache?: boolean;
  concurrency?: number;
  signal?: AbortSignal;
  listeners?: RunEventListener[];
  /** Stop and leave the run `waiting` once only approvals are left (see ExecuteOptions). */
  detachWhenWaiting?: boolean;
  /** Worker threads to reuse across runs (a new pool per run otherwise; starting workers is not free). */
  pool?: WorkerPool;
  /** Where the outcome of each pipeline-level alert is reported. */
  alertReport?: AlertReport;
}

/** Reads a pipeline file; a missing or unreadable file is a diagnostic like any other. */
export function loadPipelineFile(path: string): LoadedPipeline {
  const absolute = resolve(path);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? `There is no file ${absolute}.` : code === 'EISDIR' ? `${absolute} is a folder; give the path of a *.trellis.json file.` : `Cannot read ${absolute}: ${(cause as Error).message}`;
    return { ok: false, path: absolute, diagnostics: [error('json.syntax', message, '')] };
  }
  const loaded = loadDocument(text);
  return loaded.ok ? { ...loaded, path: absolute } : { ok: false, path: absolute, diagnostics: loaded.diagnostics };
}

/**
 * One Trellis home: the run store and the artifact store under a folder, with the node catalog.
 * Runs go through `watchRunAlerts`, so every host judges a pipeline's alert rules the same way.
 * The CLI, the server and the desktop app each hold one; it is where the engine's operations
 * meet storage. Opening it marks runs whose process died as interrupted.
 */
export class Workspace {
  private constructor(
    readonly home: string,
    readonly store: RunStore,
    readonly artifacts: ArtifactStore,
    readonly registry: NodeRegistry,
    readonly services: NodeServices,
    readonly interrupted: string[],
  ) {}

  static async open(home: string, registry: NodeRegistry, store?: RunStore): Promise<Workspace> {
    const runStore = store ?? SqliteRunStore.open(join(home, 'trellis.db'));
    const artifacts = new ArtifactStore(join(home, 'artifacts'));
    const interrupted = await runStore.markInterrupted(processAlive);
    return new Workspace(home, runStore, artifacts, registry, openServices(runStore, artifacts, home), interrupted);
  }

  compileDocument(document: PipelineDocument, params: Record<string, ParamValue> = {}): CompileResult {
    return compile(document, this.registry, { params });
  }

  /** Compiles and runs a pipeline document. Throws PartialRunError for impossible partial runs. */
  async runDocument(document: PipelineDocument, baseDir: string, options: RunFileOptions = {}): Promise<RunResult | { compileErrors: Diagnostic[] }> {
    const compiled = this.compileDocument(document, options.params);
    if (!compiled.ok) return { compileErrors: compiled.diagnostics };
    return this.runPlan(compiled.plan, document, baseDir, options);
  }

  /** Runs an already compiled plan of `document`. */
  runPlan(plan: ExecutionPlan, document: PipelineDocument, baseDir: string, options: Omit<RunFileOptions, 'params'> = {}): Promise<RunResult> {
    return watchRunAlerts(document.alerts ?? [], this.services.alerts, this.store, (alertListener) => executePlan({
      plan,
      registry: this.registry,
      store: this.store,
      artifacts: this.artifacts,
      services: this.services,
      documentJson: () => canonicalJson(document),
      baseDir,
      ...(options.runId ? { runId: options.runId } : {}),
      ...(options.selection ? { selection: options.selection } : {}),
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.noCache !== undefined ? { noCache: options.noCache } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.detachWhenWaiting ? { detachWhenWaiting: true } : {}),
      ...(options.pool ? { pool: options.pool } : {}),
      listeners: [...(options.listeners ?? []), alertListener],
    }), options.alertReport);
  }

  async runFile(path: string, options: RunFileOptions = {}): Promise<RunResult | { compileErrors: Diagnostic[] }> {
    const loaded = loadPipelineFile(path);
    if (!loaded.ok) return { compileErrors: loaded.diagnostics };
    return this.runDocument(loaded.document, dirname(loaded.path), options);
  }

  /** Finishes an interrupted, failed or cancelled run: only tasks without outputs run again. */
  async resume(runId: string, options: Omit<RunFileOptions, 'params' | 'selection'> = {}): Promise<RunResult> {
    const run = await this.store.getRun(runId);
    if (!run) throw new Error(`There is no run "${runId}". List runs with \`trellis runs\`.`);
    if (run.state === 'running') throw new Error(`Run ${runId} is still running (process ${run.pid} on ${run.host}).`);
    if (run.state === 'succeeded') throw new Error(`Run ${runId} already succeeded; there is nothing to resume.`);
    if (run.state === 'waiting') await this.services.approvals.expireDue(Date.now());
    const plan = await this.store.getPlan(runId);
    const documentJson = await this.store.getDocument(run.pipelineHash);
    if (!plan || documentJson === undefined) throw new Error(`Run ${runId} has no stored plan to resume from.`);
    const loaded = loadDocument(documentJson);
    const rules = loaded.ok ? (loaded.document.alerts ?? []) : [];
    return watchRunAlerts(rules, this.services.alerts, this.store, (alertListener) => executePlan({
      plan,
      registry: this.registry,
      store: this.store,
      artifacts: this.artifacts,
      services: this.services,
      documentJson,
      baseDir: run.baseDir,
      selection: run.selection,
      resumeRunId: runId,
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.noCache !== undefined ? { noCache: options.noCache } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.detachWhenWaiting ? { detachWhenWaiting: true } : {}),
      listeners: [...(options.listeners ?? []), alertListener],
    }), options.alertReport);
  }

  async close(): Promise<void> {
    await this.services.approvals.close();
    await this.services.models.close();
    this.services.alerts.log.close();
    this.services.sensors.close();
    await this.store.close();
  }
}

/** The workspace services nodes reach through `ctx.services`. */
function openServices(runStore: RunStore, artifacts: ArtifactStore, home: string): NodeServices {
  const models = openWorkspaceModelRegistry(runStore, home);
  const featureStore = openWorkspaceFeatureStore(runStore, home);
  const retention: RetentionService =
    runStore instanceof SqliteRunStore
      ? new WorkspaceRetention({ db: runStore.database, store: runStore, artifacts, models, featureStore })
      : { run: () => Promise.reject(new Error('Retention needs the workspace SQLite store (trellis.db); this host uses another run store.')) };
  const alertLog = runStore instanceof SqliteRunStore ? AlertLog.on(runStore.database) : AlertLog.open(join(home, 'alerts.db'));
  return {
    models,
    featureStore,
    approvals: openWorkspaceApprovalStore(runStore, home),
    retention,
    alerts: new AlertService(alertLog),
    sensors: runStore instanceof SqliteRunStore ? SensorLog.on(runStore.database) : SensorLog.open(join(home, 'sensors.db')),
    history: { kpis: (pipelineId, metric, limit) => loadKpis(runStore, pipelineId, metric, limit) },
  };
}
