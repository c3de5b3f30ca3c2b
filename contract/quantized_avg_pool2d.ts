/**
 * quantized_avg_pool2d@1: torch 1.13.1's avg_pool2d on a quantized tensor (nn.AvgPool2d and F.avg_pool2d after a
 * quantized layer: Inception v3's pool branches, F.avg_pool2d(x, 3, 1, 1)) on the fbgemm, onednn and x86 engines, and
 * on qnnpack for qint8 or ceil_mode: avg_pool2d_quantized_cpu, aten/src/ATen/native/quantized/cpu/AveragePool2d.cpp.
 * QNNPACK's own pool (the qnnpack engine, quint8, not ceil_mode) is another op: qnnpack_avg_pool2d@1.
 *
 * The output keeps the input's scale and zero point. Windows as torch's CPU pools: output size pooling_output_shape
 * (contract/torch_pool_layout.ts torchPooledSize; pad at most kernel / 2), window [o s - p, o s - p + k) clipped to
 * [-p, in + p) (its length counted with the padding, pool_size), then to [0, in) (size, the values summed); the divisor
 * is divisor_override when given, else pool_size (count_include_pad) or size. Two kernels, chosen by the input's memory
 * layout (contract/aten_vectorized_loop.ts isChannelsLastContiguous), round differently:
 *  - NHWC (_qavg_pool_nhwc_kernel, kernels/QuantizedOpKernels.cpp): acc = sum(q) - z size in int32; multiplier
 *    m = f32(f32(f32(s) / f32(s)) / f32(divisor)). Its first floor(C / 8) 8 channels under AVX2 (floor(C / 16) 16 under
 *    AVX512, none under DEFAULT) go through QuantizeAvx2 / QuantizeAvx512 with m as the inverse scale: cvtps2dq(
 *    minps(f32(f32(acc) m), 2^31 - 128)) + z, saturated to the dtype; the other channels through quantize_val(f32(1 /
 *    m), z, f32(acc)), whose inverse is f32(1 / f32(1 / m)), not always m. A float32 scale of 0 or inf makes m NaN.
 *  - NCHW (avg_pool2d_out_frame, otherwise, and every 3-D input): m = f32(1.0 / divisor) from the double scale
 *    ratio (1.0); the zero point is added BEFORE rounding: clamp((int32) nearbyint(f32(f32(f32(sum - z size) m) +
 *    f32(z))), dtype). So on a tie the NHWC kernel rounds q - z half to even, and the NCHW kernel q.
 * Where the outputs land: the NHWC kernel writes NHWC order into an output of the input's suggest_memory_format(), NCHW
 * for a contiguous input (C = 1, or H = W = 1), as the adaptive pool does (contract/torch_pool_layout.ts).
 *
 * quantized_avg_pool2d@2 is torch 2.6.0's (Debian 13): the same kernels and forms, but its QuantizeAvx512 stores every
 * element in place (permute_mask_l8_v fixed), so no channel repeats; its AVX512 vector blocks stay floor(C / 16) 16
 * channels (measured: vectors/torch-2.6-avg-pool, the requests of vectors/torch-1.13-avg-pool; 22 of the 130 avx512
 * answers part from 1.13's, each where 1.13 repeats elements, and two avx512 cases of 11 and 15 channels with a NaN
 * multiplier answer otherwise with AVX2's blocks of 8).
 *
 * Scope: 3-D [C, H, W] or 4-D [N, C, H, W] quint8 or qint8 tensors, every dimension at least 1; kernel, stride and
 * padding of at most 2^20 each; divisor_override a nonzero int32. Outputs in logical NCHW order.
 */
import type { AtenCpuCapability, AtenLoopVersion, MemoryFormat } from './aten_vectorized_loop.js';
import type { IntTensor } from './tensor.js';

export interface QuantizedAvgPool2dAttrs {
  /** the input's q_scale and q_zero_point; the output keeps them */
  readonly scale: number;
  readonly zeroPoint: number;
  /** [kH, kW] */
  readonly kernelSize: readonly [number, number];
  /** [sH, sW]; torch's default (an empty stride) is the kernel size */
  readonly stride: readonly [number, number];
  /** [pH, pW] */
  readonly padding: readonly [number, number];
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  /** null: the window's element count (with or without padding) */
  readonly divisorOverride: number | null;
  readonly memoryFormat: MemoryFormat;
  /** which channels the NHWC kernel's vector form takes */
  readonly cpuCapability: AtenCpuCapability;
  /** the op's version: 1 (absent), torch 1.13's quantized_avg_pool2d@1; 2, torch 2.6's quantized_avg_pool2d@2 */
  readonly semantics?: AtenLoopVersion;
}

export interface QuantizedAvgPool2dOps {
  quantizedAvgPool2d(x: IntTensor, attrs: QuantizedAvgPool2dAttrs): IntTensor;
}
