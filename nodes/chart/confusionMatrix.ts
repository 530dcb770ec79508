import { z } from 'zod';
import { confusionChart } from '../../engine/report/chartsFromMetrics.js';
import { defineNode } from '../../engine/node/nodeDefinition.js';
import { NodeError } from '../../engine/node/nodeError.js';
import { CHART_OUTPUT, writeChart } from './writeChart.js';

/** The confusion matrix of an evaluate.classification output. */
export default defineNode({
  type: 'chart.confusion_matrix',
  version: 1,
  title: 'Confusion matrix',
  category: 'chart',
  description: 'Draws the confusion matrix (rows: actual, columns: predicted) of a classification evaluation.',
  inputs: [{ name: 'metrics', type: 'metrics', description: 'the output of evaluate.classification' }],
  outputs: [CHART_OUTPUT],
  params: z.object({ title: z.string().default('Confusion matrix') }),
  async execute(ctx) {
    const spec = confusionChart(ctx.inputs.metrics('metrics').details, ctx.params.title);
    if (!spec) throw new NodeError('the metrics have no confusion matrix', { port: 'metrics', hint: 'connect the output of evaluate.classification' });
    return writeChart(ctx, spec);
  },
});
