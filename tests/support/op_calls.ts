/**
 * One valid call of every op of the contract (contract/ops.ts), with any input or attribute overridable:
 * a bad-input test changes exactly the field it is about and keeps the rest valid.
 */
import type {
  FixedQparamsObserverAttrs,
  MovingAveragePerChannelObserverAttrs,
  QparamsConfig,
  QuantOps,
} from '../../contract/ops.js';
import type { QuantDtype } from '../../contract/dtypes.js';
import { type F32Tensor, type F64Tensor, type IntTensor, f32Tensor, f64Tensor, intTensor } from '../../contract/tensor.js';

/** A [2, 3] float32 input: two channels along axis 0, three along axis 1. */
export const MATRIX = f32Tensor([2, 3], [-1, -0.5, 0, 0.25, 1, 2]);
/** A [2, 3] quint8 input for the dequantize ops. */
export const QUINT8_MATRIX = intTensor('quint8', [2, 3], [0, 1, 2, 3, 4, 5]);
/** A float32 tensor whose element count (3) does not match its shape [2, 2]. */
export const RAGGED = f32Tensor([2, 2], [1, 2, 3]);

export const scalar = (v: number): F32Tensor => f32Tensor([], [v]);
export const f32Vector = (...values: number[]): F32Tensor => f32Tensor([values.length], values);
export const f64Vector = (...values: number[]): F64Tensor => f64Tensor([values.length], values);
export const int64Vector = (...values: number[]): IntTensor => intTensor('int64', [values.length], values);
export const int32Vector = (...values: number[]): IntTensor => intTensor('int32', [values.length], values);

export const PER_TENSOR_CONFIG: QparamsConfig = { dtype: 'quint8', qscheme: 'per_tensor_affine', reduceRange: false, quantMin: null, quantMax: null, eps: 2 ** -23 };
export const PER_CHANNEL_CONFIG: QparamsConfig = { ...PER_TENSOR_CONFIG, qscheme: 'per_channel_affine' };
const AVERAGING_CONSTANT = 0.01;

type PerChannelIntParams = { x: F32Tensor; scales: F64Tensor; zeroPoints: IntTensor; axis: number; dtype: QuantDtype };
type PerChannelFloatParams = { x: F32Tensor; scales: F32Tensor; zeroPoints: F32Tensor; axis: number; dtype: QuantDtype };
type DequantizePerChannelParams = { q: IntTensor; scales: F64Tensor; zeroPoints: IntTensor; axis: number };
type DequantizeFloatParams = { q: IntTensor; scales: F32Tensor; zeroPoints: F32Tensor; axis: number };
type FakePerTensorParams = { x: F32Tensor; scale: number; zeroPoint: number; quantMin: number; quantMax: number };
type FakePerChannelParams = { x: F32Tensor; scales: F32Tensor; zeroPoints: IntTensor; axis: number; quantMin: number; quantMax: number };
type QparamsParams = QparamsConfig & { minVal: F32Tensor; maxVal: F32Tensor };
type ObserverParams = Omit<MovingAveragePerChannelObserverAttrs, 'chAxis'> & { batches: F32Tensor[] };
type PerChannelObserverParams = MovingAveragePerChannelObserverAttrs & { batches: F32Tensor[] };
type FixedQparamsParams = FixedQparamsObserverAttrs & { batches: F32Tensor[] };

export function calculateQminQmax(ops: QuantOps, o: Partial<Parameters<QuantOps['calculateQminQmax']>[0]> = {}) {
  return ops.calculateQminQmax({ dtype: 'quint8', reduceRange: false, quantMin: null, quantMax: null, ...o });
}

/** Per-tensor state ([] min/max) unless the overrides say otherwise. */
export function calculateQparams(ops: QuantOps, o: Partial<QparamsParams> = {}) {
  const { minVal, maxVal, ...cfg } = { ...PER_TENSOR_CONFIG, minVal: scalar(-1), maxVal: scalar(1), ...o };
  return ops.calculateQparams(minVal, maxVal, cfg);
}

