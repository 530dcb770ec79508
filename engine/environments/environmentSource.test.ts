import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { PipelineDocumentSchema } from '../format/pipelineDocument.js';
import { pipelineHash } from '../format/pipelineHash.js';
import type { PipelineSource, ScheduledPipeline } from '../scheduler/pipelineSource.js';
import { environmentSource } from './environmentSource.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trellis-env-source-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function scheduled(id: string, params: Record<string, unknown>): ScheduledPipeline {
  const document = PipelineDocumentSchema.parse({ format: 'trellis.pipeline/1', id, params, nodes: [], schedule: { cron: '0 6 * * *', timezone: 'UTC' } });
  if (!document.schedule) throw new Error('the fixture has a schedule');
  return { document, schedule: document.schedule, hash: pipelineHash(document), baseDir: dir, origin: join(dir, `${id}.trellis.json`) };
}

it('runs the scheduler\'s pipelines in the environment, and lists a pipeline it does not fit as a problem', async () => {
  writeFileSync(join(dir, 'trellis.environments.json'), JSON.stringify({ format: 'trellis.environments/1', environments: { prod: { pipelines: { a: { params: { rows: 9 } }, b: { params: { missing: 1 } } } } } }));
  const a = scheduled('a', { rows: { type: 'integer', default: 1 } });
  const b = scheduled('b', {});
  const source: PipelineSource = { list: () => Promise.resolve({ pipelines: [a, b], problems: [] }) };
  const listing = await environmentSource(source, 'prod', join(dir, 'home'), {}).list();
  expect(listing.pipelines).toHaveLength(1);
  expect(listing.pipelines[0]?.document.params.rows?.default).toBe(9);
  expect(listing.pipelines[0]?.hash).not.toBe(a.hash);
  expect(listing.problems).toEqual([{ origin: b.origin, message: expect.stringMatching(/sets param "missing", which pipeline "b" does not declare/) }]);
});
