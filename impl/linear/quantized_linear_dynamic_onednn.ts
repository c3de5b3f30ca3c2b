/**
 * quantized_linear_dynamic@1 on torch-onednn@1, fast twin of reference/linear/quantized_linear_dynamic_onednn.ts
 * (torch 1.13.1 PackedLinearWeightsOnednn::apply_dynamic_impl, ideep matmul_forward, oneDNN 2.6.3): the
 * static onednn parameters with y_scale 1 (prepareOnednn), x quantized as oneDNN's f32 -> u8 reorder does
 * (cvt32(f32(f32(x * ss) + z_x)) saturated to [0, 255], ss = (float)(1.0 / s_x) of the double scale), int32 acc
 * (exact, or the AVX2 gemm's vpmaddubsw pairs with accumulator `sat16_pairs`: sat16_pairs_gemm_accumulator.ts),
 * then f32(f32(f32(acc) + b') * osc) and ReLU as vmaxps (onednnScaleBiasRelu).
 */
import { QconformError } from '../../contract/errors.js';
import type { DynamicLinearArgs } from '../../contract/linear.js';
import type { LinearShape } from '../../contract/linear_checks.js';
import { type F32Tensor, f32Tensor } from '../../contract/tensor.js';
import { FLT_MIN, clampInt, cvt32, f32Add, f32Mul, f32OfF64Reciprocal } from '../float32.js';
import { type OnednnParamsF, onednnScaleBiasRelu, prepareOnednn } from '../requant/torch_onednn.js';
import { onednnGemmKBlockStarts } from '../../contract/onednn_gemm.js';
import { int32WrapDot } from './int32_wrap_dot.js';
import { sat16PairsGemmAccumulator } from './sat16_pairs_gemm_accumulator.js';

/** oneDNN's f32 -> u8 reorder of x: scale ss = (float)(1.0 / s_x) of the double scale, zero point added in float. */
export function onednnReorderToU8(x: ArrayLike<number>, qp: { scaleF64: number; zeroPoint: number }): Int32Array {
  return reorderToU8(x, f32OfF64Reciprocal(qp.scaleF64), qp.zeroPoint);
}

/** oneDNN's f32 -> u8 reorder with a float32 scale ss (onednn @1 and @2): cvt32(f32(f32(x * ss) + z_x)) saturated to [0, 255]. */
export function reorderToU8(x: ArrayLike<number>, ss: number, zeroPoint: number): Int32Array {
  const q = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) q[i] = clampInt(cvt32(f32Add(f32Mul(x[i] as number, ss), zeroPoint)), 0, 255);
  return q;
}

export function onednnDynamicLinear(a: DynamicLinearArgs, shape: LinearShape, qp: { scaleF64: number; zeroPoint: number }): F32Tensor {
  const { rows, k, n, outShape } = shape;
  const perChannel = a.weightQuantization === 'per_channel';
  const params: OnednnParamsF[] = [];
  for (let c = 0; c < n; c++) {
    const bias = a.bias === null ? null : ({ kind: 'float32', value: a.bias.data[c] as number } as const);
    const p = prepareOnednn({ xScale: qp.scaleF64, wScale: a.weightScales.data[perChannel ? c : 0] as number, yScale: 1, perChannel, yZeroPoint: 0, bias, relu: a.relu, outMin: 0, outMax: 0, qnnpackPath: 'gemm' });
    // a weight scale of +-0: osc = +-0 (reference/linear/quantized_linear_dynamic_onednn.ts)
    if (!(Math.abs(p.outputScale) >= FLT_MIN && Number.isFinite(p.outputScale)) && a.weightScales.data[perChannel ? c : 0] !== 0) {
      throw new QconformError('unsupported_by_scheme', 'quantized_linear_dynamic: output scale', p.outputScale, 'torch-onednn@1 is modeled for a normal, finite float32 1 / f32(ss * ws), or a weight scale of 0');
    }
    params.push(p);
  }
  const q = onednnReorderToU8(a.x.data, qp);
  const w = a.weight.data;
  const out = new Float32Array(rows * n);
  if (a.accumulator === 'sat16_pairs') {
    const starts = onednnGemmKBlockStarts(k);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < n; c++) out[r * n + c] = onednnScaleBiasRelu(sat16PairsGemmAccumulator(q, r * k, w, c * k, k, qp.zeroPoint, starts), params[c] as OnednnParamsF);
    }
    return f32Tensor(outShape, out);
  }
  for (let i = 0; i < q.length; i++) q[i] = (q[i] as number) - qp.zeroPoint;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < n; c++) {
      out[r * n + c] = onednnScaleBiasRelu(int32WrapDot(q, r * k, w, c * k, k), params[c] as OnednnParamsF);
    }
  }
  return f32Tensor(outShape, out);
}
