/**
 * The catalogue's case generators draw from a CaseRandom. A TapeRandom replays a fixed list of draws
 * (a "tape", read left to right, 0 once it runs out), so fast-check can generate a case by generating
 * its tape and shrink a failing case by shrinking the tape: shorter tapes and smaller draws pick the
 * first options, the low ends of ranges and fewer elements.
 */
import fc from 'fast-check';
import { CaseRandom } from '../../cases/random.js';

const SCALE = 2 ** 31;

export class TapeRandom extends CaseRandom {
  private position = 0;
  constructor(private readonly tape: readonly number[]) {
    super('tape');
  }
  override next(): number {
    return (this.tape[this.position++] ?? 0) / SCALE;
  }
  override uint32(): number {
    return Math.floor(this.next() * 2 ** 32) >>> 0;
  }
}

/** Tapes of up to 512 draws, each in [0, 2^31). */
export const tapeArbitrary = fc.array(fc.nat({ max: SCALE - 1 }), { minLength: 1, maxLength: 512, size: 'max' });
