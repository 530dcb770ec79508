import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { glob } from 'tinyglobby';
import { z } from 'zod';
import { sqlString } from '../../engine/data/dataEngine.js';
import { defineNode } from '../../engine/node/nodeDefinition.js';
import { awaitSensor } from './awaitSensor.js';
import { sensorParams } from './sensorParams.js';

interface SeenFile {
  path: string;
  size: number;
  modifiedAt: number;
  sha256?: string;
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The files matching `pattern` (relative to `cwd`) now, sorted, with what `compare` looks at. */
async function look(pattern: string, cwd: string, compare: 'mtime' | 'hash'): Promise<SeenFile[]> {
  const paths = (await glob(pattern, { cwd, absolute: true, onlyFiles: true, dot: true, expandDirectories: false })).sort();
  const files: SeenFile[] = [];
  for (const path of paths) {
    try {
      const info = await stat(path);
      files.push({ path, size: info.size, modifiedAt: info.mtimeMs, ...(compare === 'hash' ? { sha256: await sha256(path) } : {}) });
    } catch {
      // Removed between the listing and the stat: not there.
    }
  }
  return files;
}

/** What change detection compares: paths with size and mtime, or with the content hash. */
function fingerprintOf(files: SeenFile[], compare: 'mtime' | 'hash'): string {
  const parts = files.map((f) => (compare === 'hash' ? `${f.path}\t${f.sha256 ?? ''}` : `${f.path}\t${f.size}\t${f.modifiedAt}`));
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

/**
 * Waits until a path or glob matches files, or (by default) until what matches changed since
 * this pipeline's sensor last fired: the listing with sizes and modification times, or content
 * hashes, compared against the fingerprint kept in the workspace's sensor log, so "new data
 * arrived" holds across runs and processes. The first run ever fires as soon as files match.
 */
export default defineNode({
  type: 'sensor.file',
  version: 1,
  title: 'File sensor',
  category: 'sensor',
  description: 'Waits until a path or glob matches files (or they changed since the last time it fired); outputs the matching files. Holds no worker slot while waiting.',
  inputs: [],
  outputs: [
    { name: 'files', type: 'table', description: 'the matching files: path, size (bytes), modified_at' },
    { name: 'found', type: 'metrics', description: 'files, bytes, pokes, waited_ms; the paths in details' },
  ],
  volatile: true,
  params: z.object({
    path: z.string().min(1).describe('a file path or glob (data/*.csv, incoming/**/*.parquet), relative to the pipeline file'),
    fireOn: z.enum(['change', 'exists']).default('change').describe('change: when what matches differs from what the last firing saw; exists: whenever something matches'),
    compare: z.enum(['mtime', 'hash']).default('mtime').describe('what a change is: a new size or modification time, or new content (sha256 of every file; slower)'),
    minFiles: z.int().min(1).default(1).describe('how many files must match'),
    ...sensorParams,
  }),
  async execute(ctx) {
    const { fireOn, compare, minFiles } = ctx.params;
    // A relative pattern stays relative to the pipeline's folder, whose own name is then never
    // read as a glob (a folder named "runs [old]").
    const pattern = ctx.params.path;
    const cwd = ctx.resolvePath('.');
    let fired: { fingerprint: string } | undefined;
    const outputs = await awaitSensor(ctx, `files matching ${ctx.params.path}`, async () => {
      const files = await look(pattern, cwd, compare);
      if (files.length < minFiles) return { found: false, seen: `${files.length} file${files.length === 1 ? '' : 's'} match${files.length === 1 ? 'es' : ''}, ${minFiles} needed` };
      const fingerprint = fingerprintOf(files, compare);
      if (fireOn === 'change' && ctx.services.sensors.lastSeen(ctx.pipelineId, ctx.nodeId) === fingerprint) {
        return { found: false, seen: `${files.length} file(s) match, unchanged since the last firing` };
      }
      fired = { fingerprint };
      const rows = files.map((f) => `(${sqlString(f.path)}, ${f.size}::BIGINT, epoch_ms(${Math.round(f.modifiedAt)}::BIGINT))`);
      const table = await ctx.data.writeTable(`SELECT * FROM (VALUES ${rows.join(', ')}) t(path, size, modified_at)`);
      return {
        found: true,
        seen: `${files.length} file(s): ${files.slice(0, 5).map((f) => f.path).join(', ')}${files.length > 5 ? ', …' : ''}`,
        values: { files: files.length, bytes: files.reduce((sum, f) => sum + f.size, 0) },
        details: { paths: files.map((f) => f.path) },
        outputs: { files: table },
      };
    });
    // Remembered only once it fired: the next run waits for something newer than this.
    if (fired) ctx.services.sensors.recordSeen(ctx.pipelineId, ctx.nodeId, fired.fingerprint, Date.now());
    return outputs;
  },
});
