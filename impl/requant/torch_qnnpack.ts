/** torch-qnnpack@1, fast twin of reference/requant/torch_qnnpack.ts (PyTorch 1.13 qnnpack SSE2 epilogue). */
import { checkedQnnpackMultiplier } from '../../contract/qnnpack_multiplier.js';
import type { QnnpackPath } from '../../contract/qnnpack_ukernel.js';
import { INT32_MAX, INT32_MIN, clampInt, cvt32, f32Mul, trunc32 } from '../float32.js';
import { inverseScale, quantizeValue } from '../quantize.js';
import { int32Add } from './int32_add.js';
import { sat16 } from './output.js';
import type { ChannelQuantF, Int32Policy, RequantImpl } from './types.js';

export interface QnnpackParamsF {
  readonly multiplier: number;
  readonly biasQ: number;
  readonly zeroPoint: number;
  readonly outMin: number;
  readonly outMax: number;
}

/** The packed bias word: the gemm path copies the qint32 bias, the indirect paths store (int32_t)(float)b (reference qnnpackPackedBias). */
export function qnnpackPackedBias(biasQ: number, path: QnnpackPath): number {
  return path === 'gemm' ? biasQ : trunc32(Math.fround(biasQ));
}

/** M = f32(f32(ws * xs) * f32(1 / ys)) (contract/qnnpack_multiplier.ts: normal and positive, else refused); bias -> qint32 by quantize_val at scale f64(ws * xs), then the path's packer. */
function prepare(c: ChannelQuantF): QnnpackParamsF {
  const multiplier = checkedQnnpackMultiplier(c.wScale, c.xScale, c.yScale);
  const biasQ = c.bias?.kind === 'float32' ? qnnpackPackedBias(quantizeValue(c.bias.value, inverseScale(Math.fround(c.wScale * c.xScale)), 0, INT32_MIN, INT32_MAX), c.qnnpackPath) : 0;
  return { multiplier, biasQ, zeroPoint: c.yZeroPoint, outMin: c.outMin, outMax: c.outMax };
}

/** The output of the int32 r = cvtps2dq(...): int16-saturating zero point add, [0, 255], then the ReLU/dtype clamp. */
export function qnnpackOutput(r: number, p: QnnpackParamsF): number {
  return clampInt(clampInt(sat16(sat16(r) + p.zeroPoint), 0, 255), p.outMin, p.outMax);
}

/** cvtps2dq(f32(f32(acc + bq) * M)), then qnnpackOutput. */
function requantize(acc: number, p: QnnpackParamsF, policy: Int32Policy): number {
  return qnnpackOutput(cvt32(f32Mul(Math.fround(int32Add(acc, p.biasQ, policy)), p.multiplier)), p);
}

export const requant__torch_qnnpack: RequantImpl<QnnpackParamsF> = { prepare, requantize };
