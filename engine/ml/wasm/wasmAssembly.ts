/**
 * Just enough of the WebAssembly binary format to write small numeric kernels by hand: opcodes,
 * LEB128 immediates, a few control-flow shapes, and a module of exported functions over one
 * imported shared memory. The engine has no WebAssembly toolchain, and its kernels are short
 * enough that assembling them here (pseudo-code beside each body) is the simpler dependency.
 */

// Value types and opcodes (WebAssembly core spec, binary format).
export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;
export const BLOCK = 0x02;
const LOOP = 0x03;
export const IF = 0x04;
export const ELSE = 0x05;
export const EMPTY = 0x40;
export const END = 0x0b;
const BR_IF = 0x0d;
export const SELECT = 0x1b;
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
export const I32_LOAD = 0x28;
export const I64_LOAD = 0x29;
export const F32_LOAD = 0x2a;
export const F64_LOAD = 0x2b;
export const I32_LOAD8_U = 0x2d;
export const I32_STORE = 0x36;
export const I64_STORE = 0x37;
export const F32_STORE = 0x38;
export const F64_STORE = 0x39;
export const I32_STORE8 = 0x3a;
const I32_CONST = 0x41;
export const I64_CONST = 0x42;
const F64_CONST = 0x44;
export const I32_EQZ = 0x45;
export const I32_LT_U = 0x49;
export const I32_GT_U = 0x4b;
export const I32_LE_U = 0x4d;
const I32_GE_U = 0x4f;
export const I32_ADD = 0x6a;
export const I32_SUB = 0x6b;
export const I32_MUL = 0x6c;
export const I32_AND = 0x71;
export const I32_SHL = 0x74;
export const I32_SHR_U = 0x76;
export const I64_ADD = 0x7c;
export const I64_SHL = 0x86;
export const F64_ABS = 0x99;
export const F64_NEG = 0x9a;
export const F64_NEAREST = 0x9e;
export const F64_ADD = 0xa0;
export const F64_SUB = 0xa1;
export const F64_MUL = 0xa2;
export const F64_DIV = 0xa3;
export const F64_MIN = 0xa4;
export const F64_MAX = 0xa5;
export const I64_TRUNC_F64_S = 0xb0;
export const F32_DEMOTE_F64 = 0xb6;
export const F64_CONVERT_I32_U = 0xb8;
export const F64_PROMOTE_F32 = 0xbb;
export const F64_REINTERPRET_I64 = 0xbf;

/** SIMD instructions (0xfd prefix, then the opcode as LEB128). */
const simd = (op: number): number[] => [0xfd, ...unsigned(op)];
export const V128_LOAD = simd(0x00);
export const V128_LOAD64_SPLAT = simd(0x0a);
export const V128_STORE = simd(0x0b);
export const F64X2_EXTRACT_LANE = simd(0x21);
export const V128_BITSELECT = simd(0x52);
export const F64X2_GT = simd(0x4a);
export const F64X2_GE = simd(0x4c);
export const F64X2_NEAREST = simd(0x94);
export const I64X2_SHL = simd(0xcb);
export const I64X2_ADD = simd(0xce);
export const F64X2_ABS = simd(0xec);
export const F64X2_NEG = simd(0xed);
export const F64X2_ADD = simd(0xf0);
export const F64X2_SUB = simd(0xf1);
export const F64X2_MUL = simd(0xf2);
export const F64X2_DIV = simd(0xf3);
export const F64X2_MAX = simd(0xf5);

export function unsigned(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

export function signed(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

export const vector = (items: number[][]): number[] => [...unsigned(items.length), ...items.flat()];
const name = (text: string): number[] => [...unsigned(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];
const section = (id: number, bytes: number[]): number[] => [id, ...unsigned(bytes.length), ...bytes];
export const get = (local: number): number[] => [LOCAL_GET, ...unsigned(local)];
export const set = (local: number): number[] => [LOCAL_SET, ...unsigned(local)];
export const tee = (local: number): number[] => [LOCAL_TEE, ...unsigned(local)];
export const i32 = (value: number): number[] => [I32_CONST, ...signed(value)];
export const f64 = (value: number): number[] => [F64_CONST, ...new Uint8Array(Float64Array.of(value).buffer)];
/** v128.const of two float64 lanes. */
export const f64x2 = (low: number, high: number): number[] => [...simd(0x0c), ...new Uint8Array(Float64Array.of(low, high).buffer)];
/** v128.const of two int64 lanes. */
export const i64x2 = (low: bigint, high: bigint): number[] => [...simd(0x0c), ...new Uint8Array(BigInt64Array.of(low, high).buffer)];
/** A load or store with its alignment (log2 bytes) and constant offset. */
export const memory = (op: number | number[], align: number, offset: number): number[] => [...(typeof op === 'number' ? [op] : op), ...unsigned(align), ...unsigned(offset)];
export const add = (local: number, amount: number[]): number[] => [...get(local), ...amount, I32_ADD, ...set(local)];
/** while (counter < limit) { body } — as block/loop with the test at both ends. */
export const whileBelow = (counter: number, limit: number[], body: number[]): number[] => [
  BLOCK, EMPTY, ...get(counter), ...limit, I32_GE_U, BR_IF, 0,
  LOOP, EMPTY, ...body, ...get(counter), ...limit, I32_LT_U, BR_IF, 0, END,
  END,
];

/** One exported function: `params` i32 parameters, locals as (count, type) groups, an optional result type. */
export interface WasmFunction {
  exportName: string;
  params: number;
  locals: Array<[count: number, type: number]>;
  body: number[];
  result?: number;
}

/** A module exporting `functions`, all over one imported shared memory `env.memory` of at most 4 GiB. */
export function assembleModule(functions: readonly WasmFunction[]): Uint8Array {
  const types = functions.map((fn) => [0x60, ...vector(Array.from({ length: fn.params }, () => [I32])), ...(fn.result === undefined ? vector([]) : vector([[fn.result]]))]);
  const bodies = functions.map((fn) => {
    const code = [...vector(fn.locals.map(([count, type]) => [...unsigned(count), type])), ...fn.body, END];
    return [...unsigned(code.length), ...code];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector(types)),
    // Imports a shared memory of at most 4 GiB (min 1 page).
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x03, ...unsigned(1), ...unsigned(65536)]])),
    ...section(3, vector(functions.map((_, i) => unsigned(i)))),
    ...section(7, vector(functions.map((fn, i) => [...name(fn.exportName), 0x00, ...unsigned(i)]))),
    ...section(10, vector(bodies)),
  ]);
}
