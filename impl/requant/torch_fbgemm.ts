/** torch-fbgemm@1 (unverified), fast twin of reference/requant/torch_fbgemm.ts (FBGEMM ReQuantizeOutput, float bias). */
import { clampInt, f32Add, f32Div, f32Mul, lrintfToInt64 } from '../float32.js';
import { f32ActTimesW } from './float_scale.js';
import type { ChannelQuantF, RequantImpl } from './types.js';

export interface FbgemmParamsF {
  readonly multiplier: number;
  /** null without a bias (a bias in accumulator units may itself be NaN: f32(0 / 0)) */
  readonly biasAcc: number | null;
  readonly c: ChannelQuantF;
}

function prepare(c: ChannelQuantF): FbgemmParamsF {
  const actTimesW = f32ActTimesW(c);
  return { multiplier: f32Div(actTimesW, Math.fround(c.yScale)), biasAcc: c.bias?.kind === 'float32' ? f32Div(c.bias.value, actTimesW) : null, c };
}

/** lrintf to a long: half-even, NaN or |v| >= 2^63 -> INT64_MIN; then + zp and the clamp (in doubles: exact enough, the clamp decides). */
function requantize(acc: number, p: FbgemmParamsF): number {
  let raw = Math.fround(acc);
  if (p.biasAcc !== null) raw = f32Add(raw, p.biasAcc);
  return clampInt(lrintfToInt64(f32Mul(raw, p.multiplier)) + p.c.yZeroPoint, p.c.outMin, p.c.outMax);
}

export const requant__torch_fbgemm: RequantImpl<FbgemmParamsF> = { prepare, requantize };
