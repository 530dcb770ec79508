/**
 * The three inner loops of boosting as a small WebAssembly module: histogram building, and the
 * two passes of a partition. They run over a WebAssembly.Memory holding the binned codes, row
 * ids and gradients "in node order" (see `boostingWorkspace.ts`), so every loop reads memory
 * sequentially: about 1 ns per row and feature for a histogram, where a JavaScript loop over
 * rows scattered in memory took 4–5. The module is assembled here byte by byte — it is short, and
 * the engine has no WebAssembly toolchain. Pseudo-code of each function is next to its body;
 * results are bit-identical to the straightforward loops (same order of additions), which the
 * tests check.
 */

import {
  add, assembleModule, ELSE, EMPTY, END, F32_DEMOTE_F64, F32_LOAD, F32_STORE, F64, f64, F64_ABS, F64_ADD, F64_CONVERT_I32_U, F64_LOAD,
  F64_MAX, F64_MIN, F64_MUL, F64_NEAREST, F64_NEG, F64_PROMOTE_F32, F64_REINTERPRET_I64, F64_STORE, F64_SUB, F64_DIV, get, I32, i32, I32_ADD,
  I32_AND, I32_EQZ, I32_GT_U, I32_LE_U, I32_LOAD, I32_LOAD8_U, I32_MUL, I32_SHL, I32_SHR_U, I32_STORE, I32_STORE8, I32_SUB, I64_ADD, I64_CONST,
  I64_LOAD, I64_SHL, I64_STORE, I64_TRUNC_F64_S, IF, memory, SELECT, set, signed, tee, whileBelow, type WasmFunction,
} from '../wasm/wasmAssembly.js';
import { compileWasm, instantiateWasm, type WasmMemory } from '../wasm/wasmRuntime.js';

export { isWasmMemory, sharedWasmMemory, WASM_MEMORY_LIMIT, type WasmMemory } from '../wasm/wasmRuntime.js';

/** Bytes of one feature's histogram: 256 bins × 2 float64 lanes (Σ gradient, Σ (hessian + K)). */
export const FEATURE_BYTES = 256 * 2 * 8;
const BIN_SHIFT = 4;

/**
 * histograms(codes, stride, f0, f1, gOffset, start, end, hist, packing, constantHessian):
 *   for p in [start, end):                         row p at codes + p·stride: codes, then gradient
 *     gi = f32 at (row + gOffset);  hk = constantHessian ? 1 : |gi|·(1 − |gi|) + packing
 *     for f in [f0, f1) (four at a time, then one at a time):
 *       o = hist + f·4096 + codes[p·stride + f]·16
 *       [o] += gi;  [o+8] += hk
 * The second lane carries the hessian sum and the row count at once (see `boostingHistogram.ts`);
 * the hessian of a log loss is a function of its gradient (see `boostingLoss.ts`), and the
 * gradient sits at the end of the row's codes, in the same cache line.
 */
function histogramsFunction(): Omit<WasmFunction, 'exportName'> {
  const [CODES, STRIDE, F0, F1, G_OFFSET, START, STOP, HIST, PACKING, CONSTANT_HESSIAN] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [P, BASE, F, FEATURE_BASE, O, UNROLLED, GI, HK, K, A] = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
  const update = (lag: number): number[] => [
    ...get(BASE), ...get(F), I32_ADD, ...memory(I32_LOAD8_U, 0, lag),
    ...i32(BIN_SHIFT), I32_SHL, ...get(FEATURE_BASE), I32_ADD, ...(lag > 0 ? [...i32(lag * FEATURE_BYTES), I32_ADD] : []), ...tee(O),
    ...get(O), ...memory(F64_LOAD, 3, 0), ...get(GI), F64_ADD, ...memory(F64_STORE, 3, 0),
    ...get(O), ...get(O), ...memory(F64_LOAD, 3, 8), ...get(HK), F64_ADD, ...memory(F64_STORE, 3, 8),
  ];
  const advance = (step: number): number[] => [...add(FEATURE_BASE, i32(step * FEATURE_BYTES)), ...add(F, i32(step))];
  return {
    params: 10,
    locals: [[6, I32], [4, F64]],
    body: [
      // UNROLLED = f1 − ((f1 − f0) & 3): the end of the four-at-a-time part.
      ...get(F1), ...get(F1), ...get(F0), I32_SUB, ...i32(3), I32_AND, I32_SUB, ...set(UNROLLED),
      ...get(PACKING), F64_CONVERT_I32_U, ...set(K),
      ...f64(1), ...set(HK),
      ...get(START), ...set(P),
      ...whileBelow(P, get(STOP), [
        ...get(P), ...get(STRIDE), I32_MUL, ...get(CODES), I32_ADD, ...set(BASE),
        ...get(BASE), ...get(G_OFFSET), I32_ADD, ...memory(F32_LOAD, 2, 0), F64_PROMOTE_F32, ...tee(GI),
        // a = |gi|; hk = a·(1 − a) + K, in this order (as hessianFromGradient, bit for bit).
        F64_ABS, ...set(A),
        ...get(CONSTANT_HESSIAN), I32_EQZ, IF, EMPTY,
        ...get(A), ...f64(1), ...get(A), F64_SUB, F64_MUL, ...get(K), F64_ADD, ...set(HK),
        END,
        ...get(F0), ...set(F),
        ...get(HIST), ...get(F0), ...i32(FEATURE_BYTES), I32_MUL, I32_ADD, ...set(FEATURE_BASE),
        ...whileBelow(F, get(UNROLLED), [...[0, 1, 2, 3].flatMap(update), ...advance(4)]),
        ...whileBelow(F, get(F1), [...update(0), ...advance(1)]),
        ...add(P, i32(1)),
      ]),
    ],
  };
}

