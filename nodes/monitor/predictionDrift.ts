import { z } from 'zod';
import { sqlIdentifier, sqlString } from '../../engine/data/dataEngine.js';
import { readFeatures } from '../../engine/data/readFeatures.js';
import { DOMAIN_CLASSIFIERS, domainClassifier, type DomainClassifierPayload, type DomainClassifierResult } from '../../engine/ml/drift/domainClassifier.js';
import { DEFAULT_THRESHOLDS, type DriftSettings } from '../../engine/ml/drift/driftPolicy.js';
import type { ColumnDrift } from '../../engine/ml/drift/driftResult.js';
import { DEFAULT_SEED } from '../../engine/ml/random.js';
import { computeTask } from '../../engine/node/computeTask.js';
import type { NodeContext } from '../../engine/node/nodeContext.js';
import { defineNode } from '../../engine/node/nodeDefinition.js';
import { NodeError } from '../../engine/node/nodeError.js';
import type { TableValue } from '../../engine/node/portValue.js';
import { MAX_CATEGORIES, planColumns, type PlannedColumn } from './driftColumns.js';
import { judgeColumns } from './judgeColumns.js';

/** Below this many feature values (both sides) the domain classifier trains on the node's own thread. */
const WORKER_THRESHOLD = 100_000;

const params = z.object({
  outputColumns: z
    .array(z.string())
    .default([])
    .describe('the model\'s outputs to compare (scores, probabilities, predicted class); empty: prediction and every proba_* column')
    .meta({ ui: { widget: 'columns', port: 'reference' } }),
  features: z
    .array(z.string())
    .default([])
    .describe('columns the domain classifier may use; empty: every shared column except the outputs and "exclude"')
    .meta({ ui: { widget: 'columns', port: 'reference' } }),
  exclude: z.array(z.string()).default([]).describe('columns the domain classifier leaves out, e.g. ids, dates and the label').meta({ ui: { widget: 'columns', port: 'reference' } }),
  domainThreshold: z.number().min(0.5).max(1).default(0.6).describe('multivariate drift when the domain classifier\'s held-out ROC AUC exceeds this'),
  classifier: z.enum(DOMAIN_CLASSIFIERS).default('gradient_boosting').describe('the domain classifier'),
  testFraction: z.number().gt(0).lt(1).default(0.3).describe('share of each side held out to measure the AUC'),
  maxRows: z.int().min(10).default(20_000).describe('each side is sampled down (seeded) to this many rows for the domain classifier'),
  largeReference: z.int().min(1).default(1000).describe('from this many reference values on, an output is judged by a distance instead of a test'),
  seed: z.int().default(DEFAULT_SEED),
});
type Params = z.output<typeof params>;

/**
 * Concept-drift watch on a model's outputs: the distribution of its scores and predicted classes,
 * reference (e.g. predictions on the training period) against current, column by column by the
 * drift policy; and a multivariate check, a seeded domain classifier that tries to tell reference
 * rows from current ones (engine/ml/drift/domainClassifier.ts), with the columns it leaned on.
 */
export default defineNode({
  type: 'monitor.prediction_drift',
  version: 1,
  title: 'Prediction drift',
  category: 'monitor',
  description:
    'Compares the model\'s outputs (scores, probabilities, predicted classes) on current rows with a reference, and trains a classifier to tell reference rows from current ones: drift when its held-out ROC AUC exceeds a threshold, with the columns it relied on.',
  inputs: [
    { name: 'reference', type: 'table', description: 'scored reference rows (a predict node\'s output on e.g. the training period)' },
    { name: 'current', type: 'table', description: 'scored current rows' },
  ],
  outputs: [{ name: 'report', type: 'metrics', description: 'prediction_drift, domain_auc, multivariate_drift, drift and <column>.<method> per output; details: columns (histograms), domain (AUC, importance)' }],
  params,
  async execute(ctx) {
    const reference = ctx.inputs.table('reference');
    const current = ctx.inputs.table('current');
    const p = ctx.params;
    const outputs = outputColumns(reference, current, p.outputColumns);
    const { planned } = planColumns(reference, current, outputs, []);
    const settings: DriftSettings = { thresholds: { ...DEFAULT_THRESHOLDS }, largeReference: p.largeReference, bins: 10, histogramBins: 20 };
    ctx.progress(0, 'comparing the model outputs');
    const { judged, skipped } = await judgeColumns(ctx, reference, current, planned, new Map(), settings);
    for (const s of skipped) ctx.log.warn(`output "${s.column}" not judged: ${s.reason}`);

    ctx.progress(0.5, 'training the domain classifier');
    const exclude = new Set([...outputs, ...p.exclude]);
    const featureNames = p.features.length > 0 ? p.features : reference.columns.map((c) => c.name).filter((name) => !exclude.has(name) && current.columns.some((c) => c.name === name));
    const domain = featureNames.length > 0 ? await domainCheck(ctx, reference, current, featureNames) : undefined;
    if (!domain) ctx.log.warn('no feature columns left for the domain classifier: only the outputs were compared');
    return { report: report(ctx, judged, domain, p) };
  },
});

/** The named outputs, or `prediction` and every `proba_*` column both tables have. */
function outputColumns(reference: TableValue, current: TableValue, named: readonly string[]): string[] {
  if (named.length > 0) return [...named];
  const shared = reference.columns.map((c) => c.name).filter((name) => current.columns.some((c) => c.name === name));
  const found = shared.filter((name) => name === 'prediction' || name.startsWith('proba_'));
  if (found.length === 0) {
    throw new NodeError('neither table has a prediction or proba_* column', {
      param: 'outputColumns',
      hint: `connect the outputs of a predict node, or name the score columns. Shared columns: ${shared.join(', ') || '(none)'}`,
    });
  }
  return found;
}

