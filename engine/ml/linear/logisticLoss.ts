import { z } from 'zod';
import { binaryLogisticLoss, PackedBinaryLogisticSchema, type PackedBinaryLogistic } from './binaryLogisticKernel.js';

/**
 * The data term of logistic regression: Σ_i w_i · loss_i and its gradient, over a range of rows,
 * for the binary model (one coefficient vector, the log-odds of class 1: the WebAssembly kernel
 * in `binaryLogisticKernel.ts`) and the multinomial one (one vector per class, softmax: the
 * JavaScript loop below). Parameters are laid out per output as [coef_0..coef_d-1, intercept],
 * outputs one after another.
 *
 * Multinomial rows are processed in blocks: the block's scores are built from the feature columns (streaming
 * multiply-adds over contiguous memory, four columns per pass so the scores are loaded and stored
 * a quarter as often: 1.7× faster than one column per pass), then turned into residuals, then
 * folded into the gradient, again four columns per pass, while the block is still in cache. No
 * allocation per call beyond the scratch the caller passes.
 */
export type LogisticData = PackedBinaryLogistic | MultinomialData;

export interface MultinomialData {
  kind: 'columns';
  columns: readonly Float64Array[];
  /** Class index per row (0/1 for binary). */
  y: Int32Array;
  /** Per-row weights (sample weight × class weight); null when all are 1. */
  weights: Float64Array | null;
  /** The number of classes (3 or more). */
  outputs: number;
}

export const LOSS_BLOCK = 1024;

/**
 * Scratch for one caller of `logisticLoss`: a slot of the packed binary data (one per row shard
 * evaluated at once), or the scores (then residuals) of one block for every class.
 */
export type LossScratch = { slot: number } | { block: Float64Array };

export function lossScratch(data: LogisticData, slot: number): LossScratch {
  return data.kind === 'packed' ? { slot } : { block: new Float64Array(data.outputs * LOSS_BLOCK) };
}

/** Adds the gradient of rows [start, end) into `gradient` and returns their loss. */
export function logisticLoss(data: LogisticData, params: Float64Array, gradient: Float64Array, start: number, end: number, scratch: LossScratch): number {
  if (data.kind === 'packed') {
    if (!('slot' in scratch)) throw new Error('binary logistic loss needs a scratch slot');
    return binaryLogisticLoss(data, params, gradient, start, end, scratch.slot);
  }
  if (!('block' in scratch)) throw new Error('multinomial logistic loss needs a scratch block');
  return multinomialLoss(data, params, gradient, start, end, scratch.block);
}

export interface LogisticShardPayload {
  /** Best in SharedArrayBuffers: then posting the payload to a worker copies no rows. */
  data: LogisticData;
  params: Float64Array;
  start: number;
  end: number;
  /** The packed data's scratch slot this shard may use (distinct per concurrent shard). */
  slot: number;
}

export interface LogisticShardResult {
  loss: number;
  gradient: Float64Array;
}

const ShardPayloadSchema = z.object({
  data: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('columns'),
      columns: z.array(z.instanceof(Float64Array)),
      y: z.instanceof(Int32Array),
      weights: z.instanceof(Float64Array).nullable(),
      outputs: z.int().min(2),
    }),
    PackedBinaryLogisticSchema,
  ]),
  params: z.instanceof(Float64Array),
  start: z.int().min(0),
  end: z.int().min(0),
  slot: z.int().min(0),
});

/**
 * One row range's data term and gradient: the worker-thread entry point of
 * `fitLogisticRegressionSharded` (the payload arrives structured-cloned, so it is checked).
 */
export function logisticShard(payload: unknown): LogisticShardResult {
  const { data, params, start, end, slot } = ShardPayloadSchema.parse(payload);
  if (data.kind === 'columns' && (data.columns.some((column) => column.length !== data.y.length) || (data.weights && data.weights.length !== data.y.length))) {
    throw new Error('logistic loss shard: columns, labels and weights differ in length');
  }
  const gradient = new Float64Array(params.length);
  const rows = data.kind === 'packed' ? data.rows : data.y.length;
  const loss = logisticLoss(data, params, gradient, start, Math.min(end, rows), lossScratch(data, slot));
  return { loss, gradient };
}

