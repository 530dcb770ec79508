import { z } from 'zod';
import { importanceChart } from '../../engine/report/chartsFromMetrics.js';
import { defineNode } from '../../engine/node/nodeDefinition.js';
import { NodeError } from '../../engine/node/nodeError.js';
import { CHART_OUTPUT, writeChart } from './writeChart.js';

/** Importance bars: evaluate.importance, or what a prediction-drift domain classifier leaned on. */
export default defineNode({
  type: 'chart.importance',
  version: 1,
  title: 'Importance bars',
  category: 'chart',
  description: 'Draws feature importance as bars, most important first: from evaluate.importance, or the columns a prediction-drift domain classifier relied on.',
  inputs: [{ name: 'metrics', type: 'metrics', description: 'evaluate.importance or monitor.prediction_drift output' }],
  outputs: [CHART_OUTPUT],
  params: z.object({ top: z.int().min(1).max(200).default(20).describe('bars at most'), title: z.string().default('Importance') }),
  async execute(ctx) {
    const spec = importanceChart(ctx.inputs.metrics('metrics').details, ctx.params.title, ctx.params.top);
    if (!spec) throw new NodeError('the metrics have no per-feature importance', { port: 'metrics', hint: 'connect evaluate.importance or monitor.prediction_drift' });
    return writeChart(ctx, spec);
  },
});
