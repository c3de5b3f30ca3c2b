/**
 * qgemm@1, exact reference: com.microsoft QGemm as onnxruntime 1.30's CPU kernel computes it
 * (onnxruntime/contrib_ops/cpu/quantization/quant_gemm.cc, QGemm::Compute):
 *   - C (int32) is broadcast into the int32 GEMM output first and MLAS accumulates onto it
 *     (GemmBroadcastBias, MLAS_GEMM_QUANT_SHAPE_PARAMS IsAccumulateMode): acc = wrap32(C[i, j] + GEMM(i, j));
 *   - ComputeOutputScale: scale[c] = f32(f32(alpha * a_scale) * b_scale[c]), then f32(scale[c] / y_scale)
 *     when y_scale is given (float32, left to right, alpha the float attribute);
 *   - with y_scale: MlasRequantizeOutput (qlinear_output.ts); without: MLAS_QGEMM_SCALE_BIAS_OUTPUT_PROCESSOR
 *     in ZeroMode without bias, y = f32(f32(acc) * scale[c]) (float32 output).
 * Floats by bit decomposition, exact rounding.
 *
 * alpha is any float32 (the wire's float64 rounded half to even, as cvtsd2ss: a NaN keeps its sign and top fraction
 * bits, quieted); ORT checks none. The scales are positive and finite, so in float32 (IEEE, no flush to zero: ORT 1.30
 * runs without DAZ / FTZ) the output scale is alpha's NaN for a NaN alpha, +-inf for an infinite one (or where the
 * products overflow), +-0 for +-0 (or where they underflow), and a subnormal may stay one. Then a quantized output
 * clamps (MAXPS first: NaN, and 0 * +-inf = NaN for an accumulator of 0, give qmin; +-inf saturate); a float output is
 * f32(f32(acc) * scale) with its NaN bits: alpha's NaN, or x86's default NaN 0xffc00000 for 0 * +-inf. Measured live
 * on onnxruntime-node 1.30 (tests/backends/ort_qgemm_alpha.test.ts).
 */
import { bParamIndex, checkQGemm } from '../../contract/onnx_matmul_checks.js';
import type { QGemmArgs } from '../../contract/onnx_qops.js';
import { type F32Tensor, type IntTensor, intTensor } from '../../contract/tensor.js';
import { f32Div, f32Mul, intToF32, toF32 } from '../exact/float_arith.js';
import { fromFloat32, fromFloat64 } from '../exact/ieee_bits.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import { wrapInt32 } from '../exact/x86_conversions.js';
import { toF32Tensor } from '../values.js';
import { gemmAccumulator, zeroPoints } from './int_gemm.js';
import { qlinearOutput, qlinearOutputParams } from './qlinear_output.js';

/** QGemm::Compute (contrib_ops/cpu/quantization/quant_gemm.cc): C + the GEMM accumulator wrapped to int32, then MlasRequantizeOutput or the float32 scale, rounded via reference/exact. */
export function qgemm(a: QGemmArgs): IntTensor | F32Tensor {
  const g = checkQGemm(a);
  const alpha = toF32(fromFloat64(a.alpha));
  const aScale = fromFloat32(a.aScale.data[0] as number);
  const yScale = a.yScale ? fromFloat32(a.yScale.data[0] as number) : null;
  const scales = Array.from(a.bScale.data, (s) => {
    const scale = f32Mul(f32Mul(alpha, aScale), fromFloat32(s));
    return yScale ? f32Div(scale, yScale) : scale;
  });
  const o = { a: a.a.data, b: a.b.data, ...zeroPoints(g, a.aZeroPoint.data, a.bZeroPoint.data) };
  const batch = g.batches[0]!;
  const acc = (i: number, j: number): bigint => {
    const c = a.c && g.biasIndex ? BigInt(a.c.data[g.biasIndex(i, j)] as number) : 0n;
    return wrapInt32(c + gemmAccumulator(g, o, batch, i, j, a.accumulator));
  };
  // b_scale and b_zero_point share one shape (checkQGemm), so g.bPerColumn indexes both
  const column = (j: number) => bParamIndex(g.bPerColumn, batch, j);
  if (g.floatOutput) {
    const values: IeeeValue[] = [];
    for (let i = 0; i < g.m; i++) for (let j = 0; j < g.n; j++) values.push(f32Mul(intToF32(acc(i, j)), scales[column(j)]!));
    return toF32Tensor(g.outShape, values);
  }
  const params = scales.map((s) => qlinearOutputParams(s, a.yZeroPoint!.data[0] as number, g.aDtype));
  const out = new Int32Array(g.m * g.n);
  for (let i = 0; i < g.m; i++) for (let j = 0; j < g.n; j++) out[i * g.n + j] = qlinearOutput(acc(i, j), params[column(j)]!);
  return intTensor(g.aDtype, g.outShape, out);
}
