/**
 * Compiles oblivious-walk.wat into oblivious-walk.wasm (`npm run build:kernel`), the binary the scorer
 * loads; oblivious-trees.test.ts checks that the committed binary is what the source compiles to.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import wabt from 'wabt';

export const kernelSource = join(__dirname, 'oblivious-walk.wat');
export const kernelBinary = join(__dirname, 'oblivious-walk.wasm');

export async function compileKernel(): Promise<Uint8Array> {
  const w = await wabt();
  const module = w.parseWat('oblivious-walk.wat', readFileSync(kernelSource, 'utf8'), { simd: true });
  try {
    module.validate();
    return module.toBinary({ log: false, write_debug_names: false }).buffer;
  } finally {
    module.destroy();
  }
}

if (require.main === module) {
  void compileKernel().then((bytes) => {
    writeFileSync(kernelBinary, bytes);
    console.log(`${kernelBinary}: ${bytes.length} bytes`);
  });
}