function multinomialLoss(data: MultinomialData, params: Float64Array, gradient: Float64Array, start: number, end: number, scratch: Float64Array): number {
  const { columns, y, weights, outputs: k } = data;
  const d = columns.length;
  const stride = d + 1;
  let loss = 0;
  for (let from = start; from < end; from += LOSS_BLOCK) {
    const len = Math.min(LOSS_BLOCK, end - from);
    // scratch[c·BLOCK + i]: score of class c for row i, then its residual.
    for (let c = 0; c < k; c++) {
      scratch.fill(params[c * stride + d]!, c * LOSS_BLOCK, c * LOSS_BLOCK + len);
      addScores(columns, params, c * stride, from, len, scratch, c * LOSS_BLOCK);
    }
    for (let i = 0; i < len; i++) {
      let max = -Infinity;
      for (let c = 0; c < k; c++) {
        const z = scratch[c * LOSS_BLOCK + i]!;
        if (z > max) max = z;
      }
      const label = y[from + i]!;
      const weight = weights === null ? 1 : weights[from + i]!;
      const labelScore = scratch[label * LOSS_BLOCK + i]!;
      let sum = 0;
      for (let c = 0; c < k; c++) {
        const e = Math.exp(scratch[c * LOSS_BLOCK + i]! - max);
        scratch[c * LOSS_BLOCK + i] = e;
        sum += e;
      }
      // −log softmax_label = log Σ_c e^(z_c − max) − (z_label − max).
      loss += weight * (Math.log(sum) - (labelScore - max));
      const inverse = weight / sum;
      for (let c = 0; c < k; c++) scratch[c * LOSS_BLOCK + i] = scratch[c * LOSS_BLOCK + i]! * inverse;
      scratch[label * LOSS_BLOCK + i] = scratch[label * LOSS_BLOCK + i]! - weight;
    }
    for (let c = 0; c < k; c++) {
      const offset = c * LOSS_BLOCK;
      let interceptSum = 0;
      for (let i = 0; i < len; i++) interceptSum += scratch[offset + i]!;
      gradient[c * stride + d] = gradient[c * stride + d]! + interceptSum;
      addGradient(columns, scratch, offset, from, len, gradient, c * stride);
    }
  }
  return loss;
}

/** scores[at + i] += Σ_j params[first + j] · x_j[from + i] for i < len. */
function addScores(columns: readonly Float64Array[], params: Float64Array, first: number, from: number, len: number, scores: Float64Array, at: number): void {
  const d = columns.length;
  let j = 0;
  for (; j + 3 < d; j += 4) {
    const c0 = columns[j]!;
    const c1 = columns[j + 1]!;
    const c2 = columns[j + 2]!;
    const c3 = columns[j + 3]!;
    const w0 = params[first + j]!;
    const w1 = params[first + j + 1]!;
    const w2 = params[first + j + 2]!;
    const w3 = params[first + j + 3]!;
    for (let i = 0, r = from; i < len; i++, r++) scores[at + i] = scores[at + i]! + w0 * c0[r]! + w1 * c1[r]! + w2 * c2[r]! + w3 * c3[r]!;
  }
  for (; j < d; j++) {
    const c0 = columns[j]!;
    const w0 = params[first + j]!;
    for (let i = 0, r = from; i < len; i++, r++) scores[at + i] = scores[at + i]! + w0 * c0[r]!;
  }
}

/** gradient[first + j] += Σ_i residuals[at + i] · x_j[from + i] for every feature j. */
function addGradient(columns: readonly Float64Array[], residuals: Float64Array, at: number, from: number, len: number, gradient: Float64Array, first: number): void {
  const d = columns.length;
  let j = 0;
  for (; j + 3 < d; j += 4) {
    const c0 = columns[j]!;
    const c1 = columns[j + 1]!;
    const c2 = columns[j + 2]!;
    const c3 = columns[j + 3]!;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let i = 0, r = from; i < len; i++, r++) {
      const v = residuals[at + i]!;
      a0 += v * c0[r]!;
      a1 += v * c1[r]!;
      a2 += v * c2[r]!;
      a3 += v * c3[r]!;
    }
    gradient[first + j] = gradient[first + j]! + a0;
    gradient[first + j + 1] = gradient[first + j + 1]! + a1;
    gradient[first + j + 2] = gradient[first + j + 2]! + a2;
    gradient[first + j + 3] = gradient[first + j + 3]! + a3;
  }
  for (; j < d; j++) {
    const c0 = columns[j]!;
    let a0 = 0;
    for (let i = 0, r = from; i < len; i++, r++) a0 += residuals[at + i]! * c0[r]!;
    gradient[first + j] = gradient[first + j]! + a0;
  }
}
