/** onnxruntime@1, fast twin of reference/requant/onnxruntime.ts (ORT 1.30 MlasRequantizeOutput). */
import { cvt32, f32Mul } from '../float32.js';
import { f32OutputScale } from './float_scale.js';
import { int32Add } from './int32_add.js';
import { clampFloat } from './output.js';
import { type ChannelQuantF, type Int32Policy, type RequantImpl, int32Bias } from './types.js';

export interface FloatScaleParamsF {
  readonly scale: number;
  readonly bias: number;
  readonly lo: number;
  readonly hi: number;
  readonly zeroPoint: number;
}

/** The fp32 epilogue shared with xnnpack-fp32: f32(f32(acc + bias) * scale), clamp to [lo - zp, hi - zp] in float, RNE, + zp. */
export function floatScaleRequantize(acc: number, p: FloatScaleParamsF, policy: Int32Policy): number {
  return cvt32(clampFloat(f32Mul(Math.fround(int32Add(acc, p.bias, policy)), p.scale), p.lo, p.hi)) + p.zeroPoint;
}

export function floatScaleParams(c: ChannelQuantF, scale: number): FloatScaleParamsF {
  return { scale, bias: int32Bias(c), lo: c.outMin - c.yZeroPoint, hi: c.outMax - c.yZeroPoint, zeroPoint: c.yZeroPoint };
}

/** output_scales[c] = f32(f32(X_scale * W_scale[c]) / Y_scale), every scale a float32. */
function prepare(c: ChannelQuantF): FloatScaleParamsF {
  return floatScaleParams(c, f32OutputScale(c));
}

export const requant__onnxruntime: RequantImpl<FloatScaleParamsF> = { prepare, requantize: floatScaleRequantize };
