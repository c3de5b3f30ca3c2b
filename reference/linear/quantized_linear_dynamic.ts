/**
 * quantized_linear_dynamic@1, exact reference; torch-onednn@1 shares steps 1-2 (with reduce_range honoured) and
 * continues in quantized_linear_dynamic_onednn.ts. On torch-qnnpack@1: torch 1.13.1 qlinear_dynamic.cpp
 * PackedLinearWeightsQnnp::apply_dynamic_impl, step by step:
 *   1. x_min = x.min(), x_max = x.max() (float32; which zero wins a +0/-0 tie cannot change the result);
 *   2. ChooseQuantizationParams(x_min, x_max, 0, 255) (choose_quantization_params.ts): qnnpack ignores
 *      reduce_range (torch warns "qnnpack incorrectly ignores reduce_range");
 *   3. q = at::quantize_per_tensor(x, scale, zero_point, quint8): the project's quantize_per_tensor@1;
 *   4. generate_requantization_scales(w_scales, scale, 1.f) (QnnpackUtils.h): per output channel
 *      M[n] = f32(f32((float)s_w[n] * scale) * f32(1 / 1.f)), which must be normal and > 0 (TORCH_CHECK);
 *   5. q8gemm_dq 4x4c2 sse2 (pytorch_q8gemm_dq_ukernel_4x4c2__sse2): acc = sum_k (q - z_x)(w - z_w[n]) as
 *      int32 (16-bit differences, _mm_madd_epi16, int32 adds), then out = f32(f32(M[n] * (float)acc) + b[n])
 *      with b = 0.0f when the linear has no bias (qnnpack's prepack stores a zero bias);
 *   6. ReLU (linear_relu_dynamic): output.relu_(), max(out, 0).
 * An empty x (M = 0, or K = 0) has x_min = x_max = 0 in step 1 and runs steps 2-4 (a dequantization scale that is not
 * normal still raises); with x's K = 0 and M, N >= 1 (contract/linear_checks.ts; any weight K: qnnpack packs the weight
 * with x's K, none of it) step 5's sum is empty, acc = 0, and each output is the bias through step 5's epilogue. torch-onednn@1 / @2 return an empty output ([0, N] or [M, 0],
 * contract/linear_checks.ts) after step 2.
 */
import { isTorchOnednnScheme } from '../../contract/conv_schemes.js';
import { QconformError } from '../../contract/errors.js';
import type { DynamicLinearArgs } from '../../contract/linear.js';
import { checkLinearDynamic } from '../../contract/linear_checks.js';
import type { F32Tensor } from '../../contract/tensor.js';
import { ONE_F32, ZERO_F32 } from '../constants.js';
import { isNormalPositive } from '../exact/classify.js';
import { f32Add, f32Div, f32Mul, intToF32, toF32 } from '../exact/float_arith.js';
import { fromFloat32, fromFloat64, toNumber } from '../exact/ieee_bits.js';
import { ieeeLess } from '../exact/ieee_compare.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import { quantizePerTensor } from '../ops/quantize.js';
import { exactElementsF32, toF32Tensor } from '../values.js';
import { chooseQuantizationParams } from './choose_quantization_params.js';
import { int32WrapDot } from '../exact/int_dot.js';
import { onednnDynamicLinear } from './quantized_linear_dynamic_onednn.js';
import { onednnV2DynamicLinear } from './quantized_linear_dynamic_onednn_v2.js';

/** Step 4: the dequantization multiplier of each output channel. */
function dequantizationScales(a: DynamicLinearArgs, n: number, inputScale: IeeeValue): IeeeValue[] {
  const inverseOutputScale = f32Div(ONE_F32, ONE_F32);
  return Array.from({ length: n }, (_, c) => {
    const ws = toF32(fromFloat64(a.weightScales.data[a.weightQuantization === 'per_channel' ? c : 0] as number));
    const m = f32Mul(f32Mul(ws, inputScale), inverseOutputScale);
    if (!isNormalPositive(m)) throw new QconformError('unsupported_by_scheme', 'quantized_linear_dynamic: dequantization scale', toNumber(m), 'qnnpack requires a normal, positive float32 s_w * s_x');
    return m;
  });
}

/** quantized::linear_dynamic (torch qlinear_dynamic.cpp apply_dynamic_impl) on the request's engine: steps 1-6 above for qnnpack (float32 steps rounded via reference/exact, int32 wrap of the GEMM), onednn@1 / @2 in their own files. */
export function quantizedLinearDynamic(a: DynamicLinearArgs): F32Tensor {
  const shape = checkLinearDynamic(a);
  const { rows, k, n, outShape } = shape;
  const xs = exactElementsF32(a.x);
  // an empty x (M = 0): apply_dynamic_impl takes x_min = x_max = 0 ("On empty input, no output data will be generated,
  // so use arbitrary qparams"); qnnpack still checks its dequantization scales, onednn returns its empty output first
  let min = xs[0] ?? ZERO_F32;
  let max = min;
  for (const v of xs) {
    if (ieeeLess(v, min)) min = v;
    if (ieeeLess(max, v)) max = v;
  }
  const onednn = isTorchOnednnScheme(a.scheme);
  const qp = chooseQuantizationParams(min, max, 0, onednn && a.reduceRange ? 127 : 255);
  if (onednn && rows * n === 0) return toF32Tensor(outShape, []); // PackedLinearWeightsOnednn: `if (output.numel() == 0) return output;`
  if (a.scheme === 'torch-onednn@2') return onednnV2DynamicLinear(a, shape, xs, qp);
  if (onednn) return onednnDynamicLinear(a, shape, xs, qp);
  const q = quantizePerTensor(a.x, { scale: toNumber(qp.scale), zeroPoint: Number(qp.zeroPoint), dtype: 'quint8' }).data;
  const multipliers = dequantizationScales(a, n, qp.scale);
  const zx = qp.zeroPoint;
  const out: IeeeValue[] = [];
  for (let m = 0; m < rows; m++) {
    for (let c = 0; c < n; c++) {
      const zw = BigInt(a.weightZeroPoints.data[a.weightQuantization === 'per_channel' ? c : 0] as number);
      const acc = int32WrapDot(k, (j) => BigInt(q[m * k + j] as number), (j) => BigInt(a.weight.data[c * k + j] as number), zx, zw);
      const bias = a.bias === null ? ZERO_F32 : fromFloat32(a.bias.data[c] as number);
      const y = f32Add(f32Mul(multipliers[c] as IeeeValue, intToF32(acc)), bias);
      out.push(a.relu && ieeeLess(y, ZERO_F32) ? ZERO_F32 : y);
    }
  }
  return toF32Tensor(outShape, out);
}
