/**
 * QLinearAveragePool cases that tell ORT's global-pool shortcut (a kernel covering the image, no pads: MLAS
 * integer sums and one float scale) from the float32 window path the other pools take: both read the same
 * average, so only a rounding tie separates them. The image holds 2, 4 or 8 positions and y_scale = x_scale * 2^j
 * (x_scale not a power of two), so many averages are exact ties k + 1/2 for the integer path while the float
 * sums land an ulp off; the generator searches (seeded, bounded) for inputs where the two answers differ. The
 * expectations still come from ORT. averagePoolFloat is the path ORT does not take here, not a model of it.
 */
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import { checkQLinearAveragePool } from '../../contract/qlinear_pool_checks.js';
import { f32Tensor, intTensor } from '../../contract/tensor.js';
import { averagePoolFloat, qlinearAveragePool } from '../../impl/onnx/qlinear_average_pool.js';
import { type CaseFactory, wireF32, wireInt } from './builders.js';
import type { CaseRandom } from './random.js';

const TRIES = 200;

export const qlinearAveragePoolShortcutWitnessCase: CaseFactory = (r: CaseRandom) => {
  const dtype: QuantDtype = r.bool(0.5) ? 'quint8' : 'qint8';
  const { min, max } = DTYPE_RANGE[dtype];
  const channelsLast = r.bool(0.5);
  let args = null;
  for (let t = 0; t < TRIES; t++) {
    const spatial = r.pick([[2], [4], [8], [2, 2], [4, 2], [2, 1, 2]]);
    const c = 16;
    const shape = channelsLast ? [1, ...spatial, c] : [1, c, ...spatial];
    const xs = Math.fround(Math.exp(r.next() * 6 - 6));
    const z = () => intTensor(dtype, [], [r.int(min, max)]);
    args = {
      x: intTensor(dtype, shape, Array.from({ length: c * spatial.reduce((p, d) => p * d, 1) }, () => r.int(min, max))),
      xScale: f32Tensor([], [xs]),
      xZeroPoint: z(),
      yScale: f32Tensor([], [Math.fround(xs * 2 ** r.int(-2, 1))]),
      yZeroPoint: z(),
      kernelShape: spatial,
      strides: spatial.map(() => 1),
      pads: [...spatial, ...spatial].map(() => 0),
      autoPad: 'NOTSET' as const,
      ceilMode: r.bool(0.3),
      countIncludePad: r.bool(0.5),
      channelsLast,
    };
    const shortcut = qlinearAveragePool(args).data;
    const float = averagePoolFloat(args, checkQLinearAveragePool('qlinear_average_pool', args));
    if (shortcut.some((v, i) => v !== float[i])) break;
  }
  const a = args!;
  const inputs = {
    x: wireInt(dtype, a.x.shape, [...a.x.data]),
    x_scale: wireF32([], [a.xScale.data[0]!]),
    x_zero_point: wireInt(dtype, [], [a.xZeroPoint.data[0]!]),
    y_scale: wireF32([], [a.yScale.data[0]!]),
    y_zero_point: wireInt(dtype, [], [a.yZeroPoint.data[0]!]),
  };
  return { op: 'qlinear_average_pool@1', attrs: { kernel_shape: a.kernelShape, pads: a.pads, strides: a.strides, ceil_mode: a.ceilMode, count_include_pad: a.countIncludePad, channels_last: a.channelsLast }, inputs };
};
