import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ApiFailure, type ApiFailureCode } from '../api/apiFailure.js';
import { userInfo } from 'node:os';
import { ENGINE_API, isEngineApiMethod, roleAllows, type ApiCaller, type ApiError, type ApiInput, type ApiOutput, type EngineApi, type EngineApiMethod } from '../api/engineApi.js';
import type { EngineService } from '../api/engineService.js';
import { EVENTS_PATH, HTTP_STATUS, MAX_BODY_BYTES, RPC_PREFIX } from '../api/httpProtocol.js';
import { bindRefusal, isLoopbackHost } from './bindPolicy.js';
import { eventStreams } from './eventStream.js';
import { registerStaticUi } from './staticUi.js';
import type { TokenTable } from './tokenTable.js';

export interface ServerOptions {
  service: EngineService;
  tokens: TokenTable;
  /** The address the caller will listen on: a non-loopback one requires at least one token. */
  host: string;
  /** The built web UI (`dist/renderer`); when it or its index.html is missing, `/` says how to build it. */
  staticDir?: string;
  /** Where server-side details of failures go (never to the client). Defaults to stderr. */
  logger?: (message: string) => void;
  /** Interval of `: keep-alive` comments on the event stream (the protocol says 15 s). */
  keepAliveMs?: number;
}

/** Sent with every response: the UI loads only its own scripts and talks only to this server. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const API_PREFIX = '/api/';
const DOT_DOT_SEGMENT = /(?:^|[\\/])\.\.(?:[\\/]|$)/;

/**
 * The HTTP transport of the EngineApi (see api/httpProtocol.ts): RPC under /api/rpc/, run events
 * as server-sent events on /api/events, and the built web UI everywhere else. Throws when asked to
 * serve a non-loopback address without tokens. The caller listens (on `options.host`).
 */
export function createServer(options: ServerOptions): FastifyInstance {
  const refusal = bindRefusal(options.host, options.tokens.size);
  if (refusal) throw new Error(refusal);
  const log = options.logger ?? ((message: string) => process.stderr.write(`${message}\n`));
  const { service, tokens } = options;
  const open = tokens.size === 0;
  const roles = new WeakMap<FastifyRequest, Access>();
  const streams = eventStreams(service, options.keepAliveMs ?? 15_000, log);

  const app = Fastify({
    logger: false,
    bodyLimit: MAX_BODY_BYTES,
    // A URL the router cannot even decode fails before any hook runs: answer it in the same shape.
    frameworkErrors: (error, _request, reply) => {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
      return sendFailure(reply, 400, 'bad-request', error.message);
    },
  });

  // JSON only: Fastify also parses text/plain, the one body type a foreign web page may POST
  // without a CORS preflight.
  app.removeContentTypeParser('text/plain');

  app.addHook('onRequest', async (request, reply) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    rejectTraversal(request.url);
    if (request.url.startsWith(API_PREFIX)) {
      reply.header('cache-control', 'no-store');
      roles.set(request, open ? openAccess(request) : tokenAccess(request, tokens));
    }
  });
  // Set again on the way out: a hook or plugin that replaced the headers must not drop these.
  app.addHook('onSend', async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    return payload;
  });
  app.addHook('preClose', async () => streams.closeAll());

  app.post<{ Params: { method: string } }>(`${RPC_PREFIX}:method`, async (request, reply) => {
    const name = request.params.method;
    if (!isEngineApiMethod(name)) throw new ApiFailure('not-found', `There is no API method "${name}". Methods: ${Object.keys(ENGINE_API).join(', ')}.`);
    const access = roles.get(request) ?? { role: 'viewer', actor: 'unknown' };
    const role = access.role;
    if (!roleAllows(role, name)) throw new ApiFailure('forbidden', `${name} needs the ${ENGINE_API[name].role} role; this token is a ${role}.`);
    const output = await dispatch(service, name, request.body ?? {}, access);
    // Serialized here rather than by Fastify, which would send a bare string output as text.
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(output ?? null));
  });

  app.get(EVENTS_PATH, { exposeHeadRoute: false }, (_request, reply) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(reply.getHeaders())) if (typeof value === 'string') headers[name] = value;
    streams.open(reply, headers);
  });

  const fallback = registerStaticUi(app, options.staticDir);
  app.setNotFoundHandler((request, reply) => {
    if (!request.url.startsWith(API_PREFIX) && (request.method === 'GET' || request.method === 'HEAD')) {
      const answered = fallback(request, reply);
      if (answered) return answered;
    }
    return sendFailure(reply, 404, 'not-found', request.url.startsWith(API_PREFIX) ? `There is no API endpoint ${request.method} ${request.url.split('?')[0]}.` : 'Not found.');
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof ApiFailure) return sendFailure(reply, HTTP_STATUS[error.code], error.code, error.message, error.diagnostics);
    const status = frameworkStatus(error);
    if (status !== undefined && status >= 400 && status < 500) {
      // Framework rejections (body too large, not JSON, a static path refused) are the caller's to fix.
      if (status === 413) return sendFailure(reply, 413, 'too-large', `The request body is larger than the ${MAX_BODY_BYTES / (1024 * 1024)} MB limit.`);
      if (status === 403) return sendFailure(reply, 400, 'bad-request', 'That path is not allowed.');
      return sendFailure(reply, status, codeForStatus(status), error instanceof Error ? error.message : 'Bad request.');
    }
    log(`trellis server: ${request.method} ${request.url.split('?')[0]} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return sendFailure(reply, 500, 'internal', 'The server hit an unexpected error; the details are in its log.');
  });

  return app;
}

/** What a request may do, and who the audit log says did it. */
type Access = ApiCaller;

async function dispatch<M extends EngineApiMethod>(api: EngineApi, method: M, body: unknown, caller: ApiCaller): Promise<ApiOutput<M>> {
  const parsed = ENGINE_API[method].input.safeParse(body);
  if (!parsed.success) throw new ApiFailure('bad-request', `Invalid input for ${method}: ${describeIssues(parsed.error.issues)}`);
  // Validated by the method's own schema; the cast only bridges zod's output type to its input
  // type, which TypeScript cannot see are the same for a generic method (no schema transforms).
  return api[method](parsed.data as ApiInput<M>, caller);
}

/** Zod issues as one line a person can act on: `artifactId: Invalid string: must match ...`. */
function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${issue.path.length > 0 ? issue.path.map(String).join('.') : 'body'}: ${issue.message}`).join('; ');
}

