import { z } from 'zod';

/** One alert, as channels receive it (the webhook body is exactly this object). */
export const AlertSchema = z.object({
  /** The rule that raised it: a pipeline rule id, or `node:<nodeId>` for a monitor.alert node. */
  rule: z.string(),
  /** What it is about (e.g. `drift:drift_check`, `kpi:evaluate.roc_auc`); de-duplication is per rule and subject. */
  subject: z.string(),
  severity: z.enum(['info', 'warning', 'critical']),
  title: z.string(),
  message: z.string(),
  pipelineId: z.string(),
  runId: z.string(),
  time: z.number(),
  /** The numbers behind it (metric value, threshold, duration, ...). */
  facts: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
});
export type Alert = z.output<typeof AlertSchema>;
