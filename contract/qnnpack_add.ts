/**
 * qnnpack_add@1: torch 1.13.1's quantized::add and quantized::add_relu on the qnnpack engine for two quint8 tensors of
 * one shape (what a MobileNetV2 or ResNet residual add calls after conversion for qnnpack: QFunctional.add / add_relu):
 * aten/src/ATen/native/quantized/cpu/BinaryOps.cpp qadd -> qnnpack_add -> QNNPACK's pytorch_qnnp_create_add_nc_q8
 * (qnnpack/src/add.c), pytorch_qnnp_compute_add_quantization_params (src/qnnpack/requantization.h) and the x86 ukernel
 * pytorch_q8vadd_ukernel__sse2 (src/q8vadd/sse2.c). Measured on Debian's torch 1.13.1 (x86-64, gcc 12) and 2.6.0.
 *
 * Parameters, all float32 (each q_scale and the output scale passed to QNNPACK as float): ratios r_a = f32(s_a / s),
 * r_b = f32(s_b / s); e = the unbiased exponent of max(r_a, r_b); shift = 21 - e; multipliers m_a = lrintf(r_a 2^shift)
 * and m_b likewise (half to even; the scaling by 2^shift is exact), at most 2^22. Per element, in int32 (never wraps):
 *   acc = m_a (a - z_a) + m_b (b - z_b)   (QNNPACK adds -(m_a z_a + m_b z_b) to m_a a + m_b b)
 *   y   = clamp(RHAZ(acc, shift) + z, out_min, out_max)
 * RHAZ is the division by 2^shift rounded half away from zero (`(acc >> shift) + (rem > threshold)`, with
 * rem = (acc & mask) - (acc < 0), mask = 2^shift - 1, threshold = mask >> 1); [out_min, out_max] is [0, 255], or
 * [z, 255] with ReLU (activationLimits: the quantized 0).
 *
 * Ratios below 2^-10 (e <= -11): shift is 32 to 35, past what the code's int32 shifts hold (its asserts say shift < 32;
 * release builds drop them). x86 then takes the shift counts mod 32 in the scalar instructions, so mask = 2^(shift mod
 * 32) - 1, and the two code paths of the ukernel part:
 *  - the SSE2 body (a call of 8 or more elements, its tail included): psrad by 32 or more fills with the sign bit, so
 *    acc >> shift is acc >> 31;
 *  - the scalar loop (a call of fewer than 8 elements): acc >> (shift mod 32).
 * QNNPACK runs the flat tensor in calls of 4096 elements (pthreadpool_compute_1d_tiled over batch x channels, block
 * 4096): only a last call of 1 to 7 elements (numel mod 4096, or a whole tensor below 8 elements) takes the scalar loop.
 * Below 2^-10 the outputs are garbage either way (255 for most positive sums on the scalar loop); qconform reproduces
 * them (qnnpack_add_shift.ts).
 *
 * Refused as torch refuses (QNNPACK's create fails, torch raises "failed to create QNNPACK Add operator";
 * unsupported_by_scheme): a float32 scale that is not a positive normal, a ratio outside [2^-14, 2^8), and ReLU with
 * z = 255 (the output range [255, 255] is empty). Not this op (refused): qint8 (the qnnpack engine adds it with
 * XNNPACK's xnnp_add: xnnpack_add@1), tensors of two shapes (torch adds them with ATen's qadd_kernel: quantized_add@1),
 * 0-d and empty tensors. The memory format does not matter: torch makes b contiguous in a's format, and the add is
 * elementwise.
 */
import type { BinaryQparams } from './quantized_add.js';
import type { IntTensor } from './tensor.js';

/** The operands' and output's qparams (QNNPACK takes the scales as float32) and ReLU. */
export type QnnpackAddAttrs = BinaryQparams;

export interface QnnpackAddOps {
  qnnpackAdd(a: IntTensor, b: IntTensor, attrs: QnnpackAddAttrs): IntTensor;
}
