/**
 * matmul_integer_to_float@1 and dynamic_quantize_matmul@1, exact reference: com.microsoft MatMulIntegerToFloat and
 * DynamicQuantizeMatMul as onnxruntime 1.30's CPU kernels compute them on x86-64
 * (onnxruntime/contrib_ops/cpu/quantization/dynamic_quantize_matmul.cc, MatMulIntegerToFloatBase::ComputeCommon):
 *   - DynamicQuantizeMatMul first quantizes a exactly as DynamicQuantizeLinear does (GetQuantizationParameter,
 *     then ParQuantizeLinear, i.e. MlasQuantizeLinear): reference/ops/quantize_linear.ts dynamicQuantizeLinear gives
 *     the uint8 a, a_scale and a_zero_point;
 *   - multiplier[c] = f32(a_scale * b_scale[c])      one float32 product per column (per tensor: one value); a
 *     MatMulIntegerToFloat a_scale of more than one element counts 1 here, a b_scale IsBQuantParamSupported refuses
 *     is left out (multiplier = the a side, no product); the checks say which (FixupScaleTensor's swap first)
 *   - acc = the MLAS GEMM accumulator (int_gemm.ts), wrapped to int32 (MlasGemmBatch, b pre-packed)
 *   - MLAS_QGEMM_SCALE_BIAS_OUTPUT_PROCESSOR in ZeroMode (onnxruntime/core/mlas/lib/qpostprocessor.cpp, SSE2
 *     intrinsics, built without FMA): y = f32(f32(acc) * multiplier[c]), then with a bias y = f32(y + bias[c]):
 *     cvtdq2ps (half-even), mulps, addps, three roundings. Measured against onnxruntime-node 1.30: an FMA for the
 *     bias add, the scales applied one after the other (f32(f32(acc * a_scale) * b_scale)) or the product in double
 *     each differ from ORT on over 100 of the 300 cases per op in vectors/onnxruntime-1.30-ops (the forms in
 *     conformance/cases/integer_to_float_alternatives.ts; tests/vectors/ort_integer_to_float_vectors.test.ts counts them);
 *   - ScaleOutput, for each scale left out above (a_scale's first): y = f32(scale[broadcast index] * y), one float32
 *     product (Eigen's array product over ORT's broadcast spans).
 * Floats by bit decomposition, exact rounding on rationals.
 */
import { checkDynamicQuantizeMatMul, checkMatMulIntegerToFloat, checkOutputScale, type IntegerToFloatGeometry } from '../../contract/matmul_integer_to_float_checks.js';
import { bParamIndex } from '../../contract/onnx_matmul_checks.js';
import type { DynamicQuantizeMatMulArgs, MatMulIntegerToFloatArgs } from '../../contract/onnx_qops.js';
import type { F32Tensor, IntData } from '../../contract/tensor.js';
import { f32Add, f32Mul, intToF32 } from '../exact/float_arith.js';
import { fromFloat32, toNumber } from '../exact/ieee_bits.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import { wrapInt32 } from '../exact/x86_conversions.js';
import { dynamicQuantizeLinear } from '../ops/quantize_linear.js';
import { toF32Tensor } from '../values.js';
import { gemmAccumulator, zeroPoints } from './int_gemm.js';

interface IntegerToFloatOperands {
  readonly a: IntData;
  /** the a side of the multiplier: a_scale, DynamicQuantizeMatMul's computed scale, or 1 */
  readonly aScale: IeeeValue;
  readonly aZeroPoint: IntData | null;
  readonly b: IntData;
  readonly bZeroPoint: IntData | null;
  readonly bias: Float32Array | null;
}

/** MatMulIntegerToFloatBase::ComputeCommon (the GEMM and its scale-and-bias output processor), then ScaleOutput. */
function integerToFloat(what: string, g: IntegerToFloatGeometry, o: IntegerToFloatOperands, accumulator: MatMulIntegerToFloatArgs['accumulator']): F32Tensor {
  const multipliers = g.gemmBScale
    ? Array.from(g.gemmBScale.data, (s) => {
        const m = f32Mul(o.aScale, fromFloat32(s));
        checkOutputScale(what, toNumber(m));
        return m;
      })
    : [o.aScale];
  const bias = o.bias ? Array.from(o.bias, fromFloat32) : null;
  const ops = { a: o.a, b: o.b, ...zeroPoints(g, o.aZeroPoint, o.bZeroPoint) };
  const values: IeeeValue[] = new Array(g.batches.length * g.m * g.n);
  for (const batch of g.batches) {
    for (let i = 0; i < g.m; i++) {
      for (let j = 0; j < g.n; j++) {
        const multiplier = multipliers[bParamIndex(g.scalePerColumn, batch, j)]!;
        const scaled = f32Mul(intToF32(wrapInt32(gemmAccumulator(g, ops, batch, i, j, accumulator))), multiplier);
        const x = batch.yOffset + i * g.n + j;
        let y = bias ? f32Add(scaled, bias[j]!) : scaled;
        for (const s of g.outputScales) y = f32Mul(fromFloat32(s.data[s.index(x)] as number), y);
        values[x] = y;
      }
    }
  }
  return toF32Tensor(g.outShape, values);
}

/** MatMulIntegerToFloat::Compute (contrib_ops/cpu/quantization/dynamic_quantize_matmul.cc): integerToFloat with the given a_scale (or 1); int32 accumulator, float32 epilogue rounded via reference/exact. */
export function matmulIntegerToFloat(a: MatMulIntegerToFloatArgs): F32Tensor {
  const g = checkMatMulIntegerToFloat(a);
  const aScale = g.gemmAScale ? fromFloat32(g.gemmAScale.data[0] as number) : intToF32(1n);
  const o = { a: a.a.data, aScale, aZeroPoint: a.aZeroPoint?.data ?? null, b: a.b.data, bZeroPoint: a.bZeroPoint?.data ?? null, bias: a.bias?.data ?? null };
  return integerToFloat('matmul_integer_to_float', g, o, a.accumulator);
}

/** DynamicQuantizeMatMul::Compute (contrib_ops/cpu/quantization/dynamic_quantize_matmul.cc): dynamicQuantizeLinear of a, then integerToFloat with its scale and zero point. */
export function dynamicQuantizeMatMul(a: DynamicQuantizeMatMulArgs): F32Tensor {
  const g = checkDynamicQuantizeMatMul(a);
  const q = dynamicQuantizeLinear(a.a);
  const o = { a: q.y.data, aScale: fromFloat32(q.yScale.data[0] as number), aZeroPoint: q.yZeroPoint.data, b: a.b.data, bZeroPoint: a.bZeroPoint?.data ?? null, bias: a.bias?.data ?? null };
  return integerToFloat('dynamic_quantize_matmul', g, o, a.accumulator);
}
