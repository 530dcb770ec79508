import type { FeatureMatrix, SampleWeights } from '../dataset.js';
import { NodeError } from '../../node/nodeError.js';

/**
 * The columns of `X` a fitted model was trained on, in the model's order, found by name (so a
 * table with extra or reordered columns still scores). A missing one is a NodeError naming it.
 */
export function columnsByName(X: FeatureMatrix, names: readonly string[]): Float64Array[] {
  const index = new Map(X.names.map((name, i) => [name, i]));
  const missing = names.filter((name) => !index.has(name));
  if (missing.length > 0) {
    throw new NodeError(`the model needs feature column${missing.length > 1 ? 's' : ''} ${missing.map((name) => `"${name}"`).join(', ')}, which the table does not have`, {
      hint: `the model was trained on: ${names.join(', ')}; apply the same featurization as for training`,
    });
  }
  return names.map((name) => X.columns[index.get(name)!]!);
}

/**
 * Linear models and k-means have no rule for a missing value: a NaN (or infinite) feature is a
 * NodeError naming the column and the node that fixes it.
 */
export function requireFiniteFeatures(names: readonly string[], columns: readonly Float64Array[]): void {
  for (let j = 0; j < columns.length; j++) {
    const column = columns[j]!;
    // x − x is 0 for a finite x and NaN otherwise: four branch-free sums test a column at memory
    // speed (a compare and branch per value was 4× slower), and only a bad column is searched.
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    const n = column.length;
    let i = 0;
    for (; i + 3 < n; i += 4) {
      const v0 = column[i]!;
      const v1 = column[i + 1]!;
      const v2 = column[i + 2]!;
      const v3 = column[i + 3]!;
      a0 += v0 - v0;
      a1 += v1 - v1;
      a2 += v2 - v2;
      a3 += v3 - v3;
    }
    for (; i < n; i++) a0 += column[i]! - column[i]!;
    if (a0 + a1 + a2 + a3 === 0) continue;
    const row = column.findIndex((value) => value - value !== 0);
    const value = column[row]!;
    const what = Number.isNaN(value) ? 'missing values' : 'infinite values';
    throw new NodeError(`feature column "${names[j]}" has ${what} (row ${row + 1})`, {
      hint: Number.isNaN(value) ? 'add featurize.impute before training' : 'clip or filter the infinite values before training',
    });
  }
}

/** Sample weights must be one finite, non-negative number per row with a positive total. */
export function requireSampleWeights(weights: SampleWeights, rows: number): void {
  if (!weights) return;
  if (weights.length !== rows) throw new NodeError(`sample weights have ${weights.length} values for ${rows} rows`, { hint: 'give one weight per row' });
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (!(w >= 0) || w === Infinity) throw new NodeError(`sample weight at row ${i + 1} is ${w}`, { hint: 'weights must be finite and not negative' });
    total += w;
  }
  if (!(total > 0)) throw new NodeError('all sample weights are zero', { hint: 'give some rows a positive weight' });
}

/** A regression target must be a number on every row. */
export function requireFiniteTarget(y: Float64Array): void {
  for (let i = 0; i < y.length; i++) {
    const value = y[i]!;
    if (value - value !== 0) {
      throw new NodeError(`the target has ${Number.isNaN(value) ? 'a missing' : 'an infinite'} value (row ${i + 1})`, {
        hint: 'filter out the rows without a target (data.filter) before training',
      });
    }
  }
}
