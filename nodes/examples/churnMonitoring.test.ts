import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../engine/alerts/alert.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../engine/alerts/testing/localReceivers.js';
import { loadKpis } from '../../engine/api/kpiSeries.js';
import { WorkerPool } from '../../engine/executor/workerPool.js';
import { loadDocument } from '../../engine/format/loadDocument.js';
import type { PipelineDocument } from '../../engine/format/pipelineDocument.js';
import { ChartArtifactSchema } from '../../engine/report/chartSpec.js';
import { cliInProcess } from '../../engine/testing/cliInProcess.js';
import { Workspace } from '../../engine/workspace/workspace.js';
import { builtinRegistry } from '../catalog.js';

/**
 * The story of assets/examples/churn-monitoring.trellis.json: run once a day for 30 simulated
 * days (2024-05-20 … 2024-06-18) on the sample generator, whose prices start drifting on
 * 2024-06-01. Drift must appear after that day and not before, the drift alert must reach a
 * real local webhook exactly once (its cooldown holds back the repeats), the pipeline-level
 * drift rule must raise a desktop alert, and the KPI chart must show the jump.
 */
const EXAMPLES = join(import.meta.dirname, '../../assets/examples');
const DAYS = 30;
const FIRST_DAY = Date.parse('2024-05-20T00:00:00Z');
const DRIFT_START = '2024-06-01';
const dateOf = (day: number): string => new Date(FIRST_DAY + day * 86_400_000).toISOString().slice(0, 10);

let home: string;
let workspace: Workspace;
let webhook: WebhookReceiver;
// One pool for the 30 runs: starting worker threads per run would dominate the test's time.
const pool = new WorkerPool(2);
let document: PipelineDocument;
const desktop: Alert[] = [];
const runIds: string[] = [];

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'trellis-story-'));
  workspace = await Workspace.open(home, builtinRegistry());
  workspace.services.alerts.onDesktop((alert) => desktop.push(alert));
  webhook = await startWebhookReceiver();
  const loaded = loadDocument(readFileSync(join(EXAMPLES, 'churn-monitoring.trellis.json'), 'utf8'));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  document = loaded.document;
});
afterAll(async () => {
  await workspace?.close();
  await webhook?.close();
  await pool.close();
  rmSync(home, { recursive: true, force: true });
});

describe('churn monitoring over 30 days', () => {
  it('runs every day, sees drift appear after the drift start, alerts once, and the KPIs react', { timeout: 600_000 }, async () => {
    for (let day = 0; day < DAYS; day++) {
      const result = await workspace.runDocument(document, EXAMPLES, { params: { date: dateOf(day), webhook: webhook.url }, pool });
      if ('compileErrors' in result) throw new Error(JSON.stringify(result.compileErrors));
      const failed = result.tasks.filter((t) => t.state !== 'succeeded' && t.state !== 'cached');
      expect(failed.map((t) => [t.nodeId, t.state, t.error?.message]), dateOf(day)).toEqual([]);
      runIds.push(result.runId);
    }

    // Drift share per day, from the KPI series.
    const [share] = (await loadKpis(workspace.store, 'churn-monitoring', 'drift_share')).filter((s) => s.nodeId === 'drift');
    expect(share?.points).toHaveLength(DAYS);
    const byDate = new Map(share!.points.map((p, day) => [dateOf(day), p.value]));
    const before = [...byDate].filter(([date]) => date < DRIFT_START);
    expect(before.every(([, value]) => value <= 0.1), JSON.stringify(before)).toBe(true);
    const onset = [...byDate].find(([, value]) => value > 0.1)?.[0];
    expect(onset).toBeDefined();
    expect(onset! >= DRIFT_START && onset! <= '2024-06-08').toBe(true);
    expect([...byDate].filter(([date]) => date > '2024-06-10').every(([, value]) => value > 0.1)).toBe(true);

    // The webhook heard of it once, on the onset day: the cooldown held back the other days.
    await webhook.waitFor(1);
    expect(webhook.received).toHaveLength(1);
    expect(webhook.received[0]).toMatchObject({ rule: 'churn-monitoring/node:drift_alert', subject: 'metric:drift_share', runId: runIds[share!.points.findIndex((p) => p.value > 0.1)] });
    const logged = workspace.services.alerts.log.list({ pipelineId: 'churn-monitoring', limit: 1000 }).filter((r) => r.rule === 'churn-monitoring/node:drift_alert');
    expect(logged.filter((r) => r.outcome === 'sent')).toHaveLength(1);
    expect(logged.filter((r) => r.outcome === 'suppressed').length).toBeGreaterThan(5);
    // The pipeline-level drift rule raised a desktop alert, once.
    expect(desktop.filter((a) => a.rule === 'churn-monitoring/drift').map((a) => a.subject)).toEqual(['drift:drift']);

    // The KPI chart of the last day: 30 points, flat at first, above the alert line at the end.
    const last = await workspace.store.getTasks(runIds.at(-1)!);
    const chartValue = last.find((t) => t.nodeId === 'drift_chart')?.outputs?.chart;
    if (chartValue?.kind !== 'chart') throw new Error('drift_chart has no chart output');
    const chart = ChartArtifactSchema.parse(workspace.artifacts.readJson(chartValue.artifact)).spec;
    if (chart.kind !== 'kpi_line') throw new Error(chart.kind);
    const ys = chart.series[0]!.points.map((p) => p.y);
    expect(ys).toHaveLength(DAYS);
    expect(ys[0]).toBeLessThanOrEqual(0.1);
    expect(ys.at(-1)).toBeGreaterThan(chart.thresholds[0]!.value);

    // Champion/challenger ran every day and the champion alias always exists (fallback keeps it).
    const promotions = await workspace.store.getMetrics({ pipelineId: 'churn-monitoring', name: 'promoted' });
    expect(promotions).toHaveLength(DAYS);
    expect((await workspace.services.models.getModel('churn-daily'))?.aliases.champion).toBeGreaterThanOrEqual(1);

    // What a person would look at: the KPI table and the last day's report.
    const kpis = await cliInProcess(home, builtinRegistry(), ['kpis', 'churn-monitoring']);
    expect(kpis.out).toMatch(/^drift_share\s+drift\s+30\s/m);
    expect(kpis.out).toMatch(/^roc_auc\s+evaluate_challenger\s+churn-daily@v\d+\s+30\s/m);
    const out = join(home, 'report.html');
    expect((await cliInProcess(home, builtinRegistry(), ['report', runIds.at(-1)!, '--out', out])).code).toBe(0);
    const html = readFileSync(out, 'utf8');
    for (const title of ['Share of drifted columns', 'Challenger ROC AUC', 'monthly_charges: reference vs current', 'Confusion matrix', 'ROC curve', 'Prediction drift: what tells current from reference']) {
      expect(html).toContain(title);
    }
    expect(html).not.toMatch(/<script/i);
  });
});
