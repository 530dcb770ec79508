import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KpiSeries } from '../../api/engineApi.js';
import { PipelineDocumentSchema } from '../../format/pipelineDocument.js';
import { NodeRegistry } from '../../node/nodeRegistry.js';
import { cliInProcess, type CliOutcome } from '../../testing/cliInProcess.js';
import { hookNodes } from '../../testing/hookNodes.js';
import { Workspace } from '../../workspace/workspace.js';

let home: string;
const registry = new NodeRegistry(
  hookNodes({
    evaluate: (ctx) => {
      ctx.metric('roc_auc', ctx.params.value);
      return { metrics: { kind: 'metrics', values: { roc_auc: ctx.params.value }, details: { model: { kind: 'gradient_boosting', name: 'churn', version: 3 } } } };
    },
  }),
);

const cli = (args: string[]): Promise<CliOutcome> => cliInProcess(home, registry, args);

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'trellis-kpis-'));
  const workspace = await Workspace.open(home, registry);
  try {
    for (const value of [0.81, 0.84, 0.78]) {
      const document = PipelineDocumentSchema.parse({ format: 'trellis.pipeline/1', id: 'churn', nodes: [{ id: 'evaluate', type: 'test.hook', version: 1, params: { label: 'evaluate', value } }] });
      await workspace.runDocument(document, home);
    }
  } finally {
    await workspace.close();
  }
});
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('trellis kpis', () => {
  it('summarizes every series: node metrics with their model, run duration and outcome', async () => {
    const { code, out } = await cli(['kpis', 'churn']);
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^METRIC\s+NODE\s+MODEL\s+RUNS\s+LAST\s+MIN\s+MAX\s+TREND\s+LAST RUN$/);
    expect(lines[1]).toMatch(/^roc_auc\s+evaluate\s+churn@v3\s+3\s+0\.78\s+0\.78\s+0\.84\s+[▁-█]{3}\s+\d{4}-/);
    expect(lines[1]).toContain('▅█▁');
    expect(lines[2]).toMatch(/^run\.duration_ms\s+\(run\)\s+3\s/);
    expect(lines[3]).toMatch(/^run\.succeeded\s+\(run\)\s+3\s+1\s+1\s+1\s/);
  });

  it('lists one metric run by run, oldest first', async () => {
    const { out } = await cli(['kpis', 'churn', '--metric', 'roc_auc']);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^TIME\s+RUN\s+NODE\s+MODEL\s+roc_auc$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).at(-1))).toEqual(['0.81', '0.84', '0.78']);
  });

  it('prints the series as JSON', async () => {
    const series = JSON.parse((await cli(['kpis', 'churn', '--json'])).out) as KpiSeries[];
    expect(series.map((s) => s.metric)).toEqual(['roc_auc', 'run.duration_ms', 'run.succeeded']);
  });

  it('says when there is nothing, and names the pipelines there are', async () => {
    expect((await cli(['kpis', 'nope'])).out).toBe('no KPIs for pipeline "nope" (pipelines: churn)\n');
    expect((await cli(['kpis', 'churn', '--metric', 'f1'])).out).toBe('no KPI "f1" for pipeline "churn"\n');
    expect((await cli(['kpis'])).code).toBe(2);
  });
});
