/**
 * matmul_integer_to_float@1 and dynamic_quantize_matmul@1, fast twin of reference/onnx/matmul_integer_to_float.ts
 * (ORT 1.30 com.microsoft MatMulIntegerToFloat / DynamicQuantizeMatMul, dynamic_quantize_matmul.cc): the int32
 * GEMM, then f32(f32(acc) * f32(a_scale * b_scale[c])) and, with a bias, f32(. + bias[c]); then ScaleOutput's products.
 */
import { checkDynamicQuantizeMatMul, checkMatMulIntegerToFloat, checkOutputScale, type IntegerToFloatGeometry } from '../../contract/matmul_integer_to_float_checks.js';
import { bParamIndex } from '../../contract/onnx_matmul_checks.js';
import type { DynamicQuantizeMatMulArgs, MatMulIntegerToFloatArgs, MatmulAccumulator } from '../../contract/onnx_qops.js';
import { type F32Tensor, type IntData, f32Tensor } from '../../contract/tensor.js';
import { f32Add, f32Mul } from '../float32.js';
import { dynamicQuantizeLinear } from '../quantize_linear.js';
import { gemmAccumulators, zeroPointsF } from './int_gemm.js';

function integerToFloat(what: string, g: IntegerToFloatGeometry, a: IntData, aScale: number, aZeroPoint: IntData | null, rest: Pick<MatMulIntegerToFloatArgs, 'b' | 'bZeroPoint' | 'bias'>, accumulator: MatmulAccumulator): F32Tensor {
  const multipliers = g.gemmBScale
    ? Array.from(g.gemmBScale.data, (s) => {
        const m = f32Mul(aScale, s);
        checkOutputScale(what, m);
        return m;
      })
    : [aScale];
  const bias = rest.bias?.data ?? null;
  const o = { a, b: rest.b.data, ...zeroPointsF(g, aZeroPoint, rest.bZeroPoint?.data ?? null) };
  const out = new Float32Array(g.batches.length * g.m * g.n);
  for (const batch of g.batches) {
    const acc = gemmAccumulators(g, o, batch, accumulator);
    for (let x = 0; x < acc.length; x++) {
      const j = x % g.n;
      const scaled = f32Mul(Math.fround(acc[x] as number), multipliers[bParamIndex(g.scalePerColumn, batch, j)] as number);
      out[batch.yOffset + x] = bias ? f32Add(scaled, bias[j] as number) : scaled;
    }
  }
  for (const s of g.outputScales) for (let x = 0; x < out.length; x++) out[x] = f32Mul(s.data[s.index(x)] as number, out[x] as number);
  return f32Tensor(g.outShape, out);
}

export function matmulIntegerToFloat(a: MatMulIntegerToFloatArgs): F32Tensor {
  const g = checkMatMulIntegerToFloat(a);
  return integerToFloat('matmul_integer_to_float', g, a.a.data, g.gemmAScale ? (g.gemmAScale.data[0] as number) : 1, a.aZeroPoint?.data ?? null, a, a.accumulator);
}

export function dynamicQuantizeMatMul(a: DynamicQuantizeMatMulArgs): F32Tensor {
  const g = checkDynamicQuantizeMatMul(a);
  const q = dynamicQuantizeLinear(a.a);
  return integerToFloat('dynamic_quantize_matmul', g, q.y.data, q.yScale.data[0] as number, q.yZeroPoint.data, a, a.accumulator);
}
