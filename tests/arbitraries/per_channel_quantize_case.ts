import fc from 'fast-check';
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import {
  type F32Tensor,
  type F64Tensor,
  type IntTensor,
  channelLayout,
  channelOf,
  f64Tensor,
  intTensor,
  numel,
} from '../../contract/tensor.js';
import { channelShape, opAxis, parameterCount } from './channel_shape.js';
import { elementRecipes, realizeTensor } from './element_recipe.js';
import { affineGrid } from './quant_grid.js';
import { parameterArray } from './parameter_array.js';
import { anyQuantDtype } from './quant_dtype.js';
import { anyScale, validScale } from './scale.js';
import { anyZeroPointIn, zeroPointIn } from './zero_point.js';

export interface PerChannelQuantizeCase {
  readonly x: F32Tensor;
  readonly scales: F64Tensor;
  readonly zeroPoints: IntTensor;
  readonly axis: number;
  readonly dtype: QuantDtype;
}

/** quantize_per_channel inputs: rank 1-3, up to 12 channels, each channel's elements built on its own grid. */
export const perChannelQuantizeCase: fc.Arbitrary<PerChannelQuantizeCase> = channelShape({ minRank: 1, maxRank: 3, maxChannels: 12 })
  .chain((s) => fc.record({ s: fc.constant(s), axis: opAxis(s), dtype: anyQuantDtype, count: parameterCount(s.shape[s.axis]!) }))
  .chain(({ s, axis, dtype, count }) => {
    const { min, max } = DTYPE_RANGE[dtype];
    return fc
      .record({
        scales: parameterArray(validScale, anyScale, count),
        zeroPoints: parameterArray(zeroPointIn(min, max), anyZeroPointIn(min, max), count),
        recipes: elementRecipes(numel(s.shape)),
      })
      .map(({ scales, zeroPoints, recipes }) => {
        const layout = channelLayout(s.shape, s.axis);
        const grids = scales.map((sc, c) => affineGrid(sc, zeroPoints[c]!, min, max));
        return {
          x: realizeTensor(s.shape, recipes, (i) => grids[channelOf(i, layout)]!),
          scales: f64Tensor([count], scales),
          zeroPoints: intTensor('int64', [count], zeroPoints),
          axis,
          dtype,
        };
      });
  });