/**
 * mark(codes, stride, feature, table, mask, from, to) → rows going left:
 *   for q in [from, to):  side = table[codes[q·stride + feature]];  mask[q] = side;  left += side
 */
function markFunction(): Omit<WasmFunction, 'exportName'> {
  const [CODES, STRIDE, FEATURE, TABLE, MASK, FROM, TO] = [0, 1, 2, 3, 4, 5, 6];
  const [Q, AT, SIDE, LEFT] = [7, 8, 9, 10];
  return {
    params: 7,
    result: I32,
    locals: [[4, I32]],
    body: [
      ...get(FROM), ...set(Q),
      ...get(FROM), ...get(STRIDE), I32_MUL, ...get(CODES), I32_ADD, ...get(FEATURE), I32_ADD, ...set(AT),
      ...whileBelow(Q, get(TO), [
        ...get(TABLE), ...get(AT), ...memory(I32_LOAD8_U, 0, 0), I32_ADD, ...memory(I32_LOAD8_U, 0, 0), ...set(SIDE),
        ...get(MASK), ...get(Q), I32_ADD, ...get(SIDE), ...memory(I32_STORE8, 0, 0),
        ...add(LEFT, get(SIDE)),
        ...add(AT, get(STRIDE)),
        ...add(Q, i32(1)),
      ]),
      ...get(LEFT),
    ],
  };
}

/**
 * scatter(srcCodes, srcRows, dstCodes, dstRows, stride, mask, from, to, left, right):
 *   for q in [from, to):          stable: left rows from `left` on, right rows from `right` on
 *     at = mask[q] ? left : right
 *     dst row at ← src row q (row id, and the `stride` bytes of codes and gradient, a multiple of 4)
 *     left += mask[q];  right += 1 − mask[q]
 */
