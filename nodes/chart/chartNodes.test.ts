import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricsValue, PortValue } from '../../engine/node/portValue.js';
import { ChartArtifactSchema, type ChartSpec } from '../../engine/report/chartSpec.js';
import { NodeTestBench } from '../../engine/testing/nodeTestBench.js';
import dataDrift from '../monitor/dataDrift.js';
import confusionMatrix from './confusionMatrix.js';
import curve from './curve.js';
import histogram from './histogram.js';
import importance from './importance.js';
import kpiLine from './kpiLine.js';

let bench: NodeTestBench;
beforeAll(async () => {
  bench = await NodeTestBench.create();
});
afterAll(async () => {
  await bench.close();
});

/** The stored spec behind a chart output, checked against the schema. */
function spec(value: PortValue | undefined): ChartSpec {
  if (value?.kind !== 'chart') throw new Error(`expected a chart, got ${value?.kind}`);
  return ChartArtifactSchema.parse(bench.artifacts.readJson(value.artifact)).spec;
}

const evaluation: MetricsValue = {
  kind: 'metrics',
  values: { roc_auc: 0.75, pr_auc: 0.7 },
  details: {
    confusion: { classes: ['no', 'yes'], matrix: [[50, 10], [5, 35]] },
    roc: { fpr: [0, 0.2, 1], tpr: [0, 0.7, 1], thresholds: [null, 0.5, 0] },
    pr: { recall: [0, 0.7, 1], precision: [1, 0.8, 0.4], thresholds: [0.9, 0.5, null] },
    importance: [{ feature: 'tenure', permutation: 0.12, gain: 0.5 }, { feature: 'plan', permutation: 0.03, gain: 0.2 }],
  },
};

describe('chart nodes', () => {
  it('chart.confusion_matrix, chart.curve and chart.importance read an evaluation', async () => {
    expect(spec((await bench.run(confusionMatrix, { inputs: { metrics: evaluation } })).outputs.chart)).toEqual({ kind: 'confusion_matrix', title: 'Confusion matrix', labels: ['no', 'yes'], matrix: [[50, 10], [5, 35]] });
    const roc = spec((await bench.run(curve, { inputs: { metrics: evaluation } })).outputs.chart);
    expect(roc).toMatchObject({ kind: 'curve', curve: 'roc', xLabel: 'fpr', yLabel: 'tpr', area: 0.75, points: [{ x: 0, y: 0 }, { x: 0.2, y: 0.7 }, { x: 1, y: 1 }] });
    expect(spec((await bench.run(curve, { params: { curve: 'pr' }, inputs: { metrics: evaluation } })).outputs.chart)).toMatchObject({ curve: 'pr', area: 0.7 });
    expect(spec((await bench.run(importance, { inputs: { metrics: evaluation } })).outputs.chart)).toMatchObject({
      kind: 'bars',
      bars: [{ label: 'tenure', value: 0.12 }, { label: 'plan', value: 0.03 }],
      valueLabel: 'permutation importance',
    });
  });

  it('say what is missing from the connected metrics', async () => {
    const empty: MetricsValue = { kind: 'metrics', values: {}, details: {} };
    await expect(bench.run(confusionMatrix, { inputs: { metrics: empty } })).rejects.toThrow(/no confusion matrix/);
    await expect(bench.run(curve, { inputs: { metrics: empty } })).rejects.toThrow(/no roc curve/);
    await expect(bench.run(histogram, { inputs: { report: empty } })).rejects.toThrow(/no drift columns/);
  });

  it('chart.histogram overlays the most drifted column of a real drift report, as shares', async () => {
    const reference = await bench.table('SELECT i % 10 AS a, i % 7 AS b FROM range(200) t(i)');
    const current = await bench.table('SELECT (i % 10) + 5 AS a, i % 7 AS b FROM range(200) t(i)');
    const report = (await bench.run(dataDrift, { inputs: { reference, current } })).outputs.report;
    const chart = spec((await bench.run(histogram, { inputs: { report: report! } })).outputs.chart);
    if (chart.kind !== 'histogram_overlay') throw new Error(chart.kind);
    expect(chart.column).toBe('a');
    expect(chart.verdict).toMatch(/^drifted: ks /);
    expect(chart.bins.reduce((s, b) => s + b.reference, 0)).toBeCloseTo(1, 12);
    expect(chart.bins.reduce((s, b) => s + b.current, 0)).toBeCloseTo(1, 12);
    const b = spec((await bench.run(histogram, { params: { column: 'b' }, inputs: { report: report! } })).outputs.chart);
    expect(b).toMatchObject({ column: 'b', verdict: expect.stringMatching(/^no drift/) });
  });

  it('chart.kpi_line draws the history with thresholds and adds this run from its input', async () => {
    bench.kpiSeries = [{ metric: 'roc_auc', nodeId: 'evaluate', points: [{ runId: 'r1', time: 1000, value: 0.8 }, { runId: 'r2', time: 2000, value: 0.82 }] }];
    const run = await bench.run(kpiLine, { params: { metric: 'roc_auc', thresholds: [{ value: 0.75, label: 'min' }] }, inputs: { metrics: evaluation } });
    const chart = spec(run.outputs.chart);
    if (chart.kind !== 'kpi_line') throw new Error(chart.kind);
    expect(chart.thresholds).toEqual([{ value: 0.75, label: 'min' }]);
    expect(chart.series[0]?.name).toBe('evaluate');
    expect(chart.series[0]?.points.map((p) => [p.runId, p.y])).toEqual([['r1', 0.8], ['r2', 0.82], ['test-run', 0.75]]);
  });
});
