import {
  add, assembleModule, F64, F64_ADD, F64_LOAD, F64_STORE, F64X2_ABS, F64X2_ADD, F64X2_DIV, F64X2_EXTRACT_LANE, F64X2_GE, F64X2_GT, F64X2_MAX,
  F64X2_MUL, F64X2_NEAREST, F64X2_NEG, F64X2_SUB, f64x2, get, I32, i32, I32_ADD, I32_AND, I32_GT_U, I32_LT_U, I32_MUL, I32_SHL,
  I32_SUB, I64X2_ADD, I64X2_SHL, i64x2, IF, EMPTY, END, memory, SELECT, set, tee, V128, V128_BITSELECT, V128_LOAD, V128_LOAD64_SPLAT,
  V128_STORE, whileBelow, type WasmFunction,
} from '../wasm/wasmAssembly.js';
import { z } from 'zod';
import { compileWasm, instantiateWasm, isWasmMemory, sharedWasmMemory, WASM_MEMORY_LIMIT, type WasmMemory } from '../wasm/wasmRuntime.js';
import { NodeError } from '../../node/nodeError.js';

/**
 * The data term of binary logistic regression (Σ_i w_i·(log(1 + e^z_i) − y_i·z_i) and its
 * gradient) as a WebAssembly kernel with 128-bit SIMD, two rows per instruction. It is the
 * hot loop of every L-BFGS evaluation: in JavaScript the multiply-adds ran one row at a time
 * and `Math.exp` + `Math.log1p` cost a call each per row; here e^x and log(1 + x) are
 * polynomials over both lanes at once, about 3× less CPU per evaluation in all.
 *
 * Rows go in blocks of `BLOCK` (kept in L1): scores from the feature columns four at a time,
 * then residuals in place, then the gradient four columns at a time, as the JavaScript loop
 * did. The features live column by column in a shared WebAssembly memory (so worker threads
 * read them in place), each column padded to an even length with zeros.
 */

const BLOCK = 512;
const BLOCK_BYTES = BLOCK * 8;

const byteCount = z.int().min(0);

/**
 * The training rows packed into a shared WebAssembly memory, with scratch for `slotCount`
 * concurrent callers. A schema, because worker threads receive it structured-cloned.
 */
export const PackedBinaryLogisticSchema = z.object({
  kind: z.literal('packed'),
  memory: z.custom<WasmMemory>(isWasmMemory, 'a shared WebAssembly memory'),
  rows: byteCount,
  features: byteCount,
  /** Bytes from one column to the next (rows rounded up to even, × 8). */
  stride: byteCount,
  /** Byte addresses: column 0, labels (float64 0/1), weights (0 when all rows weigh 1), the first slot. */
  columns: byteCount,
  labels: byteCount,
  weights: byteCount,
  slots: byteCount,
  /** Slot s (scratch block, parameters, gradient) is at `slots + s·slotBytes`. */
  slotCount: byteCount,
  slotBytes: byteCount,
});
export type PackedBinaryLogistic = z.infer<typeof PackedBinaryLogisticSchema>;

/** Taylor coefficients 1/i! of e^r, i = 0..13: below an ulp of error for |r| ≤ ln2/2. */
const EXP_COEFFICIENTS = Array.from({ length: 14 }, (_, i) => 1 / Array.from({ length: i }, (__, j) => j + 1).reduce((a, b) => a * b, 1));
/** 1/(2k+1), k = 0..10: log(u) = 2s·Σ_k s^2k/(2k+1), s = (u − 1)/(u + 1), |s| ≤ 0.172. */
const ATANH_COEFFICIENTS = Array.from({ length: 11 }, (_, k) => 1 / (2 * k + 1));

const splat = (value: number): number[] => f64x2(value, value);

/**
 * e^x for both lanes of x ≤ 0 (clamped at −708): x = k·ln2 + r, |r| ≤ ln2/2, e^r by a degree-13
 * polynomial (Estrin), times 2^k built from exponent bits (k + 1.5·2^52 holds k in its low
 * bits; adding 1023 and shifting by 52 makes the float 2^k). Within about 2 ulps of Math.exp.
 */