function scatterFunction(): Omit<WasmFunction, 'exportName'> {
  const [SRC_CODES, SRC_ROWS, DST_CODES, DST_ROWS, STRIDE, MASK, FROM, TO, LEFT, RIGHT] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [Q, AT, SIDE, W, FROM_CODES, TO_CODES, WORDS] = [10, 11, 12, 13, 14, 15, 16];
  const copy32 = (src: number, dst: number): number[] => [
    ...get(dst), ...get(AT), ...i32(2), I32_SHL, I32_ADD,
    ...get(src), ...get(Q), ...i32(2), I32_SHL, I32_ADD, ...memory(I32_LOAD, 2, 0),
    ...memory(I32_STORE, 2, 0),
  ];
  // Rows are 4-byte aligned; the 8-byte moves say so in their alignment hint.
  const move64 = (offset: number): number[] => [...get(TO_CODES), ...get(FROM_CODES), ...memory(I64_LOAD, 2, offset), ...memory(I64_STORE, 2, offset)];
  return {
    params: 10,
    locals: [[7, I32]],
    body: [
      ...get(STRIDE), ...i32(3), I32_SHR_U, ...set(WORDS),
      ...get(FROM), ...set(Q),
      ...whileBelow(Q, get(TO), [
        ...get(MASK), ...get(Q), I32_ADD, ...memory(I32_LOAD8_U, 0, 0), ...set(SIDE),
        ...get(LEFT), ...get(RIGHT), ...get(SIDE), SELECT, ...set(AT),
        ...copy32(SRC_ROWS, DST_ROWS),
        ...get(Q), ...get(STRIDE), I32_MUL, ...get(SRC_CODES), I32_ADD, ...set(FROM_CODES),
        ...get(AT), ...get(STRIDE), I32_MUL, ...get(DST_CODES), I32_ADD, ...set(TO_CODES),
        // Rows of up to 32 features move in one unrolled step, longer ones 8 bytes at a time.
        ...get(WORDS), ...i32(4), I32_LE_U, IF, EMPTY,
        ...[0, 1, 2, 3].flatMap((word) => [...get(WORDS), ...i32(word), I32_GT_U, IF, EMPTY, ...move64(word * 8), END]),
        ...get(WORDS), ...i32(3), I32_SHL, ...get(FROM_CODES), I32_ADD, ...set(FROM_CODES),
        ...get(WORDS), ...i32(3), I32_SHL, ...get(TO_CODES), I32_ADD, ...set(TO_CODES),
        ELSE,
        ...i32(0), ...set(W),
        ...whileBelow(W, get(WORDS), [...move64(0), ...add(FROM_CODES, i32(8)), ...add(TO_CODES, i32(8)), ...add(W, i32(1))]),
        END,
        // A last 4 bytes when the stride is not a multiple of 8.
        ...get(STRIDE), ...i32(4), I32_AND, IF, EMPTY,
        ...get(TO_CODES), ...get(FROM_CODES), ...memory(I32_LOAD, 2, 0), ...memory(I32_STORE, 2, 0),
        END,
        ...add(LEFT, get(SIDE)),
        ...get(RIGHT), ...i32(1), I32_ADD, ...get(SIDE), I32_SUB, ...set(RIGHT),
        ...add(Q, i32(1)),
      ]),
    ],
  };
}

/** Taylor coefficients 1/i! of e^r, i = 0..13: below an ulp of error for |r| ≤ ln2/2. */
const EXP_COEFFICIENTS = Array.from({ length: 14 }, (_, i) => 1 / Array.from({ length: i }, (__, j) => j + 1).reduce((a, b) => a * b, 1));

/**
 * e^x for x in [−708, 708] (clamped), within about 2 ulps of Math.exp: x = k·ln2 + r with
 * |r| ≤ ln2/2, e^r by a degree-13 polynomial (Estrin's scheme, short dependency chains), times
 * 2^k built from its exponent bits. Leaves the result on the stack; uses locals X, K, R, R2, R4.
 */
function exp(x: number[], [X, K, R, R2, R4]: readonly [number, number, number, number, number]): number[] {
  const c = EXP_COEFFICIENTS;
  const pair = (i: number): number[] => [...f64(c[i]!), ...f64(c[i + 1]!), ...get(R), F64_MUL, F64_ADD];
  return [
    ...x, ...f64(708), F64_MIN, ...f64(-708), F64_MAX, ...set(X),
    ...get(X), ...f64(Math.LOG2E), F64_MUL, F64_NEAREST, ...set(K),
    // r = x − k·ln2, with ln2 split in two for accuracy (fdlibm's constants).
    ...get(X), ...get(K), ...f64(6.93147180369123816490e-1), F64_MUL, F64_SUB, ...get(K), ...f64(1.90821492927058770002e-10), F64_MUL, F64_SUB, ...set(R),
    ...get(R), ...get(R), F64_MUL, ...tee(R2), ...get(R2), F64_MUL, ...set(R4),
    // ((c0 + c1 r) + (c2 + c3 r) r² + ((c4 + c5 r) + (c6 + c7 r) r²) r⁴
    //  + ((c8 + c9 r) + (c10 + c11 r) r² + (c12 + c13 r) r⁴) r⁸) · 2^k
    ...pair(0), ...pair(2), ...get(R2), F64_MUL, F64_ADD,
    ...pair(4), ...pair(6), ...get(R2), F64_MUL, F64_ADD, ...get(R4), F64_MUL, F64_ADD,
    ...pair(8), ...pair(10), ...get(R2), F64_MUL, F64_ADD, ...pair(12), ...get(R4), F64_MUL, F64_ADD,
    ...get(R4), ...get(R4), F64_MUL, F64_MUL, F64_ADD,
    ...get(K), I64_TRUNC_F64_S, ...[I64_CONST, ...signed(1023)], I64_ADD, ...[I64_CONST, ...signed(52)], I64_SHL, F64_REINTERPRET_I64,
    F64_MUL,
  ];
}

