/**
 * What the UI needs from the engine besides the EngineApi itself: the document, event, state and
 * preview schemas and a few pure helpers (loading, canonical JSON, the port compatibility rule),
 * re-exported from files that are pure zod/TypeScript so a browser bundle can import them. Never
 * re-export anything that reaches Node built-ins or native modules from here.
 */
export { PIPELINE_FORMAT, IDENTIFIER, PipelineDocumentSchema, PipelineNodeSchema, PipelineEdgeSchema, RetryPolicySchema } from '../format/pipelineDocument.js';
export type { PipelineDocument, PipelineDocumentInput, PipelineNode, PipelineEdge, PipelineParam, RetryPolicy } from '../format/pipelineDocument.js';
export { RunEventSchema } from '../run/runEvent.js';
export type { RunEvent, RunEventOf, TaskStateEvent, TaskError, CacheDecision } from '../run/runEvent.js';
export { TASK_STATES, RUN_STATES, FINAL_TASK_STATES, TaskStateSchema, RunStateSchema, producedOutputs } from '../run/taskState.js';
export type { TaskState, RunState } from '../run/taskState.js';
// Type-only: tablePreview.ts also holds the DuckDB code that computes previews.
export type { TablePreview, ColumnStats } from '../data/tablePreviewSchema.js';
export { DiagnosticSchema, DIAGNOSTIC_CODES } from '../compile/diagnostic.js';
export type { Diagnostic, DiagnosticCode } from '../compile/diagnostic.js';
export { PORT_TYPES, portTypesCompatible, NodeOutputsSchema, PortValueSchema, MetricsValueSchema } from '../node/portValue.js';
export type { PortType, PortValue, NodeOutputs, TableValue, FileValue, MetricsValue, Column } from '../node/portValue.js';
export type { RunRecord, TaskRecord, TaskTransition, MetricRecord, LogRecord, RunSelection } from '../store/runStore.js';
export { loadDocument, loadDocumentValue } from '../format/loadDocument.js';
export type { LoadResult } from '../format/loadDocument.js';
export { canonicalJson } from '../format/canonicalJson.js';
export { ChartArtifactSchema, ChartSpecSchema, CHART_FORMAT } from '../report/chartSpec.js';
export type { ChartSpec, ChartKind, ChartArtifact } from '../report/chartSpec.js';
export { chartSvg } from '../report/chartSvg.js';
export type { Alert } from '../alerts/alert.js';
