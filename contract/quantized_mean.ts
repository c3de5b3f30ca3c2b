/**
 * quantized_mean@1: torch 1.13.1's Tensor.mean over the rows and columns of a quantized [N, C, H, W] tensor on the
 * fbgemm, onednn and x86 engines (ShuffleNetV2's `x.mean([2, 3])` before its classifier):
 * aten/src/ATen/native/quantized/cpu/ReduceOps.cpp mean_out_quantized_cpu. The output keeps x's scale, zero point and
 * dtype; its shape is [N, C] ([N, C, 1, 1] with keepdim). Two paths, by x's memory layout:
 *  - inner (x.is_contiguous(): a contiguous tensor, or a channels_last one with C = 1 or H = W = 1; the reduced dims
 *    are the innermost): qmean_inner_dim_kernel (kernels/QuantizedOpKernels.cpp). Per (n, c) the integer sum S of the
 *    H W stored values, then y = nearbyint(f32(f32(S) / f32(H W))): half to even, no zero point, no clamp (a mean of
 *    dtype values lies in the dtype).
 *  - float (any other x: channels_last): x.dequantize() (dequantize_val per element, this build has no FBGEMM:
 *    d = f32(f32(s) * f32(q - z))), at::mean in float32 (ReduceOps.cpp mean_out: at::sum_out, then div_(H W): the sum
 *    divided by f32(H W)), at::quantize_per_tensor to x's qparams (quantize_val: (int64)f32(f32(z) + nearbyint(f32(mean *
 *    f32(1 / f32(s))))), clamped to the dtype). Each channel's float32 sum follows ATen's cascade in the order
 *    contract/aten_float_sum.ts channelSumOrders gives it: the CPU capability (Vectorized<float>'s width) and the
 *    thread count decide which channels take which order, and where a channel's exact mean lies within an ulp of a
 *    half-integer step, the order decides its output.
 * The qnnpack engine's quint8 mean over dims written [2, 3] is QNNPACK's global average pool instead (qnnpack_mean@1,
 * contract/qnnpack_mean.ts); there [-2, -1], [3, 2] and qint8 run these kernels too.
 * Measured on torch 1.13.1 (Debian python3-torch) under ATEN_CPU_CAPABILITY=default, avx2 and avx512, on 1 to 3
 * threads (vectors/torch-1.13-mean).
 *
 * quantized_mean@2 is torch 2.6.0's (Debian 13): the same paths and refusal, but under AVX512 its float sums take AVX2's
 * vector width, 8 floats (contract/aten_float_sum.ts floatLanes; measured: vectors/torch-2.6-mean, torch 1.13's requests,
 * answered as 1.13 answers them under default and avx2, otherwise in some avx512 cases).
 *
 * torch refuses one input the inner path takes: a channels_last x of C = 1 or H = W = 1 without keepdim (the kernel
 * allocates its [N, C] output in x's suggested memory format, channels_last: "required rank 4 tensor to use
 * channels_last format"; a quantized conv's output of 1x1 pixels is such a tensor), `shape_mismatch` here.
 *
 * Scope: x quint8 or qint8, 4-D without an empty dimension; dims the last two (2 and 3, or -2 and -1, in either order,
 * each once); keepdim; the memory format x is laid out in: contiguous, or channels_last strides (as a quantized conv's
 * output has them; for C = 1 or H = W = 1 torch's x.contiguous(memory_format=torch.channels_last) keeps a contiguous
 * tensor's strides, which is `contiguous` here); cpuCapability and threads (torch.get_num_threads(), 1 to
 * MAX_ATEN_THREADS) of the process.
 */
import type { AtenCpuCapability, AtenLoopVersion, MemoryFormat } from './aten_vectorized_loop.js';
import type { IntTensor } from './tensor.js';

export interface QuantizedMeanAttrs {
  /** x's q_scale (a double, rounded to float32 where the float path dequantizes) and q_zero_point */
  readonly xScale: number;
  readonly xZeroPoint: number;
  /** the dimensions reduced: H and W, as the forward names them (2, 3 or -2, -1) */
  readonly dims: readonly number[];
  readonly keepdim: boolean;
  readonly memoryFormat: MemoryFormat;
  readonly cpuCapability: AtenCpuCapability;
  readonly threads: number;
  /** the op's version: 1 (absent), torch 1.13's quantized_mean@1; 2, torch 2.6's quantized_mean@2, whose AVX512 float sums take AVX2's vector width */
  readonly semantics?: AtenLoopVersion;
}

export interface QuantizedMeanOps {
  /** its output's qparams are x's */
  quantizedMean(x: IntTensor, attrs: QuantizedMeanAttrs): IntTensor;
}
