/**
 * quantized_cat@1: torch 1.13.1's quantized::cat and quantized::cat_relu (what nn.quantized.FloatFunctional's
 * QFunctional.cat calls: GoogLeNet's and Inception v3's branch concatenations after conversion), on any engine (the op
 * is ATen's own): aten/src/ATen/native/quantized/cpu/TensorShape.cpp quantized_cat_impl. Every input is requantized
 * from its own (scale, zero point) to the output's. Float32 scales s_t = f32(q_scale of input t), s = the output's:
 *
 *  - NHWC fast path (is_cat_nhwc_fast_path: every input 4-D and is_contiguous(ChannelsLast), which a contiguous input
 *    with C = 1 or H = W = 1 also is (contract/aten_vectorized_loop.ts isChannelsLastContiguous: GoogLeNet's and Inception's
 *    concatenations after the pool are [N, C, 1, 1]), and `dim` literally 1: -3 is not 1 there, it is only wrapped later
 *    on the generic path): qcat_nhwc_kernel (kernels/QuantizedOpKernels.cpp). Per pixel
 *    and input t of C_t channels:
 *     - copied as they are when input t's q_scale equals the output's scale as doubles and its zero point equals the
 *       output's (and not cat_relu);
 *     - else its first V(C_t) channels in the vector form, the rest in the scalar form, with V = 0 under the DEFAULT
 *       capability (its Vectorized<quint8 | qint8> converts element by element with the scalar functions), floor(C_t /
 *       8) 8 under AVX2 (a loop of 32 channels, then one buffered block of 8, 16 or 24) and floor(C_t / 16) 16 under
 *       AVX512 (64, then 16, 32 or 48).
 *       vector: d = fma(s_t, f32(q), f32(s_t * -f32(z_t))) (one rounding); cat_relu: vec::maximum(d, 0); then
 *         QuantizeAvx2 / QuantizeAvx512 with inv = f32(1.0 / scale), the reciprocal of the DOUBLE scale rounded to float32
 *         (`float inv_scale = 1.0 / scale`), not quantize_val's f32(1.0f / s): minps(f32(d inv), 2^31 - 128), cvtps2dq,
 *         + z in int32, the saturating packs.
 *       scalar: d = f32(s_t * f32(q - z_t)) (dequantize_val); cat_relu: std::max(0.0f, d); quantize_val(scale, z, d).
 *  - Generic path (anything else: contiguous inputs, another dim): every input dequantized (dequantize_val; this torch
 *    is built without FBGEMM, so dequantize_tensor_per_tensor_affine_cpu is that scalar loop), at::cat in float, then
 *    quantize_per_tensor (quantize_val per element); cat_relu clamps the quantized values below at the zero point.
 *
 * So the outputs of one request part by path and capability only where a requantized value lies within an ulp of a
 * half-integer: the fma, the rounded premultiplied zero point and the double-then-float reciprocal move it across.
 *
 * quantized_cat@2 is torch 2.6.0's: the same paths and forms, but under AVX512 its vector blocks are AVX2's, floor(C_t /
 * 8) 8 channels (measured: torch 2.6 under ATEN_CPU_CAPABILITY=avx512 answers every avx512 case of vectors/torch-1.13-cat
 * as 1.13 under AVX2 does, and 11 of those 130 otherwise than 1.13 under AVX512; its quantized_add@2 steps alike).
 *
 * Scope: inputs of one dtype (quint8 or qint8), one rank (>= 1), no empty dimension and equal dimensions but along
 * `dim`; every input in one memory format (channels_last needs 4-D; inputs of mixed formats are not expressible); scales
 * finite and positive, zero points in the dtype's range. The output is given in logical (NCHW) order.
 */
import type { AtenCpuCapability, AtenLoopVersion, MemoryFormat } from './aten_vectorized_loop.js';
import type { IntTensor } from './tensor.js';

/** One input of the concatenation: its values and its q_scale (a double, as torch stores it) and q_zero_point. */
export interface QuantizedCatInput {
  readonly x: IntTensor;
  readonly scale: number;
  readonly zeroPoint: number;
}

export interface QuantizedCatAttrs {
  /** the output's scale and zero point (quantized::cat's scale and zero_point arguments) */
  readonly scale: number;
  readonly zeroPoint: number;
  /** the dimension, -rank <= dim < rank, as given: only a literal 1 takes the NHWC fast path */
  readonly dim: number;
  /** quantized::cat_relu */
  readonly relu: boolean;
  readonly cpuCapability: AtenCpuCapability;
  /** every input's memory format */
  readonly memoryFormat: MemoryFormat;
  /** the op's version: 1 (absent), torch 1.13's quantized_cat@1; 2, torch 2.6's quantized_cat@2, whose AVX512 blocks are AVX2's */
  readonly semantics?: AtenLoopVersion;
}

export interface QuantizedCatOps {
  quantizedCat(inputs: readonly QuantizedCatInput[], attrs: QuantizedCatAttrs): IntTensor;
}
