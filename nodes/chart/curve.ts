import { z } from 'zod';
import { curveChart } from '../../engine/report/chartsFromMetrics.js';
import { defineNode } from '../../engine/node/nodeDefinition.js';
import { NodeError } from '../../engine/node/nodeError.js';
import { CHART_OUTPUT, writeChart } from './writeChart.js';

/** The ROC or precision–recall curve of a binary classification evaluation. */
export default defineNode({
  type: 'chart.curve',
  version: 1,
  title: 'ROC / PR curve',
  category: 'chart',
  description: 'Draws the ROC curve (with the chance diagonal) or the precision–recall curve of a binary classification evaluation, with its area.',
  inputs: [{ name: 'metrics', type: 'metrics', description: 'the output of evaluate.classification (two classes, with probabilities)' }],
  outputs: [CHART_OUTPUT],
  params: z.object({ curve: z.enum(['roc', 'pr']).default('roc'), title: z.string().default('') }),
  async execute(ctx) {
    const spec = curveChart(ctx.inputs.metrics('metrics'), ctx.params.curve, ctx.params.title || undefined);
    if (!spec) throw new NodeError(`the metrics have no ${ctx.params.curve} curve`, { port: 'metrics', hint: 'curves come from evaluate.classification on two classes with a model that gives probabilities' });
    return writeChart(ctx, spec);
  },
});
