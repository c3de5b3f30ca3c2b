/** torch-onednn@1, fast twin of reference/requant/torch_onednn.ts (PyTorch 1.13 + oneDNN 2.6, reciprocal scales, float bias and zero point). */
import { cvt32, f32Add, f32Div, f32Mul, f32OfF64Reciprocal } from '../float32.js';
import { clampFloat } from './output.js';
import type { ChannelQuantF, RequantImpl } from './types.js';

export interface OnednnParamsF {
  readonly outputScale: number;
  /** null without a bias (a scaled bias may itself be NaN: f32(0 * inf)) */
  readonly scaledBias: number | null;
  readonly zeroPoint: number;
  readonly lo: number;
  readonly hi: number;
  readonly relu: boolean;
}

/** oneDNN's weight scale: per tensor (float)(1.0 / s_w) (a double division), per channel 1.0f / (float)s_w[c] (float). */
export function onednnWeightScale(sw: number, perChannel: boolean): number {
  return perChannel ? f32Div(1, Math.fround(sw)) : f32OfF64Reciprocal(sw);
}

export function prepareOnednn(c: ChannelQuantF): OnednnParamsF {
  const srcScale = f32OfF64Reciprocal(c.xScale);
  const dstScale = f32OfF64Reciprocal(c.yScale);
  const weightScale = onednnWeightScale(c.wScale, c.perChannel);
  const biasScale = f32Mul(srcScale, weightScale);
  return {
    outputScale: f32Div(dstScale, biasScale),
    scaledBias: c.bias?.kind === 'float32' ? f32Mul(c.bias.value, biasScale) : null,
    zeroPoint: c.yZeroPoint,
    lo: c.outMin,
    hi: c.outMax,
    relu: c.relu,
  };
}

/** f32(acc), + b', * osc, ReLU as vmaxps(d, +0): the float32 the zero point is added to (the dynamic linear's output). */
export function onednnScaleBiasRelu(acc: number, p: OnednnParamsF): number {
  let d = Math.fround(acc);
  if (p.scaledBias !== null) d = f32Add(d, p.scaledBias);
  d = f32Mul(d, p.outputScale);
  return p.relu && !(d > 0) ? 0 : d;
}

function requantize(acc: number, p: OnednnParamsF): number {
  return cvt32(clampFloat(f32Add(onednnScaleBiasRelu(acc, p), p.zeroPoint), p.lo, p.hi));
}

export const requant__torch_onednn: RequantImpl<OnednnParamsF> = { prepare: prepareOnednn, requantize };
