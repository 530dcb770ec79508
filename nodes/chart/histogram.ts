import { z } from 'zod';
import { driftColumns, histogramChart } from '../../engine/report/chartsFromMetrics.js';
import { defineNode } from '../../engine/node/nodeDefinition.js';
import { NodeError } from '../../engine/node/nodeError.js';
import { CHART_OUTPUT, writeChart } from './writeChart.js';

const params = z.object({
  column: z.string().default('').describe('the column to draw; empty: the most drifted one'),
  title: z.string().default(''),
});

/** Reference vs current distribution of one column, from a data_drift or prediction_drift report. */
export default defineNode({
  type: 'chart.histogram',
  version: 1,
  title: 'Histogram overlay',
  category: 'chart',
  description: 'Overlays the reference and current histograms of one column from a drift report (shares of rows per bin), with the drift verdict.',
  inputs: [{ name: 'report', type: 'metrics', description: 'a monitor.data_drift or monitor.prediction_drift report' }],
  outputs: [CHART_OUTPUT],
  params,
  async execute(ctx) {
    const columns = driftColumns(ctx.inputs.metrics('report').details);
    if (columns.length === 0) throw new NodeError('the report has no drift columns', { port: 'report', hint: 'connect the report of monitor.data_drift or monitor.prediction_drift' });
    const chosen =
      ctx.params.column === ''
        ? [...columns].sort((a, b) => Number(b.drifted) - Number(a.drifted) || b.statistic / b.threshold - a.statistic / a.threshold)[0]!
        : columns.find((c) => c.column === ctx.params.column);
    if (!chosen) throw new NodeError(`the report has no column "${ctx.params.column}"`, { param: 'column', hint: `columns: ${columns.map((c) => c.column).join(', ')}` });
    return writeChart(ctx, histogramChart(chosen, ctx.params.title || undefined));
  },
});
