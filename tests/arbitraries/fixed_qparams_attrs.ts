import fc from 'fast-check';
import type { FixedQparamsObserverAttrs } from '../../contract/ops.js';
import { anyQuantDtype } from './quant_dtype.js';
import { quantRangePair } from './quant_range.js';
import { anyScale } from './scale.js';
import { anyZeroPointIn } from './zero_point.js';

/** FixedQParamsObserver constructor arguments, including rejected scales, ranges and zero points. */
export const fixedQparamsAttrs: fc.Arbitrary<FixedQparamsObserverAttrs> = fc
  .record({
    range: quantRangePair,
    scale: anyScale,
    dtype: anyQuantDtype,
    qscheme: fc.constantFrom('per_tensor_affine', 'per_tensor_symmetric' as const),
  })
  .chain(({ range, ...rest }) => anyZeroPointIn(range.quantMin, range.quantMax).map((zeroPoint) => ({ ...rest, ...range, zeroPoint })));
