import { z } from 'zod';
import { kpiLineChart } from '../../engine/report/chartsFromMetrics.js';
import { defineNode } from '../../engine/node/nodeDefinition.js';
import { CHART_OUTPUT, writeChart } from './writeChart.js';

const params = z.object({
  metric: z.string().min(1).describe('the KPI to draw, e.g. roc_auc, drift_share, run.duration_ms'),
  node: z.string().default('').describe('only this node\'s series (empty: every node that records the metric)'),
  thresholds: z.array(z.object({ value: z.number(), label: z.string().default('threshold') })).default([]).describe('horizontal lines, e.g. [{"value": 0.75, "label": "min AUC"}]').meta({ ui: { widget: 'json' } }),
  runs: z.int().min(2).max(1000).default(50).describe('the most recent runs to draw'),
  title: z.string().default(''),
});

/**
 * A KPI over this pipeline's runs, from the run history, with threshold lines. This run's value
 * comes from the connected metrics when the store has not got it yet (the chart node usually
 * runs right after the node that records it). Volatile: history changes with every run.
 */
export default defineNode({
  type: 'chart.kpi_line',
  version: 1,
  title: 'KPI line',
  category: 'chart',
  description: 'Draws a KPI (any metric an evaluate or monitor node records, or run.duration_ms / run.succeeded) over the pipeline\'s runs, with threshold lines.',
  inputs: [{ name: 'metrics', type: 'metrics', optional: true, multiple: true, description: 'this run\'s metrics (the newest point)' }],
  outputs: [CHART_OUTPUT],
  params,
  volatile: true,
  async execute(ctx) {
    const p = ctx.params;
    const history = (await ctx.services.history.kpis(ctx.pipelineId, p.metric, p.runs)).filter((s) => p.node === '' || s.nodeId === p.node);
    const has = history.some((s) => s.points.some((point) => point.runId === ctx.runId));
    const value = ctx.inputs.all('metrics').flatMap((v) => (v.kind === 'metrics' && p.metric in v.values ? [v.values[p.metric]!] : []))[0];
    if (!has && value !== undefined) {
      const point = { runId: ctx.runId, time: Date.now(), value };
      const target = history[0];
      if (target) target.points.push(point);
      else history.push({ metric: p.metric, nodeId: p.node === '' ? null : p.node, points: [point] });
    }
    const points = history.reduce((sum, s) => sum + s.points.length, 0);
    ctx.log.info(`${p.metric}: ${points} point(s) over ${history.length} series`);
    return writeChart(ctx, kpiLineChart(history, p.metric, p.thresholds, p.title || undefined));
  },
});
