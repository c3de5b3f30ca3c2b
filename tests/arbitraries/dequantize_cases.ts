import fc from 'fast-check';
import { type F32Tensor, type F64Tensor, type IntTensor, f32Tensor, f64Tensor, intTensor, numel } from '../../contract/tensor.js';
import { channelShape, opAxis, parameterCount } from './channel_shape.js';
import { anyFloatQparamsScale, anyFloatZeroPoint, validFloatQparamsScale, validFloatZeroPoint } from './float_qparams.js';
import { parameterArray } from './parameter_array.js';
import { dequantizeInputDtype, quantizedValues, zeroPointRangeOf } from './quantized_values.js';
import { anyScale, validScale } from './scale.js';
import { anyZeroPointIn, zeroPointIn } from './zero_point.js';

export interface PerTensorDequantizeCase {
  readonly q: IntTensor;
  readonly scale: number;
  readonly zeroPoint: number;
}

export const perTensorDequantizeCase: fc.Arbitrary<PerTensorDequantizeCase> = fc
  .record({ dtype: dequantizeInputDtype, length: fc.integer({ min: 0, max: 40 }), scale: anyScale })
  .chain(({ dtype, length, scale }) => {
    const { min, max } = zeroPointRangeOf(dtype);
    return fc
      .record({ values: quantizedValues(dtype, length), zeroPoint: anyZeroPointIn(min, max) })
      .map(({ values, zeroPoint }) => ({ q: intTensor(dtype, [length], values), scale, zeroPoint }));
  });

export interface PerChannelDequantizeCase<S, Z> {
  readonly q: IntTensor;
  readonly scales: S;
  readonly zeroPoints: Z;
  readonly axis: number;
}

/** Shape, axis, dtype, parameter count and stored values shared by both per-channel dequantize ops. */
const perChannelInput = channelShape({ minRank: 1, maxRank: 3, maxChannels: 12 })
  .chain((s) => fc.record({ s: fc.constant(s), axis: opAxis(s), dtype: dequantizeInputDtype, count: parameterCount(s.shape[s.axis]!) }))
  .chain(({ s, axis, dtype, count }) =>
    quantizedValues(dtype, numel(s.shape)).map((values) => ({ q: intTensor(dtype, s.shape, values), dtype, axis, count })),
  );

export const perChannelDequantizeCase: fc.Arbitrary<PerChannelDequantizeCase<F64Tensor, IntTensor>> = perChannelInput.chain(({ q, dtype, axis, count }) => {
  const { min, max } = zeroPointRangeOf(dtype);
  return fc
    .record({ scales: parameterArray(validScale, anyScale, count), zeroPoints: parameterArray(zeroPointIn(min, max), anyZeroPointIn(min, max), count) })
    .map(({ scales, zeroPoints }) => ({ q, axis, scales: f64Tensor([count], scales), zeroPoints: intTensor('int64', [count], zeroPoints) }));
});

export const floatQparamsDequantizeCase: fc.Arbitrary<PerChannelDequantizeCase<F32Tensor, F32Tensor>> = perChannelInput.chain(({ q, axis, count }) =>
  fc
    .record({
      scales: parameterArray(validFloatQparamsScale, anyFloatQparamsScale, count),
      zeroPoints: parameterArray(validFloatZeroPoint, anyFloatZeroPoint, count),
    })
    .map(({ scales, zeroPoints }) => ({ q, axis, scales: f32Tensor([count], scales), zeroPoints: f32Tensor([count], zeroPoints) })),
);