/** Per-channel state ([2] min/max) and a per_channel_affine configuration. */
export function calculateQparamsPerChannel(ops: QuantOps, o: Partial<QparamsParams> = {}) {
  return calculateQparams(ops, { ...PER_CHANNEL_CONFIG, minVal: f32Vector(-1, -2), maxVal: f32Vector(1, 2), ...o });
}

export function quantizePerTensor(ops: QuantOps, o: Partial<{ x: F32Tensor; scale: number; zeroPoint: number; dtype: QuantDtype }> = {}) {
  const { x, ...a } = { x: MATRIX, scale: 0.5, zeroPoint: 0, dtype: 'qint8' as QuantDtype, ...o };
  return ops.quantizePerTensor(x, a);
}

export function quantizePerChannel(ops: QuantOps, o: Partial<PerChannelIntParams> = {}) {
  const p: PerChannelIntParams = { x: MATRIX, scales: f64Vector(0.5, 0.25), zeroPoints: int64Vector(0, 1), axis: 0, dtype: 'qint8', ...o };
  return ops.quantizePerChannel(p.x, p.scales, p.zeroPoints, { axis: p.axis, dtype: p.dtype });
}

export function dequantizePerTensor(ops: QuantOps, o: Partial<{ q: IntTensor; scale: number; zeroPoint: number }> = {}) {
  const { q, ...a } = { q: QUINT8_MATRIX, scale: 0.5, zeroPoint: 2, ...o };
  return ops.dequantizePerTensor(q, a);
}

export function dequantizePerChannel(ops: QuantOps, o: Partial<DequantizePerChannelParams> = {}) {
  const p: DequantizePerChannelParams = { q: QUINT8_MATRIX, scales: f64Vector(0.5, 0.25), zeroPoints: int64Vector(0, 1), axis: 0, ...o };
  return ops.dequantizePerChannel(p.q, p.scales, p.zeroPoints, { axis: p.axis });
}

export function quantizePerChannelFloatQparams(ops: QuantOps, o: Partial<PerChannelFloatParams> = {}) {
  const p: PerChannelFloatParams = { x: MATRIX, scales: f32Vector(0.5, 0.25), zeroPoints: f32Vector(0, 1.5), axis: 0, dtype: 'quint8', ...o };
  return ops.quantizePerChannelFloatQparams(p.x, p.scales, p.zeroPoints, { axis: p.axis, dtype: p.dtype });
}

export function dequantizePerChannelFloatQparams(ops: QuantOps, o: Partial<DequantizeFloatParams> = {}) {
  const p: DequantizeFloatParams = { q: QUINT8_MATRIX, scales: f32Vector(0.5, 0.25), zeroPoints: f32Vector(0, 1.5), axis: 0, ...o };
  return ops.dequantizePerChannelFloatQparams(p.q, p.scales, p.zeroPoints, { axis: p.axis });
}

export function fakeQuantizePerTensorAffine(ops: QuantOps, o: Partial<FakePerTensorParams> = {}) {
  const { x, ...a } = { x: MATRIX, scale: 0.5, zeroPoint: 0, quantMin: -128, quantMax: 127, ...o };
  return ops.fakeQuantizePerTensorAffine(x, a);
}

export function fakeQuantizePerChannelAffine(ops: QuantOps, o: Partial<FakePerChannelParams> = {}) {
  const p: FakePerChannelParams = { x: MATRIX, scales: f32Vector(0.5, 0.25), zeroPoints: int32Vector(0, 1), axis: 0, quantMin: 0, quantMax: 255, ...o };
  return ops.fakeQuantizePerChannelAffine(p.x, p.scales, p.zeroPoints, { axis: p.axis, quantMin: p.quantMin, quantMax: p.quantMax });
}

function observerParams(o: Partial<ObserverParams>): ObserverParams {
  return { ...PER_TENSOR_CONFIG, averagingConstant: AVERAGING_CONSTANT, batches: [MATRIX], ...o };
}

