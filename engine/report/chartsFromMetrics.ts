import { z } from 'zod';
import { ColumnDriftSchema, type ColumnDrift } from '../ml/drift/driftResult.js';
import type { KpiSeries } from '../api/engineApi.js';
import type { MetricsValue } from '../node/portValue.js';
import type { ChartSpec } from './chartSpec.js';

/**
 * Chart specs from what evaluate and monitor nodes put in their metrics `details`: the chart
 * nodes build from these, and `trellis report` draws them for metrics no chart node covered.
 * Each returns undefined when the details do not hold what it needs.
 */

type Spec<K extends ChartSpec['kind']> = Extract<ChartSpec, { kind: K }>;

const Labels = z.array(z.union([z.string(), z.number(), z.boolean()])).transform((l) => l.map(String));
const ConfusionSchema = z.object({ classes: Labels.optional(), labels: Labels.optional(), matrix: z.array(z.array(z.number())).min(1) });

export function confusionChart(details: Record<string, unknown>, title = 'Confusion matrix'): Spec<'confusion_matrix'> | undefined {
  const parsed = ConfusionSchema.safeParse(details.confusion);
  if (!parsed.success) return undefined;
  const { matrix } = parsed.data;
  const names = parsed.data.classes ?? parsed.data.labels;
  const labels = names?.length === matrix.length ? names : matrix.map((_, i) => String(i));
  return { kind: 'confusion_matrix', title, labels, matrix };
}

const CURVES = {
  roc: { x: 'fpr', y: 'tpr', area: 'roc_auc', schema: z.object({ fpr: z.array(z.number()), tpr: z.array(z.number()) }) },
  pr: { x: 'recall', y: 'precision', area: 'pr_auc', schema: z.object({ recall: z.array(z.number()), precision: z.array(z.number()) }) },
} as const;

export function curveChart(metrics: Pick<MetricsValue, 'values' | 'details'>, curve: 'roc' | 'pr', title?: string): Spec<'curve'> | undefined {
  const axes = CURVES[curve];
  const parsed = axes.schema.safeParse(metrics.details[curve]);
  if (!parsed.success) return undefined;
  const record: Record<string, number[]> = parsed.data;
  const xs = record[axes.x] ?? [];
  const ys = record[axes.y] ?? [];
  if (xs.length === 0 || xs.length !== ys.length) return undefined;
  const area = metrics.values[axes.area];
  return {
    kind: 'curve',
    title: title ?? (curve === 'roc' ? 'ROC curve' : 'Precision–recall curve'),
    curve,
    xLabel: axes.x,
    yLabel: axes.y,
    points: xs.map((x, i) => ({ x, y: ys[i]! })),
    ...(area !== undefined ? { area } : {}),
  };
}

/** Shares per bin, reference and current, from a drift column's histogram. */
export function histogramChart(drift: ColumnDrift, title?: string): Spec<'histogram_overlay'> {
  const h = drift.histogram;
  const share = (counts: readonly number[]): number[] => {
    const total = counts.reduce((a, b) => a + b, 0);
    return counts.map((c) => (total > 0 ? c / total : 0));
  };
  let labels: string[];
  let reference: number[];
  let current: number[];
  if (h.kind === 'numeric') {
    const format = (v: number): string => String(Number(v.toPrecision(3)));
    labels = h.reference.map((_, k) => `${format(h.edges[k]!)}–${format(h.edges[k + 1]!)}`);
    reference = share(h.reference);
    current = share(h.current);
  } else {
    const withOther = h.other.categories > 0;
    labels = [...h.categories, ...(withOther ? [`other (${h.other.categories})`] : [])];
    reference = share([...h.reference, ...(withOther ? [h.other.reference] : [])]);
    current = share([...h.current, ...(withOther ? [h.other.current] : [])]);
  }
  const statistic = `${drift.method} ${Number(drift.statistic.toPrecision(4))}${drift.pValue !== null ? ` (p ${Number(drift.pValue.toPrecision(3))})` : ''}`;
  return {
    kind: 'histogram_overlay',
    title: title ?? `${drift.column}: reference vs current`,
    column: drift.column,
    bins: labels.map((label, k) => ({ label, reference: reference[k] ?? 0, current: current[k] ?? 0 })),
    verdict: `${drift.drifted ? 'drifted' : 'no drift'}: ${statistic}, threshold ${drift.threshold}`,
  };
}

/** The drift columns of a data_drift or prediction_drift report. */
export function driftColumns(details: Record<string, unknown>): ColumnDrift[] {
  const parsed = z.array(ColumnDriftSchema).safeParse(details.columns);
  return parsed.success ? parsed.data : [];
}

const PerFeatureSchema = z.array(
  z.object({ feature: z.string(), importance: z.number().optional(), permutation: z.number().optional(), gain: z.number().optional(), meanAbsContribution: z.number().optional() }),
);

/**
 * Importance bars from evaluate.importance (`details.importance`: permutation, else gain, else
 * mean |contribution|) or a prediction-drift domain classifier (`details.domain.importance`).
 */
export function importanceChart(details: Record<string, unknown>, title = 'Importance', top = 20): Spec<'bars'> | undefined {
  const domain = z.object({ importance: PerFeatureSchema }).safeParse(details.domain);
  const parsed = domain.success ? { success: true as const, data: domain.data.importance } : PerFeatureSchema.safeParse(details.importance);
  if (!parsed.success || parsed.data.length === 0) return undefined;
  const first = parsed.data[0]!;
  const key = (['importance', 'permutation', 'gain', 'meanAbsContribution'] as const).find((k) => first[k] !== undefined);
  if (!key) return undefined;
  const bars = parsed.data
    .flatMap((e) => (e[key] !== undefined && Number.isFinite(e[key]) ? [{ label: e.feature, value: e[key] }] : []))
    .sort((a, b) => b.value - a.value)
    .slice(0, top);
  const valueLabel = domain.success ? 'share of the domain classifier\'s splits' : key === 'permutation' ? 'permutation importance' : key === 'gain' ? 'split gain' : key;
  return { kind: 'bars', title: domain.success ? `${title}: what tells current from reference` : title, bars, valueLabel };
}

/** A KPI line over runs: one line per node that records `metric`, with threshold lines. */
export function kpiLineChart(series: readonly KpiSeries[], metric: string, thresholds: ReadonlyArray<{ value: number; label: string }> = [], title?: string): Spec<'kpi_line'> {
  return {
    kind: 'kpi_line',
    title: title ?? `${metric} over runs`,
    metric,
    series: series.filter((s) => s.metric === metric).map((s) => ({ name: s.nodeId ?? 'run', points: s.points.map((p) => ({ x: p.time, y: p.value, runId: p.runId })) })),
    thresholds: [...thresholds],
  };
}

/** Every chart a metrics value's details can give (the report's automatic charts). */
export function chartsOfMetrics(metrics: Pick<MetricsValue, 'values' | 'details'>, maxHistograms = 6): ChartSpec[] {
  const charts: ChartSpec[] = [];
  const confusion = confusionChart(metrics.details);
  if (confusion) charts.push(confusion);
  for (const curve of ['roc', 'pr'] as const) {
    const spec = curveChart(metrics, curve);
    if (spec) charts.push(spec);
  }
  const importance = importanceChart(metrics.details);
  if (importance) charts.push(importance);
  // Drifted columns first: they are what a reader opens the report for.
  const columns = driftColumns(metrics.details).sort((a, b) => Number(b.drifted) - Number(a.drifted));
  for (const column of columns.slice(0, maxHistograms)) charts.push(histogramChart(column));
  return charts;
}
