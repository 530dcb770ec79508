import type { MetricRecord, RunRecord, RunStore } from '../store/runStore.js';
import { RUN_KPIS, type KpiPoint, type KpiSeries } from './engineApi.js';

/** The KPI series of a pipeline's most recent `limit` runs (default 200), optionally one metric. */
export async function loadKpis(store: RunStore, pipelineId: string, name?: string, limit = 200): Promise<KpiSeries[]> {
  const runs = await store.listRuns({ pipelineId, limit });
  const runLevel = name === RUN_KPIS.duration || name === RUN_KPIS.succeeded;
  const metrics = runLevel ? [] : await store.getMetrics({ pipelineId, ...(name ? { name } : {}) });
  return kpiSeries(runs, metrics, name);
}

/**
 * KPI series from a pipeline's runs and the metrics its nodes recorded: one series per metric and
 * node, one point per run (a metric recorded several times in a run, e.g. per epoch, counts with
 * its last value), at the run's start so the series of one run line up. Metrics of runs outside
 * `runs` are left out. Then the run-level series: duration of finished runs, and whether each run
 * that is no longer running succeeded.
 */
export function kpiSeries(runs: readonly RunRecord[], metrics: readonly MetricRecord[], name: string | undefined): KpiSeries[] {
  // `runs` is newest first; reversed, its order breaks ties between runs started in the same millisecond.
  const chronological = [...runs].reverse().sort((a, b) => a.startedAt - b.startedAt);
  const rank = new Map(chronological.map((run, i) => [run.id, i]));
  const series = new Map<string, { metric: string; nodeId: string; last: Map<string, MetricRecord> }>();
  for (const record of metrics) {
    if (!rank.has(record.runId)) continue;
    const key = JSON.stringify([record.name, record.nodeId]);
    let entry = series.get(key);
    if (!entry) series.set(key, (entry = { metric: record.name, nodeId: record.nodeId, last: new Map() }));
    const seen = entry.last.get(record.runId);
    if (!seen || seen.time <= record.time) entry.last.set(record.runId, record);
  }
  const point = (run: RunRecord, value: number): KpiPoint => ({ runId: run.id, time: run.startedAt, value });
  const result: KpiSeries[] = [...series.values()]
    .map(({ metric, nodeId, last }) => ({
      metric,
      nodeId,
      points: chronological.flatMap((run) => {
        const record = last.get(run.id);
        return record ? [point(run, record.value)] : [];
      }),
    }))
    .sort((a, b) => a.metric.localeCompare(b.metric) || a.nodeId.localeCompare(b.nodeId));
  const duration = chronological.flatMap((run) => (run.finishedAt === undefined ? [] : [point(run, run.finishedAt - run.startedAt)]));
  const succeeded = chronological.flatMap((run) => (run.state === 'running' ? [] : [point(run, run.state === 'succeeded' ? 1 : 0)]));
  for (const [metric, points] of [
    [RUN_KPIS.duration, duration],
    [RUN_KPIS.succeeded, succeeded],
  ] as const) {
    if ((name === undefined || name === metric) && points.length > 0) result.push({ metric, nodeId: null, points });
  }
  return result;
}
