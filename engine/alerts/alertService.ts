import type { Alert } from './alert.js';
import type { AlertChannel } from './alertChannel.js';
import type { AlertLog, AlertOutcome } from './alertLog.js';
import { sendEmail } from './sendEmail.js';
import { sendWebhook } from './sendWebhook.js';

export type DesktopListener = (alert: Alert) => void;

export interface DispatchResult {
  outcome: AlertOutcome;
  /** One line per channel (or why nothing was sent). */
  detail: string[];
}

/**
 * Sends alerts for one workspace: de-duplicated per (rule, subject) with a cooldown kept in the
 * workspace database, each channel tried independently (a dead webhook does not stop the e-mail),
 * and every alert logged with its outcome. Desktop notifications go to whoever listens (the app
 * shows them; the CLI prints them).
 */
export class AlertService {
  private readonly desktop = new Set<DesktopListener>();

  constructor(
    readonly log: AlertLog,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** Returns the unsubscribe function. */
  onDesktop(listener: DesktopListener): () => void {
    this.desktop.add(listener);
    return () => this.desktop.delete(listener);
  }

  async dispatch(alert: Alert, channels: readonly AlertChannel[], cooldownMs: number): Promise<DispatchResult> {
    if (!this.log.claim(alert.rule, alert.subject, alert.time, cooldownMs)) {
      const result: DispatchResult = { outcome: 'suppressed', detail: [`already sent within the ${Math.round(cooldownMs / 60_000)}-minute cooldown`] };
      this.record(alert, result);
      return result;
    }
    const detail: string[] = [];
    let failures = 0;
    for (const channel of channels) {
      try {
        await this.send(channel, alert);
        detail.push(`${channel.type}: sent`);
      } catch (cause) {
        failures += 1;
        detail.push(`${channel.type}: ${cause instanceof Error ? cause.message : String(cause)}`);
      }
    }
    const result: DispatchResult = { outcome: failures === 0 ? 'sent' : failures === channels.length ? 'failed' : 'partial', detail };
    this.record(alert, result);
    return result;
  }

  private async send(channel: AlertChannel, alert: Alert): Promise<void> {
    switch (channel.type) {
      case 'desktop':
        for (const listener of this.desktop) {
          try {
            listener(alert);
          } catch {
            // A broken listener must not stop the other channels.
          }
        }
        return;
      case 'webhook':
        return sendWebhook(channel, alert);
      case 'email':
        return sendEmail(channel, alert, this.env);
    }
  }

  private record(alert: Alert, result: DispatchResult): void {
    this.log.record({ time: alert.time, rule: alert.rule, subject: alert.subject, pipelineId: alert.pipelineId, runId: alert.runId, title: alert.title, outcome: result.outcome, detail: result.detail.join('; ') });
  }
}
