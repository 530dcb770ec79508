import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from './alert.js';
import { AlertLog } from './alertLog.js';
import { AlertService } from './alertService.js';
import { startSmtpReceiver, startWebhookReceiver, type SmtpReceiver, type WebhookReceiver } from './testing/localReceivers.js';

const alert = (over: Partial<Alert> = {}): Alert => ({
  rule: 'churn/drift',
  subject: 'drift:check',
  severity: 'warning',
  title: 'churn: drift detected',
  message: 'Node check reported dataset drift.',
  pipelineId: 'churn',
  runId: 'run-1',
  time: 1_000_000,
  facts: { value: 1 },
  ...over,
});

describe('AlertService', () => {
  let dir: string;
  let webhook: WebhookReceiver;
  let smtp: SmtpReceiver;
  const logs: AlertLog[] = [];
  const open = (): AlertLog => {
    const log = AlertLog.open(join(dir, 'alerts.db'));
    logs.push(log);
    return log;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trellis-alerts-'));
    webhook = await startWebhookReceiver();
    smtp = await startSmtpReceiver();
  });
  afterEach(() => {
    webhook.received.length = 0;
    smtp.received.length = 0;
  });
  afterAll(async () => {
    for (const log of logs) log.close();
    await webhook.close();
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('POSTs the alert as JSON to a real local webhook', async () => {
    const service = new AlertService(open());
    const result = await service.dispatch(alert({ rule: 'r-webhook' }), [{ type: 'webhook', url: webhook.url, timeoutMs: 5000 }], 60_000);
    expect(result.outcome).toBe('sent');
    const [body] = await webhook.waitFor(1);
    expect(body).toMatchObject({ rule: 'r-webhook', subject: 'drift:check', title: 'churn: drift detected', facts: { value: 1 } });
  });

  it('sends e-mail over SMTP to a real local server, the password taken from the environment', async () => {
    const service = new AlertService(open(), { SMTP_PASSWORD: 's3cret' });
    const channel = { type: 'email' as const, host: '127.0.0.1', port: smtp.port, secure: false, user: 'alerts', password: 'env:SMTP_PASSWORD', from: 'trellis@example.com', to: ['oncall@example.com'] };
    const result = await service.dispatch(alert({ rule: 'r-mail' }), [channel], 60_000);
    expect(result).toEqual({ outcome: 'sent', detail: ['email: sent'] });
    const [mail] = await smtp.waitFor(1);
    expect(mail?.to).toEqual(['oncall@example.com']);
    expect(mail?.user).toBe('alerts');
    expect(mail?.password).toBe('s3cret');
    expect(mail?.data).toContain('Subject: [trellis warning] churn: drift detected');
    expect(mail?.data).toContain('Node check reported dataset drift.');
  });

  it('names the missing variable, not a value, when the SMTP password is not set', async () => {
    const service = new AlertService(open(), {});
    const channel = { type: 'email' as const, host: '127.0.0.1', port: smtp.port, secure: false, user: 'alerts', password: 'env:SMTP_PASSWORD', from: 'a@b.c', to: ['d@e.f'] };
    const result = await service.dispatch(alert({ rule: 'r-nopass' }), [channel], 60_000);
    expect(result.outcome).toBe('failed');
    expect(result.detail[0]).toMatch(/SMTP_PASSWORD .*is not set/);
  });

  it('sends the same rule and subject once per cooldown, durably across reopening the database', async () => {
    const channels = [{ type: 'webhook' as const, url: webhook.url, timeoutMs: 5000 }];
    const first = new AlertService(open());
    expect((await first.dispatch(alert({ rule: 'r-cool', time: 0 }), channels, 60_000)).outcome).toBe('sent');
    expect((await first.dispatch(alert({ rule: 'r-cool', time: 30_000 }), channels, 60_000)).outcome).toBe('suppressed');
    // Another subject of the same rule is a different alert.
    expect((await first.dispatch(alert({ rule: 'r-cool', subject: 'drift:other', time: 30_000 }), channels, 60_000)).outcome).toBe('sent');
    // A fresh process (new connection) still honours the cooldown...
    const second = new AlertService(open());
    expect((await second.dispatch(alert({ rule: 'r-cool', time: 59_999 }), channels, 60_000)).outcome).toBe('suppressed');
    // ...and sends again once it has passed.
    expect((await second.dispatch(alert({ rule: 'r-cool', time: 60_000 }), channels, 60_000)).outcome).toBe('sent');
    await webhook.waitFor(3);
    expect(webhook.received).toHaveLength(3);
    const logged = second.log.list({ pipelineId: 'churn' }).filter((r) => r.rule === 'r-cool');
    expect(logged.map((r) => r.outcome)).toEqual(['sent', 'suppressed', 'sent', 'suppressed', 'sent']);
  });

  it('tries every channel: a failing webhook does not stop the desktop notification', async () => {
    const service = new AlertService(open());
    const shown: Alert[] = [];
    service.onDesktop((a) => shown.push(a));
    const broken = await startWebhookReceiver(500);
    try {
      const result = await service.dispatch(alert({ rule: 'r-partial' }), [{ type: 'webhook', url: broken.url, timeoutMs: 5000 }, { type: 'desktop' }], 0);
      expect(result.outcome).toBe('partial');
      expect(result.detail).toEqual([`webhook: webhook ${broken.url} answered HTTP 500`, 'desktop: sent']);
      expect(shown.map((a) => a.rule)).toEqual(['r-partial']);
    } finally {
      await broken.close();
    }
  });
});
