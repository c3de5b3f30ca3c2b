/**
 * qnnpack_hardswish@1 and qnnpack_hardsigmoid@1: torch 1.13.1's Hardswish (quantized::hardswish) and hardsigmoid of a
 * quint8 tensor on the qnnpack engine: aten/src/ATen/native/quantized/cpu/qhardswish.cpp qnnpack_hardswish and
 * qhardsigmoid.cpp qnnpack_hardsigmoid, which build QNNPACK's 256-entry lookup table (qnnpack/src/hardswish.c
 * pytorch_qnnp_create_hardswish_nc_q8, hardsigmoid.c) and map every byte through it. qint8 tensors take ATen's kernels
 * on that engine too (quantized_hardswish@1, quantized_hardsigmoid@1).
 *
 * The table, per byte i, in float32 with s = f32(q_scale of x), z its zero point, s_o = f32(output scale), z_o:
 *   d = f32(s (i - z)) (+-inf where s (i - z) overflows); r = f32(d + 3), then r = r > 0 ? r : 0, r = r < 6 ? r : 6;
 *   hardswish v = f32(f32(d r) / 6) (NaN for d = -inf: -inf * 0), hardsigmoid v = f32(r / 6);
 *   t = f32(f32(f32(1 / s_o) v) + z_o); t < 0 ? 0 : t; t > 255 ? 255 : t (NaN passes both);
 *   y = (uint8_t)lrintf(t): half to even; a NaN t gives lrintf's INT64_MIN, whose low byte is 0.
 * So unlike ATen's kernels it multiplies by the reciprocal before adding the zero point in float, and rounds once, with
 * no vector form: the layout and the ATen capability do not matter. Hardsigmoid's output is scale 2^-8, zero point 0.
 *
 * Refused as torch refuses: a 0-d tensor (TORCH_CHECK, shape_mismatch), a float32 scale that is not a positive normal
 * (QNNPACK's create fails and torch's TORCH_INTERNAL_ASSERT raises: unsupported_by_scheme). An empty tensor is refused
 * too (shape_mismatch): QNNPACK takes numel / size(0) channels, which with size(0) = 0 divides by zero (the process
 * dies of SIGFPE) and otherwise is 0, which QNNPACK refuses.
 */
import type { IntTensor } from './tensor.js';

export interface QnnpackHardsigmoidAttrs {
  /** x's q_scale (a double; QNNPACK takes it as float32) and q_zero_point */
  readonly xScale: number;
  readonly xZeroPoint: number;
}

export interface QnnpackHardswishAttrs extends QnnpackHardsigmoidAttrs {
  /** the output's scale and zero point (quantized::hardswish's scale, zero_point arguments) */
  readonly scale: number;
  readonly zeroPoint: number;
}

/** qnnpack_hardsigmoid's output qparams: `constexpr float o_scale = 1.0f / 256.0f; o_zero_point = 0`. */
export const QNNPACK_HARDSIGMOID_OUTPUT = { scale: 2 ** -8, zeroPoint: 0 } as const;

export interface QnnpackHardActivationOps {
  qnnpackHardswish(x: IntTensor, attrs: QnnpackHardswishAttrs): IntTensor;
  /** its output's qparams are QNNPACK_HARDSIGMOID_OUTPUT */
  qnnpackHardsigmoid(x: IntTensor, attrs: QnnpackHardsigmoidAttrs): IntTensor;
}
