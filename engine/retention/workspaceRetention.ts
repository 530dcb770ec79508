import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { ArtifactStore } from '../artifacts/artifactStore.js';
import type { FeatureStore } from '../featurestore/featureStore.js';
import type { ModelRegistry } from '../registry/modelRegistry.js';
import type { RunStore } from '../store/runStore.js';
import { planRetention, type InventoryPartition, type InventoryProduction, type InventoryVersion, type RetentionInventory } from './planRetention.js';
import type { RetentionItem, RetentionPolicy, RetentionReport, RetentionService } from './retentionPolicy.js';

const ProductionRowSchema = z.object({ artifact: z.string(), kind: z.string(), runId: z.string(), runState: z.string(), nodeId: z.string(), createdAt: z.number() });
const ARTIFACT_ID = /\b[0-9a-f]{64}\b/g;
/** Bundles and transforms larger than this are not scanned for the artifact ids they name. */
const MAX_SCANNED_BYTES = 64 * 1024 * 1024;
const SCANNED_KINDS: ReadonlySet<string> = new Set(['model', 'transform']);

export interface WorkspaceRetentionParts {
  /** The workspace database (SqliteRunStore.database): the run artifacts and model versions tables live there. */
  db: Database.Database;
  store: RunStore;
  artifacts: ArtifactStore;
  models: ModelRegistry;
  featureStore: FeatureStore;
}

/**
 * Retention over one workspace: reads what exists (model versions and aliases, feature
 * partitions, run artifacts and the runs that produced them, what bundles and transforms name),
 * plans with `planRetention`, and applies the plan: version rows, then partitions, then files.
 *
 * Between planning and deleting files the workspace keeps changing (a run starts, someone sets an
 * alias), so after removing versions and partitions it plans again and deletes only artifacts
 * both plans drop; a version that gained an alias meanwhile is not deleted (the alias's foreign
 * key refuses it, and the statement checks too).
 */
export class WorkspaceRetention implements RetentionService {
  constructor(private readonly parts: WorkspaceRetentionParts) {}

  async run(policy: RetentionPolicy, options: { dryRun: boolean; actor: string }): Promise<RetentionReport> {
    const now = Date.now();
    const items = planRetention(await this.inventory(), policy, now);
    if (options.dryRun) return report(items, policy, now, true);

    const { db, featureStore, artifacts, models } = this.parts;
    const deleteVersion = db.prepare(`DELETE FROM model_versions WHERE name = ? AND version = ?
      AND NOT EXISTS (SELECT 1 FROM model_aliases a WHERE a.name = model_versions.name AND a.version = model_versions.version)`);
    const droppedVersions = new Set<string>();
    db.transaction((): void => {
      for (const item of items) {
        if (item.kind !== 'model_version' || item.action !== 'drop') continue;
        const [name, version] = splitVersionId(item.id);
        if (deleteVersion.run(name, version).changes > 0) droppedVersions.add(item.id);
      }
    }).immediate();
    for (const item of items) {
      if (item.kind === 'partition' && item.action === 'drop') await featureStore.removePartition(Number(item.id));
    }
    const again = new Map(planRetention(await this.inventory(), policy, now).map((item) => [`${item.kind}:${item.id}`, item]));
    const deleteRows = db.prepare('DELETE FROM artifacts WHERE id = ?');
    const final = items.map((item): RetentionItem => {
      if (item.kind === 'model_version' && item.action === 'drop' && !droppedVersions.has(item.id)) {
        return { ...item, action: 'keep', reasons: ['an alias was set on it while cleanup ran'] };
      }
      if (item.kind !== 'artifact' || item.action !== 'drop') return item;
      const fresh = again.get(`artifact:${item.id}`);
      if (fresh && fresh.action === 'keep') return fresh;
      deleteRows.run(item.id);
      artifacts.remove(item.id);
      return item;
    });
    const result = report(final, policy, now, false);
    await models.audit({ actor: options.actor, action: 'retention.cleanup', subject: 'workspace', details: { policy, dropped: result.dropped, kept: result.kept } });
    return result;
  }

  private async inventory(): Promise<RetentionInventory> {
    const { db, store, artifacts, models, featureStore } = this.parts;
    const versions: InventoryVersion[] = [];
    for (const model of await models.listModels()) {
      const aliasesOf = new Map<number, string[]>();
      for (const [alias, version] of Object.entries(model.aliases)) aliasesOf.set(version, [...(aliasesOf.get(version) ?? []), alias]);
      for (const version of await models.listVersions(model.name)) {
        versions.push({
          name: model.name,
          version: version.version,
          artifact: version.artifact,
          createdAt: version.createdAt,
          aliases: aliasesOf.get(version.version) ?? [],
          ...(version.lineage ? { lineageRunId: version.lineage.runId } : {}),
        });
      }
    }
    const partitions: InventoryPartition[] = [];
    for (const set of await featureStore.listSets()) {
      for (const partition of await featureStore.listPartitions(set.name)) partitions.push({ id: partition.id, featureSet: set.name, artifact: partition.artifact, createdAt: partition.createdAt });
    }
    const productions: InventoryProduction[] = db
      .prepare(`SELECT a.id AS artifact, a.kind, a.run_id AS runId, r.state AS runState, a.node_id AS nodeId, a.created_at AS createdAt
        FROM artifacts a JOIN runs r ON r.id = a.run_id ORDER BY a.created_at`)
      .all()
      .map((row) => ProductionRowSchema.parse(row));

    const lineageOutputs = new Map<string, string[]>();
    for (const runId of new Set(versions.flatMap((v) => (v.lineageRunId ? [v.lineageRunId] : [])))) {
      const outputs = (await store.getTasks(runId)).flatMap((task) => Object.values(task.outputs ?? {}));
      lineageOutputs.set(runId, outputs.flatMap((value) => (value.kind === 'model' || value.kind === 'transform' ? [value.artifact] : [])));
    }

    const ids = new Set([...versions.map((v) => v.artifact), ...partitions.map((p) => p.artifact), ...productions.map((p) => p.artifact)]);
    const bytes = new Map<string, number>();
    for (const id of ids) if (artifacts.has(id)) bytes.set(id, artifacts.size(id));
    const scanned = new Set([...versions.map((v) => v.artifact), ...productions.filter((p) => SCANNED_KINDS.has(p.kind)).map((p) => p.artifact), ...[...lineageOutputs.values()].flat()]);
    const references = new Map<string, string[]>();
    for (const id of scanned) {
      const size = bytes.get(id);
      if (size === undefined || size > MAX_SCANNED_BYTES) continue;
      const named = [...new Set(artifacts.readBytes(id).toString('utf8').match(ARTIFACT_ID) ?? [])].filter((other) => other !== id && artifacts.has(other));
      if (named.length > 0) references.set(id, named);
    }
    return { versions, partitions, productions, references, lineageOutputs, bytes };
  }
}

function splitVersionId(id: string): [string, number] {
  const at = id.lastIndexOf('@v');
  return [id.slice(0, at), Number(id.slice(at + 2))];
}

function report(items: RetentionItem[], policy: RetentionPolicy, now: number, dryRun: boolean): RetentionReport {
  const count = (action: 'keep' | 'drop') => {
    const of = items.filter((item) => item.action === action);
    return {
      versions: of.filter((i) => i.kind === 'model_version').length,
      partitions: of.filter((i) => i.kind === 'partition').length,
      artifacts: of.filter((i) => i.kind === 'artifact').length,
      bytes: of.reduce((sum, i) => sum + i.bytes, 0),
    };
  };
  return { dryRun, policy, now, items, dropped: count('drop'), kept: count('keep') };
}
