import type { Diagnostic } from '../api/contract.js';

const NONE: readonly Diagnostic[] = [];
const indexes = new WeakMap<readonly Diagnostic[], ReadonlyMap<string, readonly Diagnostic[]>>();

/**
 * The diagnostics of one node. Each canvas node asks on every change of the document store, so
 * the list is grouped by node once per diagnostics array (not filtered once per node: a
 * thousand nodes would each scan it), and the same array comes back until the diagnostics change.
 */
export function diagnosticsOf(diagnostics: readonly Diagnostic[], nodeId: string): readonly Diagnostic[] {
  let index = indexes.get(diagnostics);
  if (!index) {
    const byNode = new Map<string, Diagnostic[]>();
    for (const d of diagnostics) {
      if (d.nodeId === undefined) continue;
      const list = byNode.get(d.nodeId);
      if (list) list.push(d);
      else byNode.set(d.nodeId, [d]);
    }
    index = byNode;
    indexes.set(diagnostics, index);
  }
  return index.get(nodeId) ?? NONE;
}