/**
 * Reads the features as numbers for the classifier: numeric columns as they are (dates as epoch
 * seconds), categorical ones as the position of their value in the sorted categories of both
 * sides, so both get the same codes; a column with more than MAX_CATEGORIES categories is left out.
 */
async function domainCheck(ctx: NodeContext<Params>, reference: TableValue, current: TableValue, names: string[]): Promise<(DomainClassifierResult & { features: string[] }) | undefined> {
  const { planned, ignored } = planColumns(reference, current, names, []);
  if (ignored.length > 0) ctx.log.info(`domain classifier leaves out ${ignored.join(', ')} (no scalar values)`);
  const expressions: PlannedColumn[] = [];
  for (const column of planned) {
    if (column.kind === 'numeric') {
      expressions.push(column);
      continue;
    }
    const side = (table: TableValue): string => `SELECT ${column.sql} AS v FROM ${ctx.data.from(table)}`;
    const rows = await ctx.data.rows(`SELECT DISTINCT v FROM (${side(reference)} UNION ALL ${side(current)}) WHERE v IS NOT NULL ORDER BY v LIMIT ${MAX_CATEGORIES + 1}`);
    if (rows.length > MAX_CATEGORIES) {
      ctx.log.info(`domain classifier leaves out "${column.name}": more than ${MAX_CATEGORIES} categories`);
      continue;
    }
    const list = `[${rows.map((r) => sqlString(String(r.v))).join(', ')}]::VARCHAR[]`;
    expressions.push({ ...column, kind: 'numeric', sql: `CAST(list_position(${list}, ${column.sql}) AS DOUBLE)` });
  }
  if (expressions.length === 0) return undefined;
  const features = expressions.map((c) => c.name);
  const select = (table: TableValue): string => `SELECT ${expressions.map((c) => `${c.sql} AS ${sqlIdentifier(c.name)}`).join(', ')} FROM ${ctx.data.from(table)}`;
  const ref = await readFeatures(ctx.data, select(reference), features, { expectedRows: reference.rows, signal: ctx.signal });
  const cur = await readFeatures(ctx.data, select(current), features, { expectedRows: current.rows, signal: ctx.signal });
  if (ref.rows < 2 || cur.rows < 2) {
    ctx.log.warn(`the domain classifier needs at least 2 rows per side (reference ${ref.rows}, current ${cur.rows})`);
    return undefined;
  }
  const options = { classifier: ctx.params.classifier, testFraction: ctx.params.testFraction, maxRowsPerSide: ctx.params.maxRows, seed: ctx.params.seed };
  const payload: DomainClassifierPayload = { reference: ref, current: cur, options };
  const sampled = Math.min(ref.rows, ctx.params.maxRows) + Math.min(cur.rows, ctx.params.maxRows);
  if (sampled * features.length < WORKER_THRESHOLD) return { ...domainClassifier(ref, cur, options), features };
  const transfer = [...ref.columns, ...cur.columns].map((c) => c.buffer).filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
  const raw = await ctx.compute<DomainClassifierResult>(computeTask(import.meta.url, '../../engine/ml/drift/domainClassifier', 'domainClassifierTask'), payload, transfer);
  return { ...DomainResultSchema.parse(raw), features };
}

const DomainResultSchema = z.object({
  auc: z.number(),
  trainRows: z.int(),
  testRows: z.int(),
  importance: z.array(z.object({ feature: z.string(), importance: z.number() })),
});

function report(
  ctx: NodeContext<Params>,
  columns: ColumnDrift[],
  domain: (DomainClassifierResult & { features: string[] }) | undefined,
  p: Params,
): { kind: 'metrics'; values: Record<string, number>; details: Record<string, unknown> } {
  const driftedOutputs = columns.filter((c) => c.drifted);
  const predictionDrift = driftedOutputs.length > 0 ? 1 : 0;
  const multivariate = domain !== undefined && Number.isFinite(domain.auc) && domain.auc > p.domainThreshold ? 1 : 0;
  const values: Record<string, number> = { prediction_drift: predictionDrift, drifted_outputs: driftedOutputs.length, multivariate_drift: multivariate, drift: Math.max(predictionDrift, multivariate) };
  if (domain && Number.isFinite(domain.auc)) values.domain_auc = domain.auc;
  for (const c of columns) {
    values[`${c.column}.${c.method}`] = c.statistic;
    if (c.pValue !== null) values[`${c.column}.p_value`] = c.pValue;
    values[`${c.column}.drifted`] = c.drifted ? 1 : 0;
  }
  ctx.metric('prediction_drift', predictionDrift);
  ctx.metric('multivariate_drift', multivariate);
  if (values.domain_auc !== undefined) ctx.metric('domain_auc', values.domain_auc);
  ctx.log.info(`${driftedOutputs.length} of ${columns.length} output(s) drifted${driftedOutputs.length > 0 ? `: ${driftedOutputs.map((c) => c.column).join(', ')}` : ''}`);
  if (domain) {
    const top = domain.importance.slice(0, 3).map((e) => `${e.feature} ${(e.importance * 100).toFixed(0)}%`).join(', ');
    ctx.log.info(`domain classifier ROC AUC ${domain.auc.toFixed(3)} (threshold ${p.domainThreshold}) on ${domain.testRows} held-out rows; it leaned on ${top}`);
    if (multivariate) ctx.log.warn('multivariate drift: current rows can be told apart from reference rows');
  }
  return {
    kind: 'metrics',
    values,
    details: {
      columns,
      ...(domain
        ? { domain: { auc: domain.auc, threshold: p.domainThreshold, drifted: multivariate === 1, classifier: p.classifier, trainRows: domain.trainRows, testRows: domain.testRows, features: domain.features, importance: domain.importance } }
        : {}),
    },
  };
}
