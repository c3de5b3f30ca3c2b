/**
 * quantized_linear_dynamic@1 on torch-onednn@2, exact reference: torch 2.6.0 qlinear_dynamic.cpp
 * PackedLinearWeightsOnednn::apply_dynamic_impl (the same torch code as 1.13) -> ideep for oneDNN v3
 * matmul_forward (is_dynamic) -> oneDNN 3.7 (ONEDNN_VERBOSE on the AVX512-VNNI host: reorder jit:uni f32 -> u8 with
 * `attr-scales:dst:0:f32 attr-zero-points:dst:0:s32`, then matmul brg_matmul with `attr-scales:src0:0:f32+wei:0:f32
 * attr-zero-points:src0:0:s32`, f32 bias, f32 dst). Steps 1-2 (x min/max, ChooseQuantizationParams honouring
 * reduce_range, the double scale s_x) are torch-onednn@1's; then, each step float32 unless said:
 *   3. torch's ideep scales are reciprocal, as in 1.13: ss = (float)(1.0 / s_x) (double division), weight
 *      ws[n] = (float)(1.0 / s_w) per tensor, 1.0f / (float)s_w[n] per channel (qlinear_prepack.cpp); ideep's oneDNN
 *      v3 path turns them into oneDNN 3 scales: src_scale = 1.0f / ss, wei_scale[n] = 1.0f / ws[n];
 *   4. the src reorder divides by its dst scale src_scale as a multiplication by the float inverse:
 *      q = cvtps2dq(f32(f32(x * f32(1.0f / src_scale)) + z_x)) saturated to [0, 255] (f32(1 / f32(1 / ss)) is ss
 *      almost always, not always: 5 of the 283 output cases of vectors/torch-2.6-linear need it);
 *   5. acc = sum_k (q - z_x) w as int32 (VNNI: exact; accumulator `int32_wrap` only, the non-VNNI kernels of
 *      oneDNN 3.7 are not modelled);
 *   6. brgemm's epilogue: y = f32(f32(acc) * f32(src_scale * wei_scale[n])) then + bias (float32, unscaled), then
 *      ReLU as max(y, +0) (eltwise post-op).
 * Differences from torch-onednn@1 (oneDNN 2.6: f32(f32(acc + f32(b ss ws)) * f32(1 / f32(ss ws)))): the order of
 * bias and scale, and the scale inversions; 224 of the 300 onednn dynamic linears of vectors/torch-1.13-linear
 * come out differently (1-2 ulps) in torch 2.6, and this model gives all of them (vectors/torch-2.6-linear).
 * Scales with no finite normal float32 value (ws, wei_scale or their product, of either sign) are refused, not modelled,
 * except for a weight scale of +-0: wei_scale = 1.0f / +-inf = +-0 and the product +-0 (y = f32(acc * +-0) + bias).
 */
import { QconformError } from '../../contract/errors.js';
import type { DynamicLinearArgs } from '../../contract/linear.js';
import type { LinearShape } from '../../contract/linear_checks.js';
import type { F32Tensor } from '../../contract/tensor.js';
import { ONE_F32, ZERO_F32 } from '../constants.js';
import { isNormal, isZeroValue } from '../exact/classify.js';
import { f32Add, f32Div, f32Mul, f32OfF64Reciprocal, intToF32 } from '../exact/float_arith.js';
import { fromFloat32, fromFloat64, toNumber } from '../exact/ieee_bits.js';
import { ieeeLess } from '../exact/ieee_compare.js';
import { type IeeeValue } from '../exact/ieee_value.js';
import { toF32Tensor } from '../values.js';
import type { ChosenQparams } from './choose_quantization_params.js';
import { int32WrapDot } from '../exact/int_dot.js';
import { reorderToU8 } from './quantized_linear_dynamic_onednn.js';
import { onednnWeightScale } from '../requant/torch_onednn.js';


/** v itself when it is a finite, normal float32 (of either sign); otherwise the request is refused (unsupported_by_scheme), not modelled. */
function normal(what: string, v: IeeeValue): IeeeValue {
  if (!isNormal(v)) {
    throw new QconformError('unsupported_by_scheme', `quantized_linear_dynamic: ${what}`, toNumber(v), 'torch-onednn@2 is modeled for finite, normal float32 scales');
  }
  return v;
}

/** Step 3 and 6's scale: f32(src_scale * wei_scale[n]) per output channel. */
function accScales(a: DynamicLinearArgs, n: number, srcScale: IeeeValue): IeeeValue[] {
  const perChannel = a.weightQuantization === 'per_channel';
  return Array.from({ length: n }, (_, c) => {
    const sw = fromFloat64(a.weightScales.data[perChannel ? c : 0] as number);
    // s_w = +-0: ws = +-inf, wei_scale = +-0, so y = f32(acc * +-0) + bias (torch 2.6 measured:
    // tests/backends/torch_weight_scale_signs.test.ts); the normal-value checks apply to every other s_w
    const checked = (what: string, v: IeeeValue) => (isZeroValue(sw) ? v : normal(what, v));
    const ws = checked('weight scale 1 / s_w', onednnWeightScale(sw, perChannel));
    return checked('src_scale * wei_scale', f32Mul(srcScale, checked('wei_scale', f32Div(ONE_F32, ws))));
  });
}

/** Steps 3-6 (above) for a call whose qparams (steps 1-2) are known: float32 scales and reorder (cvtps2dq), the exact int32 accumulator (wrapped), brgemm's float32 epilogue; each float step rounded via reference/exact. */
export function onednnV2DynamicLinear(a: DynamicLinearArgs, shape: LinearShape, xs: readonly IeeeValue[], qp: ChosenQparams): F32Tensor {
  const { rows, k, n, outShape } = shape;
  const ss = f32OfF64Reciprocal(qp.scaleF64);
  const srcScale = normal('src_scale', f32Div(ONE_F32, ss));
  const scales = accScales(a, n, srcScale);
  const inverse = f32Div(ONE_F32, srcScale);
  const q = reorderToU8(xs, inverse, qp.zeroPoint);
  const out: IeeeValue[] = [];
  for (let m = 0; m < rows; m++) {
    for (let c = 0; c < n; c++) {
      const acc = int32WrapDot(k, (j) => q[m * k + j] as bigint, (j) => BigInt(a.weight.data[c * k + j] as number), qp.zeroPoint, 0n);
      let y = f32Mul(intToF32(acc), scales[c] as IeeeValue);
      if (a.bias !== null) y = f32Add(y, fromFloat32(a.bias.data[c] as number));
      out.push(a.relu && !ieeeLess(ZERO_F32, y) ? ZERO_F32 : y);
    }
  }
  return toF32Tensor(outShape, out);
}
