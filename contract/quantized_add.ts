/**
 * quantized_add@1: torch 1.13.1's quantized::add and quantized::add_relu (what nn.quantized.FloatFunctional's
 * QFunctional.add / add_relu and a converted FX model's residual add call) on the fbgemm, onednn and x86 engines:
 * aten/src/ATen/native/quantized/cpu/BinaryOps.cpp qadd -> qadd_stub -> qadd_kernel
 * (aten/src/ATen/native/quantized/cpu/kernels/QuantizedOpKernels.cpp). The qnnpack engine's own add
 * (qnnpack_add, xnnp_add) is another op: qnnpack_add@1 (quint8), xnnpack_add@1 (qint8).
 *
 * qadd_kernel dequantizes both inputs, adds in float32, applies ReLU and quantizes to (scale, zero_point), with two
 * lambdas that round differently; which elements take which is contract/aten_vectorized_loop.ts's vectorFormMask.
 * Float32 scales s_a, s_b, s (each q_scale rounded to float), inv = f32(1 / s):
 *  - vector (Vectorized<quint8 | qint8>::dequantize and ::quantize, aten/src/ATen/cpu/vec/vec256/vec256_qint.h and
 *    vec512/vec512_qint.h): d_a = fma(s_a, f32(a), f32(s_a * -f32(z_a))), likewise d_b; c = f32(d_a + d_b);
 *    ReLU as vec::maximum(c, 0) (NaN stays NaN); t = f32(c * inv); t = minps(t, 2^31 - 128) (a NaN t gives
 *    2^31 - 128); cvtps2dq (half to even; out of range gives INT32_MIN); + z as an int32 addition, which WRAPS
 *    (2^31 - 128 + 200 is negative); then the saturating packs: a clamp to the dtype range.
 *  - scalar (dequantize_val, quantize_val, AffineQuantizerBase.cpp, non-FBGEMM build): d_a = f32(s_a * (a - z_a));
 *    c = f32(d_a + d_b); ReLU as std::max(c, 0); then quantize_val: (int64)f32(f32(z) + nearbyint(f32(c * inv))),
 *    clamped to the dtype range (reference/ops/quantize_val.ts).
 * The forms part when s_a * z_a is not a float32 (the vector form rounds it first) and when c / s overflows int32.
 *
 * quantized_add@2 is torch 2.6.0's: the same two forms, but its AVX512 loop splits at multiples of 64 elements (as
 * AVX2's), not 128 (contract/aten_vectorized_loop.ts AtenLoopVersion; vectors/torch-2.6-add).
 *
 * Scope: a and b of one dtype (quint8 or qint8), one shape (torch broadcasts b; not modelled) and one memory format;
 * zero points in the dtype range; `threads` is torch.get_num_threads() of the calling process.
 */
import type { AtenElementwiseAttrs } from './aten_vectorized_loop.js';
import type { IntTensor } from './tensor.js';

/** What every quantized::add and quantized::mul kernel takes (qadd_kernel, QNNPACK's, XNNPACK's, qmul_kernel): the operands' and output's qparams, ReLU. */
export interface BinaryQparams {
  /** q_scale of a and b (doubles, as torch stores them; the kernels round them to float32) */
  readonly aScale: number;
  readonly aZeroPoint: number;
  readonly bScale: number;
  readonly bZeroPoint: number;
  /** the output's scale and zero point (quantized::add's scale, zero_point arguments) */
  readonly scale: number;
  readonly zeroPoint: number;
  /** quantized::add_relu */
  readonly relu: boolean;
}

/** semantics 1 (absent): torch 1.13's quantized_add@1; 2: torch 2.6's quantized_add@2, whose AVX512 loop steps by 64. */
export interface QuantizedAddAttrs extends BinaryQparams, AtenElementwiseAttrs {}

export interface QuantizedAddOps {
  quantizedAdd(a: IntTensor, b: IntTensor, attrs: QuantizedAddAttrs): IntTensor;
}
