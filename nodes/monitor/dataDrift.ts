import { z } from 'zod';
import { datasetDrift, DEFAULT_THRESHOLDS, methodFits, type ColumnOverride, type DriftSettings } from '../../engine/ml/drift/driftPolicy.js';
import { DriftMethodSchema, type ColumnDrift, type SkippedColumn } from '../../engine/ml/drift/driftResult.js';
import type { NodeContext } from '../../engine/node/nodeContext.js';
import { defineNode } from '../../engine/node/nodeDefinition.js';
import { NodeError } from '../../engine/node/nodeError.js';
import { planColumns, type PlannedColumn } from './driftColumns.js';
import { judgeColumns } from './judgeColumns.js';

const Override = z.object({
  column: z.string().min(1),
  method: DriftMethodSchema.optional(),
  threshold: z.number().positive().optional(),
});

const threshold = (value: number, what: string): z.ZodDefault<z.ZodNumber> => z.number().positive().default(value).describe(what);

const params = z.object({
  columns: z.array(z.string()).default([]).describe('columns to compare; empty: every column both tables share').meta({ ui: { widget: 'columns', port: 'reference' } }),
  exclude: z.array(z.string()).default([]).describe('columns to leave out, e.g. ids and the target').meta({ ui: { widget: 'columns', port: 'reference' } }),
  overrides: z
    .array(Override)
    .default([])
    .describe('per column: a method (ks, wasserstein, psi, jensenshannon, chi2) and/or a threshold, e.g. [{"column": "age", "method": "psi"}]')
    .meta({ ui: { widget: 'json' } }),
  thresholds: z
    .object({
      ks: threshold(DEFAULT_THRESHOLDS.ks, 'drift when the KS p-value is below this'),
      chi2: threshold(DEFAULT_THRESHOLDS.chi2, 'drift when the chi-square p-value is below this'),
      wasserstein: threshold(DEFAULT_THRESHOLDS.wasserstein, 'drift when the Wasserstein distance exceeds this many reference standard deviations'),
      psi: threshold(DEFAULT_THRESHOLDS.psi, 'drift when the population stability index exceeds this'),
      jensenshannon: threshold(DEFAULT_THRESHOLDS.jensenshannon, 'drift when the Jensen–Shannon distance exceeds this'),
    })
    .prefault({})
    .describe('default threshold per method')
    .meta({ ui: { widget: 'json' } }),
  largeReference: z.int().min(1).default(1000).describe('from this many reference values on, a column is judged by a distance instead of a test'),
  bins: z.int().min(2).max(1000).default(10).describe('reference-quantile bins for psi, jensenshannon and chi2 on numeric columns'),
  datasetThreshold: z.number().min(0).max(1).default(0.5).describe('the dataset has drifted when at least this share of columns has'),
});
type Params = z.output<typeof params>;

/**
 * Compares a current table with a reference one, column by column, choosing the measure per
 * column by its type and the reference size (engine/ml/drift/driftPolicy.ts), and says which it
 * chose and why.
 */
export default defineNode({
  type: 'monitor.data_drift',
  version: 1,
  title: 'Data drift',
  category: 'monitor',
  description:
    'Compares the current data with a reference (e.g. the training data) column by column: Kolmogorov–Smirnov or chi-square tests for small references, Wasserstein or Jensen–Shannon distances for large ones, with histograms of both sides. Flags the dataset when enough columns drifted.',
  inputs: [
    { name: 'reference', type: 'table', description: 'what the data should look like, e.g. the training rows' },
    { name: 'current', type: 'table', description: 'the data to check, e.g. this week\'s scoring rows' },
  ],
  outputs: [{ name: 'report', type: 'metrics', description: 'drift_share, drifted_columns, dataset_drift and <column>.<method> per column; details.columns has the histograms' }],
  params,
  async execute(ctx) {
    const reference = ctx.inputs.table('reference');
    const current = ctx.inputs.table('current');
    const { planned, ignored } = planColumns(reference, current, ctx.params.columns, ctx.params.exclude);
    if (ignored.length > 0) ctx.log.info(`left out ${ignored.length} column(s) whose type has no distribution to compare: ${ignored.join(', ')}`);
    const overrides = overridesByColumn(ctx.params.overrides, planned);
    const settings: DriftSettings = { thresholds: ctx.params.thresholds, largeReference: ctx.params.largeReference, bins: ctx.params.bins, histogramBins: 20 };

    const { judged, skipped } = await judgeColumns(ctx, reference, current, planned, overrides, settings);
    for (const s of skipped) ctx.log.warn(`column "${s.column}" not judged: ${s.reason}`);
    return { report: report(ctx, judged, skipped, ctx.params) };
  },
});

function overridesByColumn(list: Params['overrides'], planned: readonly PlannedColumn[]): Map<string, ColumnOverride> {
  const byName = new Map<string, ColumnOverride>();
  for (const [i, override] of list.entries()) {
    const column = planned.find((c) => c.name === override.column);
    if (!column) {
      throw new NodeError(`override ${i + 1} names column "${override.column}", which is not among the compared columns`, {
        param: 'overrides',
        hint: `compared columns: ${planned.map((c) => c.name).join(', ')}`,
      });
    }
    if (override.method && !methodFits(override.method, column.kind)) {
      throw new NodeError(`${override.method} needs numeric values, but column "${column.name}" is categorical`, {
        param: 'overrides',
        hint: 'use chi2, jensenshannon or psi for categorical columns',
      });
    }
    if (byName.has(column.name)) throw new NodeError(`column "${column.name}" has two overrides`, { param: 'overrides', hint: 'merge them into one' });
    byName.set(column.name, { method: override.method, threshold: override.threshold });
  }
  return byName;
}

function report(ctx: NodeContext<Params>, columns: ColumnDrift[], skipped: SkippedColumn[], p: Params): { kind: 'metrics'; values: Record<string, number>; details: Record<string, unknown> } {
  const verdict = datasetDrift(columns, p.datasetThreshold);
  const values: Record<string, number> = {
    drift_share: verdict.share,
    drifted_columns: verdict.drifted,
    judged_columns: verdict.judged,
    dataset_drift: verdict.datasetDrift ? 1 : 0,
  };
  for (const c of columns) {
    values[`${c.column}.${c.method}`] = c.statistic;
    if (c.pValue !== null) values[`${c.column}.p_value`] = c.pValue;
    values[`${c.column}.drifted`] = c.drifted ? 1 : 0;
  }
  ctx.metric('drift_share', verdict.share);
  ctx.metric('dataset_drift', values.dataset_drift!);
  ctx.metric('drifted_columns', verdict.drifted);
  const names = columns.filter((c) => c.drifted).map((c) => c.column);
  ctx.log.info(
    `${verdict.drifted} of ${verdict.judged} column(s) drifted (${(verdict.share * 100).toFixed(0)}%, dataset threshold ${p.datasetThreshold * 100}%)${names.length > 0 ? `: ${names.join(', ')}` : ''}`,
  );
  if (verdict.datasetDrift) ctx.log.warn('dataset drift: the share of drifted columns reached the threshold');
  return { kind: 'metrics', values, details: { columns, skipped, datasetThreshold: p.datasetThreshold } };
}
