import fc from 'fast-check';
import { type F32Tensor, type IntTensor, channelLayout, channelOf, f32Tensor, intTensor, numel } from '../../contract/tensor.js';
import { channelShape, opAxis, parameterCount } from './channel_shape.js';
import { elementRecipes, realizeTensor } from './element_recipe.js';
import { affineGrid } from './quant_grid.js';
import { parameterArray } from './parameter_array.js';
import { quantRangePair } from './quant_range.js';
import { anyFloat32Scale, anyScale, validScale } from './scale.js';
import { anyZeroPointIn, zeroPointIn } from './zero_point.js';

export interface PerTensorFakeQuantizeCase {
  readonly x: F32Tensor;
  readonly scale: number;
  readonly zeroPoint: number;
  readonly quantMin: number;
  readonly quantMax: number;
}

/** fake_quantize_per_tensor_affine inputs: up to 40 elements built on the grid of the requested quant range. */
export const perTensorFakeQuantizeCase: fc.Arbitrary<PerTensorFakeQuantizeCase> = fc
  .record({ range: quantRangePair, scale: anyScale, length: fc.integer({ min: 0, max: 40 }) })
  .chain(({ range: { quantMin, quantMax }, scale, length }) =>
    fc.record({ zeroPoint: anyZeroPointIn(quantMin, quantMax), recipes: elementRecipes(length) }).map(({ zeroPoint, recipes }) => {
      const grid = affineGrid(scale, zeroPoint, quantMin, quantMax);
      return { x: realizeTensor([length], recipes, () => grid), scale, zeroPoint, quantMin, quantMax };
    }),
  );

export interface PerChannelFakeQuantizeCase {
  readonly x: F32Tensor;
  readonly scales: F32Tensor;
  readonly zeroPoints: IntTensor;
  readonly axis: number;
  readonly quantMin: number;
  readonly quantMax: number;
}

/** fake_quantize_per_channel_affine inputs: float32 scales, int32 zero points, one grid per channel. */
export const perChannelFakeQuantizeCase: fc.Arbitrary<PerChannelFakeQuantizeCase> = channelShape({ minRank: 1, maxRank: 3, maxChannels: 12 })
  .chain((s) => fc.record({ s: fc.constant(s), axis: opAxis(s), range: quantRangePair, count: parameterCount(s.shape[s.axis]!) }))
  .chain(({ s, axis, range: { quantMin, quantMax }, count }) =>
    fc
      .record({
        scales: parameterArray(validScale.map(Math.fround), anyFloat32Scale, count),
        zeroPoints: parameterArray(zeroPointIn(quantMin, quantMax), anyZeroPointIn(quantMin, quantMax), count),
        recipes: elementRecipes(numel(s.shape)),
      })
      .map(({ scales, zeroPoints, recipes }) => {
        const layout = channelLayout(s.shape, s.axis);
        const grids = scales.map((sc, c) => affineGrid(sc, zeroPoints[c]!, quantMin, quantMax));
        return {
          x: realizeTensor(s.shape, recipes, (i) => grids[channelOf(i, layout)]!),
          scales: f32Tensor([count], scales),
          zeroPoints: intTensor('int32', [count], zeroPoints),
          axis,
          quantMin,
          quantMax,
        };
      }),
  );
