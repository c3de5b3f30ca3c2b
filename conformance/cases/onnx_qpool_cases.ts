/**
 * Seeded case generators of QLinearGlobalAveragePool, QLinearAveragePool and QLinearConcat (contract/onnx_qops.ts),
 * shared by the ORT vector writer (scripts/vectors/ort_ops_cli.ts) and `--fuzz`. Both layouts (channels_last),
 * uint8 and int8, the MLAS global pool's channel tails (C not a multiple of 8) and long images (its 32- and 8-byte
 * loops), average pools of 1 to 3 spatial dims with strides, pads, ceil_mode, count_include_pad and ORT's
 * global-pool shortcut (kernel = image, no pads), concatenations whose inputs are copied (same scale and zero
 * point as y) or mapped through a table, with every value of the dtype in some. Stresses as onnx_qops_cases.ts:
 * `ties` draws power-of-two scales (rounding ties), `saturate` small output scales. A few percent are requests
 * the contract refuses (the MLAS global pool's scale range among them). 10% of the average pools are searched
 * witnesses of ORT's global-pool shortcut (qlinear_pool_witness.ts).
 */
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import { numel } from '../../contract/tensor.js';
import { type CaseFactory, wireF32, wireInt } from './builders.js';
import { drawScale } from './floats.js';
import { type Stress, drawStress, values, zeroPoint } from './onnx_qops_cases.js';
import { qlinearAveragePoolShortcutWitnessCase } from './qlinear_pool_witness.js';
import type { CaseRandom } from './random.js';

const drawDtype = (r: CaseRandom): QuantDtype => (r.bool(0.5) ? 'quint8' : 'qint8');

/** x_scale and y_scale whose ratio spreads an average over the output range (`saturate`: mostly clamped). */
function poolScales(r: CaseRandom, stress: Stress): [number, number] {
  if (stress === 'ties') return [2 ** r.int(-8, 0), 2 ** r.int(-8, 2)];
  const xs = Math.fround(drawScale(r));
  const factor = stress === 'saturate' ? 1 / r.int(20, 400) : 0.3 + 2 * r.next();
  return [xs, Math.fround(xs * factor)];
}

/** The NCHW or NHWC shape of x for N, C and spatial dims. */
const layout = (n: number, c: number, spatial: number[], channelsLast: boolean) => (channelsLast ? [n, ...spatial, c] : [n, c, ...spatial]);

/** Scale and zero-point inputs: scalars, or sometimes [1] (QLinearGlobalAveragePool takes both; QLinearAveragePool's type inference refuses [1]). */
function qparams(r: CaseRandom, dtype: QuantDtype, xs: number, ys: number, oneShaped: number): Record<string, unknown> {
  const one = () => (r.bool(oneShaped) ? [1] : []);
  return { x_scale: wireF32(one(), [xs]), x_zero_point: wireInt(dtype, one(), [zeroPoint(r, dtype)]), y_scale: wireF32(one(), [ys]), y_zero_point: wireInt(dtype, one(), [zeroPoint(r, dtype)]) };
}

export const qlinearGlobalAveragePoolCase: CaseFactory = (r) => {
  const dtype = drawDtype(r);
  const stress = drawStress(r);
  const channelsLast = r.bool(0.5);
  const n = r.int(1, 2);
  const c = r.bool(0.3) ? r.int(8, 40) : r.int(1, 9);
  const rank = r.pick([1, 2, 2, 2, 3]);
  const long = r.bool(0.15);
  const spatial = Array.from({ length: rank }, (_, d) => (long && d === 0 ? r.int(100, 600) : r.int(1, rank === 1 ? 80 : 9)));
  const shape = layout(n, c, spatial, channelsLast);
  let [xs, ys] = poolScales(r, stress);
  if (r.bool(0.03)) ys = xs * 2 ** r.int(34, 40); // f32(x_scale / (y_scale * image)) < 2^-32: MLAS refuses
  const inputs: Record<string, unknown> = { x: wireInt(dtype, shape, values(r, dtype, numel(shape), stress)), ...qparams(r, dtype, xs, ys, 0.2) };
  if (r.bool(0.02)) inputs.x = wireInt(dtype, shape.slice(0, 2), values(r, dtype, shape[0]! * shape[1]!, stress)); // rank 2
  return { op: 'qlinear_global_average_pool@1', attrs: { channels_last: channelsLast }, inputs };
};

/** One spatial dim of an average pool: input size, kernel, stride, pads (each below the kernel, the kernel fitting the padded input). */
function poolDim(r: CaseRandom): { size: number; kernel: number; stride: number; head: number; tail: number } {
  const size = r.int(1, 9);
  const kernel = r.int(1, Math.min(size + 2, 5));
  const pad = () => (r.bool(0.5) ? 0 : r.int(0, kernel - 1));
  let [head, tail] = [pad(), pad()];
  while (size + head + tail < kernel) tail++;
  return { size, kernel, stride: r.int(1, 3), head, tail: Math.min(tail, kernel - 1) };
}

