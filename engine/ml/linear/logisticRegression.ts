import type { ClassTarget, FeatureMatrix, SampleWeights } from '../dataset.js';
import { NodeError } from '../../node/nodeError.js';
import { minimizeLbfgs, minimizeLbfgsAsync, type LbfgsOptions, type LbfgsResult } from '../optimize/lbfgs.js';
import { columnMeans } from './linearPredictor.js';
import { logisticLoss, lossScratch, type LogisticData, type LogisticShardPayload, type LogisticShardResult } from './logisticLoss.js';
import { LogisticRegressionModel, type LogisticTraining } from './logisticRegressionModel.js';
import { varyingColumns } from './varyingColumns.js';
import { packBinaryLogistic } from './binaryLogisticKernel.js';
import { requireFiniteFeatures, requireSampleWeights } from './validateInputs.js';
import { presentClasses } from '../presentClasses.js';

export interface LogisticRegressionOptions {
  /**
   * Inverse L2 strength, as scikit-learn: minimizes Σ_i w_i·logloss_i + ‖coef‖² / (2C), the
   * intercept not penalized. Default 1.
   */
  C?: number;
  /** Default true. */
  fitIntercept?: boolean;
  /** L-BFGS iterations. Default 1000. */
  maxIterations?: number;
  /**
   * Stops when the largest gradient component of the objective divided by the total weight (so
   * the scale does not grow with the row count) is at most this. Default 1e-4 / total weight:
   * scikit-learn's `tol` 1e-4, which (up to 1.3) it applies to the summed objective, so the two
   * stop after the same iterations.
   */
  tolerance?: number;
  /**
   * Stops when an iteration lowers the objective by less than this fraction of it (scipy's
   * `ftol`, also what ends scikit-learn's fits). Default 2.2e-9; 0 stops only on no progress.
   */
  relativeTolerance?: number;
  sampleWeight?: SampleWeights;
  /** 'balanced' weighs class c by rows / (classes · rows of c), as scikit-learn; or one weight per class of the target. */
  classWeight?: 'balanced' | readonly number[];
  /** After each L-BFGS iteration (progress; throw to cancel). */
  onIteration?: (iteration: number, loss: number) => void;
}

export interface ShardedLogisticOptions extends LogisticRegressionOptions {
  /** How many row ranges to split each evaluation into (about one per core). */
  shards: number;
  /**
   * Runs `logisticShard` (exported by `logisticLoss.ts`) somewhere else, typically
   * `(payload) => ctx.compute(computeTask(url, 'logisticLoss', 'logisticShard'), payload)`.
   */
  runShard: (payload: LogisticShardPayload) => Promise<LogisticShardResult>;
}

/**
 * L2-regularized logistic regression by L-BFGS, the same model as scikit-learn's
 * `LogisticRegression(C, solver='lbfgs')`: binary for two classes, multinomial (softmax, one
 * penalized vector per class) for more. Classes absent from the training rows are left out of
 * the model (its `classes` lists the ones it knows). The objective is scaled by the total weight,
 * which does not move the optimum but keeps `tolerance` meaningful for any row count.
 */
export function fitLogisticRegression(X: FeatureMatrix, target: ClassTarget, options: LogisticRegressionOptions = {}): LogisticRegressionModel {
  const problem = prepareLogistic(X, target, options, 1);
  const scratch = lossScratch(problem.data, 0);
  const result = minimizeLbfgs(
    (params, gradient) => {
      gradient.fill(0);
      return problem.regularize(params, gradient, logisticLoss(problem.data, params, gradient, 0, X.rows, scratch));
    },
    problem.start,
    problem.lbfgs,
  );
  return problem.finish(result);
}

/**
 * `fitLogisticRegression` with every evaluation of the loss split into `shards` row ranges run by
 * `runShard` (worker threads), for big tables on several cores. The columns are copied once into
 * SharedArrayBuffers, so each evaluation sends the workers only the coefficients. Same model as
 * the single-threaded fit up to rounding (the shards' sums are added in a fixed order).
 */
export async function fitLogisticRegressionSharded(X: FeatureMatrix, target: ClassTarget, options: ShardedLogisticOptions): Promise<LogisticRegressionModel> {
  const shards = Math.max(1, Math.min(Math.floor(options.shards), Math.ceil(X.rows / 10_000)));
  const problem = prepareLogistic(X, target, options, shards);
  const data = problem.data;
  const shared: LogisticData = data.kind === 'packed' ? data : {
    kind: 'columns',
    columns: data.columns.map((column) => shareArray(column, Float64Array)),
    y: shareArray(data.y, Int32Array),
    weights: data.weights ? shareArray(data.weights, Float64Array) : null,
    outputs: data.outputs,
  };
  // Even boundaries: the binary kernel takes rows two at a time.
  const bounds = Array.from({ length: shards + 1 }, (_, s) => (s === shards ? X.rows : 2 * Math.round((s * X.rows) / shards / 2)));
  const result = await minimizeLbfgsAsync(
    async (params, gradient) => {
      const parts = await Promise.all(
        Array.from({ length: shards }, (_, s) => options.runShard({ data: shared, params: params.slice(), start: bounds[s]!, end: bounds[s + 1]!, slot: s })),
      );
      gradient.fill(0);
      let loss = 0;
      for (const part of parts) {
        if (typeof part.loss !== 'number' || !(part.gradient instanceof Float64Array) || part.gradient.length !== gradient.length) {
          throw new Error('a logistic loss shard returned a malformed result');
        }
        loss += part.loss;
        for (let i = 0; i < gradient.length; i++) gradient[i] = gradient[i]! + part.gradient[i]!;
      }
      return problem.regularize(params, gradient, loss);
    },
    problem.start,
    problem.lbfgs,
  );
  return problem.finish(result);
}

