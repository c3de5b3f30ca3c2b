/** torch-onednn@1, fast twin of reference/requant/torch_onednn.ts (PyTorch 1.13 + oneDNN 2.6, reciprocal scales, float bias and zero point). */
import { cvt32, f32Add, f32Div, f32Mul } from '../float32.js';
import { clampFloat } from './output.js';
import type { ChannelQuantF, RequantImpl } from './types.js';

export interface OnednnParamsF {
  readonly outputScale: number;
  /** NaN marks "no bias" */
  readonly scaledBias: number;
  readonly zeroPoint: number;
  readonly lo: number;
  readonly hi: number;
  readonly relu: boolean;
}

export function prepareOnednn(c: ChannelQuantF): OnednnParamsF {
  const srcScale = Math.fround(1 / c.xScale);
  const dstScale = Math.fround(1 / c.yScale);
  const weightScale = c.perChannel ? f32Div(1, Math.fround(c.wScale)) : Math.fround(1 / c.wScale);
  const biasScale = f32Mul(srcScale, weightScale);
  return {
    outputScale: f32Div(dstScale, biasScale),
    scaledBias: c.bias?.kind === 'float32' ? f32Mul(c.bias.value, biasScale) : NaN,
    zeroPoint: c.yZeroPoint,
    lo: c.outMin,
    hi: c.outMax,
    relu: c.relu,
  };
}

/** f32(acc), + b', * osc, ReLU as vmaxps(d, +0): the float32 the zero point is added to (the dynamic linear's output). */
export function onednnScaleBiasRelu(acc: number, p: OnednnParamsF): number {
  let d = Math.fround(acc);
  if (p.scaledBias === p.scaledBias) d = f32Add(d, p.scaledBias);
  d = f32Mul(d, p.outputScale);
  return p.relu && !(d > 0) ? 0 : d;
}

function requantize(acc: number, p: OnednnParamsF): number {
  return cvt32(clampFloat(f32Add(onednnScaleBiasRelu(acc, p), p.zeroPoint), p.lo, p.hi));
}

export const requant__torch_onednn: RequantImpl<OnednnParamsF> = { prepare: prepareOnednn, requantize };