export const qlinearAveragePoolCase: CaseFactory = (r, index) => {
  if (r.bool(0.1)) return qlinearAveragePoolShortcutWitnessCase(r, index); // where ORT's global shortcut shows
  const dtype = drawDtype(r);
  const stress = drawStress(r);
  const channelsLast = r.bool(0.5);
  const rank = r.pick([1, 2, 2, 2, 3]);
  const global = r.bool(0.15);
  let dims = Array.from({ length: rank }, () => poolDim(r));
  while (dims.some((d) => d.size + d.head + d.tail < d.kernel)) dims = Array.from({ length: rank }, () => poolDim(r));
  if (global) dims = dims.map((d) => ({ ...d, kernel: d.size, head: 0, tail: 0 }));
  const n = r.int(1, 2);
  const c = r.int(1, rank === 3 ? 3 : 6);
  const shape = layout(n, c, dims.map((d) => d.size), channelsLast);
  let [xs, ys] = poolScales(r, stress);
  if (r.bool(0.06)) ys = xs * 2 ** -r.int(23, 30); // f32(avg / y_scale) beyond int32: the cast gives INT32_MIN, so qmin
  const inputs: Record<string, unknown> = { x: wireInt(dtype, shape, values(r, dtype, numel(shape), stress)), ...qparams(r, dtype, xs, ys, 0.01) };
  const attrs: Record<string, unknown> = {
    kernel_shape: dims.map((d) => d.kernel),
    pads: [...dims.map((d) => d.head), ...dims.map((d) => d.tail)],
    strides: dims.map((d) => d.stride),
    ceil_mode: r.bool(0.4),
    count_include_pad: r.bool(0.5),
    channels_last: channelsLast,
  };
  if (r.bool(0.5) && dims.every((d) => d.stride === 1)) delete attrs.strides;
  if (!global && r.bool(0.25)) {
    attrs.auto_pad = r.pick(['SAME_UPPER', 'SAME_LOWER', 'SAME_LOWER', 'VALID']); // ORT computes the pads (a SAME_LOWER head pad may be negative)
    delete attrs.pads;
    if (attrs.auto_pad === 'VALID') attrs.kernel_shape = dims.map((d) => Math.min(d.kernel, d.size));
    else if (r.bool(0.4)) [attrs.kernel_shape, attrs.strides] = [dims.map(() => r.int(1, 2)), dims.map(() => r.int(4, 6))]; // negative needed pads
    else if (r.bool(0.5)) attrs.strides = dims.map(() => r.int(1, 5));
  }
  if (r.bool(0.03)) attrs.pads = dims.flatMap((d) => [d.kernel, d.kernel]); // pads >= kernel: refused
  return { op: 'qlinear_average_pool@1', attrs, inputs };
};

export const qlinearConcatCase: CaseFactory = (r) => {
  const dtype = drawDtype(r);
  const { min } = DTYPE_RANGE[dtype];
  const stress = drawStress(r);
  const count = r.int(1, 4);
  const grid = r.bool(0.2); // x0 holds every value of the dtype: the whole table
  const rank = grid ? 2 : r.int(1, 4);
  const base = grid ? [1, 256] : Array.from({ length: rank }, () => r.int(1, 5));
  const axis = r.int(0, rank - 1);
  const ys = stress === 'ties' ? 2 ** r.int(-8, 2) : Math.fround(drawScale(r));
  const yZeroPoint = zeroPoint(r, dtype);
  const inputs: Record<string, unknown> = { y_scale: wireF32(r.bool(0.2) ? [1] : [], [ys]), y_zero_point: wireInt(dtype, [], [yZeroPoint]) };
  for (let k = 0; k < count; k++) {
    const shape = [...base];
    if (k > 0 || !grid) shape[axis] = grid && axis === 1 ? r.int(1, 8) : r.int(1, grid ? 2 : 4);
    const xValues = grid && k === 0 ? Array.from({ length: 256 }, (_, i) => min + i) : values(r, dtype, numel(shape), stress);
    const same = r.bool(0.3);
    const xs = same ? ys : stress === 'ties' ? 2 ** r.int(-8, 2) : Math.fround(ys * (stress === 'saturate' ? r.int(20, 400) : 0.25 + 2 * r.next()));
    inputs[`x${k}`] = wireInt(dtype, shape, xValues);
    inputs[`x${k}_scale`] = wireF32([], [xs]);
    inputs[`x${k}_zero_point`] = wireInt(dtype, [], [same && r.bool(0.8) ? yZeroPoint : zeroPoint(r, dtype)]);
  }
  if (r.bool(0.03)) inputs.x0_zero_point = wireInt(dtype === 'quint8' ? 'qint8' : 'quint8', [], [0]); // zero point of the other type
  return { op: 'qlinear_concat@1', attrs: { axis: r.bool(0.3) ? axis - rank : axis }, inputs };
};
