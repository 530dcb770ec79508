/**
 * The parts of the WebAssembly API the kernels use. TypeScript declares `WebAssembly` only in its
 * DOM library, which the engine does not load, so the global is looked up and checked at run time.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}

function isWasmApi(value: unknown): value is WasmApi {
  if (typeof value !== 'object' || value === null) return false;
  return ['Memory', 'Module', 'Instance'].every((key) => typeof Reflect.get(value, key) === 'function');
}

function wasmApi(): WasmApi {
  const api: unknown = Reflect.get(globalThis, 'WebAssembly');
  if (!isWasmApi(api)) throw new Error('this JavaScript runtime has no WebAssembly');
  return api;
}

/** Bytes a WebAssembly memory may hold (4 GiB minus a page of headroom). */
export const WASM_MEMORY_LIMIT = 65535 * 65536;

/** A shared WebAssembly memory of at least `bytes` (whole 64 KiB pages, fixed size). */
export function sharedWasmMemory(bytes: number): WasmMemory {
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  return new (wasmApi().Memory)({ initial: pages, maximum: pages, shared: true });
}

export function isWasmMemory(value: unknown): value is WasmMemory {
  return value instanceof wasmApi().Memory;
}

/** A compiled module (compile once per thread, instantiate once per memory). */
export function compileWasm(bytes: Uint8Array): object {
  return new (wasmApi().Module)(bytes);
}

/** The module's exports over `memory`, each looked up by name and checked to be a function. */
export function instantiateWasm<K extends string>(module: object, memory: WasmMemory, names: readonly K[], what: string): Record<K, (...args: number[]) => unknown> {
  const instance = new (wasmApi().Instance)(module, { env: { memory } });
  const out: Partial<Record<K, (...args: number[]) => unknown>> = {};
  for (const key of names) {
    const fn: unknown = instance.exports[key];
    if (typeof fn !== 'function') throw new Error(`${what}: export ${key} missing`);
    out[key] = (...args: number[]): unknown => fn(...args);
  }
  return out as Record<K, (...args: number[]) => unknown>;
}
