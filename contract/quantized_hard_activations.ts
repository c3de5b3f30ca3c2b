/**
 * quantized_hardswish@1 and quantized_hardsigmoid@1: torch 1.13.1's Hardswish and Hardsigmoid on quantized tensors on
 * the fbgemm, onednn and x86 engines (what MobileNetV3's converted blocks call: nn.quantized.Hardswish's
 * quantized::hardswish(x, scale, zero_point), and hardsigmoid on a quantized tensor, the squeeze-excitation's gate).
 * aten/src/ATen/native/quantized/cpu/qhardswish.cpp quantized_hardswish -> qhardswish_stub, qhardsigmoid.cpp
 * hardsigmoid_quantized_cpu -> qhardsigmoid_stub; both kernels in kernels/QuantizedOpKernels.cpp (qhardswish_kernel,
 * qhardsigmoid_kernel). The qnnpack engine runs QNNPACK's lookup tables on quint8 instead (not modelled).
 *
 * Each kernel dequantizes, computes the function in float32 and quantizes, with two lambdas that round differently;
 * which elements take which is contract/aten_vectorized_loop.ts's vectorFormMask (cpu_kernel_vec, as quantized::add).
 * Float32 input scale s = f32(q_scale), zero point z:
 *  - vector (Vectorized<quint8 | qint8>::dequantize and ::quantize): d = fma(s, f32(q), f32(s * -f32(z)));
 *    hardswish f32(f32(d * min(max(f32(d + 3), 0), 6)) / 6), hardsigmoid f32(min(max(f32(d + 3), 0), 6) / 6), with
 *    vec::maximum / vec::minimum (a NaN operand gives NaN); then QuantizeAvx2 / QuantizeAvx512 with the kernel's
 *    float32 reciprocal: t = minps(f32(y * inv), 2^31 - 128), cvtps2dq (half to even), + z_out as an int32 addition
 *    (wrapping), a clamp to the dtype range.
 *  - scalar (dequantize_val, quantize_val): d = f32(s * (q - z)); the same function with std::max / std::min (a NaN
 *    first operand passes through, a NaN second one does not); quantize_val (reference/ops/quantize_val.ts):
 *    (int64)f32(f32(z_out) + nearbyint(f32(y * f32(1 / f32(s_out))))), clamped to the dtype range.
 * The reciprocals part too: hardswish's vector form multiplies by f32(1.0 / s_out) computed in double
 * (`const float o_inv_scale = 1.0 / o_scale`, o_scale the double q_scale), its scalar form by quantize_val's
 * f32(1.0f / f32(s_out)). Hardsigmoid's output qparams are fixed: scale 2^-8, zero point 0 (quint8) or -128 (qint8),
 * inverse 256 in both forms.
 *
 * quantized_hardswish@2 and quantized_hardsigmoid@2 are torch 2.6.0's: the same kernels, but their AVX512 loop splits at
 * multiples of 64 elements, as quantized_add@2's (semantics 2; measured: the 65-element hardsigmoid of the README gives
 * 91, 91, 90 under avx512 on torch 2.6 and 90s on 1.13; vectors/torch-2.6-hardswish, -hardsigmoid).
 *
 * Scope: x of dtype quint8 or qint8 (a qint32 tensor's hardsigmoid is not modelled), any shape, one memory format;
 * zero points in the dtype range; `threads` is torch.get_num_threads() of the calling process.
 */
import type { AtenElementwiseAttrs } from './aten_vectorized_loop.js';
import type { IntTensor } from './tensor.js';

export interface QuantizedHardsigmoidAttrs extends AtenElementwiseAttrs {
  /** x's q_scale (a double, rounded to float32 by the kernel) and q_zero_point */
  readonly xScale: number;
  readonly xZeroPoint: number;
}

export interface QuantizedHardswishAttrs extends QuantizedHardsigmoidAttrs {
  /** the output's scale and zero point (quantized::hardswish's scale, zero_point arguments) */
  readonly scale: number;
  readonly zeroPoint: number;
}

/** qhardsigmoid_kernel's output qparams: scale 1 / 2^8, zero point -128 for qint8 ("to maximize precision"), else 0. */
export function hardsigmoidOutputQparams(dtype: 'quint8' | 'qint8'): { readonly scale: number; readonly zeroPoint: number } {
  return { scale: 2 ** -8, zeroPoint: dtype === 'qint8' ? -128 : 0 };
}

export interface QuantizedHardActivationOps {
  quantizedHardswish(x: IntTensor, attrs: QuantizedHardswishAttrs): IntTensor;
  /** its output's qparams are hardsigmoidOutputQparams(x.dtype) */
  quantizedHardsigmoid(x: IntTensor, attrs: QuantizedHardsigmoidAttrs): IntTensor;
}
