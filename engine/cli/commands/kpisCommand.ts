import { parseArgs } from 'node:util';
import { RUN_KPIS, type KpiSeries } from '../../api/engineApi.js';
import { loadKpis } from '../../api/kpiSeries.js';
import { MetricsValueSchema } from '../../node/portValue.js';
import type { RunStore } from '../../store/runStore.js';
import { openWorkspace, type CliContext } from '../cliContext.js';
import { EXIT, UsageError, type ExitCode } from '../cliIo.js';
import { formatDuration } from '../formatDuration.js';
import { formatNumber } from '../formatNumber.js';
import { formatTable } from '../formatTable.js';
import { sparkline } from '../sparkline.js';

const USAGE = 'kpis PIPELINE [--metric M] [--limit N] [--json]';

const time = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
const show = (metric: string, value: number): string => (metric === RUN_KPIS.duration ? formatDuration(value) : formatNumber(value));

/**
 * The model each node's metrics are about: an evaluate node names it in its metrics details
 * (`model.name`, `model.version`) in its latest outputs. Empty for nodes that do not say.
 */
async function modelsOf(store: RunStore, pipelineId: string, nodeIds: readonly string[]): Promise<Map<string, string>> {
  const models = new Map<string, string>();
  for (const nodeId of nodeIds) {
    const task = await store.latestOutputs(pipelineId, nodeId);
    for (const value of Object.values(task?.outputs ?? {})) {
      const parsed = MetricsValueSchema.safeParse(value);
      const model = parsed.success ? parsed.data.details.model : undefined;
      if (model && typeof model === 'object' && 'name' in model && typeof model.name === 'string') {
        models.set(nodeId, 'version' in model && typeof model.version === 'number' ? `${model.name}@v${model.version}` : model.name);
      }
    }
  }
  return models;
}

/** `trellis kpis`: a pipeline's KPI time series (every node metric, run duration and outcome) as a table. */
export async function kpisCommand(args: string[], context: CliContext): Promise<ExitCode> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { metric: { type: 'string' }, limit: { type: 'string', default: '200' }, json: { type: 'boolean' } } });
  const [pipelineId, ...extra] = positionals;
  if (!pipelineId || extra.length > 0) throw new UsageError(USAGE);
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError(`--limit takes a whole number from 1 to 1000, got "${values.limit}"`);
  const workspace = await openWorkspace(context);
  try {
    const series = await loadKpis(workspace.store, pipelineId, values.metric, limit);
    if (values.json) {
      context.io.out(`${JSON.stringify(series, null, 2)}\n`);
      return EXIT.ok;
    }
    if (series.length === 0) {
      const known = (await workspace.store.listPipelines()).map((p) => p.id);
      const what = values.metric ? `no KPI "${values.metric}" for pipeline "${pipelineId}"` : `no KPIs for pipeline "${pipelineId}"`;
      context.io.out(`${what}${known.includes(pipelineId) ? '' : known.length > 0 ? ` (pipelines: ${known.join(', ')})` : ' (no pipeline has run yet)'}\n`);
      return EXIT.ok;
    }
    const models = await modelsOf(workspace.store, pipelineId, [...new Set(series.flatMap((s) => (s.nodeId === null ? [] : [s.nodeId])))]);
    context.io.out(values.metric ? pointsTable(series, models) : summaryTable(series, models));
    return EXIT.ok;
  } finally {
    await workspace.close();
  }
}

/** One line per series: how many runs, the last value and its range, the trend. */
function summaryTable(series: readonly KpiSeries[], models: ReadonlyMap<string, string>): string {
  return formatTable(
    ['METRIC', 'NODE', 'MODEL', 'RUNS', 'LAST', 'MIN', 'MAX', 'TREND', 'LAST RUN'],
    series.map((s) => {
      const numbers = s.points.map((p) => p.value);
      const last = s.points[s.points.length - 1];
      return [
        s.metric,
        s.nodeId ?? '(run)',
        s.nodeId === null ? '' : (models.get(s.nodeId) ?? ''),
        String(s.points.length),
        last ? show(s.metric, last.value) : '',
        show(s.metric, Math.min(...numbers)),
        show(s.metric, Math.max(...numbers)),
        sparkline(numbers),
        last ? time(last.time) : '',
      ];
    }),
  );
}

/** One line per run and node for a single metric, oldest first. */
function pointsTable(series: readonly KpiSeries[], models: ReadonlyMap<string, string>): string {
  const rows = series
    .flatMap((s) => s.points.map((p) => ({ s, p })))
    .sort((a, b) => a.p.time - b.p.time || (a.s.nodeId ?? '').localeCompare(b.s.nodeId ?? ''))
    .map(({ s, p }) => [time(p.time), p.runId, s.nodeId ?? '(run)', s.nodeId === null ? '' : (models.get(s.nodeId) ?? ''), show(s.metric, p.value)]);
  return formatTable(['TIME', 'RUN', 'NODE', 'MODEL', series[0]?.metric ?? 'VALUE'], rows);
}
