import type { KpiSeries } from '../api/engineApi.js';
import type { AlertLogRecord } from '../alerts/alertLog.js';
import type { NodeOutputs } from '../node/portValue.js';
import type { LogRecord, RunRecord, TaskRecord } from '../store/runStore.js';
import type { ChartSpec } from './chartSpec.js';
import { chartsOfMetrics, kpiLineChart } from './chartsFromMetrics.js';
import { chartSvg, escapeXml as esc } from './chartSvg.js';

export interface RunReportInput {
  run: RunRecord;
  tasks: readonly TaskRecord[];
  /** Node titles and types by id, from the pipeline version the run used (when it is stored). */
  nodes: ReadonlyMap<string, { type: string; title?: string }>;
  /** Stored chart specs of chart outputs, by artifact id. */
  charts: ReadonlyMap<string, ChartSpec>;
  /** The pipeline's KPI series up to this run (drawn for the metrics this run recorded). */
  kpis: readonly KpiSeries[];
  /** Warnings and errors of the run. */
  logs: readonly LogRecord[];
  alerts: readonly AlertLogRecord[];
  /** When the report was made (epoch ms). */
  now: number;
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2430;margin:24px auto;max-width:1100px;padding:0 16px;line-height:1.4}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #e3e7ee;padding-bottom:4px}h3{font-size:14px;margin:18px 0 6px}
table{border-collapse:collapse;margin:6px 0 12px;font-size:13px}th,td{border:1px solid #e3e7ee;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f5f7fa}
td.num{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#6b7280}.charts{display:flex;flex-wrap:wrap;gap:12px}
.charts figure{margin:0;border:1px solid #e3e7ee;border-radius:6px;padding:6px;background:#fff}
.state{font-weight:600}.state-succeeded,.state-cached{color:#2f7d4b}.state-failed{color:#c23a3a}.state-skipped,.state-cancelled,.state-interrupted{color:#8a6d1f}
.log-warn{color:#8a6d1f}.log-error{color:#c23a3a}
`;

const time = (ms: number | undefined): string => (ms === undefined ? '' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19));
const duration = (from: number | undefined, to: number | undefined): string => {
  if (from === undefined || to === undefined) return '';
  const ms = to - from;
  return ms < 1000 ? `${ms} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} m ${Math.round((ms % 60_000) / 1000)} s`;
};
const number = (v: number): string => (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(5))));

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>, numeric: readonly number[] = []): string {
  return `<table><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((cell, i) => `<td${numeric.includes(i) ? ' class="num"' : ''}>${cell}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const figures = (charts: readonly ChartSpec[]): string => (charts.length === 0 ? '' : `<div class="charts">${charts.map((c) => `<figure>${chartSvg(c)}</figure>`).join('')}</div>`);

function outputsSection(task: TaskRecord, input: RunReportInput): string {
  const parts: string[] = [];
  for (const [port, value] of Object.entries(task.outputs ?? ({} as NodeOutputs))) {
    if (value.kind === 'metrics') {
      const entries = Object.entries(value.values);
      if (entries.length > 0) parts.push(`<p class="muted">${esc(port)}</p>${table(['metric', 'value'], entries.map(([k, v]) => [esc(k), esc(number(v))]), [1])}`);
      parts.push(figures(chartsOfMetrics(value)));
    } else if (value.kind === 'chart') {
      const spec = input.charts.get(value.artifact);
      parts.push(spec ? figures([spec]) : `<p class="muted">${esc(port)}: chart ${esc(value.artifact.slice(0, 12))} is missing from the artifact store</p>`);
    } else if (value.kind === 'table') {
      parts.push(`<p class="muted">${esc(port)}: table, ${value.rows} rows × ${value.columns.length} columns (${esc(value.columns.map((c) => `${c.name} ${c.type}`).join(', '))})</p>`);
    } else {
      const summary = Object.entries(value.summary).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
      parts.push(`<p class="muted">${esc(port)}: ${esc(value.kind)}${summary.length > 0 ? ` (${esc(summary.join(', '))})` : ''}</p>`);
    }
  }
  return parts.join('');
}

/**
 * A run as one standalone HTML page: summary, every node's state, metrics tables, charts (chart
 * outputs, and charts drawn from evaluation and drift details), the run's KPIs over the
 * pipeline's history, alerts and warnings. Inline CSS and SVG only: no script, no external
 * resource, so it opens anywhere and can be mailed or archived as it is.
 */
export function runReportHtml(input: RunReportInput): string {
  const { run, tasks } = input;
  const params = Object.entries(run.params);
  const metricNames = new Set<string>();
  const recorded = input.kpis.filter((s) => s.nodeId !== null && s.points.some((p) => p.runId === run.id));
  for (const s of recorded) metricNames.add(s.metric);
  const kpiCharts = [...metricNames].slice(0, 12).map((metric) => kpiLineChart(recorded.filter((s) => s.metric === metric), metric));
  const runLevel = input.kpis.filter((s) => s.nodeId === null);
  const nodeRows = tasks.map((t) => {
    const node = input.nodes.get(t.nodeId);
    const detail = t.error ? `<span class="log-error">${esc(t.error.message)}</span>${t.error.hint ? ` <span class="muted">${esc(t.error.hint)}</span>` : ''}` : t.reason ? esc(t.reason) : t.cache ? `<span class="muted">${esc(`cache ${t.cache.outcome}: ${t.cache.reason}`)}</span>` : '';
    return [`<strong>${esc(t.nodeId)}</strong>${node?.title ? ` <span class="muted">${esc(node.title)}</span>` : ''}`, esc(node?.type ?? t.type), `<span class="state state-${esc(t.state)}">${esc(t.state)}</span>`, String(t.attempt), esc(duration(t.startedAt, t.finishedAt)), detail];
  });
  const withOutputs = tasks.filter((t) => Object.values(t.outputs ?? {}).some((v) => v.kind === 'metrics' || v.kind === 'chart'));
  return [
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
    `<title>${esc(`${run.pipelineName} — run ${run.id}`)}</title>`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<style>${STYLE}</style></head><body>`,
    `<h1>${esc(run.pipelineName)} <span class="muted">run ${esc(run.id)}</span></h1>`,
    `<p><span class="state state-${esc(run.state)}">${esc(run.state)}</span> · started ${esc(time(run.startedAt))} UTC · ${esc(duration(run.startedAt, run.finishedAt) || 'still running')} · ${tasks.length} node(s)</p>`,
    run.error ? `<p class="log-error">${esc(run.error)}</p>` : '',
    table(
      ['pipeline', 'version', 'params', 'host', 'report made'],
      [[esc(run.pipelineId), `<code>${esc(run.pipelineHash.slice(0, 12))}</code>`, esc(params.map(([k, v]) => `${k}=${String(v)}`).join(', ') || '—'), esc(run.host), esc(`${time(input.now)} UTC`)]],
    ),
    '<h2>Nodes</h2>',
    table(['node', 'type', 'state', 'attempts', 'duration', 'details'], nodeRows, [3]),
    input.alerts.length > 0 ? `<h2>Alerts</h2>${table(['time', 'rule', 'subject', 'title', 'outcome', 'detail'], input.alerts.map((a) => [esc(time(a.time)), esc(a.rule), esc(a.subject), esc(a.title), esc(a.outcome), esc(a.detail)]))}` : '',
    withOutputs.length > 0 ? '<h2>Metrics and charts</h2>' : '',
    ...withOutputs.map((t) => `<h3>${esc(t.nodeId)}</h3>${outputsSection(t, input)}`),
    kpiCharts.length > 0 || runLevel.length > 0 ? `<h2>KPIs over runs</h2>${figures([...kpiCharts, ...runLevel.map((s) => kpiLineChart([s], s.metric))])}` : '',
    input.logs.length > 0
      ? `<h2>Warnings and errors</h2>${table(['time', 'node', 'level', 'message'], input.logs.slice(0, 200).map((l) => [esc(time(l.time)), esc(l.nodeId), `<span class="log-${esc(l.level)}">${esc(l.level)}</span>`, esc(l.message)]))}`
      : '',
    '</body></html>',
    '',
  ].join('\n');
}
