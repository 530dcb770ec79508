import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ApiErrorSchema, ENGINE_API, ROLES, RunEventSchema, roleAllows, type EngineApiMethod } from '../api/engineApi.js';
import { MAX_BODY_BYTES } from '../api/httpProtocol.js';
import type { RunEvent } from '../run/runEvent.js';
import { RunRecordSchema, TaskRecordSchema } from '../store/runStore.js';
import { createServer, SECURITY_HEADERS } from './createServer.js';
import { rawGet, startTestServer, testPipeline, type TestServer } from './testing/testServer.js';
import { TokenTable } from './tokenTable.js';

const ErrorBody = ApiErrorSchema;
const RunStarted = z.object({ ok: z.literal(true), runId: z.string() });

function expectError(result: { status: number; body: unknown }, status: number, code: string): { message: string; diagnostics?: unknown[] } {
  expect(result.status, JSON.stringify(result.body)).toBe(status);
  const parsed = ErrorBody.parse(result.body);
  expect(parsed.error.code).toBe(code);
  return parsed.error;
}

function expectSecurityHeaders(headers: Headers | Record<string, string | string[] | undefined>): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    expect(headers instanceof Headers ? headers.get(name) : headers[name], name).toBe(value);
  }
}

describe('the HTTP server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers every method of the EngineApi', async () => {
    const called = new Set<EngineApiMethod>();
    const rpc = async (method: EngineApiMethod, body: unknown = {}): Promise<unknown> => {
      called.add(method);
      const result = await server.rpc(method, body);
      expect(result.status, `${method}: ${JSON.stringify(result.body)}`).toBe(200);
      return ENGINE_API[method].output.parse(result.body);
    };

    const catalog = z.array(z.object({ type: z.string() })).parse(await rpc('catalog'));
    expect(catalog.map((entry) => entry.type)).toEqual(['test.hook', 'test.table']);
    expect(await rpc('examples')).toEqual([{ file: 'hello.trellis.json', id: 'hello', name: 'Pipeline hello', description: 'A bundled example.' }]);
    expect(await rpc('loadExample', { file: 'hello.trellis.json' })).toMatchObject({ id: 'hello' });
    expect(await rpc('validate', { document: testPipeline() })).toMatchObject({ ok: true, nodeCount: 2 });
    expect(await rpc('listPipelines')).toEqual([]);
    const saved = z.object({ id: z.string(), hash: z.string() }).parse(await rpc('savePipeline', { document: testPipeline() }));
    expect(saved.id).toBe('test-pipeline');
    expect(await rpc('listPipelines')).toMatchObject([{ id: 'test-pipeline', hash: saved.hash }]);
    expect(await rpc('getPipeline', { id: 'test-pipeline' })).toMatchObject({ id: 'test-pipeline', nodes: [{ id: 'numbers' }, { id: 'report' }] });

    const { runId } = RunStarted.parse(await rpc('startRun', { document: testPipeline() }));
    await server.service.idle();
    expect(await rpc('listRuns', { pipelineId: 'test-pipeline' })).toMatchObject([{ id: runId, state: 'succeeded' }]);
    const run = z.object({ run: RunRecordSchema, tasks: z.array(TaskRecordSchema) }).parse(await rpc('getRun', { runId }));
    expect(run.tasks.map((task) => [task.nodeId, task.state])).toEqual([
      ['numbers', 'succeeded'],
      ['report', 'succeeded'],
    ]);
    expect(await rpc('getLogs', { runId, nodeId: 'report' })).toMatchObject([{ message: 'reporting' }]);
    expect(await rpc('getMetrics', { pipelineId: 'test-pipeline', name: 'answer' })).toMatchObject([{ runId, value: 42 }]);
    const table = run.tasks.find((task) => task.nodeId === 'numbers')?.outputs?.table;
    if (table?.kind !== 'table' || table.preview === undefined) throw new Error('the table task has no preview');
    expect(await rpc('getPreview', { artifactId: table.preview })).toMatchObject({ rows: 1 });
    expect(await rpc('getArtifactJson', { artifactId: table.preview })).toMatchObject({ rows: 1 });
    expect(await rpc('cancelRun', { runId })).toEqual({ cancelled: false });
    // A succeeded run cannot be resumed: the service's ApiFailure arrives as a 400 with its message.
    called.add('resumeRun');
    expect(expectError(await server.rpc('resumeRun', { runId }), 400, 'invalid').message).toContain('only interrupted, failed or cancelled runs');

    expect(await rpc('getKpis', { pipelineId: 'test-pipeline' })).toMatchObject([{ metric: 'answer' }, { metric: 'run.duration_ms' }, { metric: 'run.succeeded' }]);
    expect(await rpc('listModels')).toEqual([]);
    expect(await rpc('listAudit')).toEqual([]);
    expect(await rpc('listApprovals')).toEqual([]);
    expect(await rpc('whoAmI')).toMatchObject({ role: 'approver', actor: expect.stringMatching(/^local:/) });
    for (const [method, body] of [['getModel', { name: 'nope' }], ['promoteModel', { name: 'nope', version: 1, alias: 'champion', reason: 'x' }], ['rollbackModel', { name: 'nope', alias: 'champion', reason: 'x' }], ['decideApproval', { runId, nodeId: 'report', decision: 'approve', comment: 'x' }]] as const) {
      called.add(method);
      expect((await server.rpc(method, body)).status).toBe(404);
    }
    // Export to server, here to this same server.
    expect(await rpc('pushPipeline', { server: server.url, document: testPipeline('pushed') })).toMatchObject({ id: 'pushed' });

    expect([...called].sort()).toEqual(Object.keys(ENGINE_API).sort());
  });

  it('rejects input that does not match the method schema with 400 and a message naming the field', async () => {
    expect(expectError(await server.rpc('getRun', {}), 400, 'bad-request').message).toMatch(/^Invalid input for getRun: runId: /);
    expect(expectError(await server.rpc('listRuns', { limit: 0 }), 400, 'bad-request').message).toContain('limit:');
    expect(expectError(await server.rpc('getLogs', '"just a string"'), 400, 'bad-request').message).toContain('body:');
    expect(expectError(await server.rpc('catalog', '{"unclosed": '), 400, 'bad-request').message).toContain('not valid JSON');
    // Only JSON is parsed: text/plain is what a foreign page could send without a CORS preflight.
    const plain = await fetch(`${server.url}/api/rpc/catalog`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(plain.status).toBe(415);
    expect(ErrorBody.parse(await plain.json()).error.code).toBe('bad-request');
  });

  it('rejects artifact ids that are paths with 400, before touching the artifact store', async () => {
    for (const artifactId of ['../../../etc/passwd', '..%2f..%2fetc%2fpasswd', `${'a'.repeat(62)}/..`, '/etc/passwd']) {
      for (const method of ['getPreview', 'getArtifactJson'] as const) {
        expect(expectError(await server.rpc(method, { artifactId }), 400, 'bad-request').message).toContain('artifactId');
      }
    }
  });

  it('answers an unknown method with 404 and a failed lookup with the service error', async () => {
    expect(expectError(await server.rpc('dropDatabase'), 404, 'not-found').message).toContain('There is no API method "dropDatabase"');
    expect(expectError(await server.rpc('getPipeline', { id: 'nope' }), 404, 'not-found').message).toContain('nope');
    const invalid = expectError(await server.rpc('savePipeline', { document: { format: 'trellis.pipeline/1', nodes: 'x' } }), 400, 'invalid');
    expect(invalid.diagnostics?.length).toBeGreaterThan(0);
  });

  it('returns a document that does not compile from startRun as diagnostics, not as an error', async () => {
    const result = await server.rpc('startRun', { document: testPipeline('bad', { nodes: [{ id: 'x', type: 'test.nope', version: 1 }], edges: [] }) });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ ok: false, diagnostics: [{ code: 'node.unknown-type', nodeId: 'x' }] });
  });

  it('answers an unexpected failure with 500 and a generic message, keeping the details in its log', async () => {
    const original = server.service.listPipelines;
    server.service.listPipelines = async () => {
      throw new Error('disk on fire under /very/secret/path');
    };
    try {
      const result = await server.rpc('listPipelines');
      const error = expectError(result, 500, 'internal');
      expect(JSON.stringify(result.body)).not.toContain('secret');
      expect(JSON.stringify(result.body)).not.toContain('at ');
      expect(error.message).toContain('log');
      expect(server.logged.join('\n')).toContain('disk on fire under /very/secret/path');
      // A library error that happens to carry an HTTP status is still a bug, not a message for the client.
      server.service.listPipelines = async () => {
        throw Object.assign(new Error('connection string postgres://admin:secret@db'), { statusCode: 400 });
      };
      const withStatus = await server.rpc('listPipelines');
      expectError(withStatus, 500, 'internal');
      expect(JSON.stringify(withStatus.body)).not.toContain('secret');
    } finally {
      server.service.listPipelines = original;
    }
  });

  it('refuses a body over the limit with 413', async () => {
    const big = JSON.stringify({ document: { padding: 'x'.repeat(MAX_BODY_BYTES) } });
    expectError(await server.rpc('validate', big), 413, 'too-large');
    // Just under the limit is parsed (and fails validation as a document, not as a size).
    const under = JSON.stringify({ document: { padding: 'x'.repeat(MAX_BODY_BYTES - 100) } });
    expect((await server.rpc('validate', under)).status).toBe(200);
  });

  it('sends the security headers with every kind of response', async () => {
    expectSecurityHeaders((await server.rpc('catalog')).headers);
    expectSecurityHeaders((await server.rpc('nope')).headers);
    expectSecurityHeaders((await server.rpc('getRun', {})).headers);
    expectSecurityHeaders((await fetch(`${server.url}/`)).headers);
    expectSecurityHeaders((await fetch(`${server.url}/missing.js`)).headers);
    expectSecurityHeaders((await rawGet(server.url, '/../etc/passwd')).headers);
    const undecodable = await rawGet(server.url, '/%');
    expect(undecodable.status).toBe(400);
    expect(ErrorBody.parse(JSON.parse(undecodable.body)).error.code).toBe('bad-request');
    expectSecurityHeaders(undecodable.headers);
    const controller = new AbortController();
    const events = await fetch(`${server.url}/api/events`, { signal: controller.signal });
    expectSecurityHeaders(events.headers);
    controller.abort();
  });

  it('says how to build the UI when it is not built', async () => {
    for (const path of ['/', '/pipelines/some-route']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await response.text()).toContain('npm run build');
    }
  });

  it('refuses requests that name another host or come from another origin (no-token mode)', async () => {
    // DNS rebinding: a page on evil.example whose name now resolves to 127.0.0.1.
    const rebound = await rawGet(server.url, '/api/events', { host: 'evil.example' });
    expect(rebound.status).toBe(403);
    const crossOrigin = await fetch(`${server.url}/api/rpc/catalog`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://evil.example' }, body: '{}' });
    expect(crossOrigin.status).toBe(403);
    const sameOrigin = await fetch(`${server.url}/api/rpc/catalog`, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: '{}' });
    expect(sameOrigin.status).toBe(200);
  });

  it('records 200 concurrent startRun submissions, none lost', async () => {
    const document = testPipeline('concurrent', { nodes: [{ id: 'only', type: 'test.hook', version: 1, params: { label: 'none' } }], edges: [] });
    const results = await Promise.all(Array.from({ length: 200 }, () => server.rpc('startRun', { document })));
    const runIds = results.map((result) => {
      expect(result.status, JSON.stringify(result.body)).toBe(200);
      return RunStarted.parse(result.body).runId;
    });
    expect(new Set(runIds).size).toBe(200);
    await server.service.idle();
    const listed = z.array(RunRecordSchema).parse((await server.rpc('listRuns', { pipelineId: 'concurrent', limit: 1000 })).body);
    expect(listed).toHaveLength(200);
    expect(new Set(listed.map((run) => run.id))).toEqual(new Set(runIds));
    expect(listed.every((run) => run.state === 'succeeded')).toBe(true);
  });
});

