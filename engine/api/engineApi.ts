import { z } from 'zod';
import { ApprovalDecisionSchema, ApprovalRecordSchema } from '../approvals/approvalStore.js';
import { DiagnosticSchema } from '../compile/diagnostic.js';
import { TablePreviewSchema } from '../data/tablePreviewSchema.js';
import { PipelineDocumentSchema } from '../format/pipelineDocument.js';
import { AliasMoveSchema, AuditRecordSchema, ModelVersionSchema, RegisteredModelSchema } from '../registry/modelRegistry.js';
import { AliasNameSchema, ModelNameSchema } from '../registry/modelRef.js';
import { RunEventSchema } from '../run/runEvent.js';
import { RunStateSchema } from '../run/taskState.js';
import {
  LogRecordSchema,
  MetricRecordSchema,
  RunRecordSchema,
  RunSelectionSchema,
  TaskRecordSchema,
  TaskTransitionSchema,
} from '../store/runStore.js';

/**
 * The one contract between the UI and the engine. Each method is a name, a role, an input schema
 * and an output schema; IPC (Electron) and HTTP (`trellis serve`) are two transports of this same
 * table, and both validate inputs on arrival and outputs on receipt. Live run events travel
 * separately as `RunEvent`s (IPC messages / server-sent events).
 */

/** Who may call a method: viewers read, editors change and run, approvers also decide approvals. */
export const ROLES = ['viewer', 'editor', 'approver'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

const PortSchema = z.object({
  name: z.string(),
  type: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  optional: z.boolean().optional(),
  multiple: z.boolean().optional(),
});

export const CatalogEntrySchema = z.object({
  type: z.string(),
  version: z.int(),
  title: z.string(),
  category: z.string(),
  description: z.string(),
  inputs: z.array(PortSchema),
  outputs: z.array(PortSchema),
  params: z.record(z.string(), z.unknown()),
  deprecated: z.string().optional(),
});
export type CatalogEntry = z.infer<typeof CatalogEntrySchema>;

export const PipelineSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  hash: z.string(),
  updatedAt: z.number(),
  lastRun: z.object({ id: z.string(), state: RunStateSchema, startedAt: z.number() }).optional(),
});
export type PipelineSummary = z.infer<typeof PipelineSummarySchema>;

export const ExampleSchema = z.object({ file: z.string(), id: z.string(), name: z.string(), description: z.string() });

/** A registered model with everything the registry view shows about it. */
export const ModelDetailSchema = z.object({
  model: RegisteredModelSchema,
  /** Newest first, each with its metrics and lineage (the run and node that saved it). */
  versions: z.array(ModelVersionSchema),
  /** Every alias move, newest first. */
  aliasHistory: z.array(AliasMoveSchema),
  /** alias → the version `rollbackModel` would move it back to; an alias with nowhere to go is absent. */
  rollbackTargets: z.record(z.string(), z.int()),
});
export type ModelDetail = z.infer<typeof ModelDetailSchema>;

/** What an alias move did: `moved` is false when the alias already pointed there (nothing written). */
export const AliasChangeSchema = z.object({ name: z.string(), alias: z.string(), from: z.int().nullable(), to: z.int(), moved: z.boolean() });
export type AliasChangeResult = z.infer<typeof AliasChangeSchema>;

/** A reason is required for changes people will later have to explain (it goes to the audit log). */
const ReasonSchema = z.string().max(2000).regex(/\S/, 'give a reason (it is kept in the audit log)');

/** The run-level KPI series `getKpis` adds to the metrics nodes record. */
export const RUN_KPIS = { duration: 'run.duration_ms', succeeded: 'run.succeeded' } as const;

export const KpiPointSchema = z.object({
  runId: z.string(),
  /** When the run started (epoch ms): every series of a run shares its x. */
  time: z.number(),
  value: z.number(),
});
export type KpiPoint = z.infer<typeof KpiPointSchema>;

/** One metric of one node across runs, oldest first; `nodeId` is null for the run-level series. */
export const KpiSeriesSchema = z.object({ metric: z.string(), nodeId: z.string().nullable(), points: z.array(KpiPointSchema) });
export type KpiSeries = z.infer<typeof KpiSeriesSchema>;