/**
 * `..` never reaches a route, encoded or not: the static plugin already refuses it, but the SPA
 * fallback and any future route should not each have to remember.
 */
function rejectTraversal(url: string): void {
  const path = url.split('?')[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw new ApiFailure('bad-request', 'The request path is not valid percent-encoding.');
  }
  if (DOT_DOT_SEGMENT.test(decoded) || decoded.includes('\0')) throw new ApiFailure('bad-request', 'Paths with ".." segments are not allowed.');
}

/**
 * A loopback server without tokens trusts its callers, so it checks they really are local: the
 * connection arrived on a loopback address, the Host header names a loopback host (a web page
 * using DNS rebinding would send its own name) and a browser's Origin is this server's own.
 */
function openAccess(request: FastifyRequest): Access {
  const local = request.socket.localAddress;
  if (local !== undefined && !isLoopbackHost(local)) throw new ApiFailure('unauthorized', 'This server accepts requests without a token only on its loopback address.');
  if (!isLoopbackHost(hostnameOf(request.host))) throw new ApiFailure('forbidden', `Requests for host "${request.host}" are not accepted; open the server as http://127.0.0.1 or http://localhost.`);
  const origin = request.headers.origin;
  if (origin !== undefined && hostOfOrigin(origin) !== request.host) throw new ApiFailure('forbidden', 'Cross-origin requests are not accepted.');
  // Only local callers get here, so the server's own OS account is who acts.
  return { role: 'approver', actor: `local:${localUser()}` };
}

function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

function tokenAccess(request: FastifyRequest, tokens: TokenTable): Access {
  const header = request.headers.authorization;
  const bearer = header !== undefined && /^bearer /i.test(header) ? header.slice('bearer '.length).trim() : undefined;
  // EventSource cannot set headers, so the event stream (only) also takes ?token=.
  const query = request.url.split('?')[0] === EVENTS_PATH ? new URLSearchParams(request.url.split('?')[1] ?? '').get('token') ?? undefined : undefined;
  const identity = tokens.identify(bearer ?? query);
  if (identity === undefined) throw new ApiFailure('unauthorized', bearer === undefined && query === undefined ? 'This server needs a token: send "Authorization: Bearer <token>".' : 'The token is not valid for this server.');
  return { role: identity.role, actor: `token:${identity.name}` };
}

function hostnameOf(host: string): string {
  try {
    return new URL(`http://${host}/`).hostname;
  } catch {
    return '';
  }
}

function hostOfOrigin(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/**
 * The status of a rejection by Fastify or the static file sender (codes `FST_*`, or http-errors
 * marked `expose`), whose messages are meant for the client. Anything else is treated as a bug,
 * even if it carries a status, so its message cannot leak.
 */
function frameworkStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('statusCode' in error) || typeof error.statusCode !== 'number') return undefined;
  const fromFramework = ('code' in error && typeof error.code === 'string' && error.code.startsWith('FST_')) || ('expose' in error && error.expose === true);
  return fromFramework ? error.statusCode : undefined;
}

function codeForStatus(status: number): ApiFailureCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 413) return 'too-large';
  return 'bad-request';
}

function sendFailure(reply: FastifyReply, status: number, code: ApiFailureCode, message: string, diagnostics?: ApiError['error']['diagnostics']): FastifyReply {
  const body: ApiError = { error: { code, message, ...(diagnostics && diagnostics.length > 0 ? { diagnostics } : {}) } };
  if (status === 401) reply.header('www-authenticate', 'Bearer');
  return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}
