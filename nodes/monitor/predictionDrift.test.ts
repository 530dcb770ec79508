import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortValue, TableValue } from '../../engine/node/portValue.js';
import { NodeTestBench } from '../../engine/testing/nodeTestBench.js';
import predictionDrift from './predictionDrift.js';

let bench: NodeTestBench;

/** Deterministic uniform in [0, 1) from a row number and a salt (DuckDB's hash). */
const u = (salt: number): string => `((hash(i * 7919 + ${salt}) % 1000000) / 1000000.0)`;

/**
 * Scored rows: features x (numeric), plan (text), then proba_yes and prediction from them.
 * `shift` moves x; `planShare` is the share of 'premium' plans.
 */
function scored(rows: number, seed: number, shift: number, planShare = 0.3): string {
  return `SELECT id, x, plan, proba_yes, CASE WHEN proba_yes >= 0.5 THEN 'yes' ELSE 'no' END AS prediction FROM (
    SELECT i AS id, x, plan, 1 / (1 + exp(-(x - 1))) AS proba_yes FROM (
      SELECT i, (${u(seed)} + ${u(seed + 1)} + ${u(seed + 2)} - 1.5) * 2 + ${shift} AS x,
             CASE WHEN ${u(seed + 3)} < ${planShare} THEN 'premium' ELSE 'basic' END AS plan
      FROM range(${rows}) t(i)))`;
}

function report(value: PortValue | undefined): { values: Record<string, number>; details: Record<string, unknown> } {
  if (value?.kind !== 'metrics') throw new Error(`expected metrics, got ${value?.kind}`);
  return value;
}

let reference: TableValue;
beforeAll(async () => {
  bench = await NodeTestBench.create();
  reference = await bench.table(scored(1200, 10, 0));
});
afterAll(async () => {
  await bench.close();
});

describe('monitor.prediction_drift', () => {
  it('finds neither output drift nor multivariate drift between two samples of the same process', async () => {
    const current = await bench.table(scored(1200, 100, 0));
    const run = await bench.run(predictionDrift, { params: { exclude: ['id'] }, inputs: { reference, current } });
    const { values, details } = report(run.outputs.report);
    expect(values.prediction_drift).toBe(0);
    expect(values.multivariate_drift).toBe(0);
    expect(values.domain_auc).toBeLessThan(0.6);
    // prediction (categorical) and proba_yes (numeric), judged by the policy for n ≥ 1000.
    expect(Object.keys(values).filter((k) => k.endsWith('.drifted')).sort()).toEqual(['prediction.drifted', 'proba_yes.drifted']);
    expect(values['proba_yes.wasserstein']).toBeDefined();
    expect(values['prediction.jensenshannon']).toBeDefined();
    expect(details.domain).toMatchObject({ features: ['x', 'plan'], classifier: 'gradient_boosting', drifted: false });
    expect(run.metrics).toMatchObject({ prediction_drift: 0, multivariate_drift: 0 });
  });

  it('flags drifted scores and a domain classifier that leans on the shifted column', async () => {
    const current = await bench.table(scored(1200, 100, 0.8));
    const run = await bench.run(predictionDrift, { params: { exclude: ['id'] }, inputs: { reference, current } });
    const { values, details } = report(run.outputs.report);
    expect(values.prediction_drift).toBe(1);
    expect(values['proba_yes.drifted']).toBe(1);
    expect(values.multivariate_drift).toBe(1);
    expect(values.domain_auc).toBeGreaterThan(0.6);
    expect(values.drift).toBe(1);
    const domain = details.domain as { importance: Array<{ feature: string }> };
    expect(domain.importance[0]?.feature).toBe('x');
    expect(run.logs.some((l) => l.level === 'warn' && l.message.startsWith('multivariate drift'))).toBe(true);
  });

  it('sees a shift in a categorical feature, encoded the same way on both sides', async () => {
    const current = await bench.table(scored(1200, 100, 0, 0.8));
    const run = await bench.run(predictionDrift, { params: { exclude: ['id'], classifier: 'logistic' }, inputs: { reference, current } });
    const { values, details } = report(run.outputs.report);
    expect(values.multivariate_drift).toBe(1);
    expect((details.domain as { importance: Array<{ feature: string }> }).importance[0]?.feature).toBe('plan');
  });

  it('trains on a worker thread for larger inputs, seeded: the same result every time', async () => {
    const big = await bench.table(scored(20_000, 10, 0));
    const bigCurrent = await bench.table(scored(20_000, 100, 0.6));
    // id, x and plan on 2 × 20,000 rows: past the worker threshold.
    const once = report((await bench.run(predictionDrift, { inputs: { reference: big, current: bigCurrent } })).outputs.report);
    const twice = report((await bench.run(predictionDrift, { inputs: { reference: big, current: bigCurrent } })).outputs.report);
    expect(twice.values.domain_auc).toBe(once.values.domain_auc);
    expect(once.values.domain_auc).toBeGreaterThan(0.6);
    expect((once.details.domain as { importance: Array<{ feature: string }>; testRows: number }).importance[0]?.feature).toBe('x');
  });

  it('asks for the outputs when there are none', async () => {
    const plain = await bench.table('SELECT 1 AS x');
    await expect(bench.run(predictionDrift, { inputs: { reference: plain, current: plain } })).rejects.toThrow(/prediction or proba_\* column/);
  });
});
