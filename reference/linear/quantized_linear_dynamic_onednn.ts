/**
 * quantized_linear_dynamic@1 on torch-onednn@1, exact reference: torch 1.13.1 qlinear_dynamic.cpp
 * PackedLinearWeightsOnednn::apply_dynamic_impl -> ideep matmul_forward (is_dynamic: do_prepare with
 * type_compute_dynamic, runtime output scales and zero points) -> oneDNN 2.6.3, step by step:
 *   1. x_min = x.min(), x_max = x.max() (float32; torch without fbgemm);
 *   2. ChooseQuantizationParams(x_min, x_max, 0, 255, reduce_range) (choose_quantization_params.ts), qmin/qmax
 *      halved to [0, 127] with reduce_range; its scale s_x stays a double (TensorQuantizationParams.scale);
 *   3. ideep src scale ss = (float)(1.0 / s_x) (double division), weight scale ws[n] = (float)(1.0 / s_w)
 *      per tensor, 1.0f / (float)s_w[n] per channel (qlinear_prepack.cpp), all as in the static onednn ops:
 *      reference/requant/torch_onednn.ts prepareOnednn with y_scale 1 gives bias scale f32(ss * ws[n]),
 *      output scale f32(1 / f32(ss * ws[n])) and b'[n] = f32(bias[n] * f32(ss * ws[n]));
 *   4. x is quantized by oneDNN's f32 -> u8 reorder (jit_uni_reorder.cpp, attr scale ss and dst zero point),
 *      not by at::quantize_per_tensor: q = cvtps2dq(saturate_u8(f32(f32(x * ss) + (float)z_x))), the zero point
 *      added in float before the half-even conversion;
 *   5. matmul gemm:jit (gemm_x8s8s32x_matmul.cpp): acc = sum_k (q - z_x) * w as int32 (weights symmetric; exact
 *      with VNNI's vpdpbusd: accumulator `int32_wrap`); without VNNI the AVX2 gemm's vpmaddubsw pairs
 *      (accumulator `sat16_pairs`, sat16_pairs_gemm_accumulator.ts);
 *   6. the pp kernel: y = f32(f32(f32(acc) + b') * osc), ReLU as vmaxps(y, +0) (onednnScaleBiasRelu).
 * Output scales that are not normal float32 values (of either sign: a negative weight scale gives a negative one) are not
 * modeled, except the +-0 of a weight scale of +-0 (y = acc * +-0, or the default NaN with a bias). K = 0 with
 * M, N >= 1 and x of rank 2 (contract/linear_checks.ts) runs the same steps: acc = 0, y = f32(f32(0 + b') * osc), which
 * can be 1 ulp from the bias (torch 1.13.0 measured, tests/backends/torch_empty_linears.test.ts).
 */
import { QconformError } from '../../contract/errors.js';
import type { DynamicLinearArgs } from '../../contract/linear.js';
import type { F32Tensor } from '../../contract/tensor.js';
import { isNormal, isZeroValue } from '../exact/classify.js';
import { f32Add, f32Mul, f32OfF64Reciprocal, intToF32 } from '../exact/float_arith.js';
import { fromFloat32, fromFloat64, toNumber } from '../exact/ieee_bits.js';
import { type IeeeValue } from '../exact/ieee_value.js';
import { clampInt, cvtps2dq } from '../exact/x86_conversions.js';
import { type OnednnParams, onednnScaleBiasRelu, prepareOnednn } from '../requant/torch_onednn.js';
import { toF32Tensor } from '../values.js';
import { sat16PairsGemmAccumulator } from './sat16_pairs_gemm_accumulator.js';
import type { LinearShape } from '../../contract/linear_checks.js';
import type { ChosenQparams } from './choose_quantization_params.js';
import { int32WrapDot } from '../exact/int_dot.js';
import { ONE_F64 as F64_ONE } from '../constants.js';


/** Step 3: the per-output-channel parameters of the pp kernel. */
function channelParams(a: DynamicLinearArgs, n: number, xScale: IeeeValue): OnednnParams[] {
  const perChannel = a.weightQuantization === 'per_channel';
  return Array.from({ length: n }, (_, c) => {
    const bias = a.bias === null ? null : ({ kind: 'float32', value: fromFloat32(a.bias.data[c] as number) } as const);
    const wScale = fromFloat64(a.weightScales.data[perChannel ? c : 0] as number);
    const p = prepareOnednn({ xScale, wScale, yScale: F64_ONE, perChannel, yZeroPoint: 0n, bias, relu: a.relu, outMin: 0n, outMax: 0n, qnnpackPath: 'gemm' });
    // a weight scale of +-0 gives ws = +-inf, a bias scale of +-inf and osc = +-0: y = acc * osc, a signed zero, or the
    // default NaN 0xffc00000 with a bias (b' = +-inf or NaN); torch 1.13.0 measured (tests/backends/torch_weight_scale_signs.test.ts)
    if (!isNormal(p.outputScale) && !isZeroValue(wScale)) {
      throw new QconformError('unsupported_by_scheme', 'quantized_linear_dynamic: output scale', toNumber(p.outputScale), 'torch-onednn@1 is modeled for a normal, finite float32 1 / f32(ss * ws), or a weight scale of 0');
    }
    return p;
  });
}

/**
 * oneDNN's f32 -> u8 reorder of x (jit:uni reorder with a dst scale and zero point): q = cvtps2dq(f32(f32(x * scale) +
 * (float)z_x)) saturated to [0, 255]; float32 steps rounded via reference/exact, cvtps2dq half to even. Step 4 here with
 * scale ss = (float)(1.0 / s_x); torch-onednn@2's step 4 with its inverted src scale.
 */
export function reorderToU8(xs: readonly IeeeValue[], scale: IeeeValue, zeroPoint: bigint): bigint[] {
  const zp = intToF32(zeroPoint);
  return xs.map((x) => clampInt(cvtps2dq(f32Add(f32Mul(x, scale), zp)), 0n, 255n));
}

/** Steps 4-6 (above) for a call whose qparams (steps 1-2) are known: the u8 reorder (float32, cvtps2dq), the int32 accumulator (exact or sat16_pairs, wrapped), then oneDNN 2.6's float32 epilogue (onednnScaleBiasRelu), each float step rounded via reference/exact. */
export function onednnDynamicLinear(a: DynamicLinearArgs, shape: LinearShape, xs: readonly IeeeValue[], qp: ChosenQparams): F32Tensor {
  const { rows, k, n, outShape } = shape;
  const params = channelParams(a, n, qp.scaleF64);
  const q = reorderToU8(xs, f32OfF64Reciprocal(qp.scaleF64), qp.zeroPoint);
  const out: IeeeValue[] = [];
  for (let m = 0; m < rows; m++) {
    for (let c = 0; c < n; c++) {
      const acc =
        a.accumulator === 'sat16_pairs'
          ? sat16PairsGemmAccumulator(q, m * k, a.weight.data, c * k, k, qp.zeroPoint)
          : int32WrapDot(k, (j) => q[m * k + j] as bigint, (j) => BigInt(a.weight.data[c * k + j] as number), qp.zeroPoint, 0n);
      out.push(onednnScaleBiasRelu(acc, params[c] as OnednnParams));
    }
  }
  return toF32Tensor(outShape, out);
}
