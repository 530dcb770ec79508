import { z } from 'zod';
import { AlertRuleSchema } from '../alerts/alertRule.js';
import { PipelineScheduleSchema } from './pipelineSchedule.js';
import { TriggerRuleSchema } from './triggerRule.js';

/** The format tag of the current pipeline document version. Older tags are migrated on load. */
export const PIPELINE_FORMAT = 'trellis.pipeline/1';

/** Node ids, port names and pipeline param names: safe in `node.port` edges and JSON pointers. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

const identifier = z
  .string()
  .regex(IDENTIFIER, 'use letters, digits, "_" or "-", starting with a letter or "_"');

/** `node` (a control edge) or `node.port`. */
export const ENDPOINT = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)?$/;

export const RetryPolicySchema = z
  .object({
    maxAttempts: z.int().min(1).max(100).default(1).describe('total attempts, including the first'),
    delayMs: z.int().min(0).default(1000).describe('wait before the second attempt'),
    backoff: z.number().min(1).max(10).default(2).describe('multiplier applied to the delay after each attempt'),
    maxDelayMs: z.int().min(0).default(60_000),
    jitter: z.boolean().default(true).describe('randomize each delay by up to ±50% so retries do not align'),
  })
  .strict();
export type RetryPolicy = z.infer<typeof RetryPolicySchema>;

export const PipelineParamSchema = z
  .object({
    type: z.enum(['string', 'number', 'integer', 'boolean']),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    description: z.string().optional(),
  })
  .strict();
export type PipelineParam = z.infer<typeof PipelineParamSchema>;

export const PipelineNodeSchema = z
  .object({
    id: identifier.describe('stable id, unique in the pipeline'),
    type: z.string().min(1).describe('node type from the catalog, e.g. "source.sample"'),
    version: z.int().min(1).describe('node type version this pipeline was written against'),
    title: z.string().optional(),
    params: z.record(z.string(), z.unknown()).default({}),
    retry: RetryPolicySchema.optional(),
    timeoutMs: z.int().min(1).optional(),
    cache: z.boolean().optional().describe('false: never reuse a cached result for this node'),
    continueOnFailure: z
      .boolean()
      .optional()
      .describe('when this node fails, the run goes on and its failure does not fail the run'),
    triggerRule: TriggerRuleSchema.optional().describe(
      'when this node runs, judged from its upstream nodes: all_succeeded (default), all_done, one_succeeded, one_failed, none_failed (succeeded or skipped), always',
    ),
  })
  .strict();
export type PipelineNode = z.infer<typeof PipelineNodeSchema>;

export const PipelineEdgeSchema = z
  .object({
    from: z.string().regex(ENDPOINT, 'write "node.port", or "node" for a control edge'),
    to: z.string().regex(ENDPOINT, 'write "node.port", or "node" for a control edge'),
  })
  .strict();
export type PipelineEdge = z.infer<typeof PipelineEdgeSchema>;

/** Layout only: execution and the pipeline hash ignore everything in here. */
export const PipelineLayoutSchema = z
  .object({
    nodes: z.record(z.string(), z.object({ x: z.number(), y: z.number() }).loose()).optional(),
    viewport: z.object({ x: z.number(), y: z.number(), zoom: z.number() }).optional(),
  })
  .loose();

export const PipelineDocumentSchema = z
  .object({
    format: z.literal(PIPELINE_FORMAT),
    id: identifier.describe('stable pipeline id; run history and KPIs are kept under it'),
    name: z.string().optional(),
    description: z.string().optional(),
    params: z
      .record(identifier, PipelineParamSchema)
      .default({})
      .describe('pipeline params, referenced from node params as "{{ params.name }}"'),
    nodes: z.array(PipelineNodeSchema),
    edges: z.array(PipelineEdgeSchema).default([]),
    alerts: z
      .array(AlertRuleSchema)
      .optional()
      .describe('alert rules judged after each run: on failure, drift, a KPI crossing a threshold, a missed deadline'),
    schedule: PipelineScheduleSchema.optional().describe('when the pipeline runs by itself (`trellis scheduler`, `trellis serve`)'),
    ui: PipelineLayoutSchema.optional(),
  })
  .strict()
  .meta({ title: 'Trellis pipeline', description: 'A Trellis ML pipeline document (*.trellis.json)' });

export type PipelineDocument = z.infer<typeof PipelineDocumentSchema>;
/** The document as written in a file, before defaults are applied. */
export type PipelineDocumentInput = z.input<typeof PipelineDocumentSchema>;