/** Reads server-sent events from a fetch response until `until` says stop. */
async function readEvents(response: Response, until: (events: RunEvent[]) => boolean, comments: string[] = []): Promise<RunEvent[]> {
  if (!response.body) throw new Error('no body');
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const events: RunEvent[] = [];
  let buffer = '';
  while (!until(events)) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (block.startsWith(':')) comments.push(block);
      const data = block.split('\n').find((line) => line.startsWith('data: '));
      if (block.startsWith('event: run\n') && data) events.push(RunEventSchema.parse(JSON.parse(data.slice('data: '.length))));
    }
  }
  await reader.cancel();
  return events;
}

describe('the event stream', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ keepAliveMs: 20 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('delivers the events of a run in the order the engine emitted them, with keep-alive comments', async () => {
    const emitted: RunEvent[] = [];
    const unsubscribe = server.service.subscribe((event) => emitted.push(event));
    const response = await fetch(`${server.url}/api/events`);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const { runId } = RunStarted.parse((await server.rpc('startRun', { document: testPipeline() })).body);
    const comments: string[] = [];
    const received = await readEvents(response, (events) => events.some((e) => e.type === 'run.finished' && e.runId === runId) && comments.some((c) => c.startsWith(': keep-alive')), comments);
    unsubscribe();
    const ofRun = received.filter((event) => event.runId === runId);
    expect(ofRun).toEqual(emitted.filter((event) => event.runId === runId));
    expect(ofRun[0]?.type).toBe('run.started');
    expect(ofRun.at(-1)).toMatchObject({ type: 'run.finished', state: 'succeeded' });
    const reportStates = ofRun.flatMap((event) => (event.type === 'task.state' && event.nodeId === 'report' ? [event.state] : []));
    expect(reportStates.at(-1)).toBe('succeeded');
    expect(reportStates.indexOf('running')).toBeLessThan(reportStates.indexOf('succeeded'));
  });

  it('unsubscribes a client that disconnects', async () => {
    let active = 0;
    const subscribe = server.service.subscribe.bind(server.service);
    server.service.subscribe = (listener) => {
      active++;
      const unsubscribe = subscribe(listener);
      return () => {
        active--;
        return unsubscribe();
      };
    };
    try {
      const controller = new AbortController();
      await fetch(`${server.url}/api/events`, { signal: controller.signal });
      expect(active).toBe(1);
      controller.abort();
      await vi.waitFor(() => expect(active).toBe(0));
    } finally {
      server.service.subscribe = subscribe;
    }
  });
});

