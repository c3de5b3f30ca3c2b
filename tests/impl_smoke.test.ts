import { describe, expect, it } from 'vitest';
import { isQconformError } from '../contract/errors.js';
import type { QparamsConfig } from '../contract/ops.js';
import { f32Tensor, f64Tensor, intTensor } from '../contract/tensor.js';
import { cvt32, nearbyint, trunc32, trunc64 } from '../impl/float32.js';
import { impl } from '../impl/index.js';

const f = Math.fround;
const quint8Affine: QparamsConfig = { dtype: 'quint8', qscheme: 'per_tensor_affine', reduceRange: false, quantMin: null, quantMax: null, eps: 2 ** -23 };

function errorCode(run: () => unknown): string | undefined {
  try {
    run();
  } catch (e) {
    return isQconformError(e) ? e.code : `not a QconformError: ${String(e)}`;
  }
  return undefined;
}

describe('impl float32 primitives', () => {
  it('rounds half to even and keeps the sign of zero', () => {
    expect([0.5, 1.5, 2.5, -0.5, -2.5, 3.5].map(nearbyint)).toEqual([0, 2, 2, -0, -2, 4]);
    expect(Object.is(nearbyint(-0.3), -0)).toBe(true);
    expect(nearbyint(2 ** 60 + 2 ** 8)).toBe(2 ** 60 + 2 ** 8);
  });
  it('maps NaN and out-of-range values to the x86 integer indefinite', () => {
    expect([NaN, 2 ** 31, -(2 ** 31) - 1, 2147483520].map(cvt32)).toEqual([-(2 ** 31), -(2 ** 31), -(2 ** 31), 2147483520]);
    expect([NaN, Infinity, 2 ** 63, -(2 ** 63), -2.7].map(trunc64)).toEqual([-(2 ** 63), -(2 ** 63), -(2 ** 63), -(2 ** 63), -2]);
    expect([NaN, 2 ** 31, -(2 ** 31), -2147483648.9, 2147483647.5].map(trunc32)).toEqual([-(2 ** 31), -(2 ** 31), -(2 ** 31), -(2 ** 31), 2147483647]);
  });
});

