import type { ApprovalStore } from '../approvals/approvalStore.js';
import type { FeatureStore } from '../featurestore/featureStore.js';
import type { ModelRegistry } from '../registry/modelRegistry.js';
import type { RetentionService } from '../retention/retentionPolicy.js';

/**
 * Workspace-wide services a node may use through `ctx.services`, beside its inputs: the model
 * registry (save, load, promote) and the feature store. The host opens them with the workspace.
 */
export interface NodeServices {
  models: ModelRegistry;
  featureStore: FeatureStore;
  /** Human approvals runs wait on (control.approval). */
  approvals: ApprovalStore;
  /** Workspace cleanup (control.cleanup). */
  retention: RetentionService;
}
