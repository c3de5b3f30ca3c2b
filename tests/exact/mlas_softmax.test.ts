/**
 * MLAS's softmax row (MlasComputeSoftmax with the AVX-512F and FMA3 sum-of-exponentials kernels): the impl's float32
 * constants are the exact roundings of compute.cpp's literals, sqrtf of the head sizes matches, and the exact
 * reference and the impl agree bit for bit on rows of every length from 1 to 48 and every spread of values. Not
 * vacuous: the two kernels give different bytes on some rows longer than 16 (their lane sums differ), never on rows
 * of 16 or fewer within 87 of their maximum (the sums alone), and at the fma3 clamp (m = -127) fma3 gives 0 where avx512f gives a subnormal (its own clamp is LowerRange, -103.97).
 */
import { describe, expect, it } from 'vitest';
import { float32BitsOf } from '../../contract/float_bits.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { MLAS_EXP_F32, mlasSoftmaxRow, mlasSumExpElement } from '../../impl/onnx/mlas_softmax.js';
import { fromFloat32, toNumber } from '../../reference/exact/ieee_bits.js';
import { f32SqrtOfInteger } from '../../reference/exact/sqrt.js';
import { MLAS_EXP_CONSTANTS, mlasSoftmaxRow as exactRow, mlasSumExpElement as exactElement } from '../../reference/onnx/mlas_softmax.js';


function row(r: CaseRandom, n: number): Float32Array {
  const spread = r.pick([0.01, 1, 5, 30, 100]);
  return Float32Array.from({ length: n }, () => Math.fround((r.next() - 0.5) * 2 * spread));
}

describe('MlasComputeSoftmax (sum-of-exponentials kernels avx512f and fma3)', () => {
  it('uses the float32 roundings of the C literals, and sqrtf of every integer head size', () => {
    for (const [name, exact] of Object.entries(MLAS_EXP_CONSTANTS)) {
      if (name === 'maximumExponent') continue;
      expect(float32BitsOf(MLAS_EXP_F32[name as keyof typeof MLAS_EXP_F32]), name).toBe(float32BitsOf(toNumber(exact as never)));
    }
    for (let n = 1; n <= 4096; n++) expect(toNumber(f32SqrtOfInteger(BigInt(n))), `sqrtf(${n})`).toBe(Math.fround(Math.sqrt(n)));
  });

  it('reference and impl agree on rows of length 1-48, not vacuously', () => {
    const r = new CaseRandom('mlas-softmax-rows');
    let [kernelsDiffer, shortDiffer, clampDiffer] = [0, 0, 0];
    for (let k = 0; k < 400; k++) {
      const x = row(r, r.int(1, 48));
      const out: Record<string, Float32Array> = {};
      for (const kernel of ['avx512f', 'fma3'] as const) {
        const exact = exactRow(Array.from(x, fromFloat32), kernel).map(toNumber);
        const fast = Float32Array.from(x);
        mlasSoftmaxRow(fast, kernel);
        expect(Array.from(fast, (v) => float32BitsOf(v)), `${kernel} row ${k}`).toEqual(exact.map((v) => float32BitsOf(v)));
        out[kernel] = fast;
      }
      const differ = out.avx512f!.some((v, j) => float32BitsOf(v) !== float32BitsOf(out.fma3![j]!));
      if (differ && x.length > 16) kernelsDiffer++;
      const gap = Math.max(...x) - Math.min(...x);
      if (differ && x.length <= 16 && gap < 87) shortDiffer++;
      if (differ && x.length <= 16 && gap >= 87) clampDiffer++;
    }
    expect(kernelsDiffer, 'rows longer than 16 where the lane sums of the two kernels differ').toBeGreaterThan(10);
    expect(shortDiffer, 'rows of 16 or fewer within the exp range sum in the same order on both kernels').toBe(0);
    expect(clampDiffer, 'short rows that differ only through the m = -127 scaling (0 against a subnormal)').toBeGreaterThan(3);
  });

  it('scales 2^m by exponent bits on fma3 (0 at m = -127) and by vscalefps on avx512f (a subnormal)', () => {
    const x = Math.fround(-88.2);
    for (const kernel of ['avx512f', 'fma3'] as const) expect(float32BitsOf(mlasSumExpElement(x, kernel))).toBe(float32BitsOf(toNumber(exactElement(fromFloat32(x), kernel))));
    expect(mlasSumExpElement(x, 'fma3')).toBe(0);
    expect(mlasSumExpElement(x, 'avx512f')).toBeGreaterThan(0);
    expect(mlasSumExpElement(x, 'avx512f')).toBeLessThan(2 ** -126);
    expect(mlasSumExpElement(0, 'fma3')).toBe(1);
    // the clamps: fma3 at LowerRangeSumExp (-88.38), avx512f at LowerRange (-103.97), below which it keeps shrinking
    expect(mlasSumExpElement(-1000, 'fma3')).toBe(mlasSumExpElement(MLAS_EXP_F32.lowerRangeSumExp, 'fma3'));
    expect(mlasSumExpElement(-1000, 'avx512f')).toBe(mlasSumExpElement(MLAS_EXP_F32.lowerRange, 'avx512f'));
    expect(mlasSumExpElement(Math.fround(-95), 'avx512f')).toBeLessThan(mlasSumExpElement(MLAS_EXP_F32.lowerRangeSumExp, 'avx512f'));
    expect(mlasSumExpElement(Math.fround(-95), 'avx512f')).toBeGreaterThan(0);
    expect(mlasSumExpElement(Math.fround(-104), 'avx512f')).toBeLessThanOrEqual(2 ** -149);
  });
});
