import { z } from 'zod';

/**
 * Chart specs: what a chart node stores (`trellis.chart/1` JSON artifact) and what the app and
 * `trellis report` draw. Data only, already reduced to what is drawn (a few hundred points at
 * most), so drawing needs no engine access. Pure zod: the browser bundle imports it.
 */

const title = z.string();

export const KpiLineSpecSchema = z.object({
  kind: z.literal('kpi_line'),
  title,
  metric: z.string(),
  /** One line per node that records the metric; x is the run's start time (epoch ms). */
  series: z.array(z.object({ name: z.string(), points: z.array(z.object({ x: z.number(), y: z.number(), runId: z.string() })) })),
  thresholds: z.array(z.object({ value: z.number(), label: z.string() })).default([]),
});

export const HistogramOverlaySpecSchema = z.object({
  kind: z.literal('histogram_overlay'),
  title,
  column: z.string(),
  /** Bars side by side per bin: reference and current, as shares of their side (so sizes compare). */
  bins: z.array(z.object({ label: z.string(), reference: z.number(), current: z.number() })),
  /** The drift verdict shown in the caption, when known. */
  verdict: z.string().optional(),
});

export const ConfusionMatrixSpecSchema = z.object({
  kind: z.literal('confusion_matrix'),
  title,
  labels: z.array(z.string()),
  /** rows: actual, columns: predicted. */
  matrix: z.array(z.array(z.number())),
});

export const CurveSpecSchema = z.object({
  kind: z.literal('curve'),
  title,
  curve: z.enum(['roc', 'pr']),
  xLabel: z.string(),
  yLabel: z.string(),
  points: z.array(z.object({ x: z.number(), y: z.number() })),
  /** Area under the curve, shown in the caption. */
  area: z.number().optional(),
});

export const BarsSpecSchema = z.object({
  kind: z.literal('bars'),
  title,
  /** Largest first. */
  bars: z.array(z.object({ label: z.string(), value: z.number() })),
  valueLabel: z.string().default('importance'),
});

export const ChartSpecSchema = z.discriminatedUnion('kind', [KpiLineSpecSchema, HistogramOverlaySpecSchema, ConfusionMatrixSpecSchema, CurveSpecSchema, BarsSpecSchema]);
export type ChartSpec = z.output<typeof ChartSpecSchema>;
export type ChartKind = ChartSpec['kind'];

export const CHART_FORMAT = 'trellis.chart/1';
/** The chart artifact as stored. */
export const ChartArtifactSchema = z.object({ format: z.literal(CHART_FORMAT), spec: ChartSpecSchema });
export type ChartArtifact = z.output<typeof ChartArtifactSchema>;
