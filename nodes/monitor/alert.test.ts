import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../../engine/alerts/testing/localReceivers.js';
import type { MetricsValue, PortValue } from '../../engine/node/portValue.js';
import { NodeTestBench } from '../../engine/testing/nodeTestBench.js';
import alert from './alert.js';

let bench: NodeTestBench;
let webhook: WebhookReceiver;

const drift = (share: number): MetricsValue => ({ kind: 'metrics', values: { dataset_drift: share >= 0.5 ? 1 : 0, drift_share: share }, details: {} });
function values(value: PortValue | undefined): Record<string, number> {
  if (value?.kind !== 'metrics') throw new Error(`expected metrics, got ${value?.kind}`);
  return value.values;
}

beforeAll(async () => {
  bench = await NodeTestBench.create();
  webhook = await startWebhookReceiver();
});
afterAll(async () => {
  await bench.close();
  await webhook.close();
});

describe('monitor.alert', () => {
  it('stays quiet within bounds, fires past them, and holds a repeat back for the cooldown', async () => {
    const params = { metric: 'drift_share', above: 0.3, channels: [{ type: 'webhook' as const, url: webhook.url }], cooldownMinutes: 10 };
    const quiet = await bench.run(alert, { params, inputs: { metrics: drift(0.1) } });
    expect(values(quiet.outputs.result)).toEqual({ value: 0.1, fired: 0, suppressed: 0 });

    const fired = await bench.run(alert, { params, inputs: { metrics: drift(0.6) } });
    expect(values(fired.outputs.result)).toEqual({ value: 0.6, fired: 1, suppressed: 0 });
    const [body] = await webhook.waitFor(1);
    expect(body).toMatchObject({ rule: 'test-pipeline/node:node', subject: 'metric:drift_share', facts: { metric: 'drift_share', value: 0.6, above: 0.3 } });

    const again = await bench.run(alert, { params, inputs: { metrics: drift(0.7) } });
    expect(values(again.outputs.result)).toEqual({ value: 0.7, fired: 0, suppressed: 1 });
    expect(webhook.received).toHaveLength(1);
  });

  it('says which metric is missing', async () => {
    await expect(bench.run(alert, { params: { metric: 'roc_auc', below: 0.7 }, inputs: { metrics: drift(0.1) } })).rejects.toThrow(/none of the connected metrics has "roc_auc"/);
  });

  it('refuses a literal SMTP password', () => {
    const parsed = alert.params.safeParse({ channels: [{ type: 'email', host: 'smtp', from: 'a@b.c', to: ['d@e.f'], password: 'hunter2' }] });
    expect(parsed.success).toBe(false);
  });
});
