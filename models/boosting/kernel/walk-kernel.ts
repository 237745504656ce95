/**
 * Loads the compiled walk of oblivious trees (oblivious-walk.wat → .wasm) into a memory of its own.
 * TypeScript's ES2022 library has no WebAssembly types (they come with the DOM's), so the few used
 * here are declared below.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** See oblivious-walk.wat for the parameters. */
export type Walk = (trees: number, depth: number, k: number, levels: number, leaves: number, ranks: number, sums: number, groups: number, scratch: number) => void;

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}

const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** The compiled module, or null where WebAssembly SIMD is not available (the scorers then walk in JS). */
const compiled = load();

function load(): object | null {
  try {
    return wasm ? new wasm.Module(readFileSync(join(__dirname, 'oblivious-walk.wasm'))) : null;
  } catch {
    return null;
  }
}

export const walkKernelAvailable = compiled !== null;

/** A memory of at least `bytes` bytes, and the walk over it when the kernel is available. */
export function walkKernel(bytes: number, useKernel: boolean): { buffer: ArrayBuffer; walk: Walk | null } {
  const pages = Math.max(1, Math.ceil(bytes / 65_536));
  if (!wasm || !compiled || !useKernel) return { buffer: new ArrayBuffer(pages * 65_536), walk: null };
  const memory = new wasm.Memory({ initial: pages });
  const instance = new wasm.Instance(compiled, { env: { memory } });
  return { buffer: memory.buffer, walk: instance.exports.walk as Walk };
}
