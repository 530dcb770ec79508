import { z } from 'zod';
import { AlertSchema } from '../alerts/alert.js';
import { NodeOutputsSchema } from '../node/portValue.js';
import { RunStateSchema, TaskStateSchema } from './taskState.js';

export const CacheDecisionSchema = z.object({
  /** hit: reused; miss: executed; off: caching disabled for this task. */
  outcome: z.enum(['hit', 'miss', 'off']),
  /** Why, in words: "params changed: threshold", "input train changed", "--no-cache", ... */
  reason: z.string(),
});
export type CacheDecision = z.infer<typeof CacheDecisionSchema>;

export const TaskErrorSchema = z.object({
  message: z.string(),
  /** user: bad params or data (act on the message); timeout; cancelled; internal: a bug or crash. */
  kind: z.enum(['user', 'timeout', 'cancelled', 'internal']),
  param: z.string().optional(),
  port: z.string().optional(),
  hint: z.string().optional(),
  stack: z.string().optional(),
});
export type TaskError = z.infer<typeof TaskErrorSchema>;

const base = { runId: z.string(), time: z.number() };

/**
 * The one event stream of a run. The executor emits it; the store records each event before the
 * next is emitted; the CLI, IPC and HTTP (server-sent events) forward the same objects.
 */
export const RunEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('run.started'),
    ...base,
    pipelineId: z.string(),
    pipelineHash: z.string(),
    nodes: z.array(z.object({ id: z.string(), type: z.string(), title: z.string() })),
    resumed: z.boolean(),
  }),
  z.object({
    type: z.literal('task.state'),
    ...base,
    nodeId: z.string(),
    state: TaskStateSchema,
    attempt: z.int(),
    cacheKey: z.string().optional(),
    cache: CacheDecisionSchema.optional(),
    error: TaskErrorSchema.optional(),
    outputs: NodeOutputsSchema.optional(),
    /** For skipped tasks: why (e.g. "upstream node train failed"). */
    reason: z.string().optional(),
  }),
  z.object({ type: z.literal('task.progress'), ...base, nodeId: z.string(), fraction: z.number(), message: z.string().optional() }),
  z.object({ type: z.literal('task.log'), ...base, nodeId: z.string(), level: z.enum(['debug', 'info', 'warn', 'error']), message: z.string() }),
  z.object({ type: z.literal('task.metric'), ...base, nodeId: z.string(), name: z.string(), value: z.number() }),
  z.object({ type: z.literal('run.finished'), ...base, state: RunStateSchema, error: z.string().optional() }),
  /**
   * A desktop alert (a monitor.alert node or a pipeline rule). Kept in the alert log, not with the
   * run, and broadcast by the host after it is logged; it may arrive after run.finished.
   */
  z.object({ type: z.literal('alert'), ...base, alert: AlertSchema }),
]);
export type RunEvent = z.infer<typeof RunEventSchema>;
export type RunEventOf<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;
export type TaskStateEvent = RunEventOf<'task.state'>;