function exp2Lanes(x: number[], [K, R, R2, R4]: readonly [number, number, number, number]): number[] {
  const c = EXP_COEFFICIENTS;
  const pair = (i: number): number[] => [...splat(c[i]!), ...splat(c[i + 1]!), ...get(R), ...F64X2_MUL, ...F64X2_ADD];
  return [
    ...x, ...splat(-708), ...F64X2_MAX, ...tee(R),
    ...splat(Math.LOG2E), ...F64X2_MUL, ...F64X2_NEAREST, ...set(K),
    ...get(R), ...get(K), ...splat(6.93147180369123816490e-1), ...F64X2_MUL, ...F64X2_SUB, ...get(K), ...splat(1.90821492927058770002e-10), ...F64X2_MUL, ...F64X2_SUB, ...set(R),
    ...get(R), ...get(R), ...F64X2_MUL, ...tee(R2), ...get(R2), ...F64X2_MUL, ...set(R4),
    ...pair(0), ...pair(2), ...get(R2), ...F64X2_MUL, ...F64X2_ADD,
    ...pair(4), ...pair(6), ...get(R2), ...F64X2_MUL, ...F64X2_ADD, ...get(R4), ...F64X2_MUL, ...F64X2_ADD,
    ...pair(8), ...pair(10), ...get(R2), ...F64X2_MUL, ...F64X2_ADD, ...pair(12), ...get(R4), ...F64X2_MUL, ...F64X2_ADD,
    ...get(R4), ...get(R4), ...F64X2_MUL, ...F64X2_MUL, ...F64X2_ADD,
    ...get(K), ...splat(6755399441055744), ...F64X2_ADD, ...i64x2(1023n, 1023n), ...I64X2_ADD, ...i32(52), ...I64X2_SHL,
    ...F64X2_MUL,
  ];
}

/**
 * log(1 + e) for both lanes of e in (0, 1], without forming 1 + e (which would drop e's low
 * bits): u = 1 + e is taken as is (s = e/(2 + e)) or halved past √2 (s = (e − 1)/(e + 3), plus
 * ln 2), so |s| ≤ 0.172 and the atanh series to s^21 is below an ulp.
 */
function log1p2Lanes(e: number, [BIG, S, Q, P]: readonly [number, number, number, number]): number[] {
  const c = ATANH_COEFFICIENTS;
  const horner: number[] = [...splat(c[c.length - 1]!)];
  for (let k = c.length - 2; k >= 0; k--) horner.push(...get(Q), ...F64X2_MUL, ...splat(c[k]!), ...F64X2_ADD);
  return [
    ...get(e), ...splat(Math.SQRT2 - 1), ...F64X2_GT, ...set(BIG),
    ...get(e), ...splat(1), ...F64X2_SUB, ...get(e), ...get(BIG), ...V128_BITSELECT,
    ...get(e), ...splat(3), ...F64X2_ADD, ...get(e), ...splat(2), ...F64X2_ADD, ...get(BIG), ...V128_BITSELECT,
    ...F64X2_DIV, ...tee(S), ...get(S), ...F64X2_MUL, ...set(Q),
    ...horner, ...set(P),
    ...get(S), ...get(S), ...F64X2_ADD, ...get(P), ...F64X2_MUL,
    ...splat(Math.LN2), ...splat(0), ...get(BIG), ...V128_BITSELECT, ...F64X2_ADD,
  ];
}

/**
 * binaryLoss(columns, stride, d, labels, weights, params, from, to, scratch, gradient) → loss:
 *   for each block of rows [b, b + len) in [from, to), `from` even:
 *     scratch[i] = params[d] + Σ_j params[j]·x_j[b + i]                      (scores, two rows a step)
 *     z = scratch[i];  w = weights ? weights[b + i] : 1   (0 for the padding row past an odd `to`)
 *     loss += w·(max(z, 0) + log(1 + e^−|z|) − y·z);  scratch[i] = w·(σ(z) − y)   (residuals)
 *     gradient[j] += Σ_i scratch[i]·x_j[b + i];  gradient[d] += Σ_i scratch[i]
 * Lanes are summed at the end, so the result rounds differently from a row-by-row loop.
 */
