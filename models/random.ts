/**
 * A small seeded pseudo-random generator (xoshiro128**, seeded through a 32-bit finaliser), so that
 * every stochastic step of the ML library is reproducible from one integer seed. Independent streams
 * (one per tree, one for binning, …) come from `deriveSeed(seed, ...path)`, never from sharing a
 * generator, so the order in which streams are consumed cannot change any of them.
 */

const twoTo32 = 4294967296;

/** Murmur3's 32-bit finaliser: a bijection that spreads every input bit over the output. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function rotl(v: number, k: number): number {
  return (v << k) | (v >>> (32 - k));
}

function checkSeed(seed: number, what: string): void {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`${what}: expected a safe integer, got ${String(seed)}`);
}

/** Folds a safe integer (any sign, up to 53 bits) into 32 well-mixed bits. */
function foldSeed(seed: number): number {
  const low = seed >>> 0;
  const high = Math.floor(seed / twoTo32) | 0;
  return mix32(low ^ mix32(high + 0x9e3779b9));
}

/**
 * The seed of an independent stream identified by a path of small integers, e.g.
 * `deriveSeed(seed, streams.trees, treeIndex)`. Pure: the same inputs always give the same seed.
 */
export function deriveSeed(seed: number, ...path: number[]): number {
  checkSeed(seed, 'deriveSeed seed');
  let h = foldSeed(seed);
  for (const p of path) {
    checkSeed(p, 'deriveSeed path');
    h = mix32(h ^ mix32(foldSeed(p) + 0x632be5ab));
  }
  return h;
}

export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | null = null;

  constructor(readonly seed: number) {
    checkSeed(seed, 'Random seed');
    // SplitMix-style expansion of the folded seed into the four state words (never all zero).
    let x = foldSeed(seed);
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      return mix32(x);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next() | 1;
  }

  /** A generator for the independent stream `index` of this generator's seed. */
  child(index: number): Random {
    return new Random(deriveSeed(this.seed, index));
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1), 32 bits of resolution. */
  nextFloat(): number {
    return this.nextUint32() / twoTo32;
  }

  /** Uniform integer in [0, n), unbiased (rejection sampling), for 1 ≤ n ≤ 2^32. */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > twoTo32) throw new RangeError(`nextInt: n must be an integer in 1..2^32, got ${n}`);
    const limit = twoTo32 - (twoTo32 % n);
    let v = this.nextUint32();
    while (v >= limit) v = this.nextUint32();
    return v % n;
  }

  /** Standard normal (Box–Muller; the second value of each pair is kept for the next call). */
  nextNormal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = this.nextFloat();
    while (u === 0) u = this.nextFloat();
    const radius = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * this.nextFloat();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** Poisson(lambda) by inversion with one uniform draw; meant for small lambda (bootstrap weights). */
  nextPoisson(lambda: number): number {
    if (!(lambda >= 0 && lambda <= 30)) throw new RangeError(`nextPoisson: lambda must be in 0..30, got ${lambda}`);
    const u = this.nextFloat();
    let k = 0;
    let p = Math.exp(-lambda);
    let cdf = p;
    while (u >= cdf && p > 0) {
      k++;
      p *= lambda / k;
      cdf += p;
    }
    return k;
  }
}
