import seedrandom from 'seedrandom';

/**
 * The seeded source of every golden-vector case: seedrandom's ARC4 generator is stable across versions
 * and platforms, so a (seed, generator version) pair regenerates the same cases byte for byte.
 */
export class CaseRandom {
  private readonly rng: seedrandom.PRNG;
  constructor(seed: string) {
    this.rng = seedrandom(seed);
  }
  /** uniform in [0, 1) */
  next(): number {
    return this.rng.double();
  }
  /** integer in [lo, hi] */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  uint32(): number {
    return this.rng.int32() >>> 0;
  }
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T;
  }
  /** standard normal (Box-Muller) */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
}
