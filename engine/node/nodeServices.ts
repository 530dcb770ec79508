import type { AlertService } from '../alerts/alertService.js';
import type { KpiSeries } from '../api/engineApi.js';
import type { ApprovalStore } from '../approvals/approvalStore.js';
import type { FeatureStore } from '../featurestore/featureStore.js';
import type { ModelRegistry } from '../registry/modelRegistry.js';
import type { RetentionService } from '../retention/retentionPolicy.js';
import type { SensorLog } from '../sensors/sensorLog.js';

/**
 * Workspace-wide services a node may use through `ctx.services`, beside its inputs: the model
 * registry (save, load, promote), the feature store and alerts. The host opens them with the workspace.
 */
export interface NodeServices {
  models: ModelRegistry;
  featureStore: FeatureStore;
  /** Human approvals runs wait on (control.approval). */
  approvals: ApprovalStore;
  /** Workspace cleanup (control.cleanup). */
  retention: RetentionService;
  /** Sends alerts with the workspace's de-duplication and cooldown (monitor.alert). */
  alerts: AlertService;
  /** Sensors' first pokes and what they last saw (sensor.file, sensor.sql, sensor.http). */
  sensors: SensorLog;
  /** Past runs' KPI series (chart.kpi_line draws them). */
  history: RunHistory;
}

export interface RunHistory {
  /** The KPI series of a pipeline's most recent `limit` runs (every metric, or one). */
  kpis(pipelineId: string, metric?: string, limit?: number): Promise<KpiSeries[]>;
}
