import type { SampleWeights } from '../dataset.js';

/**
 * Per-row additive explanations of a linear model (its exact SHAP values under feature
 * independence): feature j adds coef_j · (x_ij − mean_j), where mean_j is the feature's mean over
 * the training rows (weighted by the sample weights when there were some), and `base` is the
 * model's output at those means. For every row, base + Σ_j values[j][i] equals the model's output
 * in `space`: the prediction for a regression, the log-odds of the positive class for a binary
 * logistic regression, and each class's softmax logit for a multinomial one.
 */
export interface LinearContributions {
  space: 'prediction' | 'log_odds' | 'logit';
  /** One per model output: the target, the positive class, or each class. */
  outputs: string[];
  /** Per output: the model's output at the training means. */
  base: number[];
  /** values[output][feature]: that feature's contribution for each row. */
  values: Float64Array[][];
}

/** intercept + Σ_j coef_j · x_j for every row, one feature column at a time. */
export function linearScores(columns: readonly Float64Array[], coefficients: Float64Array, intercept: number, rows: number): Float64Array {
  const out = new Float64Array(rows).fill(intercept);
  for (let j = 0; j < columns.length; j++) {
    const w = coefficients[j]!;
    if (w === 0) continue;
    const column = columns[j]!;
    for (let i = 0; i < rows; i++) out[i] = out[i]! + w * column[i]!;
  }
  return out;
}

/** coef_j · (x_ij − mean_j) per feature, and the output at the means. */
export function linearContributions(
  columns: readonly Float64Array[],
  coefficients: Float64Array,
  intercept: number,
  means: Float64Array,
  rows: number,
): { base: number; values: Float64Array[] } {
  let base = intercept;
  const values = columns.map((column, j) => {
    const w = coefficients[j]!;
    const mean = means[j]!;
    base += w * mean;
    const out = new Float64Array(rows);
    for (let i = 0; i < rows; i++) out[i] = w * (column[i]! - mean);
    return out;
  });
  return { base, values };
}

/** Each column's mean, weighted by `weights` when given. */
export function columnMeans(columns: readonly Float64Array[], weights: SampleWeights): Float64Array {
  const means = new Float64Array(columns.length);
  let total = 0;
  if (weights) for (let i = 0; i < weights.length; i++) total += weights[i]!;
  for (let j = 0; j < columns.length; j++) {
    const column = columns[j]!;
    let sum = 0;
    if (weights) {
      for (let i = 0; i < column.length; i++) sum += weights[i]! * column[i]!;
      means[j] = sum / total;
    } else {
      // Four partial sums: one long chain of dependent additions runs at a third of memory speed.
      const n = column.length;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let i = 0;
      for (; i + 3 < n; i += 4) {
        sum += column[i]!;
        s1 += column[i + 1]!;
        s2 += column[i + 2]!;
        s3 += column[i + 3]!;
      }
      for (; i < n; i++) sum += column[i]!;
      sum = sum + s1 + (s2 + s3);
      means[j] = n > 0 ? sum / n : 0;
    }
  }
  return means;
}