function binaryLossFunction(): Omit<WasmFunction, 'exportName'> {
  const [COLUMNS, STRIDE, D, LABELS, WEIGHTS, PARAMS, FROM, TO, SCRATCH, GRADIENT] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [BLOCK_START, LEN_BYTES, PAIRS_BYTES, O, J, COLUMN, J4, ROW_BYTES] = [10, 11, 12, 13, 14, 15, 16, 17];
  const [LOSS, INTERCEPT, W0, W1, W2, W3, Z, A, E, K, R, R2, R4, LABEL, BIG, S, Q, P, RESIDUAL, MASK] = [18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37];
  const [ACC0, ACC1, ACC2, ACC3] = [38, 39, 40, 41];
  const column = (k: number): number[] => [...get(COLUMN), ...(k > 0 ? [...get(STRIDE), ...i32(k), I32_MUL, I32_ADD] : []), ...get(O), I32_ADD, ...memory(V128_LOAD, 3, 0)];
  const weightSplat = (k: number): number[] => [...get(PARAMS), ...get(J), ...i32(k), I32_ADD, ...i32(3), I32_SHL, I32_ADD, ...memory(V128_LOAD64_SPLAT, 3, 0)];
  const columnAt = [...get(COLUMNS), ...get(J), ...get(STRIDE), I32_MUL, I32_ADD, ...get(ROW_BYTES), I32_ADD, ...set(COLUMN)];
  const scratchAt = [...get(SCRATCH), ...get(O), I32_ADD];
  const sumLanes = (v: number): number[] => [...get(v), ...F64X2_EXTRACT_LANE, 0, ...get(v), ...F64X2_EXTRACT_LANE, 1, F64_ADD];
  const addToGradient = (k: number, acc: number): number[] => [
    ...get(GRADIENT), ...get(J), ...i32(k), I32_ADD, ...i32(3), I32_SHL, I32_ADD, ...tee(O),
    ...get(O), ...memory(F64_LOAD, 3, 0), ...sumLanes(acc), F64_ADD, ...memory(F64_STORE, 3, 0),
  ];
  const zero = splat(0);
  return {
    params: 10,
    result: F64,
    locals: [[8, I32], [24, V128]],
    body: [
      ...get(D), ...get(D), ...i32(3), I32_AND, I32_SUB, ...set(J4),
      ...get(FROM), ...set(BLOCK_START),
      ...whileBelow(BLOCK_START, get(TO), [
        // LEN_BYTES: rows in this block × 8; PAIRS_BYTES: the same rounded up to whole pairs.
        ...get(TO), ...get(BLOCK_START), I32_SUB, ...i32(BLOCK), ...get(TO), ...get(BLOCK_START), I32_SUB, ...i32(BLOCK), I32_LT_U, SELECT,
        ...i32(3), I32_SHL, ...tee(LEN_BYTES), ...i32(8), I32_ADD, ...i32(-16), I32_AND, ...set(PAIRS_BYTES),
        ...get(BLOCK_START), ...i32(3), I32_SHL, ...set(ROW_BYTES),
        // Scores: the intercept, then four columns per pass over the block.
        ...i32(0), ...set(O),
        ...get(PARAMS), ...get(D), ...i32(3), I32_SHL, I32_ADD, ...memory(V128_LOAD64_SPLAT, 3, 0), ...set(Z),
        ...whileBelow(O, get(PAIRS_BYTES), [...scratchAt, ...get(Z), ...memory(V128_STORE, 3, 0), ...add(O, i32(16))]),
        ...i32(0), ...set(J),
        ...whileBelow(J, get(J4), [
          ...weightSplat(0), ...set(W0), ...weightSplat(1), ...set(W1), ...weightSplat(2), ...set(W2), ...weightSplat(3), ...set(W3),
          ...columnAt,
          ...i32(0), ...set(O),
          ...whileBelow(O, get(PAIRS_BYTES), [
            ...scratchAt,
            ...scratchAt, ...memory(V128_LOAD, 3, 0),
            ...get(W0), ...column(0), ...F64X2_MUL, ...F64X2_ADD,
            ...get(W1), ...column(1), ...F64X2_MUL, ...F64X2_ADD,
            ...get(W2), ...column(2), ...F64X2_MUL, ...F64X2_ADD,
            ...get(W3), ...column(3), ...F64X2_MUL, ...F64X2_ADD,
            ...memory(V128_STORE, 3, 0),
            ...add(O, i32(16)),
          ]),
          ...add(J, i32(4)),
        ]),
        ...whileBelow(J, get(D), [
          ...weightSplat(0), ...set(W0),
          ...columnAt,
          ...i32(0), ...set(O),
          ...whileBelow(O, get(PAIRS_BYTES), [
            ...scratchAt, ...scratchAt, ...memory(V128_LOAD, 3, 0), ...get(W0), ...column(0), ...F64X2_MUL, ...F64X2_ADD, ...memory(V128_STORE, 3, 0),
            ...add(O, i32(16)),
          ]),
          ...add(J, i32(1)),
        ]),
        // Residuals in place; the loss and the intercept's gradient accumulate per lane.
        ...i32(0), ...set(O),
        ...whileBelow(O, get(PAIRS_BYTES), [
          // A pair that runs past the block's rows (odd `to`) has its second lane weighed 0.
          ...f64x2(1, 0), ...splat(1), ...get(O), ...i32(16), I32_ADD, ...get(LEN_BYTES), I32_GT_U, SELECT, ...set(MASK),
          ...get(WEIGHTS), IF, EMPTY,
          ...get(WEIGHTS), ...get(ROW_BYTES), I32_ADD, ...get(O), I32_ADD, ...memory(V128_LOAD, 3, 0), ...get(MASK), ...F64X2_MUL, ...set(MASK),
          END,
          ...get(LABELS), ...get(ROW_BYTES), I32_ADD, ...get(O), I32_ADD, ...memory(V128_LOAD, 3, 0), ...set(LABEL),
          ...scratchAt, ...memory(V128_LOAD, 3, 0), ...tee(Z), ...F64X2_ABS, ...set(A),
          ...exp2Lanes([...get(A), ...F64X2_NEG], [K, R, R2, R4]), ...set(E),
          // loss += w·(max(z, 0) + log1p(e) − y·z)
          ...get(LOSS),
          ...get(Z), ...zero, ...F64X2_MAX, ...log1p2Lanes(E, [BIG, S, Q, P]), ...F64X2_ADD, ...get(LABEL), ...get(Z), ...F64X2_MUL, ...F64X2_SUB,
          ...get(MASK), ...F64X2_MUL, ...F64X2_ADD, ...set(LOSS),
          // residual = w·(σ(z) − y), σ(z) = (z ≥ 0 ? 1 : e)/(1 + e)
          ...splat(1), ...get(E), ...get(Z), ...zero, ...F64X2_GE, ...V128_BITSELECT, ...splat(1), ...get(E), ...F64X2_ADD, ...F64X2_DIV,
          ...get(LABEL), ...F64X2_SUB, ...get(MASK), ...F64X2_MUL, ...set(RESIDUAL),
          ...scratchAt, ...get(RESIDUAL), ...memory(V128_STORE, 3, 0),
          ...get(INTERCEPT), ...get(RESIDUAL), ...F64X2_ADD, ...set(INTERCEPT),
          ...add(O, i32(16)),
        ]),
        // Gradient: four columns per pass over the residuals.
        ...i32(0), ...set(J),
        ...whileBelow(J, get(J4), [
          ...zero, ...set(ACC0), ...zero, ...set(ACC1), ...zero, ...set(ACC2), ...zero, ...set(ACC3),
          ...columnAt,
          ...i32(0), ...set(O),
          ...whileBelow(O, get(PAIRS_BYTES), [
            ...scratchAt, ...memory(V128_LOAD, 3, 0), ...set(RESIDUAL),
            ...get(ACC0), ...get(RESIDUAL), ...column(0), ...F64X2_MUL, ...F64X2_ADD, ...set(ACC0),
            ...get(ACC1), ...get(RESIDUAL), ...column(1), ...F64X2_MUL, ...F64X2_ADD, ...set(ACC1),
            ...get(ACC2), ...get(RESIDUAL), ...column(2), ...F64X2_MUL, ...F64X2_ADD, ...set(ACC2),
            ...get(ACC3), ...get(RESIDUAL), ...column(3), ...F64X2_MUL, ...F64X2_ADD, ...set(ACC3),
            ...add(O, i32(16)),
          ]),
          ...addToGradient(0, ACC0), ...addToGradient(1, ACC1), ...addToGradient(2, ACC2), ...addToGradient(3, ACC3),
          ...add(J, i32(4)),
        ]),
        ...whileBelow(J, get(D), [
          ...zero, ...set(ACC0),
          ...columnAt,
          ...i32(0), ...set(O),
          ...whileBelow(O, get(PAIRS_BYTES), [
            ...get(ACC0), ...scratchAt, ...memory(V128_LOAD, 3, 0), ...column(0), ...F64X2_MUL, ...F64X2_ADD, ...set(ACC0),
            ...add(O, i32(16)),
          ]),
          ...addToGradient(0, ACC0),
          ...add(J, i32(1)),
        ]),
        ...add(BLOCK_START, i32(BLOCK)),
      ]),
      ...get(GRADIENT), ...get(D), ...i32(3), I32_SHL, I32_ADD, ...tee(O),
      ...get(O), ...memory(F64_LOAD, 3, 0), ...sumLanes(INTERCEPT), F64_ADD, ...memory(F64_STORE, 3, 0),
      ...sumLanes(LOSS),
    ],
  };
}

