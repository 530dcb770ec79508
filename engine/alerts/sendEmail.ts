import nodemailer from 'nodemailer';
import { resolveSecret } from '../node/secretReference.js';
import type { Alert } from './alert.js';
import type { EmailChannel } from './alertChannel.js';

/** The e-mail text: the message, then every fact on its own line. */
export function emailText(alert: Alert): string {
  const facts = Object.entries(alert.facts).map(([key, value]) => `${key}: ${String(value)}`);
  return [alert.message, '', `pipeline: ${alert.pipelineId}`, `run: ${alert.runId}`, `rule: ${alert.rule}`, ...facts, ''].join('\n');
}

/** Sends the alert over SMTP; the password is resolved from its `env:NAME` reference here, at send time. */
export async function sendEmail(channel: EmailChannel, alert: Alert, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const password = channel.password === undefined ? undefined : resolveSecret(channel.password, 'alerts.channels.password', env);
  const transport = nodemailer.createTransport({
    host: channel.host,
    port: channel.port,
    secure: channel.secure,
    ...(channel.user !== undefined ? { auth: { user: channel.user, pass: password ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  try {
    await transport.sendMail({
      from: channel.from,
      to: channel.to,
      subject: `[trellis ${alert.severity}] ${alert.title}`,
      text: emailText(alert),
    });
  } catch (cause) {
    throw new Error(`e-mail via ${channel.host}:${channel.port} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  } finally {
    transport.close();
  }
}
