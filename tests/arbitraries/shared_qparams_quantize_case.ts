import fc from 'fast-check';
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import { type F32Tensor, numel } from '../../contract/tensor.js';
import { type ChannelShape, channelShape } from './channel_shape.js';
import { elementRecipes, realizeTensor } from './element_recipe.js';
import { affineGrid } from './quant_grid.js';
import { eagerQuantDtype } from './quant_dtype.js';
import { anyScale } from './scale.js';
import { zeroPointIn } from './zero_point.js';

export interface SharedQparamsQuantizeCase {
  readonly x: F32Tensor;
  readonly layout: ChannelShape;
  readonly scale: number;
  readonly zeroPoint: number;
  readonly dtype: QuantDtype;
}

/** A tensor with a channel axis and ONE (scale, zero point) that every channel shares. */
export const sharedQparamsQuantizeCase: fc.Arbitrary<SharedQparamsQuantizeCase> = fc
  .record({ layout: channelShape({ minRank: 1, maxRank: 3, maxChannels: 12 }), dtype: eagerQuantDtype, scale: anyScale })
  .chain(({ layout, dtype, scale }) => {
    const { min, max } = DTYPE_RANGE[dtype];
    return fc.record({ zeroPoint: zeroPointIn(min, max), recipes: elementRecipes(numel(layout.shape)) }).map(({ zeroPoint, recipes }) => {
      const grid = affineGrid(scale, zeroPoint, min, max);
      return { x: realizeTensor(layout.shape, recipes, () => grid), layout, scale, zeroPoint, dtype };
    });
  });
