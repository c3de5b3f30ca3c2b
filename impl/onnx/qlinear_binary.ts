/**
 * qlinear_add@1 and qlinear_mul@1, fast twin of reference/onnx/qlinear_binary.ts (ORT 1.30 MlasQLinearAdd AVX2,
 * MlasQLinearMul SSE2): the same float32 steps on doubles rounded to float32; QLinearAdd's P (MLAS's InputA) is b when
 * ORT makes a the scalar of every span (contract/ort_broadcast_spans.ts), else a.
 */
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import type { QLinearBinaryArgs } from '../../contract/onnx_qops.js';
import { checkQLinearBinary } from '../../contract/qlinear_binary_checks.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { clampInt, cvt32, f32Add, f32Div, f32Fma, f32Mul, f32Sub } from '../float32.js';
import { f32RequantScale } from '../requant/float_scale.js';

export function qlinearAdd(a: QLinearBinaryArgs): IntTensor {
  const g = checkQLinearBinary('qlinear_add', a);
  const sc = a.cScale.data[0] as number;
  const ratioA = f32Div(a.aScale.data[0] as number, sc);
  const ratioB = f32Div(a.bScale.data[0] as number, sc);
  const bFirst = g.spans.scalar === 'a';
  const [rP, zP, rQ, zQ] = bFirst ? [ratioB, g.bZeroPoint, ratioA, g.aZeroPoint] : [ratioA, g.aZeroPoint, ratioB, g.bZeroPoint];
  const fixed = f32Sub(g.cZeroPoint, f32Fma(rP, zP, f32Mul(rQ, zQ)));
  const { min, max } = DTYPE_RANGE[g.dtype];
  const out = new Int32Array(g.count);
  for (let i = 0; i < g.count; i++) {
    const av = a.a.data[g.aIndex[i]!] as number;
    const bv = a.b.data[g.bIndex[i]!] as number;
    const [p, q] = bFirst ? [bv, av] : [av, bv];
    out[i] = clampInt(cvt32(f32Fma(p, rP, f32Fma(q, rQ, fixed))), min, max);
  }
  return intTensor(g.dtype, g.outShape, out);
}

export function qlinearMul(a: QLinearBinaryArgs): IntTensor {
  const g = checkQLinearBinary('qlinear_mul', a);
  const ratio = f32RequantScale(a.aScale.data[0] as number, a.bScale.data[0] as number, a.cScale.data[0] as number);
  const { min, max } = DTYPE_RANGE[g.dtype];
  const out = new Int32Array(g.count);
  for (let i = 0; i < g.count; i++) {
    const product = ((a.a.data[g.aIndex[i]!] as number) - g.aZeroPoint) * ((a.b.data[g.bIndex[i]!] as number) - g.bZeroPoint);
    out[i] = clampInt(cvt32(f32Add(f32Mul(product, ratio), g.cZeroPoint)), min, max);
  }
  return intTensor(g.dtype, g.outShape, out);
}
