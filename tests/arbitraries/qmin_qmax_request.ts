import fc from 'fast-check';
import type { QuantDtype } from '../../contract/dtypes.js';
import { customQuantRange } from './custom_quant_range.js';
import { anyQuantDtype } from './quant_dtype.js';

export interface QminQmaxRequest {
  readonly dtype: QuantDtype;
  readonly reduceRange: boolean;
  readonly quantMin: number | null;
  readonly quantMax: number | null;
}

/** calculate_qmin_qmax arguments: every dtype, reduce_range, with and without (valid or invalid) custom ranges. */
export const qminQmaxRequest: fc.Arbitrary<QminQmaxRequest> = fc
  .record({ dtype: anyQuantDtype, reduceRange: fc.boolean(), range: customQuantRange })
  .map(({ range, ...rest }) => ({ ...rest, ...range }));