function perChannelObserverParams(o: Partial<PerChannelObserverParams>): PerChannelObserverParams {
  return { ...PER_CHANNEL_CONFIG, averagingConstant: AVERAGING_CONSTANT, chAxis: 0, batches: [MATRIX], ...o };
}

export function minMaxObserver(ops: QuantOps, o: Partial<ObserverParams> = {}) {
  const { batches, ...a } = observerParams(o);
  return ops.minMaxObserver(batches, a);
}

export function movingAverageMinMaxObserver(ops: QuantOps, o: Partial<ObserverParams> = {}) {
  const { batches, ...a } = observerParams(o);
  return ops.movingAverageMinMaxObserver(batches, a);
}

export function perChannelMinMaxObserver(ops: QuantOps, o: Partial<PerChannelObserverParams> = {}) {
  const { batches, ...a } = perChannelObserverParams(o);
  return ops.perChannelMinMaxObserver(batches, a);
}

export function movingAveragePerChannelMinMaxObserver(ops: QuantOps, o: Partial<PerChannelObserverParams> = {}) {
  const { batches, ...a } = perChannelObserverParams(o);
  return ops.movingAveragePerChannelMinMaxObserver(batches, a);
}

export function fixedQparamsObserver(ops: QuantOps, o: Partial<FixedQparamsParams> = {}) {
  const { batches, ...a } = { batches: [MATRIX], scale: 1 / 128, zeroPoint: 128, dtype: 'quint8' as QuantDtype, qscheme: 'per_tensor_affine' as const, quantMin: 0, quantMax: 255, ...o };
  return ops.fixedQparamsObserver(batches, a);
}

export function placeholderObserver(ops: QuantOps, o: Partial<{ batches: F32Tensor[]; dtype: QuantDtype }> = {}) {
  const { batches, dtype } = { batches: [MATRIX], dtype: 'quint8' as QuantDtype, ...o };
  return ops.placeholderObserver(batches, { dtype });
}

/** The ops that take an observer configuration, each with a valid call of its own qscheme family. */
export const CONFIGURED_OPS = {
  min_max_observer: { family: 'per_tensor', call: minMaxObserver },
  moving_average_min_max_observer: { family: 'per_tensor', call: movingAverageMinMaxObserver },
  per_channel_min_max_observer: { family: 'per_channel', call: perChannelMinMaxObserver },
  moving_average_per_channel_min_max_observer: { family: 'per_channel', call: movingAveragePerChannelMinMaxObserver },
  'calculate_qparams (per-tensor)': { family: 'per_tensor', call: calculateQparams },
  'calculate_qparams (per-channel)': { family: 'per_channel', call: calculateQparamsPerChannel },
} as const satisfies Record<string, { family: 'per_tensor' | 'per_channel'; call: (ops: QuantOps, o: Partial<QparamsConfig>) => unknown }>;

/** Every op's valid call, by op name; placeholder_observer has none (it always throws). */
export const VALID_CALLS: Readonly<Record<string, (ops: QuantOps) => unknown>> = {
  calculate_qmin_qmax: calculateQminQmax,
  'calculate_qparams (per-tensor)': calculateQparams,
  'calculate_qparams (per-channel)': calculateQparamsPerChannel,
  quantize_per_tensor: quantizePerTensor,
  quantize_per_channel: quantizePerChannel,
  dequantize_per_tensor: dequantizePerTensor,
  dequantize_per_channel: dequantizePerChannel,
  quantize_per_channel_float_qparams: quantizePerChannelFloatQparams,
  dequantize_per_channel_float_qparams: dequantizePerChannelFloatQparams,
  fake_quantize_per_tensor_affine: fakeQuantizePerTensorAffine,
  fake_quantize_per_channel_affine: fakeQuantizePerChannelAffine,
  min_max_observer: minMaxObserver,
  moving_average_min_max_observer: movingAverageMinMaxObserver,
  per_channel_min_max_observer: perChannelMinMaxObserver,
  moving_average_per_channel_min_max_observer: movingAveragePerChannelMinMaxObserver,
  fixed_qparams_observer: fixedQparamsObserver,
};
