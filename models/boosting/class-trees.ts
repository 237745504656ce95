/**
 * One round's trees, one per class, each grown on its class's gradients and added to that class's
 * margins. The trees of a round depend only on the gradients computed before it, so they can grow side
 * by side: on the calling thread (`ClassTreeGrowers`) or on worker threads (class-tree-worker.ts), the
 * same function either way, over buffers that are shared with the workers.
 */
import type { BinnedData } from '../forest/binning';
import type { GrownTree } from '../forest/tree-builder';
import { GradientTreeGrower, type GradientTreeParams } from './gradient-tree-grower';

/** What every grower of a training reads and writes: per round the gradients, the row sample and the margins. */
export interface RoundBuffers {
  /** Per class, per row. */
  grad: Float64Array[];
  hess: Float64Array[];
  /** The round's rows (increasing), the first `m` of the job. */
  sample: Uint32Array;
  /** The rows out of the sample (its other training rows and the validation rows), the first `o` of the job. */
  others: Uint32Array;
  /** Row-major n×k; the tree of class c writes column c only, so trees of one round never write the same cell. */
  margins: Float64Array;
  /** Set by a worker after it wrote margins, read before they are: it orders those writes before the reads. */
  fence: Int32Array;
}

/** One class's tree of one round. */
export interface ClassTreeJob {
  cls: number;
  m: number;
  o: number;
  /** The features this tree may split on. */
  features: Int32Array;
}

export interface ClassTreeInit {
  data: BinnedData;
  params: GradientTreeParams;
  buffers: RoundBuffers;
}

/** Grows one job's tree and adds its leaf values to its class's margins of every row. */
export function growClassTree(grower: GradientTreeGrower, init: ClassTreeInit, job: ClassTreeJob): GrownTree {
  const { data, buffers } = init;
  const { cls: c } = job;
  const k = data.numClasses;
  const tree = grower.grow(buffers.sample, job.m, buffers.grad[c]!, buffers.hess[c]!, c, job.features);
  // The rows the tree grew on sit in its leaves already; the others (out of the sample, validation) walk it.
  grower.addToGrownRows(buffers.margins, k, c);
  addTree(tree, data, buffers.others.subarray(0, job.o), buffers.margins, k, c);
  Atomics.store(buffers.fence, 0, 1);
  return tree;
}

/** Adds a tree's leaf values (class c) to the margins of the given rows, walking the tree on the bins. */
function addTree(tree: GrownTree, data: BinnedData, rows: Uint32Array, margins: Float64Array, k: number, c: number): void {
  const { feature, split, left, right, bitsets, missingLeft, leafValues } = tree;
  const { columns, numBins, categorical } = data;
  for (const r of rows) {
    let i = 0;
    for (let f = feature[0]!; f >= 0; f = feature[i]!) {
      const b = columns[f]![r]!;
      const s = split[i]!;
      const goesLeft = categorical[f] ? (bitsets[s + (b >>> 5)]! >>> (b & 31)) & 1 : b === numBins[f]! - 1 ? missingLeft[i]! : Number(b <= s);
      i = goesLeft ? left[i]! : right[i]!;
    }
    margins[r * k + c] = margins[r * k + c]! + leafValues[split[i]! + c]!;
  }
}

/** Round buffers over SharedArrayBuffers when worker threads will share them. */
export function roundBuffers(n: number, k: number, shared: boolean): RoundBuffers {
  const alloc = (bytes: number): ArrayBufferLike => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  return {
    grad: Array.from({ length: k }, () => new Float64Array(alloc(8 * n))),
    hess: Array.from({ length: k }, () => new Float64Array(alloc(8 * n))),
    sample: new Uint32Array(alloc(4 * n)),
    others: new Uint32Array(alloc(4 * n)),
    margins: new Float64Array(alloc(8 * n * k)),
    fence: new Int32Array(alloc(4)),
  };
}
