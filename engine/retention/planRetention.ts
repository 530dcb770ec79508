import { describeDuration } from '../util/describeDuration.js';
import type { RetentionItem, RetentionPolicy } from './retentionPolicy.js';

/** Run states whose artifacts a later step (resume, a pending decision) may still read. */
const LIVE_RUN_STATES: ReadonlySet<string> = new Set(['running', 'waiting', 'interrupted']);

export interface InventoryVersion {
  name: string;
  version: number;
  artifact: string;
  createdAt: number;
  aliases: readonly string[];
  /** The run that trained and saved it, when known. */
  lineageRunId?: string;
}

export interface InventoryPartition {
  id: number;
  featureSet: string;
  artifact: string;
  createdAt: number;
}

/** One production of an artifact by a run (one artifact can be produced by many runs). */
export interface InventoryProduction {
  artifact: string;
  kind: string;
  runId: string;
  runState: string;
  nodeId: string;
  createdAt: number;
}

/** Everything retention weighs, read from the workspace's stores. */
export interface RetentionInventory {
  versions: readonly InventoryVersion[];
  partitions: readonly InventoryPartition[];
  productions: readonly InventoryProduction[];
  /** Artifact ids found inside another artifact (a bundle naming a transform, ...): from → to. */
  references: ReadonlyMap<string, readonly string[]>;
  /** Model and transform outputs of a run, by run id: what a version trained there was built from. */
  lineageOutputs: ReadonlyMap<string, readonly string[]>;
  /** Size of each artifact file present; absent ones are gone already. */
  bytes: ReadonlyMap<string, number>;
}

const when = (time: number): string => new Date(time).toISOString().slice(0, 19).replace('T', ' ');

/**
 * Decides what a retention pass keeps, with every reason, from an inventory. Pure, so the rules
 * (newest N versions, every aliased version, everything a kept thing references, live runs'
 * outputs, the horizon) are tested without a workspace. An artifact goes only when no reason
 * to keep it exists; references are followed to a fixed point, so a chain of references from
 * anything kept (an aliased version's bundle → the transform it names → ...) all stays.
 */
export function planRetention(inventory: RetentionInventory, policy: RetentionPolicy, now: number): RetentionItem[] {
  const cutoff = now - policy.olderThanMs;
  const horizon = describeDuration(policy.olderThanMs);
  const items: RetentionItem[] = [];
  const keepReasons = new Map<string, string[]>();
  const dropReasons = new Map<string, string[]>();
  const keep = (artifact: string, reason: string): void => {
    const reasons = keepReasons.get(artifact);
    if (reasons) {
      if (!reasons.includes(reason)) reasons.push(reason);
    } else keepReasons.set(artifact, [reason]);
  };
  const note = (artifact: string, reason: string): void => {
    const reasons = dropReasons.get(artifact) ?? [];
    if (!reasons.includes(reason)) dropReasons.set(artifact, [...reasons, reason]);
  };

  const byModel = new Map<string, InventoryVersion[]>();
  for (const version of inventory.versions) byModel.set(version.name, [...(byModel.get(version.name) ?? []), version]);
  for (const [name, versions] of byModel) {
    const newestFirst = [...versions].sort((a, b) => b.version - a.version);
    newestFirst.forEach((version, index) => {
      const label = `${name} v${version.version}`;
      const reasons: string[] = [];
      if (version.aliases.length > 0) reasons.push(`alias ${version.aliases.join(', ')} points to it`);
      if (index < policy.keepVersions) reasons.push(`one of the newest ${policy.keepVersions} versions of ${name}`);
      const kept = reasons.length > 0;
      items.push({ kind: 'model_version', id: `${name}@v${version.version}`, label, action: kept ? 'keep' : 'drop', reasons: kept ? reasons : [`older than the newest ${policy.keepVersions} versions of ${name}, and no alias points to it`], bytes: 0 });
      if (!kept) {
        note(version.artifact, `bundle of ${label}, which goes`);
        return;
      }
      keep(version.artifact, `bundle of ${label} (${reasons[0] ?? ''})`);
      for (const output of version.lineageRunId ? (inventory.lineageOutputs.get(version.lineageRunId) ?? []) : []) {
        if (output !== version.artifact) keep(output, `model or transform output of run ${version.lineageRunId ?? ''}, which trained ${label}`);
      }
    });
  }

  for (const partition of inventory.partitions) {
    const label = `partition ${partition.id} of ${partition.featureSet}`;
    const recent = partition.createdAt >= cutoff;
    items.push({
      kind: 'partition',
      id: String(partition.id),
      label,
      action: recent ? 'keep' : 'drop',
      reasons: [recent ? `written ${when(partition.createdAt)}, within the horizon (${horizon})` : `written ${when(partition.createdAt)}, before the horizon (${horizon})`],
      bytes: 0,
    });
    if (recent) keep(partition.artifact, `data of ${label}`);
    else note(partition.artifact, `data of ${label}, which goes`);
  }

  const labels = new Map<string, string>();
  for (const production of inventory.productions) {
    if (!labels.has(production.artifact)) labels.set(production.artifact, `${production.kind} from run ${production.runId} node ${production.nodeId}`);
    if (LIVE_RUN_STATES.has(production.runState)) keep(production.artifact, `output of run ${production.runId}, which is ${production.runState} and may still need it`);
    else if (production.createdAt >= cutoff) keep(production.artifact, `produced by run ${production.runId} at ${when(production.createdAt)}, within the horizon (${horizon})`);
    else note(production.artifact, `produced by run ${production.runId} at ${when(production.createdAt)}, before the horizon (${horizon})`);
  }

  // What a kept artifact names stays with it, transitively.
  const queue = [...keepReasons.keys()];
  while (queue.length > 0) {
    const from = queue.pop() as string;
    for (const to of inventory.references.get(from) ?? []) {
      const first = !keepReasons.has(to);
      keep(to, `referenced by kept artifact ${from.slice(0, 12)} (${labels.get(from) ?? keepReasons.get(from)?.[0] ?? ''})`);
      if (first) queue.push(to);
    }
  }

  const artifacts = new Set([...keepReasons.keys(), ...dropReasons.keys()]);
  for (const artifact of [...artifacts].sort()) {
    const reasons = keepReasons.get(artifact);
    items.push({
      kind: 'artifact',
      id: artifact,
      label: labels.get(artifact) ?? 'artifact',
      action: reasons ? 'keep' : 'drop',
      reasons: reasons ?? [...(dropReasons.get(artifact) ?? []), 'nothing kept references it'],
      bytes: inventory.bytes.get(artifact) ?? 0,
    });
  }
  return items;
}
