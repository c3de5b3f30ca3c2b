/**
 * How TFLite's int8 conv kernels add the output zero point, one rule for reference/ and impl/ (each adds it in its own
 * domain: reference/requant/output.ts on bigints, impl/requant/output.ts on doubles):
 *   acc = MultiplyByQuantizedMultiplier(acc, ...); acc += output_offset; acc = clamp(acc, act_min, act_max)
 * on int32 (ruy's StandardCpp kernel behind CONV_2D, ruy/kernel.h (ruy/kernel_common.h in older ruy): `accum +=
 * dst->zero_point()`; tensorflow/lite/kernels/internal/optimized/integer_ops/depthwise_conv.h behind
 * DEPTHWISE_CONV_2D and reference/integer_ops/conv.h ConvPerChannel: `acc += output_offset`). The add is a signed
 * int32 overflow in C++ where MultiplyByQuantizedMultiplier's result lies within |zero point| of +-2^31; LiteRT.js
 * 2.5.3 wraps it (two's complement, measured: tests/backends/litert_zero_point_wrap.test.ts), so such a result lands
 * at the opposite end of the clamp, and both tflite schemes compute that wrap.
 *
 * quint8: LiteRT.js runs a quint8 conv as TFLite's int8 kernel, with output_offset = zero point - 128 and the clamp
 * lowered by 128, and moves the int8 output back by + 128 exactly (its QUANTIZE ops:
 * conformance/backends/litert/conv_graph.ts). So the tflite schemes wrap a quint8 conv's add where that int8 kernel
 * wraps: r + (zero point - 128). (TFLite's own uint8 kernels, which qconform does not run, would add the zero point
 * itself.)
 */
import { DTYPE_RANGE } from './dtypes.js';

/**
 * The shift between a conv's output dtype and the int8 kernel that computes it under the tflite schemes: 128 for a
 * quint8 output (outMax, the output dtype's maximum, is quint8's 255), 0 for qint8. The kernel adds zero point - shift,
 * clamps to [outMin - shift, outMax - shift], and the output is its result + shift.
 */
export function tfliteInt8KernelShift(outMax: number): 0 | 128 {
  return outMax === DTYPE_RANGE.quint8.max ? 128 : 0;
}
