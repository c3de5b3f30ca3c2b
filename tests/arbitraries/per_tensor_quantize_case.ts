import fc from 'fast-check';
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import type { F32Tensor } from '../../contract/tensor.js';
import { elementRecipes, realizeTensor } from './element_recipe.js';
import { affineGrid } from './quant_grid.js';
import { anyQuantDtype } from './quant_dtype.js';
import { anyScale } from './scale.js';
import { anyZeroPointIn } from './zero_point.js';

export interface PerTensorQuantizeCase {
  readonly x: F32Tensor;
  readonly scale: number;
  readonly zeroPoint: number;
  readonly dtype: QuantDtype;
}

/** quantize_per_tensor inputs: up to 40 elements built on the (scale, zero point, dtype) grid. */
export const perTensorQuantizeCase: fc.Arbitrary<PerTensorQuantizeCase> = fc
  .record({ dtype: anyQuantDtype, scale: anyScale, length: fc.integer({ min: 0, max: 40 }) })
  .chain(({ dtype, scale, length }) => {
    const { min, max } = DTYPE_RANGE[dtype];
    return fc.record({ zeroPoint: anyZeroPointIn(min, max), recipes: elementRecipes(length) }).map(({ zeroPoint, recipes }) => {
      const grid = affineGrid(scale, zeroPoint, min, max);
      return { x: realizeTensor([length], recipes, () => grid), scale, zeroPoint, dtype };
    });
  });
