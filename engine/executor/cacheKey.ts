import { existsSync } from 'node:fs';
import { compactCanonicalJson } from '../format/canonicalJson.js';
import type { PortValue } from '../node/portValue.js';
import type { CacheParts } from '../store/runStore.js';
import { sha256, sha256File } from '../util/hash.js';

/** A value's identity: the artifact's content hash, or the hash of an inline value. */
export function valueHash(value: PortValue): string {
  return 'artifact' in value ? value.artifact : sha256(compactCanonicalJson(value));
}

/** What a task's result depends on: node type and version, params, inputs, files it reads. */
export async function cacheParts(
  node: { type: string; version: number; params: Record<string, unknown> },
  inputs: Readonly<Record<string, readonly PortValue[]>>,
  files: readonly string[],
): Promise<CacheParts> {
  const fileHashes: Record<string, string> = {};
  for (const file of files) fileHashes[file] = existsSync(file) ? await sha256File(file) : 'missing';
  return {
    type: node.type,
    version: node.version,
    params: sha256(compactCanonicalJson(node.params)),
    inputs: Object.fromEntries(Object.entries(inputs).map(([port, values]) => [port, values.map(valueHash)])),
    files: fileHashes,
  };
}

/**
 * The hash of the parts' compact canonical JSON. That text is written here field by field, in the
 * canonical order (type, version and params lead; files and inputs follow alphabetically), so the
 * outer object is not copied and re-sorted for every task; cacheKey.test.ts checks the text is
 * exactly `compactCanonicalJson(parts)`, which existing cache keys were made from.
 */
export function cacheKeyOf(parts: CacheParts): string {
  return sha256(cachePartsText(parts));
}

export function cachePartsText(parts: CacheParts): string {
  return `{"type":${JSON.stringify(parts.type)},"version":${JSON.stringify(parts.version)},"params":${JSON.stringify(parts.params)},"files":${smallObjectText(parts.files)},"inputs":${smallObjectText(parts.inputs)}}`;
}

function smallObjectText(value: object): string {
  for (const _key in value) return compactCanonicalJson(value);
  return '{}';
}

/** Why a task with `current` parts could not reuse the result of one with `previous` parts. */
export function describeCacheMiss(current: CacheParts, previous: CacheParts | undefined): string {
  if (!previous) return 'no earlier result for this node';
  const changes: string[] = [];
  if (previous.type !== current.type || previous.version !== current.version) changes.push(`node version changed (v${previous.version} → v${current.version})`);
  if (previous.params !== current.params) changes.push('params changed');
  const ports = new Set([...Object.keys(previous.inputs), ...Object.keys(current.inputs)]);
  for (const port of [...ports].sort()) {
    if (compactCanonicalJson(previous.inputs[port] ?? []) !== compactCanonicalJson(current.inputs[port] ?? [])) changes.push(`input "${port}" changed`);
  }
  const files = new Set([...Object.keys(previous.files), ...Object.keys(current.files)]);
  for (const file of [...files].sort()) {
    if (previous.files[file] !== current.files[file]) changes.push(`file ${file} changed`);
  }
  return changes.length > 0 ? changes.join('; ') : 'earlier result is no longer available';
}
