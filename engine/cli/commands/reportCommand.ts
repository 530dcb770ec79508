import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadKpis } from '../../api/kpiSeries.js';
import { loadDocument } from '../../format/loadDocument.js';
import { ChartArtifactSchema, type ChartSpec } from '../../report/chartSpec.js';
import { runReportHtml } from '../../report/runReportHtml.js';
import { openWorkspace, type CliContext } from '../cliContext.js';
import { EXIT, UsageError, type ExitCode } from '../cliIo.js';

const USAGE = 'report RUN --out FILE.html';

/** `trellis report RUN --out report.html`: a run as one standalone HTML file (inline SVG charts, no script). */
export async function reportCommand(args: string[], context: CliContext): Promise<ExitCode> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string' } } });
  const [runId, ...extra] = positionals;
  if (!runId || extra.length > 0 || !values.out) throw new UsageError(USAGE);
  const workspace = await openWorkspace(context);
  try {
    const run = await workspace.store.getRun(runId);
    if (!run) {
      context.io.err(`trellis report: there is no run "${runId}"; list runs with \`trellis runs\`\n`);
      return EXIT.usage;
    }
    const [tasks, logs, documentText, kpis] = await Promise.all([
      workspace.store.getTasks(runId),
      workspace.store.getLogs(runId),
      workspace.store.getDocument(run.pipelineHash),
      loadKpis(workspace.store, run.pipelineId, undefined, 1000),
    ]);
    const loaded = documentText === undefined ? undefined : loadDocument(documentText);
    const nodes = new Map(loaded?.ok ? loaded.document.nodes.map((n) => [n.id, { type: n.type, ...(n.title ? { title: n.title } : {}) }]) : []);
    const charts = new Map<string, ChartSpec>();
    for (const task of tasks) {
      for (const value of Object.values(task.outputs ?? {})) {
        if (value.kind !== 'chart' || !workspace.artifacts.has(value.artifact)) continue;
        const parsed = ChartArtifactSchema.safeParse(workspace.artifacts.readJson(value.artifact));
        if (parsed.success) charts.set(value.artifact, parsed.data.spec);
      }
    }
    // History up to this run: a report of an older run does not show what came after it.
    const upToRun = kpis.map((s) => ({ ...s, points: s.points.filter((p) => p.time <= run.startedAt) })).filter((s) => s.points.length > 0);
    const html = runReportHtml({
      run,
      tasks,
      nodes,
      charts,
      kpis: upToRun,
      logs: logs.filter((l) => l.level === 'warn' || l.level === 'error'),
      alerts: workspace.services.alerts.log.list({ runId, limit: 200 }),
      now: Date.now(),
    });
    const out = resolve(values.out);
    writeFileSync(out, html);
    context.io.out(`wrote ${out} (${Math.round(html.length / 1024)} KB): run ${run.id}, ${tasks.length} node(s), ${run.state}\n`);
    return EXIT.ok;
  } finally {
    await workspace.close();
  }
}
