import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { defineNode } from '../../engine/node/nodeDefinition.js';
import { HeadersSchema, resolveHeaders } from '../source/httpHeaders.js';
import { awaitSensor, type PokeResult } from './awaitSensor.js';
import { valueAtPath } from './jsonPath.js';
import { sensorParams } from './sensorParams.js';

const JsonScalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** Whether `value` contains `needle`: a substring of a string, an element of a list, a key of an object. */
function contains(value: unknown, needle: string): boolean {
  if (typeof value === 'string') return value.includes(needle);
  if (Array.isArray(value)) return value.some((item) => item === needle || String(item) === needle);
  if (value !== null && typeof value === 'object') return Object.keys(value).includes(needle);
  return false;
}

function parseJson(text: string): unknown {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed;
  } catch {
    return undefined;
  }
}

/**
 * Waits until an HTTP endpoint answers as wanted: a status (any 2xx by default), and optionally
 * a value in its JSON body (a dot path) that equals or contains what is given. A connection
 * error or a slow answer is "not yet", not a failure: the service may not be up yet.
 */
export default defineNode({
  type: 'sensor.http',
  version: 1,
  title: 'HTTP sensor',
  category: 'sensor',
  description: 'Waits until an HTTP response meets a condition (status; a JSON path equals or contains a value); outputs the status and body. Holds no worker slot while waiting.',
  inputs: [],
  outputs: [{ name: 'found', type: 'metrics', description: 'status, pokes, waited_ms; the body (JSON when it parses) and the value at jsonPath in details' }],
  volatile: true,
  params: z.object({
    url: z.url({ protocol: /^https?$/ }).describe('the http(s) endpoint to poke'),
    method: z.enum(['GET', 'HEAD', 'POST']).default('GET'),
    headers: HeadersSchema.default({}).describe('request headers; credentials as secret references such as "Bearer env:API_TOKEN"'),
    body: z.string().default('').describe('request body (POST)'),
    status: z.array(z.int().min(100).max(599)).default([]).describe('the statuses that count; empty: any 2xx'),
    jsonPath: z.string().default('').describe('a dot path into the JSON body (data.items.0.state); empty: no condition on the body'),
    equals: JsonScalar.optional().describe('the value at jsonPath must equal this'),
    contains: z.string().optional().describe('the value at jsonPath must contain this (substring, list element or object key)'),
    requestTimeoutSeconds: z.number().min(0.01).max(600).default(30).describe('how long one request may take'),
    ...sensorParams,
  }),
  async execute(ctx) {
    const { url, method, status, jsonPath, equals, contains: needle, requestTimeoutSeconds } = ctx.params;
    const headers = resolveHeaders(ctx.params.headers);
    const conditional = jsonPath !== '' || equals !== undefined || needle !== undefined;
    return awaitSensor(ctx, `${method} ${url}`, async (): Promise<PokeResult> => {
      let response: Response;
      let text: string;
      try {
        response = await fetch(url, {
          method,
          headers,
          ...(method === 'POST' ? { body: ctx.params.body } : {}),
          signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(requestTimeoutSeconds * 1000)]),
        });
        text = await response.text();
      } catch (cause) {
        if (ctx.signal.aborted) throw cause;
        return { found: false, seen: `no answer: ${cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause)}` };
      }
      const statusOk = status.length === 0 ? response.status >= 200 && response.status < 300 : status.includes(response.status);
      if (!statusOk) return { found: false, seen: `status ${response.status}` };
      const json = parseJson(text);
      const value = json === undefined ? undefined : valueAtPath(json, jsonPath);
      if (conditional) {
        if (json === undefined) return { found: false, seen: `status ${response.status}, body is not JSON` };
        if (value === undefined) return { found: false, seen: `status ${response.status}, nothing at ${jsonPath || 'the root'}` };
        if (equals !== undefined && !isDeepStrictEqual(value, equals)) return { found: false, seen: `${jsonPath} is ${JSON.stringify(value)}` };
        if (needle !== undefined && !contains(value, needle)) return { found: false, seen: `${jsonPath} is ${JSON.stringify(value)}, without ${JSON.stringify(needle)}` };
      }
      return {
        found: true,
        seen: `status ${response.status}${conditional ? `, ${jsonPath} is ${JSON.stringify(value)}` : ''}`,
        values: { status: response.status },
        details: { status: response.status, body: json ?? text.slice(0, 10_000), ...(conditional ? { value } : {}) },
      };
    });
  },
});