describe('the static UI', () => {
  let server: TestServer;
  let root: string;
  const secret = 'TOP-SECRET-CONTENT-0451';
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'trellis-static-'));
    const staticDir = join(root, 'renderer');
    mkdirSync(join(staticDir, 'assets'), { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Trellis UI</title>');
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log("app")');
    writeFileSync(join(staticDir, '.env'), secret);
    // Right next to the served folder: the first thing a traversal would reach.
    writeFileSync(join(root, 'secret.txt'), secret);
    server = await startTestServer({ staticDir });
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves the built files, with the single-page fallback for routes only', async () => {
    const script = await fetch(`${server.url}/assets/app.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).toBe('console.log("app")');
    for (const path of ['/', '/runs/abc']) {
      const page = await fetch(`${server.url}${path}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Trellis UI');
    }
    expect((await fetch(`${server.url}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/nothing-here`)).status).toBe(404);
  });

  it('never serves a file outside the folder, however the path is spelled', async () => {
    const attempts = [
      '/../secret.txt',
      '/../../../../../../etc/passwd',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
      '/..%5csecret.txt',
      '/%252e%252e%252fsecret.txt',
      '/assets/app.js/../../secret.txt',
      '//etc/passwd',
      '/.env',
      '/%00/../secret.txt',
    ];
    for (const path of attempts) {
      const result = await rawGet(server.url, path);
      expect([400, 404], `${path} → ${result.status}`).toContain(result.status);
      expect(result.body, path).not.toContain(secret);
      expect(result.body, path).not.toContain('root:');
    }
  });
});

