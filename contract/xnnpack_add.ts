/**
 * xnnpack_add@1: torch 1.13.1's quantized::add and quantized::add_relu on the qnnpack engine for two qint8 tensors of
 * one shape: BinaryOps.cpp qadd -> xnnp_add -> XNNPACK's xnn_create_add_nd_qs8 (Debian's libxnnpack0
 * 0.0~git20220216.ae108ef, which Debian's torch links), its qs8 add parameters (xnn_init_qs8_add_minmax_*_params) and
 * vadd microkernels, which compute alike on every x86 path. Measured on Debian's torch 1.13.1.
 *
 * Parameters, all float32 (each q_scale and the output scale passed to XNNPACK as float): ratios r_a = f32(s_a / s),
 * r_b = f32(s_b / s); e = the unbiased exponent of max(r_a, r_b); shift = 20 - e (12 to 30); multipliers
 * m_a = lrintf(r_a 2^shift) and m_b likewise (half to even; the scaling is exact), at most 2^21. Per element, in int32:
 *   acc = m_a (a - z_a) + m_b (b - z_b) + 2^(shift - 1)
 *   y   = clamp((acc >> shift) + z, out_min, out_max)      (arithmetic shift: the sum rounded half up, toward +inf)
 * with [out_min, out_max] = [-128, 127], or [z, 127] with ReLU. So where the sum is an exact half output step XNNPACK
 * rounds -1/2 to 0 (QNNPACK's add, qnnpack_add@1, rounds it away from zero to -1; ATen's qadd_kernel to even).
 *
 * Refused as torch refuses (XNNPACK's create fails, torch raises "xnnp_add(): xnn create operator failed";
 * unsupported_by_scheme): a float32 scale that is not a positive normal, a ratio outside [2^-10, 2^8), ReLU with z = 127
 * (the output range [127, 127] is empty). Not this op (refused): quint8 (QNNPACK's add on this engine: qnnpack_add@1),
 * tensors of two shapes (xnnp_add broadcasts: not modelled), 0-d and empty tensors.
 */
import type { BinaryQparams } from './quantized_add.js';
import type { IntTensor } from './tensor.js';

/** The operands' and output's qparams (XNNPACK takes the scales as float32) and ReLU. */
export type XnnpackAddAttrs = BinaryQparams;

export interface XnnpackAddOps {
  xnnpackAdd(a: IntTensor, b: IntTensor, attrs: XnnpackAddAttrs): IntTensor;
}
