import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { EngineService } from '../../api/engineService.js';
import type { PipelineDocumentInput } from '../../format/pipelineDocument.js';
import type { AnyNodeDefinition } from '../../node/nodeDefinition.js';
import { NodeRegistry } from '../../node/nodeRegistry.js';
import { hookNodes, type Hook } from '../../testing/hookNodes.js';
import { Workspace } from '../../workspace/workspace.js';
import { createServer } from '../createServer.js';
import { TokenTable } from '../tokenTable.js';
import type { Role } from '../../api/engineApi.js';

/** A small pipeline of test nodes: a table, then a hook that logs and records a metric. */
export function testPipeline(id = 'test-pipeline', extra: Partial<PipelineDocumentInput> = {}): PipelineDocumentInput {
  return {
    format: 'trellis.pipeline/1',
    id,
    name: `Pipeline ${id}`,
    nodes: [
      { id: 'numbers', type: 'test.table', version: 1, params: { value: 41 } },
      { id: 'report', type: 'test.hook', version: 1, params: { label: 'report' } },
    ],
    edges: [{ from: 'numbers.table', to: 'report.in' }],
    ...extra,
  };
}

/** Hooks the test pipeline uses: `report` logs a line and records the metric `answer`. */
export const TEST_HOOKS: Record<string, Hook> = {
  report: (ctx) => {
    ctx.log.info('reporting');
    ctx.metric('answer', 42);
    return {};
  },
};

export interface TestServer {
  /** `http://127.0.0.1:PORT` (whatever address the server was bound to). */
  url: string;
  app: FastifyInstance;
  service: EngineService;
  workspace: Workspace;
  home: string;
  /** What the server wrote to its log. */
  logged: string[];
  /** POSTs `body` to /api/rpc/METHOD and returns the status and parsed JSON body. */
  rpc(method: string, body?: unknown, token?: string): Promise<{ status: number; body: unknown; headers: Headers }>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  host?: string;
  tokens?: Array<{ token: string; role: Role; name?: string }>;
  /** More node types beside the test ones (tests outside engine/ may pass real nodes). */
  nodes?: AnyNodeDefinition[];
  staticDir?: string;
  hooks?: Record<string, Hook>;
  keepAliveMs?: number;
}

/** A real server on port 0 over a real workspace in a temporary home, with the test node registry. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const home = mkdtempSync(join(tmpdir(), 'trellis-server-'));
  const examplesDir = join(home, 'examples');
  mkdirSync(examplesDir);
  writeFileSync(join(examplesDir, 'hello.trellis.json'), JSON.stringify(testPipeline('hello', { description: 'A bundled example.' }), null, 2));
  const workspace = await Workspace.open(home, new NodeRegistry([...hookNodes({ ...TEST_HOOKS, ...options.hooks }), ...(options.nodes ?? [])]));
  const service = new EngineService(workspace, { examplesDir, pipelinesDir: home });
  const host = options.host ?? '127.0.0.1';
  const logged: string[] = [];
  const app = createServer({ service, tokens: new TokenTable(options.tokens ?? []), host, logger: (message) => logged.push(message), ...(options.keepAliveMs ? { keepAliveMs: options.keepAliveMs } : {}), ...(options.staticDir ? { staticDir: options.staticDir } : {}) });
  await app.listen({ host, port: 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the test server has no port');
  const url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    app,
    service,
    workspace,
    home,
    logged,
    async rpc(method, body = {}, token) {
      const response = await fetch(`${url}/api/rpc/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text === '' ? undefined : JSON.parse(text), headers: response.headers };
    },
    async close() {
      await app.close();
      await service.shutdown();
      await workspace.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * A GET whose path is sent exactly as given: fetch and URL normalize `..` away before sending,
 * which would hide what a hostile client can put on the wire.
 */
export function rawGet(url: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: hostname, port, path, method: 'GET', headers }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }));
    });
    request.on('error', reject);
    request.end();
  });
}
