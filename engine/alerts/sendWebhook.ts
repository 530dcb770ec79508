import type { Alert } from './alert.js';
import type { WebhookChannel } from './alertChannel.js';

/** POSTs the alert as JSON; anything but a 2xx answer (or no answer in time) is an error naming the URL. */
export async function sendWebhook(channel: WebhookChannel, alert: Alert): Promise<void> {
  let response: Response;
  try {
    response = await fetch(channel.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'trellis-alerts' },
      body: JSON.stringify(alert),
      signal: AbortSignal.timeout(channel.timeoutMs),
    });
  } catch (cause) {
    throw new Error(`webhook ${channel.url} did not answer: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  // Drain the body so the connection is released.
  await response.arrayBuffer().catch(() => undefined);
  if (!response.ok) throw new Error(`webhook ${channel.url} answered HTTP ${response.status}`);
}
