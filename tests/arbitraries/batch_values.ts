import fc from 'fast-check';
import { anyFloat32, moderateFloat32, specialFloat32 } from './float32.js';

const finiteOrInfiniteValue = fc.oneof(
  { weight: 8, arbitrary: moderateFloat32(300) },
  { weight: 1, arbitrary: specialFloat32.filter((v) => !Number.isNaN(v)) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0) },
);

/**
 * `count` values of one observer batch, in one of these styles: ordinary values (no NaN), raw bit
 * patterns and specials (NaN possible), only +0/-0 (the signed-zero tie rules of torch's min/max),
 * all equal, all +0, or infinities among ordinary values.
 */
export function batchValues(count: number): fc.Arbitrary<number[]> {
  const exactly = { minLength: count, maxLength: count };
  return fc.oneof(
    { weight: 4, arbitrary: fc.array(finiteOrInfiniteValue, exactly) },
    { weight: 1, arbitrary: fc.array(anyFloat32, exactly) },
    { weight: 3, arbitrary: fc.array(fc.constantFrom(0, -0), exactly) },
    { weight: 1, arbitrary: moderateFloat32(300).map((v) => new Array<number>(count).fill(v)) },
    { weight: 1, arbitrary: fc.constant(new Array<number>(count).fill(0)) },
    { weight: 1, arbitrary: fc.array(fc.oneof(moderateFloat32(300), fc.constantFrom(Infinity, -Infinity)), exactly) },
  );
}
