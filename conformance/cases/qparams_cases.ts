import { type QScheme } from '../../contract/dtypes.js';
import { F32_SPECIALS, drawF32, nextF32 } from './floats.js';
import type { CaseRandom } from './random.js';
import { type CaseFactory, PER_CHANNEL_QSCHEMES, PER_TENSOR_QSCHEMES, drawConfig, wireF32 } from './builders.js';

/** calculate_qmin_qmax@1: default, reduced and custom ranges, including ones torch rejects. */
export const qrangeCase: CaseFactory = (r) => {
  const dtype = r.pick(['quint8', 'qint8', 'qint32', 'quint4x2']);
  const custom = r.bool(0.7);
  const lo = custom ? r.pick([0, -1, -7, -8, -64, -127, -128, -129, -200, 1, -(2 ** 31), -(2 ** 30), 5]) : null;
  const hi = custom ? r.pick([0, 1, 7, 15, 63, 127, 128, 255, 256, 1000, -1, 2 ** 31 - 1, 2 ** 30]) : null;
  const onlyOne = custom && r.bool(0.1);
  return {
    op: 'calculate_qmin_qmax@1',
    attrs: { dtype, reduce_range: r.bool(0.4), quant_min: lo, quant_max: onlyOne ? null : hi },
  };
};

/** A (min, max) pair of observer state: ordinary, degenerate, tiny, huge, infinite, NaN, inverted. */
export function drawMinMax(r: CaseRandom): [number, number] {
  const kind = r.int(0, 19);
  if (kind <= 9) {
    const a = drawF32(r, r.pick(['normal', 'uniform', 'skewed']), Math.exp(r.normal() * 3));
    const b = drawF32(r, r.pick(['normal', 'uniform', 'skewed']), Math.exp(r.normal() * 3));
    return a <= b ? [a, b] : [b, a];
  }
  if (kind === 10) {
    const v = drawF32(r, 'normal', 10);
    return [v, v];
  }
  if (kind === 11) return r.pick([[0, 0], [-0, 0], [0, 1e-7], [-1e-6, 1e-6], [1, 1], [-3, -3], [3, 3]]);
  if (kind === 12) {
    const v = drawF32(r, 'normal', 1);
    return [v, nextF32(v, true)];
  }
  if (kind === 13) return [drawF32(r, 'tiny', 1), Math.abs(drawF32(r, 'tiny', 1))];
  if (kind === 14) return [-Math.abs(drawF32(r, 'huge', 1)), Math.abs(drawF32(r, 'huge', 1))];
  if (kind === 15) return r.pick([[-Infinity, 1], [0, Infinity], [-Infinity, Infinity], [-1, Infinity], [-Infinity, -Infinity], [Infinity, Infinity]]);
  if (kind === 16) return r.pick([[NaN, 1], [0, NaN], [NaN, NaN]]);
  if (kind === 17) return [Math.abs(drawF32(r, 'normal', 2)) + 1, -Math.abs(drawF32(r, 'normal', 2))]; // min > max
  if (kind === 18) return [r.pick(F32_SPECIALS), r.pick(F32_SPECIALS)];
  return r.pick([[Infinity, -Infinity], [-16777216, 16777216], [-2.5, 7.5], [0, 255], [-128, 127]]);
}

const QUINT8_RANGES_BELOW_ZERO = [
  { quant_min: -128, quant_max: 127 },
  { quant_min: -1, quant_max: 0 },
  { quant_min: -7, quant_max: 8 },
  { quant_min: -9, quant_max: 4 },
];

/** calculate_qparams@1 over per-tensor ([] state) and per-channel ([C] state) qschemes. */
export const qparamsCase: CaseFactory = (r) => {
  const perChannel = r.bool(0.45);
  const qscheme: QScheme = r.pick(perChannel ? PER_CHANNEL_QSCHEMES : PER_TENSOR_QSCHEMES);
  const channels = perChannel ? r.int(1, 6) : 1;
  const pairs = Array.from({ length: channels }, () => drawMinMax(r));
  const shape = perChannel ? [channels] : [];
  const config = drawConfig(r, qscheme, true);
  // quint8 with a custom range below zero: torch takes the symmetric zero point as the Python floor
  // division (quant_min + quant_max) // 2, so [-128, 127] gives -1 where truncation would give 0
  const belowZero = r.bool(0.05) ? { dtype: 'quint8', reduce_range: false, ...r.pick(QUINT8_RANGES_BELOW_ZERO) } : {};
  return {
    op: 'calculate_qparams@1',
    attrs: { qscheme, ...config, ...belowZero },
    inputs: { min_val: wireF32(shape, pairs.map((p) => p[0])), max_val: wireF32(shape, pairs.map((p) => p[1])) },
  };
};

