import { z } from 'zod';
import { AlertChannelSchema } from '../../engine/alerts/alertChannel.js';
import type { Alert } from '../../engine/alerts/alert.js';
import { defineNode } from '../../engine/node/nodeDefinition.js';
import { NodeError } from '../../engine/node/nodeError.js';

const params = z
  .object({
    metric: z.string().min(1).default('dataset_drift').describe('the value to watch, by name, in the connected metrics (e.g. dataset_drift, roc_auc)'),
    above: z.number().nullable().default(0.5).describe('alert when the value is above this (null: no upper bound)'),
    below: z.number().nullable().default(null).describe('alert when the value is below this (null: no lower bound)'),
    title: z.string().default('').describe('the alert\'s title; empty: made from the metric and the bound'),
    severity: z.enum(['info', 'warning', 'critical']).default('warning'),
    channels: z
      .array(AlertChannelSchema)
      .min(1)
      .default([{ type: 'desktop' }])
      .describe('where it goes: [{"type":"desktop"}], [{"type":"webhook","url":"..."}], [{"type":"email","host":"...","from":"...","to":["..."],"password":"env:SMTP_PASSWORD"}]')
      .meta({ ui: { widget: 'json' } }),
    cooldownMinutes: z.number().min(0).default(60).describe('the same alert from this node is sent at most once in this window'),
  })
  .refine((p) => p.above !== null || p.below !== null, { message: 'give "above" and/or "below"', path: ['above'] });

/**
 * Sends an alert when a watched value crosses a bound: reads the metric from the connected
 * metrics values (a drift report, an evaluation, a quality check), and sends through the
 * workspace's alert service, which de-duplicates per node and metric with a durable cooldown.
 * Volatile: the check runs on every run, even when its inputs are unchanged.
 */
export default defineNode({
  type: 'monitor.alert',
  version: 1,
  title: 'Alert',
  category: 'monitor',
  description: 'Sends a desktop notification, a webhook (JSON POST) or an e-mail when a metric crosses a threshold, e.g. dataset_drift above 0.5; repeated alerts are held back for a cooldown.',
  inputs: [{ name: 'metrics', type: 'metrics', multiple: true, description: 'the reports to watch (the first that has the metric is used)' }],
  outputs: [{ name: 'result', type: 'metrics', description: 'value, fired (1/0) and suppressed (1 when held back by the cooldown)' }],
  params,
  volatile: true,
  async execute(ctx) {
    const p = ctx.params;
    const values = ctx.inputs.all('metrics').flatMap((v) => (v.kind === 'metrics' && p.metric in v.values ? [v.values[p.metric]!] : []));
    const value = values[0];
    if (value === undefined) {
      throw new NodeError(`none of the connected metrics has "${p.metric}"`, { param: 'metric', hint: 'name a value the upstream node reports (see its output\'s values)' });
    }
    const tooHigh = p.above !== null && value > p.above;
    const tooLow = p.below !== null && value < p.below;
    if (!tooHigh && !tooLow) {
      ctx.log.info(`${p.metric} = ${value}: within bounds, no alert`);
      return { result: { kind: 'metrics', values: { value, fired: 0, suppressed: 0 }, details: {} } };
    }
    const bound = tooHigh ? `above ${p.above}` : `below ${p.below}`;
    const alert: Alert = {
      rule: `${ctx.pipelineId}/node:${ctx.nodeId}`,
      subject: `metric:${p.metric}`,
      severity: p.severity,
      title: p.title !== '' ? p.title : `${ctx.pipelineId}: ${p.metric} ${bound}`,
      message: `${p.metric} is ${value}, ${bound} (node ${ctx.nodeId}, run ${ctx.runId}).`,
      pipelineId: ctx.pipelineId,
      runId: ctx.runId,
      time: Date.now(),
      facts: { metric: p.metric, value, ...(p.above !== null ? { above: p.above } : {}), ...(p.below !== null ? { below: p.below } : {}) },
    };
    const result = await ctx.services.alerts.dispatch(alert, p.channels, p.cooldownMinutes * 60_000);
    const line = `alert "${alert.title}": ${result.outcome} (${result.detail.join('; ')})`;
    if (result.outcome === 'failed' || result.outcome === 'partial') ctx.log.warn(line);
    else ctx.log.info(line);
    ctx.metric('alert_fired', result.outcome === 'suppressed' ? 0 : 1);
    return {
      result: {
        kind: 'metrics',
        values: { value, fired: result.outcome === 'suppressed' ? 0 : 1, suppressed: result.outcome === 'suppressed' ? 1 : 0 },
        details: { outcome: result.outcome, channels: result.detail, title: alert.title },
      },
    };
  },
});
