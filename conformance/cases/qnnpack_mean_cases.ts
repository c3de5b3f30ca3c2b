/**
 * Case generators of qnnpack_mean@1 (contract/qnnpack_mean.ts): Tensor.mean over [2, 3] of quint8 under torch's qnnpack
 * engine, QNNPACK's global average pooling. Channel counts on both sides of the ukernels' 8 (up8xm below; up8x7 up to
 * 7 pixels, mp8x7p7q past them), planes of 1 pixel to 28 x 28 (ShuffleNetV2's 7 x 7 head among them), keepdim either
 * way; tie-rich values half the time (a centered mean on a half-integer with an odd zero point: where QNNPACK parts
 * from quantized_mean@1's kernels); and refusals as torch's or as this op's scope: dims [-2, -1] or [3, 2] (torch's
 * other path), a scale whose float32 is not a positive normal, qint8, a 3-D input.
 */
import type { OpName } from '../../contract/ops.js';
import { type CaseFactory, hex64, wireInt } from './builders.js';
import { drawScale } from './floats.js';
import { drawPoolValues } from './pool_values.js';

export const qnnpackMeanCase: CaseFactory = (r) => {
  const c = r.bool(0.3) ? r.int(1, 7) : r.pick([8, 16, 24, 29, 116, 232]) + r.int(-1, 1);
  const [h, w] = r.bool(0.15) ? r.pick([[1, 1], [7, 7], [14, 14], [28, 28]] as const) : [r.int(1, 9), r.int(1, 9)];
  const shape = [r.pick([1, 1, 2, 3]), c, h, w];
  const n = shape.reduce((p, d) => p * d, 1);
  const { x, zeroPoint } = drawPoolValues(r, n, 'quint8', r.bool(0.5));
  const scale = r.bool(0.03) ? r.pick([1e-60, 1e60, 1e-40]) : drawScale(r);
  const dims = r.bool(0.05) ? r.pick([[-2, -1], [3, 2], [2, -1]]) : [2, 3];
  const dtype = r.bool(0.02) ? 'qint8' : 'quint8';
  const threeD = r.bool(0.02);
  return {
    op: 'qnnpack_mean@1' satisfies OpName,
    attrs: { x_scale: hex64(scale), x_zero_point: dtype === 'qint8' ? zeroPoint - 128 : zeroPoint, dim: [...dims], keepdim: r.bool(0.4) },
    inputs: { x: wireInt(dtype, threeD ? shape.slice(1) : shape, (dtype === 'qint8' ? x.map((v) => v - 128) : x).slice(0, threeD ? n / shape[0]! : n)) },
  };
};