let compiled: object | null = null;

type BinaryLoss = (columns: number, stride: number, d: number, labels: number, weights: number, params: number, from: number, to: number, scratch: number, gradient: number) => number;

function binaryLossKernel(memory: WasmMemory): BinaryLoss {
  compiled ??= compileWasm(assembleModule([{ exportName: 'binaryLoss', ...binaryLossFunction() }]));
  const { binaryLoss } = instantiateWasm(compiled, memory, ['binaryLoss'], 'logistic regression kernel');
  return (...args) => Number(binaryLoss(...args));
}

/**
 * Copies the columns, 0/1 labels and weights (null: all 1) into a new shared WebAssembly memory,
 * with scratch for `slotCount` callers at once (one per row shard evaluated in parallel).
 */
export function packBinaryLogistic(columns: readonly Float64Array[], y: Int32Array, weights: Float64Array | null, slotCount: number): PackedBinaryLogistic {
  const rows = y.length;
  const features = columns.length;
  const stride = (rows + (rows & 1)) * 8;
  // Scratch block, parameters, gradient; a multiple of 16 bytes so every slot's block is aligned.
  const slotBytes = BLOCK_BYTES + Math.ceil((features + 1) / 2) * 32;
  const layout = { columns: 0, labels: features * stride, weights: weights ? (features + 1) * stride : 0, slots: (features + (weights ? 2 : 1)) * stride };
  const bytes = layout.slots + slotCount * slotBytes;
  if (bytes > WASM_MEMORY_LIMIT) {
    throw new NodeError(`logistic regression needs ${Math.ceil(bytes / 2 ** 20)} MiB of working memory for ${rows} rows × ${features} features, more than the 4 GiB a WebAssembly memory holds`, {
      hint: 'train on a sample of the rows (a split or sample node before this one), or on fewer features',
    });
  }
  const memory = sharedWasmMemory(bytes);
  const view = new Float64Array(memory.buffer);
  columns.forEach((column, j) => view.set(column, (layout.columns + j * stride) / 8));
  const labels = view.subarray(layout.labels / 8, layout.labels / 8 + rows);
  for (let i = 0; i < rows; i++) labels[i] = y[i]!;
  if (weights) view.set(weights, layout.weights / 8);
  return { kind: 'packed', memory, rows, features, stride, ...layout, slotCount, slotBytes };
}

