/**
 * onnxruntime@1: ONNX Runtime 1.30 CPU QLinearConv (requantization-schemes.md §11b; backends-measured.md).
 * Sources: onnxruntime/core/providers/cpu/quantization/qlinearconv.cc (output_scales), MLAS
 * MlasRequantizeOutput (lib/quantize.cpp) and the MlasConvSym post-processing parameters.
 * ONNX scales are float32 tensors: the f64 wire values are rounded to float32 first.
 */
import { f32Div, f32Mul, intToF32, toF32 } from '../exact/float_arith.js';
import { type IeeeValue, finite } from '../exact/ieee_value.js';
import { Rational } from '../exact/rational.js';
import { cvtps2dq } from '../exact/x86_conversions.js';
import { clampFloat } from './float_clamp.js';
import { int32Add } from './int32_add.js';
import type { ChannelQuant, Int32Policy, RequantRef } from './types.js';

export interface OrtParams {
  /** output_scales[c] = f32(f32(X_scale * W_scale[c]) / Y_scale) */
  readonly scale: IeeeValue;
  readonly bias: bigint;
  /** float(outMin - zp), float(outMax - zp): the clamp applied before rounding */
  readonly lo: IeeeValue;
  readonly hi: IeeeValue;
  readonly zeroPoint: bigint;
}

function prepare(c: ChannelQuant): OrtParams {
  const fromInt = (n: bigint) => finite(Rational.fromInt(n));
  return {
    scale: f32Div(f32Mul(toF32(c.xScale), toF32(c.wScale)), toF32(c.yScale)),
    bias: c.bias?.kind === 'int32' ? c.bias.value : 0n,
    lo: fromInt(c.outMin - c.yZeroPoint),
    hi: fromInt(c.outMax - c.yZeroPoint),
    zeroPoint: c.yZeroPoint,
  };
}

/**
 * MlasRequantizeOutput: f = f32(f32(acc + bias) * scale) (int32 add), clamped in float to
 * [outMin - zp, outMax - zp], rounded half-even (cvtps2dq), then + zp as an integer.
 */
function requantize(acc: bigint, p: OrtParams, policy: Int32Policy): bigint {
  const f = f32Mul(intToF32(int32Add(acc, p.bias, policy)), p.scale);
  return cvtps2dq(clampFloat(f, p.lo, p.hi)) + p.zeroPoint;
}

export const onnxruntime: RequantRef<OrtParams> = { prepare, requantize };
