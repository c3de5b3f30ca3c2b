/** pt2e-reference-representation@1, fast twin of reference/requant/pt2e_reference_representation.ts (PT2E's integer graph: truncations, float32 scales). */
import { f32Div, f32Mul, trunc32, wrapInt32 } from '../float32.js';
import { f32ActTimesW } from './float_scale.js';
import type { ChannelQuantF, RequantImpl } from './types.js';

export interface Pt2eReferenceParamsF {
  readonly multiplier: number;
  readonly biasI32: number;
  readonly zeroPoint: number;
  readonly lo: number;
  readonly hi: number;
}

function prepare(c: ChannelQuantF): Pt2eReferenceParamsF {
  const biasScale = f32ActTimesW(c);
  return {
    multiplier: f32Div(biasScale, Math.fround(c.yScale)),
    biasI32: c.bias?.kind === 'float32' ? trunc32(f32Div(c.bias.value, biasScale)) : 0,
    zeroPoint: c.yZeroPoint,
    lo: c.outMin,
    hi: c.outMax,
  };
}

function requantize(acc: number, p: Pt2eReferenceParamsF): number {
  const scaled = trunc32(f32Mul(Math.fround(wrapInt32(acc + p.biasI32)), p.multiplier));
  const y = wrapInt32(scaled + p.zeroPoint);
  return y < p.lo ? p.lo : y > p.hi ? p.hi : y;
}

export const requant__pt2e_reference_representation: RequantImpl<Pt2eReferenceParamsF> = { prepare, requantize };
