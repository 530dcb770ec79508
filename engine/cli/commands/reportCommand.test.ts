import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipelineDocumentSchema } from '../../format/pipelineDocument.js';
import { NodeRegistry } from '../../node/nodeRegistry.js';
import { CHART_FORMAT } from '../../report/chartSpec.js';
import { cliInProcess, type CliOutcome } from '../../testing/cliInProcess.js';
import { hookNodes } from '../../testing/hookNodes.js';
import { Workspace } from '../../workspace/workspace.js';

let home: string;
const runIds: string[] = [];
const registry = new NodeRegistry(
  hookNodes({
    evaluate: (ctx) => {
      ctx.metric('accuracy', ctx.params.value);
      ctx.log.warn('few rows <in> the window');
      return { metrics: { kind: 'metrics', values: { accuracy: ctx.params.value }, details: { confusion: { classes: ['no', 'yes'], matrix: [[8, 2], [1, 9]] } } } };
    },
    chart: (ctx) => {
      const artifact = ctx.artifacts.putJson({ format: CHART_FORMAT, spec: { kind: 'bars', title: 'Importance from a chart node', bars: [{ label: 'tenure', value: 0.7 }], valueLabel: 'gain' } });
      return { chart: { kind: 'chart', artifact, summary: { chart: 'bars' } } };
    },
  }),
);

const cli = (args: string[]): Promise<CliOutcome> => cliInProcess(home, registry, args);

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'trellis-report-'));
  const workspace = await Workspace.open(home, registry);
  try {
    for (const value of [0.8, 0.85]) {
      const document = PipelineDocumentSchema.parse({
        format: 'trellis.pipeline/1',
        id: 'churn',
        name: 'Churn <monitoring>',
        nodes: [
          { id: 'evaluate', type: 'test.hook', version: 1, title: 'Evaluate', params: { label: 'evaluate', value } },
          { id: 'importance_chart', type: 'test.hook', version: 1, params: { label: 'chart' } },
        ],
        alerts: [{ id: 'acc', on: 'kpi', metric: 'accuracy', below: 0.9, channels: [{ type: 'desktop' }] }],
      });
      const result = await workspace.runDocument(document, home);
      if ('compileErrors' in result) throw new Error('does not compile');
      runIds.push(result.runId);
    }
  } finally {
    await workspace.close();
  }
});
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('trellis report', () => {
  it('writes one standalone HTML file: summary, nodes, metrics, charts, KPIs, alerts, warnings', async () => {
    const out = join(home, 'report.html');
    const result = await cli(['report', runIds[1]!, '--out', out]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain(`run ${runIds[1]}, 2 node(s), succeeded`);
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    // Nothing to fetch, nothing to run.
    expect(html).not.toMatch(/<script|<link|<img|src=|@import|url\(/i);
    expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:\/\//);
    expect(html).toContain('<h1>Churn &lt;monitoring&gt; <span class="muted">run');
    expect(html).toMatch(/<strong>evaluate<\/strong> <span class="muted">Evaluate<\/span><\/td><td>test.hook<\/td><td><span class="state state-succeeded">succeeded/);
    expect(html).toMatch(/<td>accuracy<\/td><td class="num">0.85<\/td>/);
    expect(html).toContain('actual yes, predicted no: 1'); // the confusion matrix drawn from the details
    expect(html).toContain('Importance from a chart node'); // the chart node's spec
    expect(html).toContain('accuracy over runs');
    expect(html.match(/<circle/g)?.length).toBeGreaterThanOrEqual(2); // both runs on the KPI line
    expect(html).toContain('churn/acc'); // the alert this run raised
    expect(html).toContain('few rows &lt;in&gt; the window');
  });

  it('shows an older run without the runs that came after it', async () => {
    const out = join(home, 'first.html');
    await cli(['report', runIds[0]!, '--out', out]);
    const html = readFileSync(out, 'utf8');
    const kpi = html.slice(html.indexOf('accuracy over runs'));
    expect(kpi.slice(0, kpi.indexOf('</svg>')).match(/<circle/g)).toHaveLength(1);
  });

  it('names a missing run and needs --out', async () => {
    expect((await cli(['report', 'nope', '--out', join(home, 'x.html')])).err).toContain('there is no run "nope"');
    expect((await cli(['report', runIds[0]!])).code).toBe(2);
  });
});
