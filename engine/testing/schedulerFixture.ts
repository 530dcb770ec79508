import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PipelineDocumentSchema, type PipelineDocument, type PipelineDocumentInput } from '../format/pipelineDocument.js';
import type { PipelineScheduleSchema } from '../format/pipelineSchedule.js';
import { pipelineHash } from '../format/pipelineHash.js';
import { NodeRegistry } from '../node/nodeRegistry.js';
import type { PipelineSource, ScheduledPipeline } from '../scheduler/pipelineSource.js';
import { Workspace } from '../workspace/workspace.js';
import { hookNodes } from './hookNodes.js';
import type { z } from 'zod';

/**
 * What scheduler tests share: a workspace on a real SQLite file whose one node type records the
 * label each run saw (a label may be `{{ params.logical_date }}`), and can hold runs at a gate.
 */
export class SchedulerFixture {
  readonly home = mkdtempSync(join(tmpdir(), 'trellis-sched-'));
  /** Labels the hook node saw, in execution order. */
  readonly seen: string[] = [];
  active = 0;
  maxActive = 0;
  failLabels = new Set<string>();
  private gate: Promise<void> | undefined;
  private openGate: (() => void) | undefined;
  private readonly workspaces: Workspace[] = [];

  readonly registry = new NodeRegistry(
    hookNodes(
      new Proxy(
        {},
        {
          get: () => async (ctx: { params: { label: string }; signal: AbortSignal }) => {
            this.seen.push(ctx.params.label);
            this.active += 1;
            this.maxActive = Math.max(this.maxActive, this.active);
            try {
              if (this.gate) {
                const gate = this.gate;
                await new Promise<void>((resolve, reject) => {
                  void gate.then(resolve);
                  ctx.signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true });
                });
              }
              if (this.failLabels.has(ctx.params.label)) throw new Error(`told to fail for ${ctx.params.label}`);
              return {};
            } finally {
              this.active -= 1;
            }
          },
        },
      ),
    ),
  );

  /** Runs wait until `release`. */
  hold(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.openGate?.();
    this.gate = undefined;
  }

  async workspace(): Promise<Workspace> {
    const workspace = await Workspace.open(this.home, this.registry);
    this.workspaces.push(workspace);
    return workspace;
  }

  async close(): Promise<void> {
    this.release();
    for (const workspace of this.workspaces) await workspace.close();
    rmSync(this.home, { recursive: true, force: true });
  }
}

/** A one-node pipeline with a schedule; `label` is what the node reports. */
export function scheduledDocument(schedule: z.input<typeof PipelineScheduleSchema>, options: { id?: string; label?: string; declareLogicalDate?: boolean } = {}): PipelineDocument {
  const input: PipelineDocumentInput = {
    format: 'trellis.pipeline/1',
    id: options.id ?? 'nightly',
    params: options.declareLogicalDate ? { logical_date: { type: 'string', default: '' } } : {},
    nodes: [{ id: 'work', type: 'test.hook', version: 1, params: { label: options.label ?? 'work' } }],
    schedule,
  };
  return PipelineDocumentSchema.parse(input);
}

/** A source serving whatever documents the test holds at the moment. */
export function memorySource(documents: () => PipelineDocument[], baseDir: string): PipelineSource {
  return {
    async list() {
      const pipelines: ScheduledPipeline[] = documents().flatMap((document) =>
        document.schedule ? [{ document, schedule: document.schedule, hash: pipelineHash(document), baseDir, origin: 'test' }] : [],
      );
      return { pipelines, problems: [] };
    },
  };
}