/** An approval as the inbox shows it: the stored record plus the pipeline's name and the deadline. */
export const ApprovalItemSchema = ApprovalRecordSchema.extend({
  pipelineName: z.string(),
  /** Epoch ms when the timeout's default applies; null waits for ever. */
  deadline: z.number().nullable(),
  /** The run's state: `running` (a process polls for the decision) or `waiting` (resumed once decided). */
  runState: RunStateSchema.nullable(),
});
export type ApprovalItem = z.infer<typeof ApprovalItemSchema>;

/** A document as the UI sends it: parsed leniently by the engine, which answers with diagnostics. */
const DocumentInput = z.unknown();

const method = <I extends z.ZodType, O extends z.ZodType>(role: Role, input: I, output: O, summary: string): { role: Role; input: I; output: O; summary: string } => ({ role, input, output, summary });

export const ENGINE_API = {
  catalog: method('viewer', z.object({}), z.array(CatalogEntrySchema), 'The node catalog.'),
  examples: method('viewer', z.object({}), z.array(ExampleSchema), 'Bundled example pipelines.'),
  loadExample: method('viewer', z.object({ file: z.string() }), PipelineDocumentSchema, 'One example pipeline document.'),
  validate: method(
    'viewer',
    z.object({ document: DocumentInput, params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional() }),
    z.object({ ok: z.boolean(), diagnostics: z.array(DiagnosticSchema), hash: z.string().optional(), nodeCount: z.int().optional() }),
    'Checks a document against the catalog without running it.',
  ),
  listPipelines: method('viewer', z.object({}), z.array(PipelineSummarySchema), 'Pipelines saved in this workspace, newest first.'),
  getPipeline: method('viewer', z.object({ id: z.string(), hash: z.string().optional() }), PipelineDocumentSchema, 'The latest (or a given) version of a saved pipeline.'),
  savePipeline: method('editor', z.object({ document: DocumentInput }), z.object({ id: z.string(), hash: z.string(), diagnostics: z.array(DiagnosticSchema) }), 'Stores a new version of a pipeline (validated first).'),
  pushPipeline: method(
    'editor',
    z.object({ server: z.url({ protocol: /^https?$/ }), token: z.string().optional(), document: DocumentInput }),
    z.object({ id: z.string(), hash: z.string(), diagnostics: z.array(DiagnosticSchema) }),
    'Uploads a pipeline version to another Trellis server (the host makes the call, so the page keeps its strict CSP).',
  ),
  startRun: method(
    'editor',
    z.object({
      document: DocumentInput,
      params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
      selection: RunSelectionSchema.optional(),
      noCache: z.boolean().optional(),
    }),
    z.union([z.object({ ok: z.literal(true), runId: z.string() }), z.object({ ok: z.literal(false), diagnostics: z.array(DiagnosticSchema) })]),
    'Starts a run; progress arrives as run events.',
  ),
  cancelRun: method('editor', z.object({ runId: z.string() }), z.object({ cancelled: z.boolean() }), 'Cancels a run this host is executing.'),
  resumeRun: method('editor', z.object({ runId: z.string() }), z.object({ runId: z.string() }), 'Finishes an interrupted, failed or cancelled run.'),
  listRuns: method('viewer', z.object({ pipelineId: z.string().optional(), state: RunStateSchema.optional(), limit: z.int().min(1).max(1000).optional() }), z.array(RunRecordSchema), 'Run history, newest first.'),
  getRun: method(
    'viewer',
    z.object({ runId: z.string() }),
    z.object({ run: RunRecordSchema, tasks: z.array(TaskRecordSchema), transitions: z.array(TaskTransitionSchema), metrics: z.array(MetricRecordSchema), document: PipelineDocumentSchema.optional() }),
    'One run with its tasks, their history, its metrics and the pipeline version it ran.',
  ),
  getLogs: method('viewer', z.object({ runId: z.string(), nodeId: z.string().optional() }), z.array(LogRecordSchema), 'Logs of a run (or one node).'),
  getMetrics: method('viewer', z.object({ pipelineId: z.string(), name: z.string().optional() }), z.array(MetricRecordSchema), 'Metric time series of a pipeline (KPIs).'),
  getPreview: method('viewer', z.object({ artifactId: z.string().regex(/^[0-9a-f]{64}$/) }), TablePreviewSchema, 'The stored preview of a table output.'),
  getArtifactJson: method('viewer', z.object({ artifactId: z.string().regex(/^[0-9a-f]{64}$/) }), z.unknown(), 'A JSON artifact (chart spec, report, transform).'),
  getKpis: method(
    'viewer',
    z.object({ pipelineId: z.string(), name: z.string().optional(), limit: z.int().min(1).max(1000).optional() }),
    z.array(KpiSeriesSchema),
    `KPI time series of a pipeline's most recent runs (default 200): each metric per node (its last value in each run), plus ${RUN_KPIS.duration} and ${RUN_KPIS.succeeded} (1/0) per finished run.`,
  ),
  listModels: method('viewer', z.object({}), z.array(RegisteredModelSchema), 'Registered models, by name, with their aliases and latest version.'),
  getModel: method('viewer', z.object({ name: ModelNameSchema }), ModelDetailSchema, 'One registered model: its versions (metrics, lineage), aliases and alias history.'),
  promoteModel: method(
    'approver',
    z.object({ name: ModelNameSchema, version: z.int().min(1), alias: AliasNameSchema, reason: ReasonSchema }),
    AliasChangeSchema,
    'Points an alias (e.g. champion) at a version; audited with the reason.',
  ),
  rollbackModel: method(
    'approver',
    z.object({ name: ModelNameSchema, alias: AliasNameSchema, reason: ReasonSchema }),
    AliasChangeSchema,
    'Moves an alias back to the version it pointed at before its last move; audited with the reason.',
  ),
  whoAmI: method('viewer', z.object({}), z.object({ role: RoleSchema, actor: z.string() }), 'The caller\'s role and the name the audit log gives their decisions (the UI hides what the role cannot do).'),
  listApprovals: method(
    'viewer',
    z.object({ all: z.boolean().optional() }),
    z.array(ApprovalItemSchema),
    'Approvals runs wait on, oldest first; `all` adds decided ones (newest 200).',
  ),
  decideApproval: method(
    'approver',
    z.object({ runId: z.string(), nodeId: z.string(), decision: ApprovalDecisionSchema, comment: ReasonSchema }),
    z.object({ approval: ApprovalItemSchema, resumed: z.boolean() }),
    'Approves or rejects a waiting approval (audited as the caller, with the comment); a run no process drives is resumed.',
  ),
  listAudit: method(
    'viewer',
    z.object({ limit: z.int().min(1).max(1000).optional(), subject: z.string().optional() }),
    z.array(AuditRecordSchema),
    'The most recent audit log entries (default 100), newest first; `subject` narrows to one, e.g. model:churn.',
  ),
} as const;

export type EngineApiMethod = keyof typeof ENGINE_API;
export type ApiInput<M extends EngineApiMethod> = z.input<(typeof ENGINE_API)[M]['input']>;
export type ApiOutput<M extends EngineApiMethod> = z.output<(typeof ENGINE_API)[M]['output']>;

/**
 * Who calls, as a transport knows them: the audit log names `actor` for decisions. Transports
 * that know nothing better (IPC in the desktop app) pass none, and the host's OS user is named.
 */
export interface ApiCaller {
  actor: string;
  role: Role;
}

/** The engine as the UI sees it. */
export type EngineApi = { [M in EngineApiMethod]: (input: ApiInput<M>, caller?: ApiCaller) => Promise<ApiOutput<M>> };

/** An error that crosses the transport as data. */
export const ApiErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), diagnostics: z.array(DiagnosticSchema).optional() }),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

export { RunEventSchema };

export function isEngineApiMethod(name: string): name is EngineApiMethod {
  return Object.hasOwn(ENGINE_API, name);
}

/** Whether `role` may call `method`: roles are ordered viewer < editor < approver. */
export function roleAllows(role: Role, method: EngineApiMethod): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(ENGINE_API[method].role);
}
