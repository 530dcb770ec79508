import { z } from 'zod';
import type { FeatureMatrix } from '../dataset.js';
import { fitLogisticRegression } from '../linear/logisticRegression.js';
import { rocAuc } from '../metrics/rocCurve.js';
import { DEFAULT_SEED, Random } from '../random.js';
import { fitGradientBoosting } from '../tree/gradientBoosting.js';

export const DOMAIN_CLASSIFIERS = ['gradient_boosting', 'logistic'] as const;

export const DomainClassifierOptionsSchema = z.object({
  classifier: z.enum(DOMAIN_CLASSIFIERS).default('gradient_boosting'),
  /** Share of each side's rows held out to measure the AUC on. */
  testFraction: z.number().gt(0).lt(1).default(0.3),
  /** Each side is sampled down (seeded) to at most this many rows. */
  maxRowsPerSide: z.int().min(10).default(20_000),
  seed: z.int().default(DEFAULT_SEED),
});
export type DomainClassifierOptions = z.input<typeof DomainClassifierOptionsSchema>;

export interface DomainClassifierResult {
  /** ROC AUC of "is this row current?" on held-out rows: 0.5 when the sides cannot be told apart. */
  auc: number;
  trainRows: number;
  testRows: number;
  /** What the classifier leaned on, most first, summing to 1 (gain for trees, |standardized coefficient| for logistic). */
  importance: Array<{ feature: string; importance: number }>;
}

/** `count` of `0..n-1`, chosen by a seeded shuffle, in ascending order (so row order is kept). */
function sample(n: number, count: number, random: Random): Int32Array {
  const all = Int32Array.from({ length: n }, (_, i) => i);
  if (count >= n) return all;
  random.shuffle(all);
  return all.subarray(0, count).sort();
}

function take(matrix: FeatureMatrix, rows: ArrayLike<number>, into: Float64Array[], offset: number): void {
  for (let j = 0; j < matrix.columns.length; j++) {
    const source = matrix.columns[j]!;
    const target = into[j]!;
    for (let i = 0; i < rows.length; i++) target[offset + i] = source[rows[i]!]!;
  }
}

/** Train and test matrices with label 0 for reference rows and 1 for current rows. */
function split(reference: FeatureMatrix, current: FeatureMatrix, o: z.output<typeof DomainClassifierOptionsSchema>): { train: FeatureMatrix; yTrain: Int32Array; test: FeatureMatrix; yTest: Int32Array } {
  const random = new Random(o.seed);
  const sides = [reference, current].map((side) => {
    const chosen = sample(side.rows, Math.min(side.rows, o.maxRowsPerSide), random);
    random.shuffle(chosen);
    const testCount = Math.max(1, Math.round(chosen.length * o.testFraction));
    return { side, test: chosen.subarray(0, testCount).sort(), train: chosen.subarray(testCount).sort() };
  });
  const build = (part: 'train' | 'test'): { X: FeatureMatrix; y: Int32Array } => {
    const rows = sides.reduce((sum, s) => sum + s[part].length, 0);
    const columns = reference.names.map(() => new Float64Array(rows));
    const y = new Int32Array(rows);
    let offset = 0;
    sides.forEach((s, label) => {
      take(s.side, s[part], columns, offset);
      y.fill(label, offset, offset + s[part].length);
      offset += s[part].length;
    });
    return { X: { rows, names: [...reference.names], columns }, y };
  };
  const train = build('train');
  const test = build('test');
  return { train: train.X, yTrain: train.y, test: test.X, yTest: test.y };
}

/** Mean-imputes and standardizes with the training rows' statistics (logistic regression needs finite, comparable features). */
function standardize(train: FeatureMatrix, test: FeatureMatrix): void {
  for (let j = 0; j < train.columns.length; j++) {
    const column = train.columns[j]!;
    let sum = 0;
    let count = 0;
    for (const v of column) {
      if (!Number.isFinite(v)) continue;
      sum += v;
      count += 1;
    }
    const mean = count > 0 ? sum / count : 0;
    let squares = 0;
    for (const v of column) if (Number.isFinite(v)) squares += (v - mean) ** 2;
    const std = count > 0 && squares > 0 ? Math.sqrt(squares / count) : 1;
    for (const matrix of [train, test]) {
      const values = matrix.columns[j]!;
      for (let i = 0; i < values.length; i++) values[i] = Number.isFinite(values[i]!) ? (values[i]! - mean) / std : 0;
    }
  }
}

function normalized(names: readonly string[], weights: ArrayLike<number>): DomainClassifierResult['importance'] {
  let total = 0;
  for (let j = 0; j < names.length; j++) total += Math.abs(weights[j] ?? 0);
  return names
    .map((feature, j) => ({ feature, importance: total > 0 ? Math.abs(weights[j] ?? 0) / total : 0 }))
    .sort((a, b) => b.importance - a.importance || a.feature.localeCompare(b.feature));
}

/**
 * The multivariate drift check: a classifier learns to tell reference rows (0) from current rows
 * (1) on a seeded split, and its ROC AUC on the held-out rows says how separable they are. Near
 * 0.5 the current data could have come from the reference; near 1 it plainly did not, even when
 * every column alone looks the same (a changed relation between columns shows up here and in no
 * per-column test). Seeded end to end: the same inputs give the same AUC.
 */
export function domainClassifier(reference: FeatureMatrix, current: FeatureMatrix, options: DomainClassifierOptions = {}): DomainClassifierResult {
  const o = DomainClassifierOptionsSchema.parse(options);
  if (reference.names.join('\u0000') !== current.names.join('\u0000')) throw new Error('domainClassifier: both sides need the same features in the same order');
  if (reference.rows < 2 || current.rows < 2) throw new Error(`domainClassifier: each side needs at least 2 rows (reference ${reference.rows}, current ${current.rows})`);
  const { train, yTrain, test, yTest } = split(reference, current, o);
  const target = { kind: 'classes' as const, classes: ['reference', 'current'], y: yTrain };
  let scores: Float64Array;
  let weights: ArrayLike<number>;
  if (o.classifier === 'gradient_boosting') {
    // Small, shallow and regularized: the point is whether the sides separate, not a great model.
    const model = fitGradientBoosting(train, target, { maxIterations: 50, learningRate: 0.1, maxLeafNodes: 15, minSamplesLeaf: 20, seed: o.seed });
    scores = model.predictProba(test)[1]!;
    weights = model.importances;
  } else {
    standardize(train, test);
    const model = fitLogisticRegression(train, target);
    scores = model.predictProba(test)[1]!;
    const coefficients = model.coefficients[0]!;
    weights = train.names.map((name) => {
      const at = model.features.indexOf(name);
      return at >= 0 ? coefficients[at]! : 0;
    });
  }
  return { auc: rocAuc(yTest, scores), trainRows: train.rows, testRows: test.rows, importance: normalized(train.names, weights) };
}

const MatrixSchema = z.object({ rows: z.int(), names: z.array(z.string()), columns: z.array(z.custom<Float64Array>((v) => v instanceof Float64Array, 'a Float64Array')) });
const PayloadSchema = z.object({ reference: MatrixSchema, current: MatrixSchema, options: DomainClassifierOptionsSchema });
export type DomainClassifierPayload = z.input<typeof PayloadSchema>;

/** Worker-thread entry (`ctx.compute`): the payload crossed a thread boundary, so it is parsed first. */
export async function domainClassifierTask(payload: unknown): Promise<DomainClassifierResult> {
  const { reference, current, options } = PayloadSchema.parse(payload);
  return domainClassifier(reference, current, options);
}