interface LogisticProblem {
  /** The training data over the columns that vary. */
  data: LogisticData;
  start: Float64Array;
  lbfgs: LbfgsOptions;
  /** Adds the L2 term to the data term and its gradient, scaled per unit of weight. */
  regularize(params: Float64Array, gradient: Float64Array, dataLoss: number): number;
  finish(result: LbfgsResult): LogisticRegressionModel;
}

/** `slots`: how many row shards will evaluate the loss at once. */
function prepareLogistic(X: FeatureMatrix, target: ClassTarget, options: LogisticRegressionOptions, slots: number): LogisticProblem {
  const C = options.C ?? 1;
  const fitIntercept = options.fitIntercept ?? true;
  const n = X.rows;
  if (!(C > 0) || C === Infinity) throw new NodeError(`C must be a positive number, got ${C}`, { param: 'C', hint: 'smaller C = stronger regularization; 1 is a common start' });
  if (target.y.length !== n) throw new Error(`target has ${target.y.length} rows, features have ${n}`);
  requireFiniteFeatures(X.names, X.columns);
  requireSampleWeights(options.sampleWeight, n);

  const { classes, y, weights } = trainingClasses(target, options);
  const outputs = classes.length === 2 ? 1 : classes.length;
  // Constant columns get weight 0 at the optimum; leaving them out also removes the flat
  // direction they share with the intercept, where L-BFGS would crawl.
  const active = varyingColumns(X.columns, weights, fitIntercept);
  const d = active.length;
  const stride = d + 1;
  let totalWeight = 0;
  if (weights) for (let i = 0; i < n; i++) totalWeight += weights[i]!;
  else totalWeight = n;
  const penalty = 1 / C;
  const scale = 1 / totalWeight;
  const onIteration = options.onIteration;

  return {
    data: outputs === 1
      ? packBinaryLogistic(active.map((j) => X.columns[j]!), y, weights, slots)
      : { kind: 'columns', columns: active.map((j) => X.columns[j]!), y, weights, outputs },
    start: new Float64Array(outputs * stride),
    lbfgs: {
      maxIterations: options.maxIterations ?? 1000,
      gradientTolerance: options.tolerance ?? 1e-4 * scale,
      relativeTolerance: options.relativeTolerance ?? 2.220446049250313e-9,
      // scikit-learn (≤ 1.3) runs scipy on the summed loss; this objective is the mean.
      relativeFloor: scale,
      onIteration: onIteration ? (iteration, f) => onIteration(iteration, f) : undefined,
    },
    regularize(params, gradient, dataLoss) {
      let loss = dataLoss;
      for (let k = 0; k < outputs; k++) {
        for (let j = 0; j < d; j++) {
          const w = params[k * stride + j]!;
          loss += 0.5 * penalty * w * w;
          gradient[k * stride + j] = gradient[k * stride + j]! + penalty * w;
        }
        // Without an intercept its gradient is held at 0, so it never leaves its start at 0.
        if (!fitIntercept) gradient[k * stride + d] = 0;
      }
      for (let i = 0; i < gradient.length; i++) gradient[i] = gradient[i]! * scale;
      return loss * scale;
    },
    finish(result) {
      const coefficients = Array.from({ length: outputs }, (_, k) => {
        const row = new Float64Array(X.columns.length);
        active.forEach((j, a) => (row[j] = result.x[k * stride + a]!));
        return row;
      });
      const intercepts = Float64Array.from({ length: outputs }, (_, k) => result.x[k * stride + d]!);
      const training: LogisticTraining = { iterations: result.iterations, converged: result.converged, stop: result.stop, loss: result.f };
      return new LogisticRegressionModel([...X.names], classes, coefficients, intercepts, columnMeans(X.columns, options.sampleWeight), C, training);
    },
  };
}

/** A copy in shared memory (or the array itself if it already is), so workers read it in place. */
function shareArray<T extends Float64Array | Int32Array>(array: T, Type: { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }): T {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const copy = new Type(new SharedArrayBuffer(array.length * Type.BYTES_PER_ELEMENT));
  copy.set(array);
  return copy;
}

/**
 * The classes present in the training rows, the labels re-indexed onto them (binary: 1 = the
 * second class), and the per-row weights (sample weight × class weight; null when all 1).
 */
function trainingClasses(target: ClassTarget, options: LogisticRegressionOptions): { classes: string[]; y: Int32Array; weights: Float64Array | null } {
  const k = target.classes.length;
  const sampleWeight = options.sampleWeight;
  const { present, counts, y, classes } = presentClasses(target);

  let classWeight: Float64Array | null = null;
  if (options.classWeight === 'balanced') {
    const rows = present.reduce((sum, c) => sum + counts[c]!, 0);
    classWeight = Float64Array.from(present, (c) => rows / (present.length * counts[c]!));
  } else if (options.classWeight) {
    const given = options.classWeight;
    if (given.length !== k || given.some((w) => !(w >= 0) || w === Infinity)) {
      throw new NodeError(`class weights need one finite weight ≥ 0 per class (${k}), got ${given.length}`, { param: 'classWeight' });
    }
    classWeight = Float64Array.from(present, (c) => given[c]!);
  }
  let weights: Float64Array | null = null;
  if (sampleWeight || classWeight) {
    weights = new Float64Array(y.length);
    for (let i = 0; i < y.length; i++) weights[i] = (sampleWeight ? sampleWeight[i]! : 1) * (classWeight ? classWeight[y[i]!]! : 1);
  }
  return { classes, y, weights };
}
