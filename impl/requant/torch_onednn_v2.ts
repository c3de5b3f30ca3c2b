/** torch-onednn@2, fast twin of reference/requant/torch_onednn_v2.ts (PyTorch 2.6 + oneDNN 3.7: scales re-inverted by ideep, unscaled float bias). */
import { cvt32, f32Add, f32Div, f32Mul, f32OfF64Reciprocal } from '../float32.js';
import { clampFloat } from './output.js';
import type { ChannelQuantF, RequantImpl } from './types.js';

export interface OnednnV2ParamsF {
  readonly accScale: number;
  /** null without a bias */
  readonly bias: number | null;
  readonly dstScaleInverse: number;
  readonly zeroPoint: number;
  readonly lo: number;
  readonly hi: number;
  readonly relu: boolean;
}

function prepare(c: ChannelQuantF): OnednnV2ParamsF {
  const srcScale = f32Div(1, f32OfF64Reciprocal(c.xScale));
  const dstScale = f32Div(1, f32OfF64Reciprocal(c.yScale));
  return {
    accScale: f32Mul(srcScale, Math.fround(c.wScale)),
    bias: c.bias?.kind === 'float32' ? c.bias.value : null,
    dstScaleInverse: f32Div(1, dstScale),
    zeroPoint: c.yZeroPoint,
    lo: c.outMin,
    hi: c.outMax,
    relu: c.relu,
  };
}

function requantize(acc: number, p: OnednnV2ParamsF): number {
  let d = f32Mul(Math.fround(acc), p.accScale);
  if (p.bias !== null) d = f32Add(d, p.bias);
  if (p.relu && d < 0) d = 0;
  d = f32Mul(d, p.dstScaleInverse);
  return cvt32(clampFloat(f32Add(d, p.zeroPoint), p.lo, p.hi));
}

export const requant__torch_onednn_v2: RequantImpl<OnednnV2ParamsF> = { prepare, requantize };
