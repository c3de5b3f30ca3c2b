/**
 * QLinearAdd cases that refute the unfused reading of MLAS's AVX2 kernel: inputs on which the float32 steps of
 * qladd_avx2.cpp give a different output when GCC's fused multiply-adds (reference/onnx/qlinear_binary.ts) are
 * replaced by a float32 multiply and a float32 add each. Random parameters rarely separate the two, so the
 * generator searches (seeded, bounded) for parameters where they differ on a grid of every value of a; the
 * expectations still come from ORT. The unfused form below is the rejected hypothesis, not a model of anything.
 */
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import { f32Tensor, intTensor } from '../../contract/tensor.js';
import { qlinearAdd } from '../../impl/onnx/qlinear_binary.js';
import { clampInt, cvt32 } from '../../impl/float32.js';
import { type CaseFactory, wireF32, wireInt } from './builders.js';
import type { CaseRandom } from './random.js';

const f = Math.fround;

/** The rejected unfused form, X streamed (values `a`, its scale and zero point first) against the scalar Y = b. */
export function unfused(a: readonly number[], b: number, sa: number, za: number, sb: number, zb: number, sc: number, zc: number, dtype: QuantDtype): number[] {
  const [rA, rB] = [f(sa / sc), f(sb / sc)];
  const fixed = f(f(zc - f(f(rA * za) + f(rB * zb))) + f(b * rB));
  const { min, max } = DTYPE_RANGE[dtype];
  return a.map((x) => clampInt(cvt32(f(f(x * rA) + fixed)), min, max));
}

const TRIES = 3000;

export const qlinearAddWitnessCase: CaseFactory = (r: CaseRandom) => {
  const dtype: QuantDtype = r.bool(0.5) ? 'quint8' : 'qint8';
  const { min, max } = DTYPE_RANGE[dtype];
  const grid = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  const scalarA = r.bool(0.5); // then ORT streams b and the contraction runs with the roles swapped
  let params = { sa: 1, sb: 1, sc: 1, za: 0, zb: 0, zc: 0, scalar: 0 };
  for (let t = 0; t < TRIES; t++) {
    params = { sa: f(Math.exp(r.next() * 6 - 6)), sb: f(Math.exp(r.next() * 6 - 6)), sc: f(Math.exp(r.next() * 6 - 7)), za: r.int(min, max), zb: r.int(min, max), zc: r.int(min, max), scalar: r.int(min, max) };
    const p = params;
    const scalar = intTensor(dtype, [], [p.scalar]);
    const span = intTensor(dtype, [grid.length], grid);
    const z = (v: number) => intTensor(dtype, [], [v]);
    const fused = qlinearAdd({
      a: scalarA ? scalar : span,
      aScale: f32Tensor([], [p.sa]),
      aZeroPoint: z(p.za),
      b: scalarA ? span : scalar,
      bScale: f32Tensor([], [p.sb]),
      bZeroPoint: z(p.zb),
      cScale: f32Tensor([], [p.sc]),
      cZeroPoint: z(p.zc),
    }).data;
    // the unfused form, streaming the span operand X against the scalar Y
    const plain = scalarA ? unfused(grid, p.scalar, p.sb, p.zb, p.sa, p.za, p.sc, p.zc, dtype) : unfused(grid, p.scalar, p.sa, p.za, p.sb, p.zb, p.sc, p.zc, dtype);
    if (plain.some((v, i) => v !== fused[i])) break;
  }
  const p = params;
  const inputs = {
    a: scalarA ? wireInt(dtype, [], [p.scalar]) : wireInt(dtype, [grid.length], grid),
    a_scale: wireF32([], [p.sa]),
    a_zero_point: wireInt(dtype, [], [p.za]),
    b: scalarA ? wireInt(dtype, [grid.length], grid) : wireInt(dtype, [], [p.scalar]),
    b_scale: wireF32([], [p.sb]),
    b_zero_point: wireInt(dtype, [], [p.zb]),
    c_scale: wireF32([], [p.sc]),
    c_zero_point: wireInt(dtype, [], [p.zc]),
  };
  return { op: 'qlinear_add@1', attrs: {}, inputs };
};
