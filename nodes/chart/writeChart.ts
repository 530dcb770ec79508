import { CHART_FORMAT, ChartSpecSchema, type ChartSpec } from '../../engine/report/chartSpec.js';
import type { FileValue } from '../../engine/node/portValue.js';
import type { NodeContext } from '../../engine/node/nodeContext.js';

/** Validates a spec and stores it as a `trellis.chart/1` artifact: the `chart` output every chart node gives. */
export function writeChart(ctx: Pick<NodeContext<unknown>, 'artifacts'>, spec: ChartSpec): { chart: FileValue } {
  const checked = ChartSpecSchema.parse(spec);
  const artifact = ctx.artifacts.putJson({ format: CHART_FORMAT, spec: checked });
  return { chart: { kind: 'chart', artifact, summary: { chart: checked.kind, title: checked.title } } };
}

export const CHART_OUTPUT = { name: 'chart', type: 'chart', description: 'a chart spec the app and `trellis report` draw' } as const;
