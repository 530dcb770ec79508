import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface WebhookReceiver {
  url: string;
  /** Parsed JSON bodies, in arrival order. */
  received: unknown[];
  /** Resolves when `count` bodies have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<unknown[]>;
  close(): Promise<void>;
}

async function listen(server: Server | SMTPServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = (server instanceof SMTPServer ? server.server : server).address() as AddressInfo;
  return address.port;
}

async function waitUntil<T>(items: T[], count: number, timeoutMs: number, what: string): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  while (items.length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} ${what}, got ${items.length}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return items;
}

/** A real HTTP server on a free loopback port that records JSON POSTs; `status` is what it answers. */
export async function startWebhookReceiver(status = 200): Promise<WebhookReceiver> {
  const received: unknown[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      response.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    waitFor: (count, timeoutMs = 5000) => waitUntil(received, count, timeoutMs, 'webhook calls'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ReceivedMail {
  from: string;
  to: string[];
  user: string | undefined;
  password: string | undefined;
  data: string;
}

export interface SmtpReceiver {
  port: number;
  received: ReceivedMail[];
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

/** A real SMTP server (plain, AUTH PLAIN/LOGIN allowed without TLS) on a free loopback port. */
export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const received: ReceivedMail[] = [];
  const logins = new Map<string, { user: string; password: string | undefined }>();
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: true,
    logger: false,
    onAuth(auth, session, callback) {
      logins.set(session.id, { user: auth.username ?? '', password: auth.password ?? undefined });
      callback(null, { user: auth.username ?? '' });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const login = logins.get(session.id);
        received.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          user: login?.user,
          password: login?.password,
          data: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  const port = await listen(server);
  return {
    port,
    received,
    waitFor: (count, timeoutMs = 5000) => waitUntil(received, count, timeoutMs, 'e-mails'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
