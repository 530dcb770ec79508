import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadDocument } from '../format/loadDocument.js';
import type { PipelineDocument } from '../format/pipelineDocument.js';
import type { PipelineSchedule } from '../format/pipelineSchedule.js';
import { pipelineHash } from '../format/pipelineHash.js';
import type { RunStore } from '../store/runStore.js';
import { loadPipelineFile } from '../workspace/workspace.js';

/** A pipeline with a schedule, as the scheduler runs it. */
export interface ScheduledPipeline {
  document: PipelineDocument;
  schedule: PipelineSchedule;
  hash: string;
  /** Folder that relative paths in its params resolve against. */
  baseDir: string;
  /** Where it came from, for messages: a file path or "workspace". */
  origin: string;
}

export interface PipelineListing {
  pipelines: ScheduledPipeline[];
  /** Pipelines that could not be read, with what to do about it. */
  problems: Array<{ origin: string; message: string }>;
}

/** Where the scheduler finds its pipelines; asked again at every tick, so edits are picked up. */
export interface PipelineSource {
  list(): Promise<PipelineListing>;
}

function scheduled(document: PipelineDocument, baseDir: string, origin: string): ScheduledPipeline[] {
  return document.schedule ? [{ document, schedule: document.schedule, hash: pipelineHash(document), baseDir, origin }] : [];
}

/** The latest version of every pipeline saved in the workspace that has a schedule. */
export function workspacePipelines(store: RunStore, baseDir: string): PipelineSource {
  return {
    async list() {
      const listing: PipelineListing = { pipelines: [], problems: [] };
      for (const record of await store.listPipelines()) {
        const text = await store.getPipelineDocument(record.id);
        if (text === undefined) continue;
        const loaded = loadDocument(text);
        if (!loaded.ok) {
          listing.problems.push({ origin: `workspace pipeline ${record.id}`, message: loaded.diagnostics.map((d) => d.message).join('; ') });
          continue;
        }
        listing.pipelines.push(...scheduled(loaded.document, baseDir, 'workspace'));
      }
      return listing;
    },
  };
}

/** Pipeline files, and the `*.trellis.json` files directly inside folders, re-read at every tick. */
export function filePipelines(paths: readonly string[]): PipelineSource {
  return {
    async list() {
      const listing: PipelineListing = { pipelines: [], problems: [] };
      const seen = new Map<string, string>();
      for (const file of paths.flatMap(expand)) {
        const loaded = loadPipelineFile(file);
        if (!loaded.ok) {
          listing.problems.push({ origin: loaded.path, message: loaded.diagnostics.map((d) => d.message).join('; ') });
          continue;
        }
        const first = seen.get(loaded.document.id);
        if (first !== undefined) {
          listing.problems.push({ origin: loaded.path, message: `pipeline id "${loaded.document.id}" is also used by ${first}; each scheduled pipeline needs its own id (this file is ignored)` });
          continue;
        }
        seen.set(loaded.document.id, loaded.path);
        listing.pipelines.push(...scheduled(loaded.document, dirname(loaded.path), loaded.path));
      }
      return listing;
    },
  };
}

function expand(path: string): string[] {
  const absolute = resolve(path);
  try {
    if (statSync(absolute).isDirectory()) {
      return readdirSync(absolute)
        .filter((name) => name.endsWith('.trellis.json'))
        .sort()
        .map((name) => join(absolute, name));
    }
  } catch {
    // A missing path is reported by loadPipelineFile with the path in the message.
  }
  return [absolute];
}
