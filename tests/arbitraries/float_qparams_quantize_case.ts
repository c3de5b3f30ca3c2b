import fc from 'fast-check';
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import { type F32Tensor, channelLayout, channelOf, f32Tensor, numel } from '../../contract/tensor.js';
import { channelShape, opAxis, parameterCount } from './channel_shape.js';
import { elementRecipes, realizeTensor } from './element_recipe.js';
import { floatQparamsGrid } from './quant_grid.js';
import { anyFloatQparamsScale, anyFloatZeroPoint, validFloatQparamsScale, validFloatZeroPoint } from './float_qparams.js';
import { parameterArray } from './parameter_array.js';
import { floatQparamsQuantDtype } from './quant_dtype.js';

export interface FloatQparamsQuantizeCase {
  readonly x: F32Tensor;
  readonly scales: F32Tensor;
  readonly zeroPoints: F32Tensor;
  readonly axis: number;
  readonly dtype: QuantDtype;
}

/** quantize_per_channel with float zero points: elements built on each channel's float-qparams grid. */
export const floatQparamsQuantizeCase: fc.Arbitrary<FloatQparamsQuantizeCase> = channelShape({ minRank: 1, maxRank: 3, maxChannels: 12 })
  .chain((s) => fc.record({ s: fc.constant(s), axis: opAxis(s), dtype: floatQparamsQuantDtype, count: parameterCount(s.shape[s.axis]!) }))
  .chain(({ s, axis, dtype, count }) =>
    fc
      .record({
        scales: parameterArray(validFloatQparamsScale, anyFloatQparamsScale, count),
        zeroPoints: parameterArray(validFloatZeroPoint, anyFloatZeroPoint, count),
        recipes: elementRecipes(numel(s.shape)),
      })
      .map(({ scales, zeroPoints, recipes }) => {
        const { min, max } = DTYPE_RANGE[dtype];
        const layout = channelLayout(s.shape, s.axis);
        const grids = scales.map((sc, c) => floatQparamsGrid(sc, zeroPoints[c]!, min, max));
        return {
          x: realizeTensor(s.shape, recipes, (i) => grids[channelOf(i, layout)]!),
          scales: f32Tensor([count], scales),
          zeroPoints: f32Tensor([count], zeroPoints),
          axis,
          dtype,
        };
      }),
  );
