import { createWriteStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { z } from 'zod';
import { defineNode } from '../../engine/node/nodeDefinition.js';
import { NodeError } from '../../engine/node/nodeError.js';
import { BAD_ROW_POLICIES, readCsvTable } from './readCsv.js';
import { readJsonTable, type JsonFormat } from './readJson.js';
import { reportCsvResult } from './reportCsvResult.js';
import { HeadersSchema, resolveHeaders } from './httpHeaders.js';

type Format = 'json' | 'ndjson' | 'csv';

/** The URL without its query string or credentials, for messages (query strings often hold tokens). */
function shownUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

function detectFormat(requested: 'auto' | Format, contentType: string, url: URL): Format | undefined {
  if (requested !== 'auto') return requested;
  const type = contentType.toLowerCase();
  if (/ndjson|jsonl|json-seq|jsonlines/.test(type)) return 'ndjson';
  if (type.includes('json')) return 'json';
  if (type.includes('csv') || type.includes('tab-separated-values')) return 'csv';
  const path = url.pathname.toLowerCase();
  if (/\.(ndjson|jsonl)$/.test(path)) return 'ndjson';
  if (path.endsWith('.json')) return 'json';
  if (/\.(csv|tsv)$/.test(path)) return 'csv';
  return undefined;
}

/** JSON or CSV from a URL. Header values may be secret references, resolved when the task runs. */
export default defineNode({
  type: 'source.http',
  version: 1,
  title: 'HTTP download',
  category: 'source',
  volatile: true,
  description: 'Downloads JSON, NDJSON or CSV from a URL (GET) into a table; headers may use secret references (env:NAME).',
  inputs: [],
  outputs: [{ name: 'table', type: 'table' }],
  params: z.object({
    url: z.url({ protocol: /^https?$/ }).describe('http(s) URL to GET'),
    format: z.enum(['auto', 'json', 'ndjson', 'csv']).default('auto').describe('auto: from the Content-Type, then the URL\'s extension'),
    headers: HeadersSchema.default({}).describe('request headers; values may be secret references such as "env:API_TOKEN" or "Bearer env:API_TOKEN"'),
    timeoutSeconds: z.number().gt(0).max(3600).default(60).describe('give up when the whole download takes longer'),
    onBadRow: z.enum(BAD_ROW_POLICIES).default('fail').describe('CSV only: fail, skip or null (as in source.csv)'),
  }),
  async execute(ctx) {
    const url = new URL(ctx.params.url);
    const label = shownUrl(url);
    const headers = resolveHeaders(ctx.params.headers);

    const timeout = AbortSignal.timeout(ctx.params.timeoutSeconds * 1000);
    const signal = AbortSignal.any([ctx.signal, timeout]);
    const file = join(ctx.tempDir, 'download');
    let contentType = '';
    try {
      ctx.log.info(`GET ${label}`);
      const response = await fetch(url, { headers, signal, redirect: 'follow' });
      if (!response.ok) {
        const body = (await response.text()).slice(0, 300).trim();
        throw new NodeError(`GET ${label} returned ${response.status} ${response.statusText}${body ? `: ${body}` : ''}`, {
          param: response.status === 401 || response.status === 403 ? 'headers' : 'url',
          hint: response.status === 401 || response.status === 403 ? 'Check the credentials the headers send.' : 'Check the URL.',
        });
      }
      contentType = response.headers.get('content-type') ?? '';
      if (!response.body) throw new NodeError(`GET ${label} returned no body.`, { param: 'url' });
      // fetch's body is a web stream; the DOM and node:stream/web typings of it differ only in name
      const body: WebReadableStream<Uint8Array> = response.body;
      await pipeline(Readable.fromWeb(body), createWriteStream(file), { signal });
    } catch (cause) {
      if (cause instanceof NodeError) throw cause;
      if (ctx.signal.aborted) throw ctx.signal.reason;
      if (timeout.aborted) {
        throw new NodeError(`GET ${label} did not finish within ${ctx.params.timeoutSeconds} s.`, { param: 'timeoutSeconds', hint: 'Raise "timeoutSeconds", or check that the server responds.' });
      }
      const reason = cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
      throw new NodeError(`GET ${label} failed: ${reason}`, { param: 'url', hint: 'Check the URL and that the server is reachable from this machine.' });
    }

    const bytes = statSync(file).size;
    if (bytes === 0) throw new NodeError(`GET ${label} returned an empty body.`, { param: 'url' });
    const format = detectFormat(ctx.params.format, contentType, url);
    if (format === undefined) {
      throw new NodeError(`cannot tell whether ${label} is JSON or CSV (Content-Type "${contentType || 'none'}").`, { param: 'format', hint: 'Set "format" to json, ndjson or csv.' });
    }
    ctx.log.info(`downloaded ${bytes} bytes of ${format}`);
    let table;
    if (format === 'csv') {
      const result = await readCsvTable(ctx.data, { file, label, param: 'url', header: true, onBadRow: ctx.params.onBadRow, encoding: 'utf-8' });
      reportCsvResult(ctx, result, { label, onBadRow: ctx.params.onBadRow });
      table = result.table;
    } else {
      const jsonFormat: JsonFormat = format === 'ndjson' ? 'ndjson' : 'auto';
      table = await readJsonTable(ctx.data, { file, format: jsonFormat, label, param: 'url' });
    }
    ctx.metric('rows', table.rows);
    return { table };
  },
});
