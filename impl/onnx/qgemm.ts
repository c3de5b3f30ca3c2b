/**
 * qgemm@1, fast twin of reference/onnx/qgemm.ts (ORT 1.30 com.microsoft QGemm, contrib_ops/cpu/quantization/quant_gemm.cc).
 * JS numbers do not carry a NaN's bits reliably, so a float32 output that is NaN is written by its bits: alpha's NaN
 * (as cvtsd2ss makes it float32) where the output scale is NaN, which only a NaN alpha gives (the scales are positive
 * and finite), else x86's default NaN (0 times an output scale that is infinite).
 */
import { float32BitsOfFloat64 } from '../../contract/float_bits.js';
import { bParamIndex, checkQGemm } from '../../contract/onnx_matmul_checks.js';
import type { QGemmArgs } from '../../contract/onnx_qops.js';
import { type F32Tensor, type IntTensor, f32Tensor, intTensor } from '../../contract/tensor.js';
import { X86_DEFAULT_NAN_F32, f32Div, f32Mul } from '../float32.js';
import { gemmAccumulators, zeroPointsF } from './int_gemm.js';
import { qlinearOutput, qlinearOutputParams } from './qlinear_output.js';

export function qgemm(a: QGemmArgs): IntTensor | F32Tensor {
  const g = checkQGemm(a);
  const alpha = Math.fround(a.alpha);
  const aScale = a.aScale.data[0] as number;
  const yScale = a.yScale ? (a.yScale.data[0] as number) : null;
  const scales = Array.from(a.bScale.data, (s) => {
    const scale = f32Mul(f32Mul(alpha, aScale), s);
    return yScale === null ? scale : f32Div(scale, yScale);
  });
  const o = { a: a.a.data, b: a.b.data, ...zeroPointsF(g, a.aZeroPoint.data, a.bZeroPoint.data) };
  const c = a.c;
  const index = g.biasIndex;
  const batch = g.batches[0]!;
  const acc = gemmAccumulators(g, o, batch, a.accumulator, c && index ? (i, j) => c.data[index(i, j)] as number : undefined);
  // b_scale and b_zero_point share one shape (checkQGemm), so g.bPerColumn indexes both
  const column = (x: number) => bParamIndex(g.bPerColumn, batch, x % g.n);
  if (g.floatOutput) {
    const y = new Float32Array(acc.length);
    const bits = new Uint32Array(y.buffer);
    const alphaNaN = Number.isNaN(alpha) ? float32BitsOfFloat64(a.alpha) : X86_DEFAULT_NAN_F32;
    for (let x = 0; x < acc.length; x++) {
      const scale = scales[column(x)]!;
      const v = f32Mul(Math.fround(acc[x]!), scale);
      if (Number.isNaN(v)) bits[x] = Number.isNaN(scale) ? alphaNaN : X86_DEFAULT_NAN_F32;
      else y[x] = v;
    }
    return f32Tensor(g.outShape, y);
  }
  const params = scales.map((s) => qlinearOutputParams(s, a.yZeroPoint!.data[0] as number, g.aDtype));
  const out = Int32Array.from(acc, (v, x) => qlinearOutput(v, params[column(x)]!));
  return intTensor(g.aDtype, g.outShape, out);
}