describe('impl quantize / dequantize', () => {
  it('multiplies by the float32 reciprocal (FBGEMM example gives 128, not 127)', () => {
    const q = impl.quantizePerTensor(f32Tensor([1], [f(0.273939937)]), { scale: f(0.00214854861), zeroPoint: 0, dtype: 'quint8' });
    expect([...q.data]).toEqual([128]);
  });
  it('matches the near-tie table of the semantics notes', () => {
    const rows: [number, number, number][] = [
      [-1.3620479106903076, 0.02929135225713253, 81],
      [13.708270072937012, 0.3225475251674652, 171],
      [-38.24216842651367, 0.3922273814678192, 31],
    ];
    for (const [x, s, want] of rows) {
      expect(impl.quantizePerTensor(f32Tensor([1], [x]), { scale: s, zeroPoint: 128, dtype: 'quint8' }).data[0]).toBe(want);
    }
  });
  it('adds the zero point in float32', () => {
    const x = f32Tensor([1], [16777216]);
    expect(impl.quantizePerTensor(x, { scale: 1, zeroPoint: 1, dtype: 'qint32' }).data[0]).toBe(16777216);
    expect(impl.quantizePerTensor(x, { scale: 1, zeroPoint: 3, dtype: 'qint32' }).data[0]).toBe(16777220);
  });
  it('sends NaN, infinities and |x*inv| >= 2^63 to qmin', () => {
    const x = f32Tensor([8], [NaN, Infinity, -Infinity, 1e30, -1e30, 3e9, 9.2e18, 9.3e18]);
    expect([...impl.quantizePerTensor(x, { scale: 1, zeroPoint: 10, dtype: 'quint8' }).data]).toEqual([0, 0, 0, 0, 0, 255, 255, 0]);
  });
  it('per-channel quantize equals per-tensor for a float32 scale', () => {
    const x = f32Tensor([2, 3], [0.1, -0.25, 7, 1.5, -3, 0.35]);
    const pc = impl.quantizePerChannel(x, f64Tensor([2], [0.1, f(0.1)]), intTensor('int64', [2], [3, 3]), { axis: 0, dtype: 'qint8' });
    const pt = impl.quantizePerTensor(x, { scale: 0.1, zeroPoint: 3, dtype: 'qint8' });
    expect([...pc.data]).toEqual([...pt.data]);
  });
  it('per-channel dequantize multiplies in double: 48 of 256 qint8 values differ for scale 0.1', () => {
    const values = Array.from({ length: 256 }, (_, i) => i - 128);
    const q = intTensor('qint8', [256, 1], values);
    const pt = impl.dequantizePerTensor(q, { scale: 0.1, zeroPoint: 0 });
    const pc = impl.dequantizePerChannel(intTensor('qint8', [1, 256], values), f64Tensor([1], [0.1]), intTensor('int64', [1], [0]), { axis: 0 });
    expect(values.filter((_, i) => pt.data[i] !== pc.data[i]).length).toBe(48);
  });
  it('float qparams add the zero point before rounding', () => {
    const q = impl.quantizePerChannelFloatQparams(f32Tensor([1, 2], [0.25, 1]), f32Tensor([1], [0.5]), f32Tensor([1], [0.25]), { axis: 1 - 1, dtype: 'quint8' });
    expect([...q.data]).toEqual([1, 2]); // rne(0.5 + 0.25) = 1, rne(2 + 0.25) = 2
  });
  it('keeps the low 32 bits of lrintf for float qparams (measured on torch 1.13)', () => {
    const x = f32Tensor([1, 9], [NaN, Infinity, -Infinity, 3e9, 5e9, -5e9, 1e20, 200, -200]);
    const q = impl.quantizePerChannelFloatQparams(x, f32Tensor([1], [1]), f32Tensor([1], [0]), { axis: 0, dtype: 'qint8' });
    expect([...q.data]).toEqual([0, 0, 0, -128, 127, -128, 0, 127, -128]);
  });
  it('fake quantize clamps to the qconfig range', () => {
    const y = impl.fakeQuantizePerTensorAffine(f32Tensor([3], [0.3, 10, -10]), { scale: 0.1, zeroPoint: 0, quantMin: -15, quantMax: 15 });
    expect([...y.data]).toEqual([f(3 * f(0.1)), f(15 * f(0.1)), f(-15 * f(0.1))]);
  });
  it('rejects bad inputs with typed errors', () => {
    const x = f32Tensor([1], [1]);
    expect(errorCode(() => impl.quantizePerTensor(x, { scale: 0, zeroPoint: 0, dtype: 'quint8' }))).toBe('scale_not_positive');
    expect(errorCode(() => impl.quantizePerTensor(x, { scale: 1, zeroPoint: 256, dtype: 'quint8' }))).toBe('zero_point_out_of_range');
    expect(errorCode(() => impl.fakeQuantizePerTensorAffine(x, { scale: 1, zeroPoint: 16, quantMin: 0, quantMax: 15 }))).toBe('zero_point_out_of_range');
  });
});

