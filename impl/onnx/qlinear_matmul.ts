/** qlinear_matmul@1, fast twin of reference/onnx/qlinear_matmul.ts (ORT 1.30 quantize_linear_matmul.cc). */
import { bParamIndex, checkQLinearMatMul } from '../../contract/onnx_matmul_checks.js';
import type { QLinearMatMulArgs } from '../../contract/onnx_qops.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { f32RequantScale } from '../requant/float_scale.js';
import { gemmAccumulators, zeroPointsF } from './int_gemm.js';
import { qlinearOutput, qlinearOutputParams } from './qlinear_output.js';

export function qlinearMatMul(a: QLinearMatMulArgs): IntTensor {
  const g = checkQLinearMatMul(a);
  const aScale = a.aScale.data[0] as number;
  const yScale = a.yScale.data[0] as number;
  const yZeroPoint = a.yZeroPoint.data[0] as number;
  const params = Array.from(a.bScale.data, (s) => qlinearOutputParams(f32RequantScale(aScale, s, yScale), yZeroPoint, g.aDtype));
  const o = { a: a.a.data, b: a.b.data, ...zeroPointsF(g, a.aZeroPoint.data, a.bZeroPoint.data) };
  const out = new Int32Array(g.batches.length * g.m * g.n);
  for (const batch of g.batches) {
    const acc = gemmAccumulators(g, o, batch, a.accumulator);
    for (let x = 0; x < acc.length; x++) {
      const p = params[bParamIndex(g.scalePerColumn, batch, x % g.n)]!;
      out[batch.yOffset + x] = qlinearOutput(acc[x] as number, p);
    }
  }
  return intTensor(g.aDtype, g.outShape, out);
}
