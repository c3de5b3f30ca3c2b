/**
 * qlinear_matmul@1, exact reference: ONNX QLinearMatMul as onnxruntime 1.30's CPU kernel computes it
 * (onnxruntime/core/providers/cpu/quantization/quantize_linear_matmul.cc, QLinearMatMul::Compute):
 *   output_scales[c] = f32(f32(a_scale * b_scale[c]) / y_scale)     (float32, left to right)
 *   acc = the MLAS GEMM accumulator (int_gemm.ts), int32
 *   y = MlasRequantizeOutput(acc, output_scales[c], y_zero_point)    (qlinear_output.ts)
 * with c the column's b parameter (per tensor or per column). Floats by bit decomposition, exact rounding.
 */
import { bParamIndex, checkQLinearMatMul } from '../../contract/onnx_matmul_checks.js';
import type { QLinearMatMulArgs } from '../../contract/onnx_qops.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { f32Div, f32Mul } from '../exact/float_arith.js';
import { fromFloat32 } from '../exact/ieee_bits.js';
import { wrapInt32 } from '../exact/x86_conversions.js';
import { gemmAccumulator, zeroPoints } from './int_gemm.js';
import { qlinearOutput, qlinearOutputParams } from './qlinear_output.js';

/** QLinearMatMul::Compute (onnxruntime/core/providers/cpu/quantization/quantize_linear_matmul.cc): the int32 GEMM accumulator, then MlasRequantizeOutput with the float32 output scale, rounded via reference/exact. */
export function qlinearMatMul(a: QLinearMatMulArgs): IntTensor {
  const g = checkQLinearMatMul(a);
  const aScale = fromFloat32(a.aScale.data[0] as number);
  const yScale = fromFloat32(a.yScale.data[0] as number);
  const yZeroPoint = a.yZeroPoint.data[0] as number;
  const params = Array.from(a.bScale.data, (s) => qlinearOutputParams(f32Div(f32Mul(aScale, fromFloat32(s)), yScale), yZeroPoint, g.aDtype));
  const o = { a: a.a.data, b: a.b.data, ...zeroPoints(g, a.aZeroPoint.data, a.bZeroPoint.data) };
  const out = new Int32Array(g.batches.length * g.m * g.n);
  for (const batch of g.batches) {
    for (let i = 0; i < g.m; i++) {
      for (let j = 0; j < g.n; j++) {
        const p = params[bParamIndex(g.scalePerColumn, batch, j)]!;
        out[batch.yOffset + i * g.n + j] = qlinearOutput(wrapInt32(gemmAccumulator(g, o, batch, i, j, a.accumulator)), p);
      }
    }
  }
  return intTensor(g.aDtype, g.outShape, out);
}