describe('impl calculate_qparams and observers', () => {
  const qp = (min: number, max: number, cfg: QparamsConfig = quint8Affine) => impl.calculateQparams(f32Tensor([], [min]), f32Tensor([], [max]), cfg);
  it('reproduces the edge-case table', () => {
    expect([...qp(0, 0).scale.data, ...qp(0, 0).zeroPoint.data]).toEqual([f(2 ** -23), 0]);
    expect([...qp(3, 3).scale.data, ...qp(3, 3).zeroPoint.data]).toEqual([f(3 / 255), 0]);
    expect([...qp(-3, -3).zeroPoint.data]).toEqual([255]);
    expect([...qp(Infinity, Infinity).scale.data, ...qp(Infinity, Infinity).zeroPoint.data]).toEqual([Infinity, 0]);
    expect([...qp(-Infinity, 1).zeroPoint.data]).toEqual([0]);
    expect(qp(3, 3).zeroPoint.dtype).toBe('int32');
    const sym = qp(-1, Infinity, { ...quint8Affine, dtype: 'qint8', qscheme: 'per_tensor_symmetric' });
    expect([sym.zeroPoint.dtype, ...sym.scale.data, ...sym.zeroPoint.data]).toEqual(['int64', Infinity, 0]);
  });
  it('returns the defaults when never observed and rejects NaN and min > max', () => {
    const unobserved = qp(Infinity, -Infinity);
    expect([unobserved.zeroPoint.dtype, ...unobserved.scale.data, ...unobserved.zeroPoint.data]).toEqual(['int64', 1, 0]);
    expect(errorCode(() => qp(NaN, 1))).toBe('nan_observed');
    expect(errorCode(() => qp(2, 1))).toBe('min_greater_than_max');
  });
  it('gives qint32 affine a range of f32(4294967295) = 2^32', () => {
    const r = qp(-(2 ** 20), 2 ** 20, { ...quint8Affine, dtype: 'qint32' });
    expect(r.scale.data[0]).toBe(2 ** 21 / 2 ** 32);
  });
  it('runs the MinMax observer across batches, ignoring empty ones', () => {
    const r = impl.minMaxObserver([f32Tensor([2], [1, 2]), f32Tensor([0], []), f32Tensor([2, 1], [-1, 0.5])], quint8Affine);
    expect([r.minVal.shape, r.minVal.data[0], r.maxVal.data[0]]).toEqual([[], -1, 2]);
    expect(errorCode(() => impl.minMaxObserver([f32Tensor([2], [1, NaN])], quint8Affine))).toBe('nan_observed');
    expect(errorCode(() => impl.minMaxObserver([], { ...quint8Affine, qscheme: 'per_channel_affine' }))).toBe('invalid_qscheme');
    expect(errorCode(() => impl.minMaxObserver([], { ...quint8Affine, qscheme: 'per_tensor_symmetric', reduceRange: true }))).toBe('symmetric_reduce_range_quint8');
  });
  it('applies the moving average in float32', () => {
    const r = impl.movingAverageMinMaxObserver([f32Tensor([2], [0, 1]), f32Tensor([2], [-1, 3])], { ...quint8Affine, averagingConstant: 0.01 });
    expect(r.minVal.data[0]).toBe(f(0 + f(f(0.01) * -1)));
    expect(r.maxVal.data[0]).toBe(f(1 + f(f(0.01) * 2)));
  });
  it('reduces per channel along a negative ch_axis', () => {
    const x = f32Tensor([2, 3], [1, -2, 3, -4, 5, 6]);
    const cfg = { ...quint8Affine, qscheme: 'per_channel_affine' as const, chAxis: -1 };
    const r = impl.perChannelMinMaxObserver([x], cfg);
    expect([...r.minVal.data, ...r.maxVal.data]).toEqual([-4, -2, 3, 1, 5, 6]);
    expect(r.scale.shape).toEqual([3]);
  });
  it('breaks -0/+0 ties the way the torch kernels do', () => {
    const sign = (v: number | undefined) => (Object.is(v, -0) ? -1 : 1);
    const perTensor = impl.minMaxObserver([f32Tensor([1], [0]), f32Tensor([1], [-0])], quint8Affine);
    expect(sign(perTensor.minVal.data[0])).toBe(-1); // scalar torch.min(new, old): the batch wins
    expect(sign(impl.minMaxObserver([f32Tensor([2], [0, -0])], quint8Affine).minVal.data[0])).toBe(-1);
    expect(sign(impl.minMaxObserver([f32Tensor([8], [1, 0, 1, 1, 1, 1, -0, 1])], quint8Affine).minVal.data[0])).toBe(1); // lane tree
    const cfg = { ...quint8Affine, qscheme: 'per_channel_affine' as const, chAxis: 0 };
    const merged = impl.perChannelMinMaxObserver([f32Tensor([17, 1], new Array(17).fill(0)), f32Tensor([17, 1], new Array(17).fill(-0))], cfg);
    expect([...merged.minVal.data].map(sign)).toEqual([...new Array(16).fill(1), -1]); // vector body keeps the state, tail takes the batch
    expect(sign(impl.perChannelMinMaxObserver([f32Tensor([1, 2], [0, -0])], cfg).minVal.data[0])).toBe(1); // dim scan: first wins
  });
  it('broadcasts a single observed channel and rejects 1-D per-channel batches', () => {
    const cfg = { ...quint8Affine, qscheme: 'per_channel_affine' as const, chAxis: 0 };
    const r = impl.perChannelMinMaxObserver([f32Tensor([1, 2], [1, 1]), f32Tensor([3, 1], [2, 0, 3])], cfg);
    expect([...r.minVal.data, ...r.maxVal.data]).toEqual([1, 0, 1, 2, 1, 3]);
    expect(errorCode(() => impl.perChannelMinMaxObserver([f32Tensor([3], [1, 2, 3])], cfg))).toBe('axis_out_of_range');
  });
  it('returns fixed qparams and refuses placeholder qparams', () => {
    const r = impl.fixedQparamsObserver([], { scale: 2 / 256, zeroPoint: 128, dtype: 'quint8', qscheme: 'per_tensor_affine', quantMin: 0, quantMax: 255 });
    expect([r.scale.data[0], r.zeroPoint.dtype, r.zeroPoint.data[0]]).toEqual([2 / 256, 'int32', 128]);
    expect(errorCode(() => impl.placeholderObserver([], { dtype: 'quint8' }))).toBe('placeholder_has_no_qparams');
  });
});
