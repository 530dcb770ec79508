import { z } from 'zod';
import { AlertChannelSchema } from './alertChannel.js';

const ruleId = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'use letters, digits, "_" or "-", starting with a letter or "_"');

const common = {
  id: ruleId.describe('stable name of the rule: de-duplication and the cooldown are kept per rule and subject'),
  channels: z.array(AlertChannelSchema).min(1).describe('where the alert goes'),
  cooldownMinutes: z.number().min(0).default(60).describe('the same rule about the same subject is sent at most once in this window'),
};

/**
 * Pipeline-level alert rules (the document's `alerts`), judged by the host after each run (and,
 * for deadlines, while it runs): the run failed, a monitor node reported drift, a KPI crossed a
 * threshold, or the run took longer than it may.
 */
export const AlertRuleSchema = z.discriminatedUnion('on', [
  z.object({ on: z.literal('failure'), ...common }).strict(),
  z
    .object({
      on: z.literal('drift'),
      ...common,
      node: z.string().optional().describe('only this node\'s drift verdict; default: any drift or prediction-drift node'),
    })
    .strict(),
  z
    .object({
      on: z.literal('kpi'),
      ...common,
      metric: z.string().min(1).describe('a metric name as nodes record it, e.g. roc_auc'),
      node: z.string().optional().describe('only this node\'s metric; default: any node that records it'),
      above: z.number().optional().describe('alert when the value is above this'),
      below: z.number().optional().describe('alert when the value is below this'),
    })
    .strict()
    .refine((rule) => rule.above !== undefined || rule.below !== undefined, { message: 'a kpi rule needs "above" and/or "below"' }),
  z
    .object({
      on: z.literal('deadline'),
      ...common,
      maxMinutes: z.number().positive().describe('alert when a run is still going (or took) longer than this'),
    })
    .strict(),
]);
export type AlertRule = z.output<typeof AlertRuleSchema>;

/** Metric names monitor nodes record as a 0/1 drift verdict. */
export const DRIFT_VERDICT_METRICS: readonly string[] = ['dataset_drift', 'prediction_drift', 'multivariate_drift'];