/**
 * binaryGradients(raw, labels, records, stride, offset, from, to, sums):
 *   for i in [from, to):
 *     g = f32(1 / (1 + e^−raw[i]) − labels[i])      ;; log-loss gradient on the log-odds
 *     f32 at records + i·stride + offset ← g         ;; into the row's record
 *     Σg += g;  Σh += |g|(1 − |g|)
 *   f64 at sums ← Σg;  f64 at sums + 8 ← Σh
 * (The same formulas as `computeGradients`; Math.exp there, the polynomial above here.)
 */
function binaryGradientsFunction(): Omit<WasmFunction, 'exportName'> {
  const [RAW, LABELS, RECORDS, STRIDE, OFFSET, FROM, TO, SUMS] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [I] = [8];
  const [G, GS, HS, A, X, K, R, R2, R4] = [9, 10, 11, 12, 13, 14, 15, 16, 17];
  return {
    params: 8,
    locals: [[1, I32], [9, F64]],
    body: [
      ...get(FROM), ...set(I),
      ...whileBelow(I, get(TO), [
        ...f64(1), ...f64(1), ...exp([...get(RAW), ...get(I), ...i32(3), I32_SHL, I32_ADD, ...memory(F64_LOAD, 3, 0), F64_NEG], [X, K, R, R2, R4]), F64_ADD, F64_DIV,
        ...get(LABELS), ...get(I), ...i32(3), I32_SHL, I32_ADD, ...memory(F64_LOAD, 3, 0), F64_SUB,
        F32_DEMOTE_F64, F64_PROMOTE_F32, ...set(G),
        ...get(RECORDS), ...get(I), ...get(STRIDE), I32_MUL, I32_ADD, ...get(OFFSET), I32_ADD, ...get(G), F32_DEMOTE_F64, ...memory(F32_STORE, 2, 0),
        ...get(GS), ...get(G), F64_ADD, ...set(GS),
        ...get(G), F64_ABS, ...tee(A), ...f64(1), ...get(A), F64_SUB, F64_MUL, ...get(HS), F64_ADD, ...set(HS),
        ...add(I, i32(1)),
      ]),
      ...get(SUMS), ...get(GS), ...memory(F64_STORE, 3, 0),
      ...get(SUMS), ...get(HS), ...memory(F64_STORE, 3, 8),
    ],
  };
}

function assemble(): Uint8Array {
  return assembleModule([
    { exportName: 'histograms', ...histogramsFunction() },
    { exportName: 'mark', ...markFunction() },
    { exportName: 'scatter', ...scatterFunction() },
    { exportName: 'binaryGradients', ...binaryGradientsFunction() },
  ]);
}

/** The kernels, called with byte addresses into the memory (see each function's pseudo-code). */
export interface WasmKernels {
  histograms(codes: number, stride: number, f0: number, f1: number, gOffset: number, start: number, end: number, hist: number, packing: number, constantHessian: number): void;
  mark(codes: number, stride: number, feature: number, table: number, mask: number, from: number, to: number): number;
  scatter(srcCodes: number, srcRows: number, dstCodes: number, dstRows: number, stride: number, mask: number, from: number, to: number, left: number, right: number): void;
  binaryGradients(raw: number, labels: number, records: number, stride: number, offset: number, from: number, to: number, sums: number): void;
}

let compiled: object | null = null;

/** Instantiates the kernels over a shared memory (once per thread and memory). */
export function wasmKernels(shared: WasmMemory): WasmKernels {
  compiled ??= compileWasm(assemble());
  const { histograms, mark, scatter, binaryGradients } = instantiateWasm(compiled, shared, ['histograms', 'mark', 'scatter', 'binaryGradients'], 'boosting kernels');
  return {
    histograms: (...args) => void histograms(...args),
    mark: (...args) => Number(mark(...args)),
    scatter: (...args) => void scatter(...args),
    binaryGradients: (...args) => void binaryGradients(...args),
  };
}
