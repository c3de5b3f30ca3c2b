/**
 * Case generators of qnnpack_avg_pool2d@1 (contract/qnnpack_avg_pool2d.ts): QNNPACK's average pooling under torch's
 * qnnpack engine. 4-D quint8 inputs with channel counts on both sides of the ukernels' 8 (up8xm below, up8x9 and
 * mp8x9p8q from it), kernels of 2 to 12 elements and more (the multipass ukernel past 9) with strides and padding up to
 * half the kernel; count_include_pad off and divisor_override, which this path ignores; the windows of an adaptive pool
 * (kernel = stride = input / output: MobileNetV2's global 7x7); tie-rich values (a mean on a half-integer rounds half to
 * even); and refusals as torch's: a 1x1 kernel, a 3-D input, a scale whose float32 is not a positive normal, qint8.
 */
import { type CaseFactory, hex64, wireInt } from './builders.js';
import { drawScale } from './floats.js';
import { drawPoolValues } from './pool_values.js';
import type { CaseRandom } from './random.js';

/** kernel, stride, padding of one spatial dimension of length `len`: padding at most half the kernel, a window that fits. */
function drawWindow(r: CaseRandom, len: number): [number, number, number] {
  const k = r.int(1, Math.min(5, len + 2));
  const p = r.int(0, k >> 1);
  const s = r.int(1, 3);
  return len + 2 * p >= k ? [k, s, p] : [1, 1, 0];
}

export const qnnpackAvgPool2dCase: CaseFactory = (r, index) => {
  const c = r.bool(0.1) ? r.int(1, 3) : r.pick([4, 8, 16, 24]) + r.int(-2, 2);
  const global = index % 10 === 9;
  const shape = global ? [1, c, 7, 7] : [r.int(1, 2), c, r.int(1, 9), r.int(1, 9)];
  const [h, w] = [shape[2]!, shape[3]!];
  let [[kh, sh, ph], [kw, sw, pw]] = global ? [[7, 7, 0], [7, 7, 0]] : [drawWindow(r, h), drawWindow(r, w)];
  // mostly more than one element (QNNPACK refuses a 1x1 pooling: a few are kept as refusals)
  if (kh * kw === 1 && r.bool(0.8)) [kh, sh, ph, kw, sw, pw] = h >= 2 ? [2, 1, 0, 1, 1, 0] : [1, 1, 0, 2, 1, 1];
  const n = shape.reduce((p, d) => p * d, 1);
  const { x, zeroPoint } = drawPoolValues(r, n, 'quint8', r.bool(0.5));
  const scale = r.bool(0.03) ? r.pick([1e-60, 1e60, 1e-40]) : drawScale(r);
  const divisor = r.bool(0.15) ? r.pick([1, 2, 7, -3, 1000]) : null;
  const threeD = r.bool(0.02);
  const dtype = r.bool(0.02) ? 'qint8' : 'quint8';
  return {
    op: 'qnnpack_avg_pool2d@1',
    attrs: {
      scale: hex64(scale),
      zero_point: dtype === 'qint8' ? zeroPoint - 128 : zeroPoint,
      kernel_size: [kh, kw],
      ...(r.bool(0.15) ? {} : { stride: [sh, sw] }),
      padding: [ph, pw],
      count_include_pad: r.bool(0.6),
      ...(divisor === null ? {} : { divisor_override: divisor }),
    },
    inputs: { x: wireInt(dtype, threeD ? shape.slice(1) : shape, (dtype === 'qint8' ? x.map((v) => v - 128) : x).slice(0, threeD ? n / shape[0]! : n)) },
  };
};
