/** qgemm@1, fast twin of reference/onnx/qgemm.ts (ORT 1.30 com.microsoft QGemm, contrib_ops/cpu/quantization/quant_gemm.cc). */
import { bParamIndex, checkQGemm } from '../../contract/onnx_matmul_checks.js';
import type { QGemmArgs } from '../../contract/onnx_qops.js';
import { type F32Tensor, type IntTensor, f32Tensor, intTensor } from '../../contract/tensor.js';
import { f32Div, f32Mul } from '../float32.js';
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
  if (g.floatOutput) return f32Tensor(g.outShape, Float32Array.from(acc, (v, x) => f32Mul(Math.fround(v), scales[column(x)]!)));
  const params = scales.map((s) => qlinearOutputParams(s, a.yZeroPoint!.data[0] as number, g.aDtype));
  const out = Int32Array.from(acc, (v, x) => qlinearOutput(v, params[column(x)]!));
  return intTensor(g.aDtype, g.outShape, out);
}