/**
 * Adds the gradient of rows [start, end) (`start` even) into `gradient` (d + 1 values, the
 * intercept last) and returns their loss, using scratch slot `slot`.
 */
export function binaryLogisticLoss(packed: PackedBinaryLogistic, params: Float64Array, gradient: Float64Array, start: number, end: number, slot: number): number {
  if (start % 2 !== 0 || slot >= packed.slotCount || params.length !== packed.features + 1 || gradient.length !== packed.features + 1) {
    throw new Error('binary logistic kernel: odd start row, unknown slot or wrong parameter count');
  }
  const kernel = binaryLossKernel(packed.memory);
  const base = packed.slots + slot * packed.slotBytes;
  const paramsAt = base + BLOCK_BYTES;
  const gradientAt = paramsAt + params.length * 8;
  const view = new Float64Array(packed.memory.buffer);
  view.set(params, paramsAt / 8);
  view.fill(0, gradientAt / 8, gradientAt / 8 + gradient.length);
  const loss = kernel(packed.columns, packed.stride, packed.features, packed.labels, packed.weights, paramsAt, start, Math.min(end, packed.rows), base, gradientAt);
  for (let i = 0; i < gradient.length; i++) gradient[i] = gradient[i]! + view[gradientAt / 8 + i]!;
  return loss;
}