describe('authentication', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      tokens: [
        { token: 'viewer-token', role: 'viewer' },
        { token: 'editor-token', role: 'editor' },
        { token: 'approver-token', role: 'approver' },
      ],
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers 401 without a token or with an unknown one', async () => {
    const missing = await server.rpc('catalog');
    expectError(missing, 401, 'unauthorized');
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expectError(await server.rpc('catalog', {}, 'wrong-token'), 401, 'unauthorized');
    expectError(await server.rpc('catalog', {}, 'viewer-token-'), 401, 'unauthorized');
    expect((await server.rpc('catalog', {}, 'viewer-token')).status).toBe(200);
    expect((await fetch(`${server.url}/api/events`)).status).toBe(401);
  });

  it('lets a viewer read but not run or save (403)', async () => {
    expect((await server.rpc('listRuns', {}, 'viewer-token')).status).toBe(200);
    expect(expectError(await server.rpc('startRun', { document: testPipeline() }, 'viewer-token'), 403, 'forbidden').message).toContain('editor');
    expectError(await server.rpc('savePipeline', { document: testPipeline() }, 'viewer-token'), 403, 'forbidden');
    expect((await server.rpc('startRun', { document: testPipeline() }, 'editor-token')).status).toBe(200);
    await server.service.idle();
  });

  it('orders roles viewer < editor < approver for every method', async () => {
    // An input no schema accepts: a role that passes reaches validation (400), one that does not stops at 403.
    for (const role of ROLES) {
      for (const method of Object.keys(ENGINE_API).filter((name): name is EngineApiMethod => name in ENGINE_API)) {
        const result = await server.rpc(method, '"not an object"', `${role}-token`);
        expect(result.status, `${role} ${method}`).toBe(roleAllows(role, method) ? 400 : 403);
      }
    }
    expect(ROLES.map((role) => roleAllows(role, 'startRun'))).toEqual([false, true, true]);
    expect(ROLES.map((role) => roleAllows(role, 'catalog'))).toEqual([true, true, true]);
  });

  it('takes the token as ?token= on the event stream only', async () => {
    const controller = new AbortController();
    const events = await fetch(`${server.url}/api/events?token=viewer-token`, { signal: controller.signal });
    expect(events.status).toBe(200);
    controller.abort();
    expect((await fetch(`${server.url}/api/events?token=nope`)).status).toBe(401);
    const rpc = await fetch(`${server.url}/api/rpc/catalog?token=viewer-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(rpc.status).toBe(401);
  });
});

describe('binding', () => {
  it('refuses a non-loopback bind without a token', async () => {
    const server = await startTestServer();
    try {
      for (const host of ['0.0.0.0', '::', '192.168.1.20', 'example.com']) {
        expect(() => createServer({ service: server.service, tokens: new TokenTable(), host })).toThrow(`refusing to listen on ${host} without a token: pass --token or --token-file`);
      }
      expect(() => createServer({ service: server.service, tokens: new TokenTable(), host: '127.0.0.1' })).not.toThrow();
    } finally {
      await server.close();
    }
  });

  it('on a non-loopback bind with a token, a request without one gets 401', async () => {
    const server = await startTestServer({ host: '0.0.0.0', tokens: [{ token: 'secret-token', role: 'approver' }] });
    try {
      expectError(await server.rpc('catalog'), 401, 'unauthorized');
      expectError(await server.rpc('startRun', { document: testPipeline() }), 401, 'unauthorized');
      expect((await server.rpc('catalog', {}, 'secret-token')).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
