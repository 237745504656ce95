/**
 * One grown tree in flat arrays, nodes in depth-first order (children after their parent). For a
 * split node `split` is the last bin that goes left (numeric) or the word offset of its left-set
 * bitset in `bitsets` (categorical); for a leaf (feature −1) it is the offset of its class
 * probabilities in `leafValues`.
 */
export interface GrownTree {
  feature: Int32Array;
  split: Int32Array;
  left: Int32Array;
  right: Int32Array;
  leafValues: Float64Array;
  bitsets: Uint32Array;
  /** Per node: 1 when a numeric split sends missing values (NaN) left; the forest's never do. */
  missingLeft: Uint8Array;
  /** Per feature: Σ gain × node weight over this tree's splits (not normalised). */
  importances: Float64Array;
}

/** Collects the nodes of a tree as it is grown. */
export class TreeBuilder {
  private readonly feature: number[] = [];
  private readonly split: number[] = [];
  private readonly left: number[] = [];
  private readonly right: number[] = [];
  private readonly leafValues: number[] = [];
  private readonly bitsets: number[] = [];
  private readonly missingLeft: number[] = [];
  private readonly importances: Float64Array;

  constructor(
    private readonly k: number,
    numFeatures: number,
  ) {
    this.importances = new Float64Array(numFeatures);
  }

  /** Appends a node (a leaf until told otherwise) and links it to its parent; returns its id. */
  addNode(parent: number, isLeft: boolean): number {
    const id = this.feature.length;
    this.feature.push(-1);
    this.split.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.missingLeft.push(0);
    if (parent >= 0) (isLeft ? this.left : this.right)[parent] = id;
    return id;
  }

  setLeaf(id: number, counts: Float64Array, total: number): void {
    this.split[id] = this.leafValues.length;
    for (let c = 0; c < this.k; c++) this.leafValues.push(counts[c]! / total);
  }

  /** Bins ≤ `bin` go left; missing values go left when `missingLeft`. */
  setNumericSplit(id: number, feature: number, bin: number, missingLeft = false): void {
    this.feature[id] = feature;
    this.split[id] = bin;
    this.missingLeft[id] = missingLeft ? 1 : 0;
  }

  /** A leaf of given values (k of them): what a boosted tree's leaf adds to the class margins. */
  setLeafValues(id: number, values: ArrayLike<number>): void {
    this.split[id] = this.leafValues.length;
    for (let c = 0; c < this.k; c++) this.leafValues.push(values[c]!);
  }

  /** Copies the left set (bits 0..arity) of a categorical split. */
  setCategoricalSplit(id: number, feature: number, bits: Uint32Array, arity: number): void {
    this.feature[id] = feature;
    this.split[id] = this.bitsets.length;
    const words = Math.ceil((arity + 1) / 32);
    for (let w = 0; w < words; w++) this.bitsets.push(bits[w]!);
  }

  addImportance(feature: number, amount: number): void {
    this.importances[feature] = this.importances[feature]! + amount;
  }

  build(): GrownTree {
    return {
      feature: Int32Array.from(this.feature),
      split: Int32Array.from(this.split),
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      leafValues: Float64Array.from(this.leafValues),
      bitsets: Uint32Array.from(this.bitsets),
      missingLeft: Uint8Array.from(this.missingLeft),
      importances: this.importances,
    };
  }
}

/** The buffers of a grown tree, to transfer it from a worker thread instead of copying it. */
export function grownTreeBuffers(tree: GrownTree): ArrayBuffer[] {
  const { feature, split, left, right, leafValues, bitsets, missingLeft, importances } = tree;
  return [feature, split, left, right, leafValues, bitsets, missingLeft, importances].map((a) => a.buffer);
}
